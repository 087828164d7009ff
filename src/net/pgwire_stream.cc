// TcpConnection adapted to pgwire::ByteStream.
#include "net/pgwire_stream.h"

#include <utility>

#include "pgwire/error_mapping.h"

#include "net/net_error.h"

namespace rapidbyte::net {
namespace {

class TcpByteStream final : public pgwire::ByteStream {
 public:
  explicit TcpByteStream(std::unique_ptr<TcpConnection> connection)
      : connection_(std::move(connection)) {}

  Result<std::size_t> Read(std::span<std::uint8_t> out, int timeout_ms) override {
    auto n = connection_->Read(out, timeout_ms);
    if (!n.ok()) return ToPgwireStatus(n.status());
    return n;
  }

  Status WriteAll(std::span<const std::uint8_t> data, int timeout_ms) override {
    return ToPgwireStatus(connection_->WriteAll(data, timeout_ms));
  }

  Status StartTls(const pgwire::TlsParams& params, int timeout_ms) override {
    TlsOptions options;
    options.mode = static_cast<TlsMode>(static_cast<int>(params.verify));
    options.ca_file = params.ca_file;
    options.server_name = params.server_name;
    options.timeout_ms = timeout_ms;
    return ToPgwireStatus(connection_->StartTls(options));
  }

  void Close() override { connection_->Close(); }

 private:
  std::unique_ptr<TcpConnection> connection_;
};

}  // namespace

Status ToPgwireStatus(const Status& status) {
  const NetError* err = GetNetError(status);
  if (err == nullptr) return status;
  using pgwire::ErrorCategory;
  ErrorCategory category = ErrorCategory::kTransientNetwork;
  if (err->code() == kTlsFailed) category = ErrorCategory::kConfig;
  if (err->code() == kCancelled) category = ErrorCategory::kCancelled;
  return status.WithDetail(pgwire::MakeClientError(err->code(), category));
}

std::unique_ptr<pgwire::ByteStream> MakePgwireStream(std::unique_ptr<TcpConnection> connection) {
  return std::make_unique<TcpByteStream>(std::move(connection));
}

Result<std::unique_ptr<pgwire::ByteStream>> ConnectPgwireStream(
    const std::string& host, std::uint16_t port, int timeout_ms,
    const std::atomic<bool>* cancelled) {
  auto connection = TcpConnection::Connect(host, port, timeout_ms, cancelled);
  if (!connection.ok()) return ToPgwireStatus(connection.status());
  return MakePgwireStream(connection.MoveValueUnsafe());
}

pgwire::StreamFactory PgwireStreamFactory(std::string host, std::uint16_t port, int timeout_ms) {
  return [host = std::move(host), port, timeout_ms]() {
    return ConnectPgwireStream(host, port, timeout_ms);
  };
}

}  // namespace rapidbyte::net
