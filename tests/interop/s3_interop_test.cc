// src/s3 against s3rver (npm, pinned in package.json, installed by scripts/setup.sh), started
// here by s3rver_start.mjs on a free loopback port over a temporary directory. The script's
// middleware checks our SigV4 signatures, payload hashes and Content-MD5 independently of the
// C++ code, and serves ListMultipartUploads / AbortMultipartUpload that s3rver lacks.
// Label integration; a missing node_modules fails the test.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "net/pgwire_stream.h"
#include "tests/interop/s3rver.h"
#include "s3/client.h"
#include "s3/errors.h"
#include "s3/multipart_uploader.h"

namespace rapidbyte::s3 {
namespace {

constexpr char kBucket[] = "rb-test";
using testing::S3rver;

class S3InteropTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new S3rver();
    server_->Start();
  }
  static void TearDownTestSuite() {
    server_->Stop();
    delete server_;
  }
  void SetUp() override {
    if (server_->port() == 0) GTEST_FAIL() << "s3rver is not running";
  }

  // A client whose connections all go to 127.0.0.1:<port>, whatever host the addressing style
  // names (so virtual-host requests reach s3rver too); connected hosts are recorded.
  std::unique_ptr<S3Client> Client(std::string endpoint = {}, std::string secret = "S3RVER",
                                   bool path_style = true, std::string key_id = "S3RVER") {
    S3Options options;
    options.endpoint =
        endpoint.empty() ? "http://127.0.0.1:" + std::to_string(server_->port()) : endpoint;
    options.credentials = {std::move(key_id), std::move(secret), ""};
    options.path_style = path_style;
    options.connect = [this](const std::string& host, std::uint16_t port) {
      hosts_.push_back(host);
      return net::ConnectPgwireStream("127.0.0.1", port, 5000);
    };
    options.sleep = [this](int ms) {
      slept_ms_ += ms;
      return Status::OK();
    };
    options.retry.max_attempts = 3;
    auto client = S3Client::Make(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(client).value() : nullptr;
  }

  static std::vector<std::uint8_t> Pattern(std::size_t n, std::uint32_t seed) {
    std::vector<std::uint8_t> out(n);
    std::uint32_t x = seed;
    for (auto& b : out) {
      x = x * 1664525u + 1013904223u;
      b = static_cast<std::uint8_t>(x >> 24);
    }
    return out;
  }

  static S3rver* server_;
  std::vector<std::string> hosts_;
  int slept_ms_ = 0;
};

S3rver* S3InteropTest::server_ = nullptr;

TEST_F(S3InteropTest, PutGetDelete) {
  auto client = Client();
  ASSERT_TRUE(client->HeadBucket(kBucket).ok());
  const auto data = Pattern(100000, 1);
  auto etag = client->PutObject(kBucket, "small/a b+c.bin", data);
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  auto back = client->GetObject(kBucket, "small/a b+c.bin", 1 << 20);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, data);
  EXPECT_EQ(client->GetObject(kBucket, "small/a b+c.bin", 1000).status().code(),
            StatusCode::kResourceExhausted);
  ASSERT_TRUE(client->DeleteObject(kBucket, "small/a b+c.bin").ok());
  EXPECT_EQ(ErrorCode(client->GetObject(kBucket, "small/a b+c.bin", 1 << 20).status()),
            kCodeObjectNotFound);
  EXPECT_EQ(hosts_.front(), "127.0.0.1");
  EXPECT_EQ(slept_ms_, 0);
}

TEST_F(S3InteropTest, MultipartUploadOfTwelveMiB) {
  auto client = Client();
  const auto data = Pattern(12u << 20, 2);
  auto uploader = MultipartUploader::Make(client.get(), kBucket, "big/file.parquet", kMinPartSize);
  ASSERT_TRUE(uploader.ok());
  for (std::size_t off = 0; off < data.size(); off += 777777) {
    const std::size_t n = std::min<std::size_t>(777777, data.size() - off);
    ASSERT_TRUE((*uploader)->Append(std::span(data).subspan(off, n)).ok());
  }
  ASSERT_TRUE((*uploader)->Seal().ok());
  EXPECT_FALSE((*uploader)->upload_id().empty());
  ASSERT_EQ((*uploader)->parts().size(), 3u);
  // Not visible before Complete.
  auto listed = client->ListAllObjects(kBucket, "big/");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_TRUE(listed->empty());
  ASSERT_TRUE((*uploader)->Complete().ok());
  listed = client->ListAllObjects(kBucket, "big/");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].size, data.size());
  auto back = client->GetObject(kBucket, "big/file.parquet", 16u << 20);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == data);
  ASSERT_TRUE(client->DeleteObject(kBucket, "big/file.parquet").ok());
}

