// Result<T>: a value of type T or an error Status. C++20 has no std::expected, so we own
// this small type. Portable (no exceptions): accessing the value of an error Result is a
// programming error and aborts in every build.
#pragma once

#include <cstdlib>
#include <utility>
#include <variant>

#include "base/status.h"

namespace rapidbyte {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose, so `return value;` and `return status;` both work.
  Result(T value) : storage_(std::in_place_index<1>, std::move(value)) {}  // NOLINT
  Result(Status status) : storage_(std::in_place_index<0>, std::move(status)) {  // NOLINT
    // An OK status carries no value; turning it into a Result is a bug in the caller.
    if (std::get<0>(storage_).ok()) {
      storage_.template emplace<0>(StatusCode::kInternal, "Result constructed from an OK status");
    }
  }

  bool ok() const { return storage_.index() == 1; }

  /// Return the error, or OK when a value is present.
  Status status() const { return ok() ? Status::OK() : std::get<0>(storage_); }

  const T& value() const& {
    CheckHasValue();
    return std::get<1>(storage_);
  }
  T& value() & {
    CheckHasValue();
    return std::get<1>(storage_);
  }
  T&& value() && {
    CheckHasValue();
    return std::get<1>(std::move(storage_));
  }
  /// Move the value out; used by RB_ASSIGN_OR_RETURN.
  T MoveValueUnsafe() { return std::get<1>(std::move(storage_)); }
  /// Move the error out; only valid when !ok().
  Status MoveStatusUnsafe() { return std::get<0>(std::move(storage_)); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  T ValueOr(T fallback) const& { return ok() ? std::get<1>(storage_) : std::move(fallback); }

 private:
  void CheckHasValue() const {
    if (!ok()) std::abort();
  }
  std::variant<Status, T> storage_;
};

}  // namespace rapidbyte

#define RB_CONCAT_INNER_(a, b) a##b
#define RB_CONCAT_(a, b) RB_CONCAT_INNER_(a, b)

#define RB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.MoveStatusUnsafe();   \
  lhs = tmp.MoveValueUnsafe()

/// Evaluate `expr` (a Result<T>); on error return its Status, else assign the value to `lhs`
/// (which may declare a variable: RB_ASSIGN_OR_RETURN(auto x, Foo());).
#define RB_ASSIGN_OR_RETURN(lhs, expr) \
  RB_ASSIGN_OR_RETURN_IMPL_(RB_CONCAT_(rb_result_, __LINE__), lhs, expr)
