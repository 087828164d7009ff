// The text form of PostgreSQL binary values, as the type's output function prints it with
// DateStyle ISO and a UTC offset on timestamptz, so that the type's input function reads back
// the same value. Used by the text COPY encoder (copy_text.h): values are first encoded in
// the binary format of the column's type (which does every range check and Arrow unit
// conversion once, in one place) and then printed from those bytes. Portable; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "pgwire/copy_encoder.h"

namespace rapidbyte::pgwire {

class BinaryToText {
 public:
  /// Append the text of one binary value (never NULL) to `*out`.
  using Fn = Status (*)(std::string_view value, std::string* out);

  /// The printer for values of `column` (arrays: one-dimensional, elements quoted as
  /// array_out does). Types the binary encoder cannot write are InvalidArgument.
  static Result<BinaryToText> For(const TargetColumn& column);

  /// Append the text of `value` (binary, not NULL) to `*out`. Malformed bytes are
  /// InvalidArgument.
  Status Append(std::string_view value, std::string* out) const;

 private:
  BinaryToText(Fn scalar, Fn element) : scalar_(scalar), element_(element) {}
  Fn scalar_ = nullptr;
  Fn element_ = nullptr;  ///< arrays: the element printer (scalar_ is then null)
};

}  // namespace rapidbyte::pgwire
