// test-pgping: connects to PostgreSQL from inside the sandbox — pgwire over the host's
// network functions — and runs one query. Proves the guest-side stack end to end.
// Request: {"host", "port", "user", "password", "database", "sslmode": "disable|prefer|require",
//           "sql"}; response data: {"rows": [[...], ...], "tls": bool} or a typed error.
#include "pgwire/connection.h"
#include "pgwire/error_mapping.h"
#include "sdk/host_stream.h"
#include "sdk/sdk.h"

namespace sdk = rapidbyte::sdk;
namespace pgwire = rapidbyte::pgwire;

namespace {

std::int64_t Failure(const rapidbyte::Status& status) {
  const pgwire::ErrorClass error = pgwire::ClassifyStatus(status);
  return sdk::RespondError(pgwire::ErrorCategoryName(error.category), error.code, status.message());
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t, uint32_t) {
  return sdk::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_discover"))) int64_t rb_discover(uint32_t, uint32_t) {
  return sdk::RespondOk(R"({"streams":[]})");
}

__attribute__((export_name("rb_run_read"))) int64_t rb_run_read(uint32_t ptr, uint32_t len) {
  const std::string_view request = sdk::Request(ptr, len);
  const std::string host = sdk::FindJsonString(request, "host");
  const auto port = static_cast<int>(sdk::FindJsonInt(request, "port", 5432));
  auto stream = sdk::HostStream::Connect(host, port, 10000);
  if (!stream.ok()) return Failure(stream.status());
  pgwire::ConnectOptions options;
  options.user = sdk::FindJsonString(request, "user");
  options.password = sdk::FindJsonString(request, "password");
  options.database = sdk::FindJsonString(request, "database");
  options.server_name = host;
  const std::string sslmode = sdk::FindJsonString(request, "sslmode");
  options.sslmode = sslmode == "require"   ? pgwire::SslMode::kRequire
                    : sslmode == "disable" ? pgwire::SslMode::kDisable
                                           : pgwire::SslMode::kPrefer;
  auto connection = pgwire::Connection::Connect(std::move(*stream), options);
  if (!connection.ok()) return Failure(connection.status());
  auto result = (*connection)->SimpleQuery(sdk::FindJsonString(request, "sql"));
  if (!result.ok()) return Failure(result.status());
  std::string rows = "[";
  for (std::size_t r = 0; r < result->rows.size(); ++r) {
    rows += r ? ",[" : "[";
    for (std::size_t c = 0; c < result->rows[r].size(); ++c) {
      const auto& cell = result->rows[r][c];
      rows += c ? "," : "";
      rows += cell ? "\"" + sdk::JsonEscape(*cell) + "\"" : "null";
    }
    rows += "]";
  }
  rows += "]";
  return sdk::RespondOk("{\"rows\":" + rows + ",\"tls\":" +
                        ((*connection)->tls_active() ? "true" : "false") + "}");
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
