// Usage: node read_stream.mjs <file.arrows>
// Reads an Arrow IPC stream with Apache Arrow JS and prints its canonical JSON (arrow_json.mjs).
import { readFileSync } from 'node:fs';
import * as A from 'apache-arrow';
import { tableToJson } from './arrow_json.mjs';

const bytes = readFileSync(process.argv[2]);
const reader = A.RecordBatchReader.from(bytes).open({ autoDestroy: false });
const schema = reader.schema;
// Keep the batches exactly as read. For a stream without record batch messages the JS reader
// yields one empty placeholder batch; count the messages to tell the two apart.
let batchMessages = 0;
const messages = new A.MessageReader(bytes);
for (let r = messages.next(); !r.done; r = messages.next()) {
  if (r.value.headerType === A.MessageHeader.RecordBatch) batchMessages += 1;
  messages.readMessageBody(r.value.bodyLength);
}
const batches = batchMessages === 0 ? [] : [...reader];
const json = tableToJson({ schema, batches });
process.stdout.write(JSON.stringify(json));
