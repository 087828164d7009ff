// StreamReader, ReadStream and InspectStream: message sequencing (schema first, record
// batches, end-of-stream, nothing after) on top of the framing and batch decoders.
#include "arrow/ipc/reader.h"

#include <cstdint>
#include <string>

#include "arrow/ipc/batch_decode_internal.h"
#include "arrow/ipc/format_internal.h"
#include "arrow/ipc/message_internal.h"

namespace rapidbyte::arrow::ipc {

namespace {

using internal::CheckLevel;
using internal::RawMessage;

std::string Where(int index, uint64_t pos) {
  return "IPC message " + std::to_string(index) + " at byte " + std::to_string(pos);
}

const char* HeaderName(uint8_t type) {
  switch (type) {
    case internal::kHeaderSchema:
      return "schema";
    case internal::kHeaderDictionaryBatch:
      return "dictionary batch";
    case internal::kHeaderRecordBatch:
      return "record batch";
    default:
      return "unknown";
  }
}

Result<std::shared_ptr<const Schema>> ReadSchemaMessage(std::span<const uint8_t> stream,
                                                        uint64_t* pos) {
  auto msg = internal::ReadMessage(stream, pos);
  if (!msg.ok()) return msg.status().WithContext(Where(0, 0));
  if (msg->eos) return Status::InvalidArgument(Where(0, 0) + ": stream has no schema message");
  if (msg->info.header_type != internal::kHeaderSchema) {
    return Status::InvalidArgument(Where(0, 0) + ": expected a schema message, got a " +
                                   HeaderName(msg->info.header_type) + " message");
  }
  auto schema = internal::DecodeSchema(*msg->info.header, msg->metadata_size);
  if (!schema.ok()) return schema.status().WithContext(Where(0, 0) + " (schema)");
  return std::shared_ptr<const Schema>(std::make_shared<const Schema>(std::move(schema).value()));
}

// Read the message at *pos; on a record batch return true and decode it into *batch.
Result<bool> ReadBatchMessage(std::span<const uint8_t> stream, uint64_t* pos, int index,
                              const std::shared_ptr<const Schema>& schema, CheckLevel level,
                              RecordBatch* batch) {
  const uint64_t start = *pos;
  auto msg = internal::ReadMessage(stream, pos);
  if (!msg.ok()) return msg.status().WithContext(Where(index, start));
  if (msg->eos) {
    if (*pos != stream.size()) {
      return Status::InvalidArgument(Where(index, start) + ": " +
                                     std::to_string(stream.size() - *pos) +
                                     " bytes after the end-of-stream marker");
    }
    return false;
  }
  if (msg->info.header_type != internal::kHeaderRecordBatch) {
    return Status::InvalidArgument(Where(index, start) + ": " + HeaderName(msg->info.header_type) +
                                   " messages are not supported after the schema");
  }
  auto meta = internal::DecodeRecordBatchMeta(*msg->info.header);
  if (!meta.ok()) return meta.status().WithContext(Where(index, start) + " (record batch)");
  auto decoded = internal::DecodeRecordBatch(schema, *meta, msg->body, msg->body_size, level);
  if (!decoded.ok()) {
    return decoded.status().WithContext(Where(index, start) + " (record batch)");
  }
  *batch = std::move(decoded).value();
  return true;
}

}  // namespace

Result<StreamReader> StreamReader::Open(std::span<const uint8_t> stream, ReadOptions options) {
  StreamReader reader(stream, options);
  RB_ASSIGN_OR_RETURN(reader.schema_, ReadSchemaMessage(stream, &reader.pos_));
  reader.message_index_ = 1;
  return reader;
}

Result<bool> StreamReader::Next(RecordBatch* batch) {
  if (done_) return false;
  const CheckLevel level =
      options_.validation == Validation::kFull ? CheckLevel::kFull : CheckLevel::kStructural;
  RecordBatch decoded;
  auto more = ReadBatchMessage(stream_, &pos_, message_index_, schema_, level, &decoded);
  if (!more.ok()) {
    done_ = true;  // never read past an error
    return more.status();
  }
  ++message_index_;
  if (!*more) {
    done_ = true;
    return false;
  }
  *batch = std::move(decoded);
  return true;
}

Result<StreamContents> ReadStream(std::span<const uint8_t> stream, ReadOptions options) {
  RB_ASSIGN_OR_RETURN(StreamReader reader, StreamReader::Open(stream, options));
  StreamContents contents;
  contents.schema = reader.schema();
  while (true) {
    RecordBatch batch;
    RB_ASSIGN_OR_RETURN(bool more, reader.Next(&batch));
    if (!more) break;
    contents.batches.push_back(std::move(batch));
  }
  return contents;
}

Result<StreamSummary> InspectStream(std::span<const uint8_t> stream) {
  StreamSummary summary;
  uint64_t pos = 0;
  RB_ASSIGN_OR_RETURN(summary.schema, ReadSchemaMessage(stream, &pos));
  for (int index = 1;; ++index) {
    RecordBatch batch;
    RB_ASSIGN_OR_RETURN(bool more, ReadBatchMessage(stream, &pos, index, summary.schema,
                                                    CheckLevel::kMetadata, &batch));
    if (!more) break;
    if (batch.num_rows() > INT64_MAX - summary.num_rows) {
      return Status::InvalidArgument(Where(index, 0) + ": row count overflows");
    }
    ++summary.num_batches;
    summary.num_rows += batch.num_rows();
  }
  return summary;
}

}  // namespace rapidbyte::arrow::ipc
