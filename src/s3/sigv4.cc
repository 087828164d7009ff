#include "s3/sigv4.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "pgwire/civil_date.h"

namespace rapidbyte::s3 {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Trim and collapse runs of spaces to one, as the canonical header value wants.
std::string CanonicalValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Lowercase names, sorted; values of repeated names joined by ',' in their order.
std::vector<std::pair<std::string, std::string>> CanonicalHeaders(const HttpHeaders& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const HttpHeader& header : headers) {
    out.emplace_back(Lower(header.name), CanonicalValue(header.value));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, std::string>> merged;
  for (auto& entry : out) {
    if (!merged.empty() && merged.back().first == entry.first) {
      merged.back().second += ',' + entry.second;
    } else {
      merged.push_back(std::move(entry));
    }
  }
  return merged;
}

}  // namespace

std::string UriEncode(std::string_view text, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || (c == '/' && !encode_slash);
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string CanonicalQueryString(const QueryParams& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(UriEncode(name, true), UriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string SignedHeaderNames(const HttpHeaders& headers) {
  std::string out;
  for (const auto& [name, value] : CanonicalHeaders(headers)) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

std::string CanonicalRequest(const SigningRequest& request) {
  static const QueryParams kNoQuery;
  static const HttpHeaders kNoHeaders;
  const HttpHeaders& headers = request.headers != nullptr ? *request.headers : kNoHeaders;
  std::string out;
  out += request.method;
  out += '\n';
  out += request.canonical_uri.empty() ? std::string_view("/") : request.canonical_uri;
  out += '\n';
  out += CanonicalQueryString(request.query != nullptr ? *request.query : kNoQuery);
  out += '\n';
  for (const auto& [name, value] : CanonicalHeaders(headers)) {
    out += name;
    out += ':';
    out += value;
    out += '\n';
  }
  out += '\n';
  out += SignedHeaderNames(headers);
  out += '\n';
  out += request.payload_sha256_hex;
  return out;
}

std::string StringToSign(const SigningScope& scope, std::string_view canonical_request) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out += scope.amz_date;
  out += '\n';
  out += scope.amz_date.substr(0, 8);
  out += '/';
  out += scope.region;
  out += '/';
  out += scope.service;
  out += "/aws4_request\n";
  out += pgwire::HexEncode(pgwire::Sha256::Hash(canonical_request));
  return out;
}

pgwire::Sha256Digest SigningKey(std::string_view secret_access_key, std::string_view date,
                                std::string_view region, std::string_view service) {
  std::string first_key = "AWS4";
  first_key += secret_access_key;
  pgwire::Sha256Digest key = pgwire::HmacSha256Digest(Bytes(first_key), Bytes(date));
  std::fill(first_key.begin(), first_key.end(), '\0');
  key = pgwire::HmacSha256Digest(key, Bytes(region));
  key = pgwire::HmacSha256Digest(key, Bytes(service));
  return pgwire::HmacSha256Digest(key, Bytes("aws4_request"));
}

std::string Authorization(const Credentials& credentials, const SigningScope& scope,
                          const SigningRequest& request) {
  const std::string string_to_sign = StringToSign(scope, CanonicalRequest(request));
  const std::string_view date = scope.amz_date.substr(0, 8);
  const pgwire::Sha256Digest key =
      SigningKey(credentials.secret_access_key, date, scope.region, scope.service);
  const std::string signature =
      pgwire::HexEncode(pgwire::HmacSha256Digest(key, Bytes(string_to_sign)));
  std::string out = "AWS4-HMAC-SHA256 Credential=";
  out += credentials.access_key_id;
  out += '/';
  out += date;
  out += '/';
  out += scope.region;
  out += '/';
  out += scope.service;
  out += "/aws4_request,SignedHeaders=";
  out += SignedHeaderNames(request.headers != nullptr ? *request.headers : HttpHeaders{});
  out += ",Signature=";
  out += signature;
  return out;
}

std::string AmzDate(std::int64_t unix_seconds) {
  const std::int64_t days = pgwire::FloorDiv(unix_seconds, 86400);
  const std::int64_t seconds = unix_seconds - days * 86400;
  const pgwire::CivilDate date = pgwire::CivilFromDays(days);
  char buffer[96];  // room for any value the format can produce (-Wformat-truncation)
  std::snprintf(buffer, sizeof(buffer), "%04lld%02u%02uT%02d%02d%02dZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60),
                static_cast<int>(seconds % 60));
  return buffer;
}

std::string PayloadSha256Hex(std::span<const std::uint8_t> data) {
  return pgwire::HexEncode(pgwire::Sha256::Hash(data));
}

}  // namespace rapidbyte::s3
