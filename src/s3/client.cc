#include "s3/client.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "pgwire/base64.h"
#include "pgwire/md5.h"
#include "pgwire/random.h"
#include "s3/errors.h"
#include "s3/xml.h"

namespace rapidbyte::s3 {

// One logical S3 request, retried as a whole.
struct S3Client::Call {
  std::string_view op;  // "PutObject", ... (for messages)
  std::string method;
  const std::string* bucket = nullptr;
  const std::string* key = nullptr;  // null or empty: a bucket-level request
  QueryParams query;
  HttpHeaders extra_headers;  // signed
  std::span<const std::uint8_t> body;
  std::size_t max_body = 1 << 20;
  bool error_in_200 = false;  // CompleteMultipartUpload may answer 200 with an <Error>
};

namespace {

S3Client::Call NewCall(std::string_view op, std::string method, const std::string& bucket,
                       const std::string* key) {
  S3Client::Call call;
  call.op = op;
  call.method = std::move(method);
  call.bucket = &bucket;
  call.key = key;
  return call;
}

}  // namespace

namespace {

constexpr std::size_t kListBodyLimit = 16u << 20;
constexpr std::size_t kErrorBodyLimit = 64u << 10;

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

Status Fail(StatusCode status_code, std::string_view code, pgwire::ErrorCategory category,
            std::string message) {
  return Status(status_code, std::move(message))
      .WithDetail(pgwire::MakeClientError(code, category));
}

bool IsDnsLabelBucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
      return false;
    }
  }
  return bucket.front() != '-' && bucket.front() != '.' && bucket.back() != '-' &&
         bucket.back() != '.';
}

// A network failure worth retrying: connect, DNS, timeout, reset, closed connection.
bool IsNetworkFailure(const Status& status) {
  if (const pgwire::ClientError* client = pgwire::GetClientError(status)) {
    const std::string& code = client->code();
    return code == pgwire::kCodeConnectFailed || code == pgwire::kCodeDnsFailed ||
           code == pgwire::kCodeTimeout || code == pgwire::kCodeConnectionLost ||
           code == pgwire::kCodeConnectionReset;
  }
  return status.code() == StatusCode::kUnavailable ||
         status.code() == StatusCode::kDeadlineExceeded;
}

bool IsRetryableS3Code(std::string_view code) {
  return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
         code == "ServiceUnavailable" || code == "Throttling" || code == "ThrottlingException" ||
         code == "RequestLimitExceeded";
}

bool IsCredentialsCode(std::string_view code) {
  return code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" ||
         code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired" ||
         code == "RequestTimeTooSkewed" || code == "AuthorizationHeaderMalformed" ||
         code == "InvalidSecurity" || code == "MissingSecurityHeader";
}

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string HostWithPort(const std::string& host, std::uint16_t port, bool https) {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (https ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view url) {
  Endpoint endpoint;
  std::string_view rest;
  if (url.starts_with("https://")) {
    endpoint.https = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return Status::InvalidArgument("S3 endpoint '" + std::string(url) +
                                   "' must start with http:// or https://");
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return Status::InvalidArgument("S3 endpoint '" + std::string(url) +
                                   "' must be scheme://host[:port] (no path, user or query)");
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with("[")) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("bad IPv6 S3 endpoint");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return Status::InvalidArgument("bad IPv6 S3 endpoint");
      port = rest.substr(close + 2);
    }
  } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) {
    return Status::InvalidArgument("S3 endpoint '" + std::string(url) + "' has no host");
  }
  endpoint.host = std::string(host);
  endpoint.port = endpoint.https ? 443 : 80;
  if (!port.empty() || rest.ends_with(":")) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
      return Status::InvalidArgument("S3 endpoint '" + std::string(url) + "' has a bad port");
    }
    endpoint.port = static_cast<std::uint16_t>(value);
  }
  return endpoint;
}

