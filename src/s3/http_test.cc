#include "s3/http.h"

#include <gtest/gtest.h>

#include "s3/test_stream.h"

namespace rapidbyte::s3 {
namespace {

using testing::Script;

Result<HttpResponse> Parse(const std::string& wire, std::size_t max_body = 1 << 20,
                           bool head = false, std::size_t read_size = 3) {
  auto script = std::make_shared<Script>();
  script->responses.push_back(wire);
  script->read_size = read_size;
  testing::ScriptedStream stream(script);
  return ReadResponse(stream, head, max_body, HttpLimits{});
}

TEST(HttpTest, ContentLengthBody) {
  auto r = Parse("HTTP/1.1 200 OK\r\nETag: \"abc\"\r\ncontent-length: 5\r\n\r\nhello");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->reason, "OK");
  EXPECT_EQ(r->body, "hello");
  EXPECT_TRUE(r->keep_alive);
  ASSERT_NE(FindHeader(r->headers, "etag"), nullptr);
  EXPECT_EQ(*FindHeader(r->headers, "ETAG"), "\"abc\"");
}

TEST(HttpTest, ChunkedBodyWithExtensionsAndTrailers) {
  auto r = Parse(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=x\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "helloabcdefghijklmnopqrstuvwxyz");
}

TEST(HttpTest, InterimResponsesAreSkipped) {
  auto r = Parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 204);
}

TEST(HttpTest, HeadResponseHasNoBody) {
  auto r = Parse("HTTP/1.1 404 Not Found\r\nContent-Length: 120\r\n\r\n", 1 << 20, true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(r->body.empty());
}

TEST(HttpTest, ConnectionCloseAndBodyToEnd) {
  auto r = Parse("HTTP/1.0 200 OK\r\n\r\nuntil the end");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "until the end");
  EXPECT_FALSE(r->keep_alive);
  auto c = Parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->keep_alive);
}

TEST(HttpTest, MalformedResponses) {
  EXPECT_EQ(Parse("HTTP/2 200 OK\r\n\r\n").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Parse("HTTP/1.1 2x0 OK\r\n\r\n").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n").status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(
      Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
          .status()
          .code(),
      StatusCode::kDataLoss);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").status().code(),
            StatusCode::kDataLoss);
}

TEST(HttpTest, TruncatedResponseIsConnectionLost) {
  auto r = Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  ASSERT_NE(pgwire::GetClientError(r.status()), nullptr);
  EXPECT_EQ(pgwire::GetClientError(r.status())->code(), pgwire::kCodeConnectionLost);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-").status().code(), StatusCode::kUnavailable);
}

TEST(HttpTest, Limits) {
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", 10).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
                  10)
                .status()
                .code(),
            StatusCode::kResourceExhausted);
  const std::string big_header = "X-Big: " + std::string(70 * 1024, 'a') + "\r\n";
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\n" + big_header + "\r\n", 10, false, 4096).status().code(),
            StatusCode::kResourceExhausted);
  // Many small headers count together.
  std::string many;
  for (int i = 0; i < 8000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\n" + many + "\r\n", 10, false, 4096).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(HttpTest, RequestWire) {
  auto script = std::make_shared<Script>();
  script->responses.push_back("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  HttpConnection connection([script] { return testing::OpenScripted(script); }, HttpLimits{});
  const std::string body = "abc";
  HttpRequest request;
  request.method = "PUT";
  request.target = "/b/k?partNumber=1";
  request.headers = {{"Host", "h:9000"}};
  request.body = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body.data()),
                                               body.size());
  auto r = connection.RoundTrip(request, 100);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(script->requests.size(), 1u);
  EXPECT_EQ(script->requests[0],
            "PUT /b/k?partNumber=1 HTTP/1.1\r\nHost: h:9000\r\nContent-Length: 3\r\n\r\nabc");
}

TEST(HttpTest, KeepAliveAndReconnectAfterServerClose) {
  auto script = std::make_shared<Script>();
  script->responses = {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",
                       "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb",
                       "",  // the server closed the idle connection
                       "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc"};
  HttpConnection connection([script] { return testing::OpenScripted(script); }, HttpLimits{});
  HttpRequest request;
  request.method = "GET";
  request.target = "/";
  for (const char* expected : {"a", "b", "c"}) {
    auto r = connection.RoundTrip(request, 100);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, expected);
  }
  EXPECT_EQ(script->connections, 2);
  EXPECT_EQ(script->requests.size(), 4u);
}

TEST(HttpTest, FreshConnectionFailureIsNotResent) {
  auto script = std::make_shared<Script>();
  script->responses = {""};
  HttpConnection connection([script] { return testing::OpenScripted(script); }, HttpLimits{});
  HttpRequest request;
  request.method = "GET";
  request.target = "/";
  auto r = connection.RoundTrip(request, 100);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(script->connections, 1);
  EXPECT_FALSE(connection.connected());
}

}  // namespace
}  // namespace rapidbyte::s3
