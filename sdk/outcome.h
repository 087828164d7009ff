// Outcome<T>: what an SDK call or a connector's lifecycle method returns — a value, or the
// ConnectorError the host should see (SPEC §4.11). The guest has no exceptions, and a typed
// error (not a Status) keeps category, code and retry fields intact up to the response.
#pragma once

#include <optional>
#include <utility>

#include "protocol/connector_error.h"

namespace rapidbyte::sdk {

using protocol::ConnectorError;
using protocol::ErrorCategory;

template <typename T>
class [[nodiscard]] Outcome {
 public:
  // Implicit both ways, so that `return value;` and `return sdk::ConfigError(...);` read
  // naturally in a connector.
  Outcome(T value) : value_(std::move(value)) {}               // NOLINT
  Outcome(ConnectorError error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }
  const ConnectorError& error() const { return *error_; }

 private:
  std::optional<T> value_;
  std::optional<ConnectorError> error_;
};

/// Success with no value: `return {};`.
template <>
class [[nodiscard]] Outcome<void> {
 public:
  Outcome() = default;
  Outcome(ConnectorError error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  const ConnectorError& error() const { return *error_; }

 private:
  std::optional<ConnectorError> error_;
};

}  // namespace rapidbyte::sdk

/// Return the error of an Outcome-valued expression from the enclosing function (whose
/// return type is any Outcome); otherwise continue.
#define RB_TRY(expr)                                            \
  do {                                                          \
    if (auto rb_try_outcome_ = (expr); !rb_try_outcome_.ok()) { \
      return rb_try_outcome_.error();                           \
    }                                                           \
  } while (false)
