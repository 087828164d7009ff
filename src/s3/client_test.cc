#include "s3/client.h"

#include <gtest/gtest.h>

#include "pgwire/base64.h"
#include "pgwire/md5.h"
#include "s3/errors.h"
#include "s3/multipart_uploader.h"
#include "s3/test_stream.h"

namespace rapidbyte::s3 {
namespace {

using testing::Script;

std::string Ok(std::string_view body = "", std::string_view extra = "") {
  return "HTTP/1.1 200 OK\r\n" + std::string(extra) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::string ErrorResponse(int status, std::string_view code) {
  const std::string body = "<?xml version=\"1.0\"?><Error><Code>" + std::string(code) +
                           "</Code><Message>msg " + std::string(code) + "</Message></Error>";
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct Fixture {
  std::shared_ptr<Script> script = std::make_shared<Script>();
  std::vector<int> sleeps;
  std::vector<std::string> connected_hosts;
  std::unique_ptr<S3Client> client;

  explicit Fixture(bool path_style = true, std::string endpoint = "http://127.0.0.1:9000") {
    S3Options options;
    options.endpoint = std::move(endpoint);
    options.credentials = {"AKID", "SECRET-never-printed", ""};
    options.path_style = path_style;
    options.connect = [this](const std::string& host, std::uint16_t) {
      connected_hosts.push_back(host);
      return testing::OpenScripted(script);
    };
    options.sleep = [this](int ms) {
      sleeps.push_back(ms);
      return Status::OK();
    };
    options.now = [] { return std::int64_t{1369353600}; };
    options.jitter_seed = 42;
    auto made = S3Client::Make(std::move(options));
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    client = std::move(made).value();
  }
};

std::span<const std::uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(S3EndpointTest, Parse) {
  auto e = ParseEndpoint("https://s3.example.com");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->https);
  EXPECT_EQ(e->host, "s3.example.com");
  EXPECT_EQ(e->port, 443);
  e = ParseEndpoint("http://127.0.0.1:9000/");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->port, 9000);
  e = ParseEndpoint("http://[::1]:9000");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "::1");
  for (const char* bad : {"s3.example.com", "ftp://x", "http://", "http://h:0", "http://h:70000",
                          "http://h:", "http://user:secret@h", "http://h/path"}) {
    EXPECT_EQ(ParseEndpoint(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(S3ClientTest, AddressingStyles) {
  Fixture path(true, "http://minio.local:9000");
  auto t = path.client->TargetFor("my-bucket", "dir/a b+c.parquet");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->connect_host, "minio.local");
  EXPECT_EQ(t->host_header, "minio.local:9000");
  EXPECT_EQ(t->path, "/my-bucket/dir/a%20b%2Bc.parquet");

  Fixture vhost(false, "https://s3.us-east-1.amazonaws.com");
  t = vhost.client->TargetFor("my-bucket", "dir/x.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->connect_host, "my-bucket.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(t->host_header, "my-bucket.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(t->path, "/dir/x.csv");
  EXPECT_EQ(vhost.client->TargetFor("Bad_Bucket", "k").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(S3ClientTest, VirtualHostRequestOverTls) {
  Fixture f(false, "https://s3.example.com");
  f.script->responses = {Ok("", "ETag: \"e\"\r\n")};
  auto etag = f.client->PutObject("bkt", "k", Bytes("data"));
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  ASSERT_EQ(f.connected_hosts.size(), 1u);
  EXPECT_EQ(f.connected_hosts[0], "bkt.s3.example.com");
  ASSERT_EQ(f.script->requests.size(), 1u);
  EXPECT_TRUE(f.script->requests[0].starts_with("PUT /k HTTP/1.1\r\nHost: bkt.s3.example.com\r\n"));
}

TEST(S3ClientTest, PutObjectSignsPayloadAndChecksums) {
  Fixture f;
  f.script->responses = {Ok("", "ETag: \"5d41402abc4b2a76b9719d911017c592\"\r\n")};
  auto etag = f.client->PutObject("bkt", "dir/k", Bytes("hello"));
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  EXPECT_EQ(*etag, "\"5d41402abc4b2a76b9719d911017c592\"");
  const std::string& wire = f.script->requests.at(0);
  EXPECT_TRUE(wire.starts_with("PUT /bkt/dir/k HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n")) << wire;
  EXPECT_NE(wire.find("x-amz-content-sha256: "
                      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\r\n"),
            std::string::npos);
  EXPECT_NE(wire.find("x-amz-date: 20130524T000000Z\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-MD5: XUFAKrxLKna5cZ2REBfFkg==\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Authorization: AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/"
                      "aws4_request,SignedHeaders=content-md5;host;x-amz-content-sha256;"
                      "x-amz-date,Signature="),
            std::string::npos);
  EXPECT_EQ(wire.find("SECRET"), std::string::npos);
  EXPECT_TRUE(wire.ends_with("\r\n\r\nhello"));
}

TEST(S3ClientTest, ErrorMapping) {
  Fixture f;
  f.script->responses = {ErrorResponse(404, "NoSuchBucket"), ErrorResponse(403, "AccessDenied"),
                         ErrorResponse(403, "SignatureDoesNotMatch"),
                         ErrorResponse(403, "InvalidAccessKeyId"),
                         ErrorResponse(404, "NoSuchKey"), ErrorResponse(404, "NoSuchUpload"),
                         ErrorResponse(400, "EntityTooSmall")};
  Status s = f.client->PutObject("nope", "k", Bytes("x")).status();
  EXPECT_EQ(ErrorCode(s), kCodeBucketNotFound);
  EXPECT_NE(s.message().find("s3://nope/k at http://127.0.0.1:9000"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("SECRET"), std::string::npos);
  s = f.client->DeleteObject("b", "k");
  EXPECT_EQ(ErrorCode(s), kCodeAccessDenied);
  EXPECT_EQ(pgwire::GetClientError(s)->category(), pgwire::ErrorCategory::kPermission);
  s = f.client->DeleteObject("b", "k");
  EXPECT_EQ(ErrorCode(s), kCodeAccessDenied);
  EXPECT_EQ(pgwire::GetClientError(s)->category(), pgwire::ErrorCategory::kAuth);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ErrorCode(f.client->DeleteObject("b", "k")), kCodeAccessDenied);
  s = f.client->GetObject("b", "k", 100).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(ErrorCode(s), kCodeObjectNotFound);
  EXPECT_EQ(ErrorCode(f.client->AbortMultipartUpload("b", "k", "u")), kCodeUploadNotFound);
  EXPECT_EQ(ErrorCode(f.client->DeleteObject("b", "k")), kCodeRequestFailed);
  EXPECT_TRUE(f.sleeps.empty());
}

TEST(S3ClientTest, HeadBucketWithoutBody) {
  Fixture f;
  f.script->responses = {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                         "HTTP/1.1 403 Forbidden\r\n\r\n", Ok()};
  EXPECT_EQ(ErrorCode(f.client->HeadBucket("b")), kCodeBucketNotFound);
  EXPECT_EQ(ErrorCode(f.client->HeadBucket("b")), kCodeAccessDenied);
  EXPECT_TRUE(f.client->HeadBucket("b").ok());
  EXPECT_TRUE(f.script->requests.at(0).starts_with("HEAD /b HTTP/1.1\r\n"));
}

TEST(S3ClientTest, RetriesServerErrorsWithBackoff) {
  Fixture f;
  f.script->responses = {ErrorResponse(503, "SlowDown"), ErrorResponse(500, "InternalError"),
                         "HTTP/1.1 429 Too Many\r\nContent-Length: 0\r\n\r\n", Ok()};
  ASSERT_TRUE(f.client->DeleteObject("b", "k").ok());
  ASSERT_EQ(f.sleeps.size(), 3u);
  EXPECT_GE(f.sleeps[0], 100);
  EXPECT_LE(f.sleeps[0], 200);
  EXPECT_GE(f.sleeps[1], 200);
  EXPECT_LE(f.sleeps[1], 400);
  EXPECT_GE(f.sleeps[2], 400);
  EXPECT_LE(f.sleeps[2], 800);
  EXPECT_EQ(f.client->requests_sent_for_test(), 4);
}

TEST(S3ClientTest, GivesUpAfterMaxAttempts) {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.script->responses.push_back(ErrorResponse(503, "SlowDown"));
  Status s = f.client->DeleteObject("b", "k");
  EXPECT_EQ(ErrorCode(s), kCodeThrottled);
  EXPECT_EQ(f.sleeps.size(), 4u);
  EXPECT_EQ(f.client->requests_sent_for_test(), 5);
}

TEST(S3ClientTest, ConnectionRefusedIsEndpointUnreachable) {
  Fixture f;
  f.script->refuse_connects = 100;
  Status s = f.client->HeadBucket("b");
  EXPECT_EQ(ErrorCode(s), kCodeEndpointUnreachable);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("http://127.0.0.1:9000"), std::string::npos);
  EXPECT_EQ(f.sleeps.size(), 4u);
}

TEST(S3ClientTest, ConnectionLossIsRetried) {
  Fixture f;
  f.script->refuse_connects = 1;
  f.script->responses = {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab", "", Ok("x")};
  auto body = f.client->GetObject("b", "k", 100);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(std::string(body->begin(), body->end()), "x");
  EXPECT_EQ(f.sleeps.size(), 2u);
}

TEST(S3ClientTest, SleepCancels) {
  Fixture f;
  f.script->refuse_connects = 100;
  S3Options options;
  options.endpoint = "http://h";
  options.credentials = {"a", "b", ""};
  options.path_style = true;
  options.connect = [&f](const std::string&, std::uint16_t) { return testing::OpenScripted(f.script); };
  options.sleep = [](int) { return Status::Cancelled("stop"); };
  auto client = S3Client::Make(std::move(options));
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->HeadBucket("b").code(), StatusCode::kCancelled);
}

TEST(S3ClientTest, GetObjectSizeLimit) {
  Fixture f;
  f.script->responses = {Ok("0123456789")};
  EXPECT_EQ(f.client->GetObject("b", "k", 5).status().code(), StatusCode::kResourceExhausted);
}

TEST(S3ClientTest, MultipartCalls) {
  Fixture f;
  f.script->responses = {
      Ok("<InitiateMultipartUploadResult><UploadId>up&amp;1</UploadId>"
         "</InitiateMultipartUploadResult>"),
      Ok("", "ETag: \"p1\"\r\n"),
      // S3 may answer Complete with 200 and an error inside.
      Ok("<Error><Code>InternalError</Code><Message>retry</Message></Error>"),
      Ok("<CompleteMultipartUploadResult><ETag>\"x-1\"</ETag></CompleteMultipartUploadResult>"),
      Ok()};
  auto id = f.client->CreateMultipartUpload("b", "k");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "up&1");
  EXPECT_TRUE(f.script->requests[0].starts_with("POST /b/k?uploads= HTTP/1.1\r\n"));
  auto etag = f.client->UploadPart("b", "k", *id, 1, Bytes("part"));
  ASSERT_TRUE(etag.ok());
  EXPECT_EQ(*etag, "\"p1\"");
  EXPECT_TRUE(f.script->requests[1].starts_with("PUT /b/k?partNumber=1&uploadId=up%261 HTTP/1.1"));
  ASSERT_TRUE(f.client->CompleteMultipartUpload("b", "k", *id, {{1, *etag}}).ok());
  EXPECT_EQ(f.sleeps.size(), 1u);
  EXPECT_TRUE(f.script->requests[3].ends_with(
      "<Part><PartNumber>1</PartNumber><ETag>\"p1\"</ETag></Part></CompleteMultipartUpload>"));
  ASSERT_TRUE(f.client->AbortMultipartUpload("b", "k", *id).ok());
  EXPECT_TRUE(f.script->requests[4].starts_with("DELETE /b/k?uploadId=up%261 HTTP/1.1"));
  EXPECT_EQ(f.script->connections, 1);  // keep-alive throughout
}

TEST(S3ClientTest, ListPagination) {
  Fixture f;
  f.script->responses = {
      Ok("<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a</Key><Size>3</Size>"
         "</Contents><NextContinuationToken>t1</NextContinuationToken></ListBucketResult>"),
      Ok("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>b</Key><Size>4</Size>"
         "</Contents></ListBucketResult>"),
      Ok("<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k1"
         "</NextKeyMarker><NextUploadIdMarker>u1</NextUploadIdMarker><Upload><Key>k1</Key>"
         "<UploadId>u1</UploadId></Upload></ListMultipartUploadsResult>"),
      Ok("<ListMultipartUploadsResult><IsTruncated>false</IsTruncated><Upload><Key>k2</Key>"
         "<UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>")};
  auto objects = f.client->ListAllObjects("b", "p/");
  ASSERT_TRUE(objects.ok()) << objects.status().ToString();
  ASSERT_EQ(objects->size(), 2u);
  EXPECT_EQ((*objects)[1].key, "b");
  EXPECT_EQ((*objects)[1].size, 4u);
  EXPECT_TRUE(f.script->requests[0].starts_with(
      "GET /b?list-type=2&max-keys=1000&prefix=p%2F HTTP/1.1"));
  EXPECT_TRUE(f.script->requests[1].starts_with(
      "GET /b?continuation-token=t1&list-type=2&max-keys=1000&prefix=p%2F HTTP/1.1"));
  auto uploads = f.client->ListAllMultipartUploads("b", "p/");
  ASSERT_TRUE(uploads.ok()) << uploads.status().ToString();
  ASSERT_EQ(uploads->size(), 2u);
  EXPECT_EQ((*uploads)[1].upload_id, "u2");
  EXPECT_TRUE(f.script->requests[3].starts_with(
      "GET /b?key-marker=k1&prefix=p%2F&upload-id-marker=u1&uploads= HTTP/1.1"));
}

TEST(S3ClientTest, ListWithoutNewTokenFails) {
  Fixture f;
  f.script->responses = {Ok("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")};
  EXPECT_EQ(f.client->ListAllObjects("b", "").status().code(), StatusCode::kDataLoss);
}

TEST(MultipartUploaderTest, SmallObjectIsOnePut) {
  Fixture f;
  f.script->responses = {Ok("", "ETag: \"e\"\r\n")};
  auto uploader = MultipartUploader::Make(f.client.get(), "b", "k");
  ASSERT_TRUE(uploader.ok());
  ASSERT_TRUE((*uploader)->Append(Bytes("abc")).ok());
  ASSERT_TRUE((*uploader)->Finish().ok());
  ASSERT_EQ(f.script->requests.size(), 1u);
  EXPECT_TRUE(f.script->requests[0].starts_with("PUT /b/k HTTP/1.1"));
  EXPECT_TRUE((*uploader)->upload_id().empty());
}

TEST(MultipartUploaderTest, PartsOfPartSizeThenTail) {
  Fixture f;
  f.script->responses = {Ok("<X><UploadId>u</UploadId></X>"), Ok("", "ETag: \"1\"\r\n"),
                         Ok("", "ETag: \"2\"\r\n"), Ok("", "ETag: \"3\"\r\n")};
  auto made = MultipartUploader::Make(f.client.get(), "b", "k", kMinPartSize);
  ASSERT_TRUE(made.ok());
  MultipartUploader& uploader = **made;
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 11; ++i) ASSERT_TRUE(uploader.Append(Bytes(chunk)).ok());
  EXPECT_EQ(uploader.parts().size(), 2u);
  ASSERT_TRUE(uploader.Seal().ok());
  EXPECT_EQ(uploader.upload_id(), "u");
  ASSERT_EQ(uploader.parts().size(), 3u);
  EXPECT_EQ(uploader.parts()[2].part_number, 3);
  EXPECT_EQ(uploader.parts()[2].etag, "\"3\"");
  EXPECT_EQ(uploader.size(), 11u << 20);
  // The last part carries the 1 MiB tail.
  EXPECT_NE(f.script->requests[3].find("Content-Length: 1048576\r\n"), std::string::npos);
  EXPECT_EQ(MultipartUploader::Make(f.client.get(), "b", "k", 1 << 20).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rapidbyte::s3