TEST_F(S3InteropTest, ListMultipartUploadsAndAbort) {
  auto client = Client();
  auto id = client->CreateMultipartUpload(kBucket, "tmp/run-1.csv");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  const auto part = Pattern(1000, 3);
  ASSERT_TRUE(client->UploadPart(kBucket, "tmp/run-1.csv", *id, 1, part).ok());
  auto uploads = client->ListAllMultipartUploads(kBucket, "tmp/");
  ASSERT_TRUE(uploads.ok()) << uploads.status().ToString();
  ASSERT_EQ(uploads->size(), 1u);
  EXPECT_EQ((*uploads)[0].key, "tmp/run-1.csv");
  EXPECT_EQ((*uploads)[0].upload_id, *id);
  ASSERT_TRUE(client->AbortMultipartUpload(kBucket, "tmp/run-1.csv", *id).ok());
  uploads = client->ListAllMultipartUploads(kBucket, "tmp/");
  ASSERT_TRUE(uploads.ok());
  EXPECT_TRUE(uploads->empty());
  EXPECT_EQ(ErrorCode(client->AbortMultipartUpload(kBucket, "tmp/run-1.csv", *id)),
            kCodeUploadNotFound);
}

TEST_F(S3InteropTest, ListObjectsV2Pagination) {
  auto client = Client();
  const auto data = Pattern(10, 4);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client->PutObject(kBucket, "page/k" + std::to_string(i), data).ok());
  }
  std::vector<std::string> keys;
  std::string token;
  int pages = 0;
  do {
    auto page = client->ListObjectsV2(kBucket, "page/", token, 2);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& object : page->objects) keys.push_back(object.key);
    token = page->truncated ? page->next_continuation_token : "";
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(keys, (std::vector<std::string>{"page/k0", "page/k1", "page/k2", "page/k3", "page/k4"}));
  for (const auto& key : keys) ASSERT_TRUE(client->DeleteObject(kBucket, key).ok());
}

TEST_F(S3InteropTest, VirtualHostAddressing) {
  auto client = Client("http://s3.amazonaws.com:" + std::to_string(server_->port()), "S3RVER",
                       /*path_style=*/false);
  const auto data = Pattern(5000, 5);
  ASSERT_TRUE(client->PutObject(kBucket, "vhost/x", data).ok());
  EXPECT_EQ(hosts_.front(), "rb-test.s3.amazonaws.com");
  auto back = Client()->GetObject(kBucket, "vhost/x", 1 << 20);  // read back path-style
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, data);
  ASSERT_TRUE(client->DeleteObject(kBucket, "vhost/x").ok());
}

TEST_F(S3InteropTest, WrongCredentialsAreAccessDenied) {
  Status s = Client({}, "not-the-secret")->PutObject(kBucket, "x", Pattern(10, 6)).status();
  EXPECT_EQ(ErrorCode(s), kCodeAccessDenied) << s.ToString();
  EXPECT_NE(s.message().find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_EQ(s.message().find("not-the-secret"), std::string::npos);
  s = Client({}, "S3RVER", true, "UNKNOWNKEY")->HeadBucket(kBucket);
  EXPECT_EQ(ErrorCode(s), kCodeAccessDenied) << s.ToString();
}

TEST_F(S3InteropTest, MissingBucketIsBucketNotFound) {
  auto client = Client();
  Status s = client->PutObject("no-such-bucket", "x", Pattern(10, 7)).status();
  EXPECT_EQ(ErrorCode(s), kCodeBucketNotFound) << s.ToString();
  EXPECT_NE(s.message().find("no-such-bucket"), std::string::npos);
  EXPECT_EQ(ErrorCode(client->HeadBucket("no-such-bucket")), kCodeBucketNotFound);
}

TEST_F(S3InteropTest, ClosedPortIsEndpointUnreachable) {
  // A port nobody listens on: bind one, then close it.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);
  close(fd);
  auto client = Client("http://127.0.0.1:" + std::to_string(port));
  Status s = client->HeadBucket(kBucket);
  EXPECT_EQ(ErrorCode(s), kCodeEndpointUnreachable) << s.ToString();
  EXPECT_NE(s.message().find("http://127.0.0.1:" + std::to_string(port)), std::string::npos);
  EXPECT_GT(slept_ms_, 0);  // retried with backoff
}

}  // namespace
}  // namespace rapidbyte::s3
