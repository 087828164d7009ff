// Status: the outcome of an operation that can fail. No exceptions cross our code; every
// fallible function returns a Status or a Result<T> (see result.h).
//
// Codes follow abseil's canonical set, and they decide what a caller may do:
// kUnavailable means retry the call with backoff, kAborted means retry from the last
// checkpoint, kInvalidArgument / kFailedPrecondition / kPermissionDenied mean do not retry.
// Messages are for humans; nothing decides by matching message text.
//
// Portable: compiles for the host and for wasm32-wasi (no exceptions, no threads).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace rapidbyte {

enum class StatusCode : unsigned char {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

/// Return the canonical spelling of `code`, e.g. "InvalidArgument".
std::string_view StatusCodeName(StatusCode code);

/// Structured detail attached to an error Status by the layer that knows more than a code
/// (a PostgreSQL error with its SQLSTATE, a connector error with its retry hints). Callers
/// test `type_id()` before downcasting. Immutable once attached; shared between copies.
class StatusDetail {
 public:
  virtual ~StatusDetail() = default;
  /// A unique, stable name of the concrete type, e.g. "pgwire::ServerError".
  virtual std::string_view type_id() const = 0;
  /// One line for logs.
  virtual std::string ToString() const = 0;
};

/// The result of an operation: OK, or an error code with a message.
/// An OK status holds no allocation; copying an error copies its message.
class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }
  static Status Unknown(std::string msg) { return {StatusCode::kUnknown, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status DeadlineExceeded(std::string msg) {
    return {StatusCode::kDeadlineExceeded, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status OutOfRange(std::string msg) { return {StatusCode::kOutOfRange, std::move(msg)}; }
  static Status Unimplemented(std::string msg) {
    return {StatusCode::kUnimplemented, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Unavailable(std::string msg) {
    return {StatusCode::kUnavailable, std::move(msg)};
  }
  static Status DataLoss(std::string msg) { return {StatusCode::kDataLoss, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) {
    return {StatusCode::kUnauthenticated, std::move(msg)};
  }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : state_->code; }
  /// The message; empty for OK.
  const std::string& message() const;
  /// "OK" or "<CodeName>: <message>".
  std::string ToString() const;

  /// Return a copy whose message is prefixed with `context` and ": ". OK stays OK.
  Status WithContext(std::string_view context) const;

  /// Return a copy carrying `detail` (ignored for OK).
  Status WithDetail(std::shared_ptr<const StatusDetail> detail) const;
  /// The attached detail, or nullptr.
  const std::shared_ptr<const StatusDetail>& detail() const;

  /// Mark a status as deliberately ignored.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct State {
    StatusCode code;
    std::string message;
    std::shared_ptr<const StatusDetail> detail;
  };
  std::unique_ptr<State> state_;
};

}  // namespace rapidbyte

/// Evaluate `expr` (a Status); return it from the enclosing function if it is an error.
#define RB_RETURN_NOT_OK(expr)                             \
  do {                                                     \
    ::rapidbyte::Status rb_status_internal_ = (expr);      \
    if (!rb_status_internal_.ok()) return rb_status_internal_; \
  } while (false)
