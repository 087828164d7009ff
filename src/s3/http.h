// A minimal HTTP/1.1 client over pgwire::ByteStream, enough for S3: one request at a time on a
// keep-alive connection (no pipelining), Content-Length and chunked response bodies, bounded
// header and body sizes, and one transparent reconnect when a reused connection turns out to
// have been closed by the server. Streams come from a caller's factory, so the same code runs
// natively (sockets) and in a connector (host networking). Portable; no exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "pgwire/byte_stream.h"

namespace rapidbyte::s3 {

struct HttpHeader {
  std::string name;
  std::string value;
};
using HttpHeaders = std::vector<HttpHeader>;
/// Raw (not encoded) query parameters; an empty value is a bare name ("?uploads").
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// ASCII case-insensitive equality (HTTP header names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
/// The value of the first header named `name` (any case), or nullptr.
const std::string* FindHeader(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
  std::string method;
  /// Origin-form target: the encoded path plus "?" and the encoded query, if any.
  std::string target;
  /// Sent as given (Host included); Content-Length is added by the client.
  HttpHeaders headers;
  std::span<const std::uint8_t> body;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  HttpHeaders headers;
  std::string body;
  /// False when the server asked to close the connection after this response.
  bool keep_alive = true;
};

struct HttpLimits {
  /// Status line plus headers (and chunked trailers); larger is an error.
  std::size_t max_header_bytes = 64 * 1024;
  /// Per read and write on the stream.
  int timeout_ms = 60000;
};

/// Write `request` (request line, headers, Content-Length, body) to `stream`.
Status WriteRequest(pgwire::ByteStream& stream, const HttpRequest& request, int timeout_ms);

/// Read one response from `stream`. `head_request`: the response has no body whatever its
/// headers say. A body over `max_body_bytes` is kResourceExhausted; a malformed response is
/// kDataLoss; the stream ending before the response is complete is kUnavailable (with a
/// CONNECTION_LOST detail); stream errors are returned as the stream gave them. 1xx interim
/// responses are skipped.
Result<HttpResponse> ReadResponse(pgwire::ByteStream& stream, bool head_request,
                                  std::size_t max_body_bytes, const HttpLimits& limits);

/// One keep-alive connection to one server. Not thread-safe.
class HttpConnection {
 public:
  HttpConnection(pgwire::StreamFactory factory, HttpLimits limits)
      : factory_(std::move(factory)), limits_(limits) {}

  /// Send `request` and read its response. A failure to connect is returned as the factory
  /// gave it. When the connection was reused and fails before any byte of the response
  /// arrives (the server closed an idle connection), it reconnects and sends once more.
  Result<HttpResponse> RoundTrip(const HttpRequest& request, std::size_t max_body_bytes);

  /// Drop the connection (the next request opens a new one).
  void Close();
  bool connected() const { return stream_ != nullptr; }

 private:
  Result<HttpResponse> Attempt(const HttpRequest& request, std::size_t max_body_bytes,
                               bool* nothing_received);

  pgwire::StreamFactory factory_;
  HttpLimits limits_;
  std::unique_ptr<pgwire::ByteStream> stream_;
};

}  // namespace rapidbyte::s3
