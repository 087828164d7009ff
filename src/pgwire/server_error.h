// ServerError: every field of a PostgreSQL ErrorResponse or NoticeResponse, kept as a
// StatusDetail so callers can read the SQLSTATE, detail, hint, position, schema, table,
// column and constraint of a failed statement. Portable; no I/O.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "pgwire/error_mapping.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire {

/// The fields of an ErrorResponse/NoticeResponse (protocol "Error and Notice Message Fields").
/// Absent fields are empty strings. Immutable once attached to a Status.
struct ServerErrorFields {
  std::string severity;           // S: localized, e.g. "ERROR"
  std::string severity_nonlocal;  // V: "ERROR", "FATAL", "PANIC", "WARNING", "NOTICE", ...
  std::string sqlstate;           // C
  std::string message;            // M
  std::string detail;             // D
  std::string hint;               // H
  std::string position;           // P (1-based character index into the query)
  std::string internal_position;  // p
  std::string internal_query;     // q
  std::string where;              // W
  std::string schema;             // s
  std::string table;              // t
  std::string column;             // c
  std::string data_type;          // d
  std::string constraint;         // n
  std::string file;               // F
  std::string line;               // L
  std::string routine;            // R
};

/// Parse the body of an ErrorResponse or NoticeResponse: (code byte, NUL-terminated string)*
/// then a zero byte, nothing after it. Unknown field codes are ignored, as the protocol asks.
Result<ServerErrorFields> ParseServerErrorFields(Bytes body);

class ServerError final : public StatusDetail {
 public:
  static constexpr std::string_view kTypeId = "pgwire::ServerError";

  /// `cancel_requested`: rapidbyte had asked for a cancellation when this error arrived, so a
  /// 57014 is classified `cancelled` (ClassifyStatus reads it).
  explicit ServerError(ServerErrorFields fields, bool cancel_requested = false)
      : fields_(std::move(fields)), cancel_requested_(cancel_requested) {}

  std::string_view type_id() const override { return kTypeId; }
  /// "ERROR 42P01: relation \"x\" does not exist (detail: ...; hint: ...)".
  std::string ToString() const override;

  const ServerErrorFields& fields() const { return fields_; }
  const std::string& sqlstate() const { return fields_.sqlstate; }
  const std::string& message() const { return fields_.message; }
  bool cancel_requested() const { return cancel_requested_; }

 private:
  ServerErrorFields fields_;
  bool cancel_requested_ = false;
};

/// Build the error Status for a server error: its StatusCode follows the SQLSTATE's category
/// (ClassifySqlState), its message is ServerError::ToString(), and it carries the detail.
Status ServerErrorStatus(ServerErrorFields fields, const ClassifyOptions& options = {});

/// The ServerError attached to `status`, or nullptr.
const ServerError* GetServerError(const Status& status);

}  // namespace rapidbyte::pgwire
