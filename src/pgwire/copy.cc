// COPY sub-protocol: COPY OUT streamed one CopyData message at a time (nothing accumulates),
// COPY IN buffered into CopyData messages of about copy_flush_bytes, CopyDone and CopyFail,
// and CopyBoth (streaming replication): messages both ways until either side sends CopyDone.
#include <algorithm>
#include <string>

#include "pgwire/connection.h"

namespace rapidbyte::pgwire {

namespace {

// The refusal when a statement answers with another COPY direction than the caller asked for.
Status NotTheExpectedCopy(char expected) {
  switch (expected) {
    case 'H':
      return Status::InvalidArgument("statement is not COPY ... TO STDOUT");
    case 'G':
      return Status::InvalidArgument("statement is not COPY ... FROM STDIN");
    default:
      return Status::InvalidArgument("command did not start a CopyBoth stream");
  }
}

}  // namespace

Result<CopyResponseMsg> Connection::StartCopy(std::string_view sql, char expected) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  RB_RETURN_NOT_OK(EncodeQuery(sql, &out_));
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, NextMessage());
    if (frame.type == expected) {
      auto response = ParseCopyResponse(frame.type, frame.body);
      if (!response.ok()) return Fail(response.status());
      mode_ = expected == 'H' ? Mode::kCopyOut : expected == 'G' ? Mode::kCopyIn : Mode::kCopyBoth;
      copy_msg_start_ = SIZE_MAX;
      return response;
    }
    switch (frame.type) {
      case 'E':
        return DrainUntilReady(MakeServerError(frame.body));
      case 'G':  // the server waits for our data: end its COPY
        RB_RETURN_NOT_OK(EncodeCopyFail("unexpected COPY FROM STDIN", &out_));
        RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
        return DrainUntilReady(NotTheExpectedCopy(expected));
      case 'W':
        EncodeCopyDone(&out_);
        RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
        return DrainUntilReady(NotTheExpectedCopy(expected));
      case 'H':
        return DrainUntilReady(NotTheExpectedCopy(expected));
      case 'Z': {
        auto rfq = ParseReadyForQuery(frame.body);
        if (!rfq.ok()) return Fail(rfq.status());
        txn_status_ = rfq->status;
        return NotTheExpectedCopy(expected);
      }
      default:
        break;  // rows or completions of a statement that is not the expected COPY
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

Status Connection::WriteCopyData(Bytes data) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyIn));
  if (data.empty()) return Status::OK();
  const std::size_t flush_bytes = options_.copy_flush_bytes;
  // A large chunk goes out as it is.
  if (data.size() >= flush_bytes) return SendCopyData(data);
  if (copy_msg_start_ == SIZE_MAX) copy_msg_start_ = BeginMessage('d', &out_);
  WireWriter(&out_).PutBytes(data);
  if (out_.size() - copy_msg_start_ >= flush_bytes) {
    RB_RETURN_NOT_OK(FinishMessage(copy_msg_start_, &out_));
    copy_msg_start_ = SIZE_MAX;
    RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  }
  return Status::OK();
}

Status Connection::SendCopyData(Bytes data) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyIn));
  // Close the open message, then send a header and the caller's bytes as they are (no copy).
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

Result<Connection::CopyBothRead> Connection::ReadCopyBoth(Bytes* chunk, int timeout_ms) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyBoth));
  if (copy_both_server_done_) return CopyBothRead::kDone;
  while (true) {
    Result<Frame> frame = ReadFrame(timeout_ms, /*timeout_keeps_session=*/true);
    if (!frame.ok()) {
      if (!broken_ && frame.status().code() == StatusCode::kDeadlineExceeded) {
        return CopyBothRead::kTimeout;
      }
      return frame.status();
    }
    bool handled = false;
    RB_RETURN_NOT_OK(HandleAsync(*frame, &handled));
    if (handled) continue;
    switch (frame->type) {
      case 'd':
        *chunk = frame->body;
        return CopyBothRead::kData;
      case 'c':
        copy_both_server_done_ = true;
        return CopyBothRead::kDone;
      case 'C':
        // A walsender that shuts down (the server stops) ends the stream with CommandComplete
        // alone, then closes the connection (PostgreSQL's WalSndDone).
        copy_both_server_done_ = true;
        return CopyBothRead::kDone;
      case 'E':
        copy_both_server_done_ = false;
        return DrainUntilReady(MakeServerError(frame->body));
      default:
        return Fail(ProtocolError(std::string("unexpected message '") + frame->type +
                                  "' during CopyBoth"));
    }
  }
}

Status Connection::SendCopyBothData(Bytes payload) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyBoth));
  RB_RETURN_NOT_OK(EncodeCopyData(payload, &out_));
  return Flush(options_.io_timeout_ms);
}

Status Connection::EndCopyBoth() {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kCopyBoth));
  EncodeCopyDone(&out_);
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  copy_both_server_done_ = false;
  return DrainUntilReady(Status::OK());
}

}  // namespace rapidbyte::pgwire