Result<std::unique_ptr<S3Client>> S3Client::Make(S3Options options) {
  RB_ASSIGN_OR_RETURN(Endpoint endpoint, ParseEndpoint(options.endpoint));
  if (options.region.empty()) return Status::InvalidArgument("S3 region is empty");
  if (options.credentials.access_key_id.empty() || options.credentials.secret_access_key.empty()) {
    return Status::InvalidArgument("S3 access_key_id and secret_access_key are required");
  }
  if (!options.connect) return Status::InvalidArgument("S3Options.connect is not set");
  if (!options.sleep) return Status::InvalidArgument("S3Options.sleep is not set");
  if (options.retry.max_attempts < 1 || options.retry.initial_backoff_ms < 0 ||
      options.retry.max_backoff_ms < options.retry.initial_backoff_ms) {
    return Status::InvalidArgument("S3 retry policy out of range");
  }
  if (!options.now) options.now = SystemNow;
  std::uint64_t seed = options.jitter_seed;
  if (seed == 0) {
    std::uint8_t bytes[8];
    RB_RETURN_NOT_OK(pgwire::SystemRandom().Fill(bytes));
    for (std::uint8_t b : bytes) seed = (seed << 8) | b;
    if (seed == 0) seed = 0x9E3779B97F4A7C15ull;
  }
  return std::unique_ptr<S3Client>(new S3Client(std::move(options), std::move(endpoint), seed));
}

S3Client::S3Client(S3Options options, Endpoint endpoint, std::uint64_t seed)
    : options_(std::move(options)), endpoint_(std::move(endpoint)), jitter_state_(seed) {
  endpoint_text_ = (endpoint_.https ? "https://" : "http://") +
                   HostWithPort(endpoint_.host, endpoint_.port, endpoint_.https);
}

Result<RequestTarget> S3Client::TargetFor(const std::string& bucket,
                                          const std::string& key) const {
  if (bucket.empty()) return Status::InvalidArgument("S3 bucket name is empty");
  RequestTarget target;
  if (options_.path_style) {
    target.connect_host = endpoint_.host;
    target.path = "/" + UriEncode(bucket, true);
    if (!key.empty()) target.path += "/" + UriEncode(key, false);
  } else {
    if (!IsDnsLabelBucket(bucket)) {
      return Status::InvalidArgument("S3 bucket '" + bucket +
                                     "' cannot be addressed virtual-host style; set path_style");
    }
    target.connect_host = bucket + "." + endpoint_.host;
    target.path = "/" + UriEncode(key, false);
  }
  target.host_header = HostWithPort(target.connect_host, endpoint_.port, endpoint_.https);
  return target;
}

HttpConnection& S3Client::ConnectionTo(const std::string& host) {
  auto it = connections_.find(host);
  if (it != connections_.end()) return *it->second;
  // A client talks to one bucket host at a time; drop idle connections to others.
  connections_.clear();
  const Connector connect = options_.connect;
  const bool https = endpoint_.https;
  const std::uint16_t port = endpoint_.port;
  const std::string ca_file = options_.ca_file;
  const int timeout_ms = options_.http.timeout_ms;
  pgwire::StreamFactory factory =
      [connect, https, host, port, ca_file,
       timeout_ms]() -> Result<std::unique_ptr<pgwire::ByteStream>> {
    RB_ASSIGN_OR_RETURN(std::unique_ptr<pgwire::ByteStream> stream, connect(host, port));
    if (https) {
      pgwire::TlsParams tls;
      tls.verify = pgwire::TlsVerify::kVerifyFull;
      tls.ca_file = ca_file;
      tls.server_name = host;
      RB_RETURN_NOT_OK(stream->StartTls(tls, timeout_ms));
    }
    return stream;
  };
  auto connection = std::make_unique<HttpConnection>(std::move(factory), options_.http);
  HttpConnection& ref = *connection;
  connections_.emplace(host, std::move(connection));
  return ref;
}

