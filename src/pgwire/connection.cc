// Connection: receive buffering, message framing over the stream, messages that may arrive in
// any state (notices, parameter status, notifications), error bookkeeping, Terminate, Cancel.
#include "pgwire/connection.h"

#include <cstring>
#include <string>
#include <utility>

#include "base/log.h"
#include "pgwire/error_mapping.h"

namespace rapidbyte::pgwire {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// After a message larger than this, an empty receive buffer is shrunk back to kReadChunk.
constexpr std::size_t kShrinkAbove = 1 << 20;
constexpr int kCancelTimeoutMs = 10'000;
constexpr int kTerminateTimeoutMs = 1'000;

// A read that ran out of time: kDeadlineExceeded from the native stream, a TIMEOUT
// ClientError from the SDK's stream over host calls.
bool IsReadTimeout(const Status& status) {
  if (status.code() == StatusCode::kDeadlineExceeded) return true;
  const ClientError* error = GetClientError(status);
  return error != nullptr && error->code() == kCodeTimeout;
}

LogLevel NoticeLevel(const ServerErrorFields& f) {
  if (f.severity_nonlocal == "WARNING") return LogLevel::kWarn;
  if (f.severity_nonlocal == "DEBUG") return LogLevel::kDebug;
  return LogLevel::kInfo;
}

}  // namespace

Result<SslMode> ParseSslMode(std::string_view text) {
  if (text == "disable") return SslMode::kDisable;
  if (text == "prefer") return SslMode::kPrefer;
  if (text == "require") return SslMode::kRequire;
  if (text == "verify-ca") return SslMode::kVerifyCa;
  if (text == "verify-full") return SslMode::kVerifyFull;
  return Status::InvalidArgument("sslmode '" + std::string(text) +
                                 "' is not one of disable, prefer, require, verify-ca, "
                                 "verify-full");
}

