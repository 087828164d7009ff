// S3Client: the S3 operations a file destination needs (SPEC §16.4), signed with SigV4, over
// the HTTP/1.1 client of s3/http.h. Network access only through a caller's Connector (native:
// sockets; connectors: host networking), TLS through ByteStream::StartTls, sleeping only
// through a caller's SleepFn, so it stays portable and cancellable. Errors carry a pgwire
// ClientError detail whose code is BUCKET_NOT_FOUND, ACCESS_DENIED, ENDPOINT_UNREACHABLE, ...
// (s3/errors.h) and name the bucket and endpoint, never the secret. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "pgwire/byte_stream.h"
#include "s3/http.h"
#include "s3/sigv4.h"

namespace rapidbyte::s3 {

struct Endpoint {
  bool https = false;
  std::string host;
  std::uint16_t port = 0;
};

/// Parse "http://host[:port][/]" or "https://host[:port][/]" (IPv6 as [addr]); default ports
/// 80 and 443. Anything else is InvalidArgument.
Result<Endpoint> ParseEndpoint(std::string_view url);

/// Opens a TCP stream to host:port (TLS is started by the client when the endpoint is https).
using Connector =
    std::function<Result<std::unique_ptr<pgwire::ByteStream>>(const std::string& host,
                                                              std::uint16_t port)>;
/// Sleeps `milliseconds`; a non-OK Status (e.g. Cancelled) stops the retries with that status.
using SleepFn = std::function<Status(int milliseconds)>;
/// Seconds since the Unix epoch (for x-amz-date).
using ClockFn = std::function<std::int64_t()>;

struct RetryPolicy {
  int max_attempts = 5;           ///< including the first
  int initial_backoff_ms = 200;   ///< doubled after every attempt ...
  int max_backoff_ms = 10000;     ///< ... up to this; each sleep is jittered to [d/2, d]
};

struct S3Options {
  std::string endpoint;           ///< http(s)://host[:port]
  std::string region = "us-east-1";
  Credentials credentials;
  bool path_style = false;        ///< http://endpoint/bucket/key instead of bucket.endpoint/key
  std::string ca_file;            ///< PEM bundle for https; empty: the system trust store
  Connector connect;              ///< required
  SleepFn sleep;                  ///< required
  ClockFn now;                    ///< empty: std::chrono::system_clock
  RetryPolicy retry;
  HttpLimits http;
  /// Jitter seed; 0 seeds from the system random source.
  std::uint64_t jitter_seed = 0;
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;  ///< as the server returned it, quotes included
};

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;
};

struct ListObjectsPage {
  std::vector<ObjectInfo> objects;
  bool truncated = false;
  std::string next_continuation_token;
};

struct UploadInfo {
  std::string key;
  std::string upload_id;
};

struct ListUploadsPage {
  std::vector<UploadInfo> uploads;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

/// Where a request goes: the Host header, the host to connect to, and the encoded path.
struct RequestTarget {
  std::string connect_host;
  std::string host_header;
  std::string path;
};

class S3Client {
 public:
  /// Check the options (endpoint, region, credentials, connect, sleep).
  static Result<std::unique_ptr<S3Client>> Make(S3Options options);

  /// 200: OK; 404: BUCKET_NOT_FOUND; 403: ACCESS_DENIED.
  Status HeadBucket(const std::string& bucket);
  /// Returns the ETag.
  Result<std::string> PutObject(const std::string& bucket, const std::string& key,
                                std::span<const std::uint8_t> body);
  /// Returns the UploadId.
  Result<std::string> CreateMultipartUpload(const std::string& bucket, const std::string& key);
  /// Returns the part's ETag. `part_number` is 1..10000.
  Result<std::string> UploadPart(const std::string& bucket, const std::string& key,
                                 const std::string& upload_id, int part_number,
                                 std::span<const std::uint8_t> body);
  /// `parts` in ascending part-number order. Fails with the S3 error even inside a 200 answer.
  Status CompleteMultipartUpload(const std::string& bucket, const std::string& key,
                                 const std::string& upload_id,
                                 const std::vector<CompletedPart>& parts);
  Status AbortMultipartUpload(const std::string& bucket, const std::string& key,
                              const std::string& upload_id);
  /// One page; pass the previous page's next markers to continue.
  Result<ListUploadsPage> ListMultipartUploads(const std::string& bucket,
                                               const std::string& prefix,
                                               const std::string& key_marker = {},
                                               const std::string& upload_id_marker = {});
  /// One page of at most `max_keys` (1..1000) keys; pass next_continuation_token to continue.
  Result<ListObjectsPage> ListObjectsV2(const std::string& bucket, const std::string& prefix,
                                        const std::string& continuation_token = {},
                                        int max_keys = 1000);
  /// All pages of ListObjectsV2 / ListMultipartUploads.
  Result<std::vector<ObjectInfo>> ListAllObjects(const std::string& bucket,
                                                 const std::string& prefix);
  Result<std::vector<UploadInfo>> ListAllMultipartUploads(const std::string& bucket,
                                                          const std::string& prefix);
  /// Deleting a missing key succeeds (as S3 does).
  Status DeleteObject(const std::string& bucket, const std::string& key);
  /// A whole object of at most `max_bytes` (larger: ResourceExhausted); missing: NotFound.
  Result<std::vector<std::uint8_t>> GetObject(const std::string& bucket, const std::string& key,
                                              std::size_t max_bytes);

  /// Where a request for `bucket`/`key` goes under the configured addressing style.
  Result<RequestTarget> TargetFor(const std::string& bucket, const std::string& key) const;
  const Endpoint& endpoint() const { return endpoint_; }
  /// Requests sent (attempts included), for tests.
  int requests_sent_for_test() const { return requests_sent_; }

 public:
  struct Call;  // one request, defined in client.cc

 private:
  S3Client(S3Options options, Endpoint endpoint, std::uint64_t seed);

  Result<HttpResponse> Execute(const Call& call);
  Result<HttpResponse> SendOnce(const Call& call, const RequestTarget& target);
  HttpConnection& ConnectionTo(const std::string& host);
  int NextBackoffMs(int attempt);

  S3Options options_;
  Endpoint endpoint_;
  std::string endpoint_text_;
  std::map<std::string, std::unique_ptr<HttpConnection>> connections_;
  std::uint64_t jitter_state_;
  int requests_sent_ = 0;
};

}  // namespace rapidbyte::s3