int S3Client::NextBackoffMs(int attempt) {
  std::int64_t delay = options_.retry.initial_backoff_ms;
  for (int i = 1; i < attempt && delay < options_.retry.max_backoff_ms; ++i) delay *= 2;
  delay = std::min<std::int64_t>(delay, options_.retry.max_backoff_ms);
  // xorshift64*: jitter, not security.
  jitter_state_ ^= jitter_state_ >> 12;
  jitter_state_ ^= jitter_state_ << 25;
  jitter_state_ ^= jitter_state_ >> 27;
  const std::uint64_t r = jitter_state_ * 0x2545F4914F6CDD1Dull;
  const std::int64_t half = delay / 2;
  return static_cast<int>(half + static_cast<std::int64_t>(r % static_cast<std::uint64_t>(half + 1)));
}

Result<HttpResponse> S3Client::SendOnce(const Call& call, const RequestTarget& target) {
  const std::string amz_date = AmzDate(options_.now());
  const std::string payload_hash = PayloadSha256Hex(call.body);
  HttpRequest request;
  request.method = call.method;
  request.headers.push_back({"Host", target.host_header});
  request.headers.push_back({"x-amz-content-sha256", payload_hash});
  request.headers.push_back({"x-amz-date", amz_date});
  if (!call.body.empty()) {
    const pgwire::Md5Digest md5 = pgwire::Md5(call.body);
    request.headers.push_back({"Content-MD5", pgwire::Base64Encode(md5)});
  }
  if (!options_.credentials.session_token.empty()) {
    request.headers.push_back({"x-amz-security-token", options_.credentials.session_token});
  }
  for (const HttpHeader& header : call.extra_headers) request.headers.push_back(header);
  SigningRequest signing;
  signing.method = call.method;
  signing.canonical_uri = target.path;
  signing.query = &call.query;
  signing.headers = &request.headers;
  signing.payload_sha256_hex = payload_hash;
  SigningScope scope;
  scope.amz_date = amz_date;
  scope.region = options_.region;
  const std::string authorization = Authorization(options_.credentials, scope, signing);
  request.headers.push_back({"Authorization", authorization});
  request.headers.push_back({"User-Agent", "rapidbyte-s3"});
  request.target = target.path;
  if (!call.query.empty()) request.target += "?" + CanonicalQueryString(call.query);
  request.body = call.body;
  ++requests_sent_;
  return ConnectionTo(target.connect_host)
      .RoundTrip(request, std::max(call.max_body, kErrorBodyLimit));
}

