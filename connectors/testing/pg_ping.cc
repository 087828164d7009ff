// test-pgping: connects to PostgreSQL from inside the sandbox — pgwire over the host's
// network functions — and runs one query. Proves the guest-side stack end to end.
// Request: {"host", "port", "user", "password", "database", "sslmode": "disable|prefer|require",
//           "sql"}; response data: {"rows": [[...], ...], "tls": bool} or a typed error.
#include "connectors/testing/test_config.h"
#include "pgwire/connection.h"
#include "pgwire/error_mapping.h"
#include "sdk/exports.h"
#include "sdk/host_stream.h"

namespace sdk = rb::sdk;
namespace tc = rapidbyte::testing_connectors;
namespace pgwire = rapidbyte::pgwire;
using sdk::Json;

namespace {

// pgwire's classification of the failure (SQLSTATE or its own code) as the connector error.
sdk::ConnectorError Failure(const rapidbyte::Status& status) {
  const pgwire::ErrorClass error = pgwire::ClassifyStatus(status);
  return sdk::Error(error.category, std::string(error.code), status.message());
}

class PgPing final : public sdk::Source {
 public:
  sdk::Outcome<Json> Read(const sdk::StreamContext& context) override {
    const Json& request = context.json();
    const std::string host = tc::JsonString(request, "host", "");
    const auto port = static_cast<int>(tc::JsonInt(request, "port", 5432));
    auto stream = sdk::HostStream::Connect(host, port, 10000);
    if (!stream.ok()) return Failure(stream.status());
    pgwire::ConnectOptions options;
    options.user = tc::JsonString(request, "user", "");
    options.password = tc::JsonString(request, "password", "");
    options.database = tc::JsonString(request, "database", "");
    options.server_name = host;
    const std::string sslmode = tc::JsonString(request, "sslmode", "");
    options.sslmode = sslmode == "require"   ? pgwire::SslMode::kRequire
                      : sslmode == "disable" ? pgwire::SslMode::kDisable
                                             : pgwire::SslMode::kPrefer;
    auto connection = pgwire::Connection::Connect(std::move(*stream), options);
    if (!connection.ok()) return Failure(connection.status());
    auto result = (*connection)->SimpleQuery(tc::JsonString(request, "sql", ""));
    if (!result.ok()) return Failure(result.status());
    Json rows = Json::array();
    for (const auto& row : result->rows) {
      Json cells = Json::array();
      for (const auto& cell : row) cells.push_back(cell ? Json(*cell) : Json(nullptr));
      rows.push_back(std::move(cells));
    }
    return Json{{"rows", std::move(rows)}, {"tls", (*connection)->tls_active()}};
  }
};

}  // namespace

RB_SOURCE(PgPing);
