// SigV4 against the worked examples of AWS's "Authenticating Requests: Using the Authorization
// Header (AWS Signature Version 4)" / "Examples of signature calculations" (S3 API reference):
// GET Object, PUT Object, GET Bucket lifecycle and GET Bucket (list objects).
#include "s3/sigv4.h"

#include <gtest/gtest.h>

namespace rapidbyte::s3 {
namespace {

constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Credentials ExampleCredentials() {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
}

SigningScope ExampleScope() {
  SigningScope scope;
  scope.amz_date = "20130524T000000Z";
  scope.region = "us-east-1";
  return scope;
}

std::string Sign(std::string_view method, std::string_view uri, const QueryParams& query,
                 const HttpHeaders& headers, std::string_view payload_hash) {
  SigningRequest request;
  request.method = method;
  request.canonical_uri = uri;
  request.query = &query;
  request.headers = &headers;
  request.payload_sha256_hex = payload_hash;
  return Authorization(ExampleCredentials(), ExampleScope(), request);
}

TEST(SigV4Test, GetObjectExample) {
  const HttpHeaders headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                               {"Range", "bytes=0-9"},
                               {"x-amz-content-sha256", std::string(kEmptyHash)},
                               {"x-amz-date", "20130524T000000Z"}};
  const QueryParams query;
  SigningRequest request;
  request.method = "GET";
  request.canonical_uri = "/test.txt";
  request.query = &query;
  request.headers = &headers;
  request.payload_sha256_hex = kEmptyHash;
  const std::string canonical = CanonicalRequest(request);
  EXPECT_EQ(canonical,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StringToSign(ExampleScope(), canonical),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(Sign("GET", "/test.txt", query, headers, kEmptyHash),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, PutObjectExample) {
  const std::string body = "Welcome to Amazon S3.";
  const std::string hash = PayloadSha256Hex(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
  EXPECT_EQ(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const HttpHeaders headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                               {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                               {"x-amz-date", "20130524T000000Z"},
                               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                               {"x-amz-content-sha256", hash}};
  // "$" is not unreserved: the path is sent (and signed) encoded, never encoded twice.
  EXPECT_EQ(UriEncode("/test$file.text", false), "/test%24file.text");
  EXPECT_EQ(Sign("PUT", UriEncode("/test$file.text", false), {}, headers, hash),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4Test, GetBucketLifecycleExample) {
  const HttpHeaders headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                               {"x-amz-date", "20130524T000000Z"},
                               {"x-amz-content-sha256", std::string(kEmptyHash)}};
  EXPECT_EQ(Sign("GET", "/", {{"lifecycle", ""}}, headers, kEmptyHash),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4Test, ListObjectsExample) {
  const HttpHeaders headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                               {"x-amz-date", "20130524T000000Z"},
                               {"x-amz-content-sha256", std::string(kEmptyHash)}};
  // Given out of order: the canonical query string sorts them.
  const QueryParams query = {{"prefix", "J"}, {"max-keys", "2"}};
  EXPECT_EQ(CanonicalQueryString(query), "max-keys=2&prefix=J");
  EXPECT_EQ(Sign("GET", "/", query, headers, kEmptyHash),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4Test, UriEncodeRules) {
  EXPECT_EQ(UriEncode("a b/c~d_e-f.g", false), "a%20b/c~d_e-f.g");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b%2Fc");
  EXPECT_EQ(UriEncode("é+=&", true), "%C3%A9%2B%3D%26");
  // Query values are encoded once, '/' included.
  EXPECT_EQ(CanonicalQueryString({{"prefix", "s/t x"}, {"uploads", ""}}),
            "prefix=s%2Ft%20x&uploads=");
}

TEST(SigV4Test, CanonicalHeadersTrimAndMerge) {
  const HttpHeaders headers = {{"X-Amz-Meta-A", "  one   two  "}, {"x-amz-meta-a", "three"},
                               {"Host", "h"}};
  EXPECT_EQ(SignedHeaderNames(headers), "host;x-amz-meta-a");
  SigningRequest request;
  request.method = "GET";
  request.canonical_uri = "/k";
  request.headers = &headers;
  request.payload_sha256_hex = kEmptyHash;
  EXPECT_NE(CanonicalRequest(request).find("x-amz-meta-a:one two,three\n"), std::string::npos);
}

TEST(SigV4Test, AmzDate) {
  EXPECT_EQ(AmzDate(1369353600), "20130524T000000Z");
  EXPECT_EQ(AmzDate(951782400 + 86399), "20000229T235959Z");
}

}  // namespace
}  // namespace rapidbyte::s3