Result<HttpResponse> S3Client::Execute(const Call& call) {
  const std::string empty;
  const std::string& key = call.key != nullptr ? *call.key : empty;
  RB_ASSIGN_OR_RETURN(RequestTarget target, TargetFor(*call.bucket, key));
  std::string where = "S3 " + std::string(call.op) + " s3://" + *call.bucket;
  if (!key.empty()) where += "/" + key;
  where += " at " + endpoint_text_;

  Status failure;
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> result = SendOnce(call, target);
    if (!result.ok()) {
      Status status = result.status();
      if (status.code() == StatusCode::kCancelled) return status.WithContext(where);
      if (!IsNetworkFailure(status)) {
        const pgwire::ClientError* client = pgwire::GetClientError(status);
        if (client != nullptr) return status.WithContext(where);  // TLS_FAILED, NETWORK_DENIED
        if (status.code() == StatusCode::kResourceExhausted) return status.WithContext(where);
        return Fail(StatusCode::kDataLoss, kCodeRequestFailed, pgwire::ErrorCategory::kInternal,
                    where + ": " + status.message());
      }
      failure = Fail(StatusCode::kUnavailable, kCodeEndpointUnreachable,
                     pgwire::ErrorCategory::kTransientNetwork,
                     where + ": endpoint unreachable (" + status.message() + ")");
    } else {
      HttpResponse& response = *result;
      std::string s3_code;
      std::string s3_message;
      bool is_error = response.status >= 300;
      if (!is_error && call.error_in_200 && response.body.find("<Error") != std::string::npos &&
          !XmlText(response.body, "CompleteMultipartUploadResult")) {
        is_error = true;
      }
      if (!is_error) {
        if (response.body.size() > call.max_body) {
          return Status::ResourceExhausted(where + ": body larger than the limit of " +
                                           std::to_string(call.max_body) + " bytes");
        }
        return std::move(response);
      }
      s3_code = XmlText(response.body, "Code").value_or("");
      s3_message = XmlText(response.body, "Message").value_or(response.reason);
      const bool head = call.method == "HEAD";
      if (s3_code.empty() && head) {
        if (response.status == 404) s3_code = key.empty() ? "NoSuchBucket" : "NoSuchKey";
        if (response.status == 403) s3_code = "AccessDenied";
      }
      std::string message = where + ": " + (s3_code.empty() ? "error" : s3_code) + ": " +
                            s3_message + " (HTTP " + std::to_string(response.status) + ")";
      const bool throttled = response.status == 429 || s3_code == "SlowDown";
      const bool retryable =
          throttled || response.status >= 500 || IsRetryableS3Code(s3_code);
      if (!retryable) {
        if (s3_code == "NoSuchBucket") {
          return Fail(StatusCode::kFailedPrecondition, kCodeBucketNotFound,
                      pgwire::ErrorCategory::kConfig,
                      message + ": bucket '" + *call.bucket + "' does not exist");
        }
        if (s3_code == "AccessDenied" || s3_code == "AllAccessDisabled" ||
            s3_code == "AccountProblem") {
          return Fail(StatusCode::kPermissionDenied, kCodeAccessDenied,
                      pgwire::ErrorCategory::kPermission,
                      message + ": check the bucket policy and the key's permissions");
        }
        if (IsCredentialsCode(s3_code)) {
          return Fail(StatusCode::kUnauthenticated, kCodeAccessDenied,
                      pgwire::ErrorCategory::kAuth,
                      message + ": check access_key_id and secret_access_key");
        }
        if (s3_code == "NoSuchKey") {
          return Fail(StatusCode::kNotFound, kCodeObjectNotFound, pgwire::ErrorCategory::kData,
                      message);
        }
        if (s3_code == "NoSuchUpload") {
          return Fail(StatusCode::kNotFound, kCodeUploadNotFound, pgwire::ErrorCategory::kData,
                      message + (attempt > 1 ? " (an earlier attempt may have completed it)" : ""));
        }
        return Fail(StatusCode::kFailedPrecondition, kCodeRequestFailed,
                    pgwire::ErrorCategory::kInternal, message);
      }
      failure = throttled ? Fail(StatusCode::kResourceExhausted, kCodeThrottled,
                                 pgwire::ErrorCategory::kRateLimit, message)
                          : Fail(StatusCode::kUnavailable, kCodeServerError,
                                 pgwire::ErrorCategory::kTransientNetwork, message);
    }
    if (attempt >= options_.retry.max_attempts) {
      return failure.WithContext("after " + std::to_string(attempt) + " attempts");
    }
    RB_RETURN_NOT_OK(options_.sleep(NextBackoffMs(attempt)));
  }
}

Status S3Client::HeadBucket(const std::string& bucket) {
  Call call = NewCall("HeadBucket", "HEAD", bucket, nullptr);
  return Execute(call).status();
}

Result<std::string> S3Client::PutObject(const std::string& bucket, const std::string& key,
                                        std::span<const std::uint8_t> body) {
  if (key.empty()) return Status::InvalidArgument("S3 object key is empty");
  Call call = NewCall("PutObject", "PUT", bucket, &key);
  call.body = body;
  RB_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  const std::string* etag = FindHeader(response.headers, "ETag");
  return etag != nullptr ? *etag : std::string();
}