std::uint64_t QueryResult::RowsAffected() const {
  const std::size_t space = command_tag.rfind(' ');
  if (space == std::string::npos) return 0;
  std::uint64_t n = 0;
  for (std::size_t i = space + 1; i < command_tag.size(); ++i) {
    const char c = command_tag[i];
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

Status SendCancelRequest(const StreamFactory& factory, BackendKey key) {
  RB_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> stream, factory());
  ByteBuffer msg;
  EncodeCancelRequest(key.process_id, key.secret_key, &msg);
  Status written = stream->WriteAll(msg, kCancelTimeoutMs);
  if (written.ok()) {
    // The server closes the connection once it has processed the request; waiting for that
    // makes a following query observe the cancellation (libpq does the same).
    std::uint8_t byte = 0;
    (void)stream->Read(std::span<std::uint8_t>(&byte, 1), kCancelTimeoutMs);
  }
  stream->Close();
  return written.WithContext("sending CancelRequest");
}

Connection::Connection(std::unique_ptr<ByteStream> stream, ConnectOptions options)
    : stream_(std::move(stream)), options_(std::move(options)) {
  in_.resize(kReadChunk);
}

Connection::~Connection() { (void)Terminate(); }

std::optional<std::string> Connection::parameter(std::string_view name) const {
  auto it = parameters_.find(name);
  if (it == parameters_.end()) return std::nullopt;
  return it->second;
}

Status Connection::Fail(Status status) {
  broken_ = true;
  return status;
}

Status Connection::CheckUsable(Mode expected) const {
  if (closed_) return Status::FailedPrecondition("connection is closed");
  if (broken_) {
    return ClientFailure(ErrorCategory::kTransientNetwork, kCodeConnectionLost,
                         "connection is unusable after an earlier failure");
  }
  if (mode_ != expected) {
    return Status::FailedPrecondition(mode_ == Mode::kIdle ? "no COPY is in progress"
                                                           : "a COPY is in progress");
  }
  return Status::OK();
}

Status Connection::Flush(int timeout_ms) {
  if (out_.empty()) return Status::OK();
  Status s = stream_->WriteAll(out_, timeout_ms);
  out_.clear();
  if (!s.ok()) return Fail(s);
  return Status::OK();
}

Result<Frame> Connection::ReadFrame(int timeout_ms, bool timeout_keeps_session) {
  while (true) {
    std::size_t needed = 0;
    auto parsed = ParseFrame(Bytes(in_.data() + in_start_, in_end_ - in_start_),
                             options_.max_message_bytes, &needed);
    if (!parsed.ok()) return Fail(parsed.status());
    if (parsed->has_value()) {
      const Frame frame = **parsed;
      in_start_ += frame.wire_size;
      return frame;
    }
    // Need more: move the unread tail to the front, grow for the announced message, shrink
    // after a large one.
    const std::size_t pending = in_end_ - in_start_;
    if (in_start_ > 0) {
      if (pending > 0) std::memmove(in_.data(), in_.data() + in_start_, pending);
      in_start_ = 0;
      in_end_ = pending;
    }
    if (pending == 0 && in_.size() > kShrinkAbove) std::vector<std::uint8_t>(kReadChunk).swap(in_);
    if (needed > in_.size()) in_.resize(needed);
    auto n = stream_->Read(std::span<std::uint8_t>(in_.data() + in_end_, in_.size() - in_end_),
                           timeout_ms);
    if (!n.ok()) {
      if (timeout_keeps_session && IsReadTimeout(n.status())) {
        return Status::DeadlineExceeded(n.status().message());
      }
      return Fail(n.status());
    }
    if (*n == 0) {
      return Fail(ClientFailure(ErrorCategory::kTransientNetwork, kCodeConnectionLost,
                                "server closed the connection unexpectedly"));
    }
    in_end_ += *n;
  }
}

Status Connection::HandleAsync(const Frame& frame, bool* handled) {
  *handled = true;
  switch (frame.type) {
    case 'N': {
      auto fields = ParseServerErrorFields(frame.body);
      if (!fields.ok()) return Fail(fields.status());
      Log(NoticeLevel(*fields), "postgres: " + fields->message,
          {{"severity", fields->severity_nonlocal},
           {"sqlstate", fields->sqlstate},
           {"detail", fields->detail},
           {"hint", fields->hint}});
      return Status::OK();
    }
    case 'S':
    case 'A': {
      auto msg = ParseBackendMessage(frame);
      if (!msg.ok()) return Fail(msg.status());
      if (const auto* ps = std::get_if<ParameterStatusMsg>(&*msg)) {
        parameters_[std::string(ps->name)] = std::string(ps->value);
      } else {
        Log(LogLevel::kDebug, "postgres: ignoring NOTIFY on channel " +
                                  std::string(std::get<NotificationMsg>(*msg).channel));
      }
      return Status::OK();
    }
    default:
      *handled = false;
      return Status::OK();
  }
}

Result<Frame> Connection::NextMessage() {
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, ReadFrame(options_.io_timeout_ms));
    bool handled = false;
    RB_RETURN_NOT_OK(HandleAsync(frame, &handled));
    if (!handled) return frame;
  }
}

Status Connection::MakeServerError(Bytes body) {
  auto fields = ParseServerErrorFields(body);
  if (!fields.ok()) return Fail(fields.status());
  const std::string& severity = fields->severity_nonlocal;
  if (severity == "FATAL" || severity == "PANIC") broken_ = true;  // the server hangs up
  ClassifyOptions options;
  if (fields->sqlstate == "57014") options.cancel_requested = cancel_requested_.exchange(false);
  return ServerErrorStatus(std::move(*fields), options);
}

Status Connection::DrainUntilReady(Status pending) {
  while (true) {
    auto frame = NextMessage();
    if (!frame.ok()) return pending.ok() ? frame.status() : pending;
    if (frame->type == 'E') {
      Status err = MakeServerError(frame->body);
      if (pending.ok()) pending = std::move(err);
      if (broken_) return pending;
      continue;
    }
    if (frame->type == 'Z') {
      auto rfq = ParseReadyForQuery(frame->body);
      if (!rfq.ok()) return Fail(rfq.status());
      txn_status_ = rfq->status;
      mode_ = Mode::kIdle;
      return pending;
    }
    // Anything else (rows, completions of the failed statement) is dropped.
  }
}

Status Connection::Cancel(const StreamFactory& factory) {
  cancel_requested_.store(true);
  return SendCancelRequest(factory, key_);
}

Status Connection::Terminate() {
  if (closed_) return Status::OK();
  closed_ = true;
  Status s;
  if (!broken_ && stream_ != nullptr) {
    ByteBuffer msg;
    EncodeTerminate(&msg);
    s = stream_->WriteAll(msg, kTerminateTimeoutMs);
  }
  if (stream_ != nullptr) stream_->Close();
  return s;
}

}  // namespace rapidbyte::pgwire
