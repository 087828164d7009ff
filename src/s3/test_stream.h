// A scripted pgwire::ByteStream for the s3 unit tests: every request written is recorded, and
// each request is answered by the next scripted response, served in small reads. A response
// may end the connection (then reads give EOF), and a connection may be "closed by the
// server" before it answers. Test-only.
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "pgwire/byte_stream.h"
#include "pgwire/error_mapping.h"

namespace rapidbyte::s3::testing {

struct Script {
  /// One entry per request; "" answers with EOF (the server closed the connection).
  std::deque<std::string> responses;
  /// Requests received, in order.
  std::vector<std::string> requests;
  /// Bytes returned per Read call.
  std::size_t read_size = 7;
  int connections = 0;
  /// Fail the next N connects with CONNECT_FAILED.
  int refuse_connects = 0;
};

class ScriptedStream final : public pgwire::ByteStream {
 public:
  explicit ScriptedStream(std::shared_ptr<Script> script) : script_(std::move(script)) {}

  Result<std::size_t> Read(std::span<std::uint8_t> out, int) override {
    if (closed_) return Status::Unavailable("closed");
    if (pending_.empty() && !eof_) {
      if (script_->responses.empty()) return std::size_t{0};
      pending_ = script_->responses.front();
      script_->responses.pop_front();
      new_request_ = true;
      if (pending_.empty()) eof_ = true;
    }
    if (pending_.empty()) return std::size_t{0};
    const std::size_t n = std::min({out.size(), pending_.size(), script_->read_size});
    std::copy_n(pending_.begin(), n, out.begin());
    pending_.erase(0, n);
    return n;
  }
  Status WriteAll(std::span<const std::uint8_t> data, int) override {
    if (closed_ || eof_) return Status::Unavailable("broken pipe");
    if (new_request_) script_->requests.emplace_back();
    new_request_ = false;
    script_->requests.back().append(reinterpret_cast<const char*>(data.data()), data.size());
    return Status::OK();
  }
  Status StartTls(const pgwire::TlsParams& params, int) override {
    tls_server_name = params.server_name;
    return Status::OK();
  }
  void Close() override { closed_ = true; }

  std::string tls_server_name;

 private:
  std::shared_ptr<Script> script_;
  std::string pending_;
  bool eof_ = false;
  bool closed_ = false;
  bool new_request_ = true;
};

/// A connect over `script` (refused while refuse_connects > 0). Each request written (a new
/// connection's first write, or the first write after a response) starts a new entry.
inline Result<std::unique_ptr<pgwire::ByteStream>> OpenScripted(std::shared_ptr<Script> script) {
  if (script->refuse_connects > 0) {
    --script->refuse_connects;
    return pgwire::ClientFailure(pgwire::ErrorCategory::kTransientNetwork,
                                 pgwire::kCodeConnectFailed, "connection refused");
  }
  ++script->connections;
  return std::unique_ptr<pgwire::ByteStream>(new ScriptedStream(std::move(script)));
}

}  // namespace rapidbyte::s3::testing