Result<std::string> S3Client::CreateMultipartUpload(const std::string& bucket,
                                                    const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("S3 object key is empty");
  Call call = NewCall("CreateMultipartUpload", "POST", bucket, &key);
  call.query = {{"uploads", ""}};
  RB_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  std::optional<std::string> upload_id = XmlText(response.body, "UploadId");
  if (!upload_id || upload_id->empty()) {
    return Fail(StatusCode::kDataLoss, kCodeRequestFailed, pgwire::ErrorCategory::kInternal,
                "S3 CreateMultipartUpload s3://" + bucket + "/" + key + " at " +
                    endpoint_text_ + ": the answer has no UploadId");
  }
  return *std::move(upload_id);
}

Result<std::string> S3Client::UploadPart(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id, int part_number,
                                         std::span<const std::uint8_t> body) {
  if (part_number < 1 || part_number > 10000) {
    return Status::InvalidArgument("S3 part number " + std::to_string(part_number) +
                                   " is outside 1..10000");
  }
  Call call = NewCall("UploadPart", "PUT", bucket, &key);
  call.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
  call.body = body;
  RB_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  const std::string* etag = FindHeader(response.headers, "ETag");
  if (etag == nullptr || etag->empty()) {
    return Fail(StatusCode::kDataLoss, kCodeRequestFailed, pgwire::ErrorCategory::kInternal,
                "S3 UploadPart s3://" + bucket + "/" + key + " at " + endpoint_text_ +
                    ": the answer has no ETag");
  }
  return *etag;
}

Status S3Client::CompleteMultipartUpload(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id,
                                         const std::vector<CompletedPart>& parts) {
  if (parts.empty()) return Status::InvalidArgument("S3 multipart upload has no parts");
  std::string xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const CompletedPart& part : parts) {
    xml += "<Part><PartNumber>" + std::to_string(part.part_number) + "</PartNumber><ETag>" +
           XmlEscape(part.etag) + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  Call call = NewCall("CompleteMultipartUpload", "POST", bucket, &key);
  call.query = {{"uploadId", upload_id}};
  call.extra_headers = {{"Content-Type", "application/xml"}};
  call.body = Bytes(xml);
  call.error_in_200 = true;
  return Execute(call).status();
}

Status S3Client::AbortMultipartUpload(const std::string& bucket, const std::string& key,
                                      const std::string& upload_id) {
  Call call = NewCall("AbortMultipartUpload", "DELETE", bucket, &key);
  call.query = {{"uploadId", upload_id}};
  return Execute(call).status();
}

Result<ListUploadsPage> S3Client::ListMultipartUploads(const std::string& bucket,
                                                       const std::string& prefix,
                                                       const std::string& key_marker,
                                                       const std::string& upload_id_marker) {
  Call call = NewCall("ListMultipartUploads", "GET", bucket, nullptr);
  call.query = {{"uploads", ""}, {"prefix", prefix}};
  if (!key_marker.empty()) call.query.emplace_back("key-marker", key_marker);
  if (!upload_id_marker.empty()) call.query.emplace_back("upload-id-marker", upload_id_marker);
  call.max_body = kListBodyLimit;
  RB_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  ListUploadsPage page;
  for (std::string_view upload : XmlElements(response.body, "Upload")) {
    page.uploads.push_back({XmlText(upload, "Key").value_or(""),
                            XmlText(upload, "UploadId").value_or("")});
  }
  page.truncated = XmlText(response.body, "IsTruncated").value_or("") == "true";
  page.next_key_marker = XmlText(response.body, "NextKeyMarker").value_or("");
  page.next_upload_id_marker = XmlText(response.body, "NextUploadIdMarker").value_or("");
  return page;
}

