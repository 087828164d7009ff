// Read a Parquet file with DuckDB (@duckdb/node-api) or hyparquet and print its columns as
// canonical JSON: {"types": {column: reader's type}, "columns": {column: [value...]}}.
// Values: integers, dates (days), times and timestamps (µs) as decimal strings, floats as
// JS prints them ("-0" kept), decimals as the reader gives them, text as is, bytes as hex,
// lists as arrays. DuckDB mode adds "arrow": the footer's ARROW:schema as Arrow JS decodes
// it, one "name: type" per field plus its pg_type. Used by parquet_interop_test.cc.
import { DuckDBInstance, DuckDBListValue, DuckDBBlobValue, DuckDBDateValue, DuckDBTimeValue,
  DuckDBTimestampValue, DuckDBTimestampTZValue } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { tableFromIPC } from 'apache-arrow';

const hex = (bytes) => Buffer.from(bytes).toString('hex');

function canon(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (v instanceof Uint8Array) return hex(v);
  if (Array.isArray(v)) return v.map(canon);
  if (v instanceof DuckDBListValue) return v.items.map(canon);
  if (v instanceof DuckDBBlobValue) return hex(v.bytes);
  if (v instanceof DuckDBDateValue) return String(v.days);
  if (v instanceof DuckDBTimeValue || v instanceof DuckDBTimestampValue ||
      v instanceof DuckDBTimestampTZValue) return v.micros.toString();
  return v.toString();  // decimal, uuid
}

async function readDuckDb(path) {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
  const names = reader.columnNames();
  const types = Object.fromEntries(names.map((n, i) => [n, reader.columnTypes()[i].toString()]));
  const columns = Object.fromEntries(names.map((n) => [n, []]));
  for (const row of reader.getRows()) names.forEach((n, i) => columns[n].push(canon(row[i])));
  return { types, columns, arrow: await arrowSchema(conn, path) };
}

async function arrowSchema(conn, path) {
  const kv = await conn.runAndReadAll(
    `SELECT value FROM parquet_kv_metadata('${path}') WHERE decode(key) = 'ARROW:schema'`);
  const message = Buffer.from(Buffer.from(kv.getRows()[0][0].bytes).toString(), 'base64');
  const endOfStream = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
  const { schema } = tableFromIPC(Buffer.concat([message, endOfStream]));
  return Object.fromEntries(schema.fields.map((f) => [f.name, `${f.type}` +
    (f.metadata.has('pg_type') ? ` pg_type=${f.metadata.get('pg_type')}` : '')]));
}

async function readHyparquet(path) {
  const file = await asyncBufferFromFile(path);
  // Raw numbers for dates and timestamps (Date objects would lose µs and the far values);
  // JSON as text.
  const decoder = new TextDecoder();
  const parsers = {
    dateFromDays: (days) => days,
    timestampFromMilliseconds: (v) => BigInt(v) * 1000n,
    timestampFromMicroseconds: (v) => v,
    timestampFromNanoseconds: (v) => v / 1000n,
    jsonFromBytes: (bytes) => bytes && decoder.decode(bytes),
  };
  const rows = await parquetReadObjects({ file, compressors, parsers, utf8: false });
  const columns = {};
  for (const row of rows) {
    for (const [n, v] of Object.entries(row)) (columns[n] ??= []).push(canon(v));
  }
  return { types: {}, columns };
}

const [reader, path] = process.argv.slice(2);
const out = reader === 'duckdb' ? await readDuckDb(path) : await readHyparquet(path);
process.stdout.write(JSON.stringify(out));
