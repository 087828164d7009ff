// ServerError: parsing ErrorResponse/NoticeResponse fields and building error statuses.
#include "pgwire/server_error.h"

#include <string>

namespace rapidbyte::pgwire {

Result<ServerErrorFields> ParseServerErrorFields(Bytes body) {
  WireReader reader(body);
  ServerErrorFields f;
  while (true) {
    RB_ASSIGN_OR_RETURN(std::uint8_t code, reader.U8("error field code"));
    if (code == 0) break;
    RB_ASSIGN_OR_RETURN(std::string_view value, reader.CString("error field value"));
    std::string* slot = nullptr;
    switch (code) {
      case 'S':
        slot = &f.severity;
        break;
      case 'V':
        slot = &f.severity_nonlocal;
        break;
      case 'C':
        slot = &f.sqlstate;
        break;
      case 'M':
        slot = &f.message;
        break;
      case 'D':
        slot = &f.detail;
        break;
      case 'H':
        slot = &f.hint;
        break;
      case 'P':
        slot = &f.position;
        break;
      case 'p':
        slot = &f.internal_position;
        break;
      case 'q':
        slot = &f.internal_query;
        break;
      case 'W':
        slot = &f.where;
        break;
      case 's':
        slot = &f.schema;
        break;
      case 't':
        slot = &f.table;
        break;
      case 'c':
        slot = &f.column;
        break;
      case 'd':
        slot = &f.data_type;
        break;
      case 'n':
        slot = &f.constraint;
        break;
      case 'F':
        slot = &f.file;
        break;
      case 'L':
        slot = &f.line;
        break;
      case 'R':
        slot = &f.routine;
        break;
      default:
        break;  // future field types are skipped
    }
    if (slot != nullptr) slot->assign(value);
  }
  RB_RETURN_NOT_OK(reader.ExpectEnd("ErrorResponse"));
  if (f.severity_nonlocal.empty()) f.severity_nonlocal = f.severity;
  return f;
}

std::string ServerError::ToString() const {
  std::string out = fields_.severity_nonlocal.empty() ? "ERROR" : fields_.severity_nonlocal;
  if (!fields_.sqlstate.empty()) out += " " + fields_.sqlstate;
  out += ": " + fields_.message;
  std::string extra;
  auto add = [&extra](std::string_view label, const std::string& value) {
    if (value.empty()) return;
    if (!extra.empty()) extra += "; ";
    extra += std::string(label) + ": " + value;
  };
  add("detail", fields_.detail);
  add("hint", fields_.hint);
  add("position", fields_.position);
  // A COPY's context names the input line, column and value that failed (SPEC §8.7 wants the
  // bad row identified); other contexts are PL/pgSQL stacks that would only add noise.
  if (fields_.where.rfind("COPY ", 0) == 0) add("where", fields_.where);
  if (!extra.empty()) out += " (" + extra + ")";
  return out;
}

Status ServerErrorStatus(ServerErrorFields fields, const ClassifyOptions& options) {
  const ErrorClass cls = ClassifySqlState(fields.sqlstate, options);
  auto detail = std::make_shared<ServerError>(std::move(fields), options.cancel_requested);
  return Status(StatusCodeForCategory(cls.category), detail->ToString()).WithDetail(detail);
}

const ServerError* GetServerError(const Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || detail->type_id() != ServerError::kTypeId) return nullptr;
  return static_cast<const ServerError*>(detail.get());
}

}  // namespace rapidbyte::pgwire