Result<ListObjectsPage> S3Client::ListObjectsV2(const std::string& bucket,
                                                const std::string& prefix,
                                                const std::string& continuation_token,
                                                int max_keys) {
  if (max_keys < 1 || max_keys > 1000) {
    return Status::InvalidArgument("S3 ListObjectsV2 max_keys must be 1..1000");
  }
  Call call = NewCall("ListObjectsV2", "GET", bucket, nullptr);
  call.query = {{"list-type", "2"}, {"prefix", prefix}, {"max-keys", std::to_string(max_keys)}};
  if (!continuation_token.empty()) call.query.emplace_back("continuation-token", continuation_token);
  call.max_body = kListBodyLimit;
  RB_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  ListObjectsPage page;
  for (std::string_view contents : XmlElements(response.body, "Contents")) {
    ObjectInfo object;
    object.key = XmlText(contents, "Key").value_or("");
    object.etag = XmlText(contents, "ETag").value_or("");
    const std::string size = XmlText(contents, "Size").value_or("0");
    const auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), object.size);
    if (ec != std::errc() || end != size.data() + size.size()) object.size = 0;
    page.objects.push_back(std::move(object));
  }
  page.truncated = XmlText(response.body, "IsTruncated").value_or("") == "true";
  page.next_continuation_token = XmlText(response.body, "NextContinuationToken").value_or("");
  return page;
}

Result<std::vector<ObjectInfo>> S3Client::ListAllObjects(const std::string& bucket,
                                                         const std::string& prefix) {
  std::vector<ObjectInfo> out;
  std::string token;
  for (;;) {
    RB_ASSIGN_OR_RETURN(ListObjectsPage page, ListObjectsV2(bucket, prefix, token));
    for (ObjectInfo& object : page.objects) out.push_back(std::move(object));
    if (!page.truncated) return out;
    if (page.next_continuation_token.empty() || page.next_continuation_token == token) {
      return Fail(StatusCode::kDataLoss, kCodeRequestFailed, pgwire::ErrorCategory::kInternal,
                  "S3 ListObjectsV2 s3://" + bucket + " at " + endpoint_text_ +
                      ": truncated page without a new continuation token");
    }
    token = std::move(page.next_continuation_token);
  }
}

Result<std::vector<UploadInfo>> S3Client::ListAllMultipartUploads(const std::string& bucket,
                                                                  const std::string& prefix) {
  std::vector<UploadInfo> out;
  std::string key_marker;
  std::string upload_id_marker;
  for (;;) {
    RB_ASSIGN_OR_RETURN(ListUploadsPage page,
                        ListMultipartUploads(bucket, prefix, key_marker, upload_id_marker));
    for (UploadInfo& upload : page.uploads) out.push_back(std::move(upload));
    if (!page.truncated) return out;
    if ((page.next_key_marker.empty() && page.next_upload_id_marker.empty()) ||
        (page.next_key_marker == key_marker && page.next_upload_id_marker == upload_id_marker)) {
      return Fail(StatusCode::kDataLoss, kCodeRequestFailed, pgwire::ErrorCategory::kInternal,
                  "S3 ListMultipartUploads s3://" + bucket + " at " + endpoint_text_ +
                      ": truncated page without new markers");
    }
    key_marker = std::move(page.next_key_marker);
    upload_id_marker = std::move(page.next_upload_id_marker);
  }
}

Status S3Client::DeleteObject(const std::string& bucket, const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("S3 object key is empty");
  Call call = NewCall("DeleteObject", "DELETE", bucket, &key);
  return Execute(call).status();
}

Result<std::vector<std::uint8_t>> S3Client::GetObject(const std::string& bucket,
                                                      const std::string& key,
                                                      std::size_t max_bytes) {
  if (key.empty()) return Status::InvalidArgument("S3 object key is empty");
  Call call = NewCall("GetObject", "GET", bucket, &key);
  call.max_body = max_bytes;
  RB_ASSIGN_OR_RETURN(HttpResponse response, Execute(call));
  return std::vector<std::uint8_t>(response.body.begin(), response.body.end());
}

}  // namespace rapidbyte::s3
