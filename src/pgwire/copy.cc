// COPY sub-protocol: COPY OUT streamed one CopyData message at a time (nothing accumulates),
// COPY IN buffered into CopyData messages of about copy_flush_bytes, CopyDone and CopyFail.
#include <algorithm>
#include <string>

#include "pgwire/connection.h"

namespace rapidbyte::pgwire {

Result<CopyResponseMsg> Connection::StartCopyOut(std::string_view sql) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  RB_RETURN_NOT_OK(EncodeQuery(sql, &out_));
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, NextMessage());
    switch (frame.type) {
      case 'H': {
        auto response = ParseCopyResponse(frame.type, frame.body);
        if (!response.ok()) return Fail(response.status());
        mode_ = Mode::kCopyOut;
        return response;
      }
      case 'E':
        return DrainUntilReady(MakeServerError(frame.body));
      case 'G': {
        RB_RETURN_NOT_OK(EncodeCopyFail("expected COPY TO STDOUT", &out_));
        RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
        return DrainUntilReady(Status::InvalidArgument("statement is not COPY ... TO STDOUT"));
      }
      case 'Z': {
        auto rfq = ParseReadyForQuery(frame.body);
        if (!rfq.ok()) return Fail(rfq.status());
        txn_status_ = rfq->status;
        return Status::InvalidArgument("statement is not COPY ... TO STDOUT");
      }
      default:
        break;  // rows or completions of a statement that is not a COPY
    }
  }
}

Result<bool> Connection::NextCopyData(Bytes* chunk) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyOut));
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, NextMessage());
    switch (frame.type) {
      case 'd':
        *chunk = frame.body;
        return true;
      case 'c':
        break;
      case 'C': {
        auto tag = ParseCommandComplete(frame.body);
        if (!tag.ok()) return Fail(tag.status());
        last_tag_.assign(tag->tag);
        break;
      }
      case 'E':
        return DrainUntilReady(MakeServerError(frame.body));
      case 'Z': {
        auto rfq = ParseReadyForQuery(frame.body);
        if (!rfq.ok()) return Fail(rfq.status());
        txn_status_ = rfq->status;
        mode_ = Mode::kIdle;
        return false;
      }
      default:
        return Fail(
            ProtocolError(std::string("unexpected message '") + frame.type + "' during COPY OUT"));
    }
  }
}

Status Connection::CopyOut(std::string_view sql, const std::function<Status(Bytes)>& sink) {
  RB_RETURN_NOT_OK(StartCopyOut(sql).status());
  Bytes chunk;
  while (true) {
    RB_ASSIGN_OR_RETURN(bool more, NextCopyData(&chunk));
    if (!more) return Status::OK();
    Status s = sink(chunk);
    if (!s.ok()) return Fail(s);
  }
}

Result<CopyResponseMsg> Connection::StartCopyIn(std::string_view sql) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  RB_RETURN_NOT_OK(EncodeQuery(sql, &out_));
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, NextMessage());
    switch (frame.type) {
      case 'G': {
        auto response = ParseCopyResponse(frame.type, frame.body);
        if (!response.ok()) return Fail(response.status());
        mode_ = Mode::kCopyIn;
        copy_msg_start_ = SIZE_MAX;
        return response;
      }
      case 'E':
        return DrainUntilReady(MakeServerError(frame.body));
      case 'H':
        return DrainUntilReady(Status::InvalidArgument("statement is not COPY ... FROM STDIN"));
      case 'Z': {
        auto rfq = ParseReadyForQuery(frame.body);
        if (!rfq.ok()) return Fail(rfq.status());
        txn_status_ = rfq->status;
        return Status::InvalidArgument("statement is not COPY ... FROM STDIN");
      }
      default:
        break;
    }
  }
}

Status Connection::WriteCopyData(Bytes data) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyIn));
  if (data.empty()) return Status::OK();
  const std::size_t flush_bytes = options_.copy_flush_bytes;
  if (data.size() >= flush_bytes) {
    // Large chunk: close the open message, then send a header and the caller's bytes as they
    // are (no copy).
    if (copy_msg_start_ != SIZE_MAX) {
      RB_RETURN_NOT_OK(FinishMessage(copy_msg_start_, &out_));
      copy_msg_start_ = SIZE_MAX;
    }
    for (std::size_t off = 0; off < data.size();) {
      const std::size_t n = std::min<std::size_t>(data.size() - off, kMaxMessageBytes - 4);
      const std::size_t start = BeginMessage('d', &out_);
      WireWriter(&out_).PatchU32(start + 1, static_cast<std::uint32_t>(n + 4));
      RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
      Status s = stream_->WriteAll(data.subspan(off, n), options_.io_timeout_ms);
      if (!s.ok()) return Fail(s);
      off += n;
    }
    return Status::OK();
  }
  if (copy_msg_start_ == SIZE_MAX) copy_msg_start_ = BeginMessage('d', &out_);
  WireWriter(&out_).PutBytes(data);
  if (out_.size() - copy_msg_start_ >= flush_bytes) {
    RB_RETURN_NOT_OK(FinishMessage(copy_msg_start_, &out_));
    copy_msg_start_ = SIZE_MAX;
    RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  }
  return Status::OK();
}

Result<std::uint64_t> Connection::EndCopyIn() {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyIn));
  if (copy_msg_start_ != SIZE_MAX) {
    RB_RETURN_NOT_OK(FinishMessage(copy_msg_start_, &out_));
    copy_msg_start_ = SIZE_MAX;
  }
  EncodeCopyDone(&out_);
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  RB_ASSIGN_OR_RETURN(QueryResult result, ReadExtendedResults());
  mode_ = Mode::kIdle;
  return result.RowsAffected();
}

Status Connection::AbortCopyIn(std::string_view reason) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyIn));
  if (copy_msg_start_ != SIZE_MAX) {
    out_.resize(copy_msg_start_);  // unsent rows are dropped
    copy_msg_start_ = SIZE_MAX;
  }
  RB_RETURN_NOT_OK(EncodeCopyFail(reason, &out_));
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  Status s = DrainUntilReady(Status::OK());
  mode_ = Mode::kIdle;
  // The server acknowledges CopyFail with an error (57014 in PostgreSQL 15); that is success.
  if (GetServerError(s) != nullptr) return Status::OK();
  return s;
}

}  // namespace rapidbyte::pgwire
