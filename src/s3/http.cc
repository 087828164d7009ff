#include "s3/http.h"

#include <algorithm>
#include <charconv>

#include "pgwire/error_mapping.h"

namespace rapidbyte::s3 {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Malformed(std::string_view what) {
  return Status::DataLoss("malformed HTTP response: " + std::string(what));
}

Status ConnectionLost(std::string_view what) {
  return pgwire::ClientFailure(pgwire::ErrorCategory::kTransientNetwork,
                               pgwire::kCodeConnectionLost,
                               "connection closed " + std::string(what));
}

// Buffered reads from a stream, with the line and byte limits of one response.
class Reader {
 public:
  Reader(pgwire::ByteStream& stream, int timeout_ms) : stream_(stream), timeout_ms_(timeout_ms) {}

  bool received_any() const { return received_any_; }

  // One line without its CRLF (a bare LF is accepted); `budget` is decremented by its length.
  Result<std::string> ReadLine(std::size_t* budget, std::string_view where) {
    for (;;) {
      const auto begin = buffer_.begin() + static_cast<std::ptrdiff_t>(pos_);
      const auto lf = std::find(begin, buffer_.end(), '\n');
      if (lf != buffer_.end()) {
        const auto length = static_cast<std::size_t>(lf - begin) + 1;
        if (length > *budget) return Status::ResourceExhausted("HTTP response headers too large");
        *budget -= length;
        std::string line(begin, lf);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        pos_ += length;
        return line;
      }
      if (buffer_.size() - pos_ > *budget) {
        return Status::ResourceExhausted("HTTP response headers too large");
      }
      RB_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) return ConnectionLost("in the response " + std::string(where));
    }
  }

  // Append exactly `n` bytes to `out`.
  Status ReadExact(std::size_t n, std::string* out) {
    while (n > 0) {
      if (pos_ == buffer_.size()) {
        RB_ASSIGN_OR_RETURN(bool more, Fill());
        if (!more) return ConnectionLost("in the response body");
      }
      const std::size_t take = std::min(n, buffer_.size() - pos_);
      out->append(buffer_, pos_, take);
      pos_ += take;
      n -= take;
    }
    return Status::OK();
  }

  // Append everything to the end of the stream, at most `limit` bytes.
  Status ReadToEnd(std::size_t limit, std::string* out) {
    for (;;) {
      if (pos_ < buffer_.size()) {
        if (out->size() + (buffer_.size() - pos_) > limit) return TooLarge(limit);
        out->append(buffer_, pos_, buffer_.size() - pos_);
        pos_ = buffer_.size();
      }
      RB_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) return Status::OK();
    }
  }

  static Status TooLarge(std::size_t limit) {
    return Status::ResourceExhausted("HTTP response body larger than the limit of " +
                                     std::to_string(limit) + " bytes");
  }

 private:
  Result<bool> Fill() {
    if (pos_ == buffer_.size()) {
      buffer_.clear();
      pos_ = 0;
    }
    std::uint8_t chunk[16384];
    RB_ASSIGN_OR_RETURN(std::size_t n, stream_.Read(chunk, timeout_ms_));
    if (n == 0) return false;
    received_any_ = true;
    buffer_.append(reinterpret_cast<const char*>(chunk), n);
    return true;
  }

  pgwire::ByteStream& stream_;
  int timeout_ms_;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool received_any_ = false;
};

Result<std::uint64_t> ParseDecimal(std::string_view text) {
  text = Trim(text);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Malformed("bad Content-Length");
  }
  return value;
}

Result<std::uint64_t> ParseChunkSize(std::string_view line) {
  const std::size_t semicolon = line.find(';');
  if (semicolon != std::string_view::npos) line = line.substr(0, semicolon);
  line = Trim(line);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), value, 16);
  if (line.empty() || ec != std::errc() || end != line.data() + line.size()) {
    return Malformed("bad chunk size");
  }
  return value;
}

Status ReadHeaders(Reader& reader, std::size_t* budget, HttpHeaders* headers) {
  for (;;) {
    RB_ASSIGN_OR_RETURN(std::string line, reader.ReadLine(budget, "headers"));
    if (line.empty()) return Status::OK();
    if (line.front() == ' ' || line.front() == '\t') return Malformed("folded header line");
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return Malformed("header line without a name");
    std::string_view name(line.data(), colon);
    if (Trim(name).size() != name.size()) return Malformed("white space in a header name");
    headers->push_back({std::string(name), std::string(Trim(std::string_view(line).substr(colon + 1)))});
  }
}

Status ReadChunked(Reader& reader, std::size_t max_body, std::size_t* budget, std::string* body) {
  for (;;) {
    RB_ASSIGN_OR_RETURN(std::string size_line, reader.ReadLine(budget, "chunk size"));
    RB_ASSIGN_OR_RETURN(std::uint64_t size, ParseChunkSize(size_line));
    if (size == 0) break;
    if (size > max_body - body->size()) return Reader::TooLarge(max_body);
    RB_RETURN_NOT_OK(reader.ReadExact(static_cast<std::size_t>(size), body));
    RB_ASSIGN_OR_RETURN(std::string end, reader.ReadLine(budget, "chunk end"));
    if (!end.empty()) return Malformed("chunk data longer than its size");
  }
  HttpHeaders trailers;  // read and dropped
  return ReadHeaders(reader, budget, &trailers);
}

Result<HttpResponse> ReadOne(Reader& reader, bool head_request, std::size_t max_body,
                             const HttpLimits& limits) {
  for (;;) {
    std::size_t budget = limits.max_header_bytes;
    HttpResponse response;
    RB_ASSIGN_OR_RETURN(std::string status_line, reader.ReadLine(&budget, "status line"));
    // "HTTP/1.1 200 OK"
    if (status_line.size() < 12 || status_line.compare(0, 7, "HTTP/1.") != 0 ||
        status_line[8] != ' ') {
      return Malformed("bad status line");
    }
    const bool http10 = status_line[7] == '0';
    int status = 0;
    for (int i = 9; i < 12; ++i) {
      const char c = status_line[static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return Malformed("bad status code");
      status = status * 10 + (c - '0');
    }
    if (status < 100 || (status_line.size() > 12 && status_line[12] != ' ')) {
      return Malformed("bad status code");
    }
    response.status = status;
    if (status_line.size() > 13) response.reason = status_line.substr(13);
    RB_RETURN_NOT_OK(ReadHeaders(reader, &budget, &response.headers));
    if (status < 200) continue;  // 100 Continue and other interim responses

    const std::string* connection = FindHeader(response.headers, "Connection");
    response.keep_alive = connection != nullptr ? !EqualsIgnoreCase(*connection, "close") : !http10;
    if (http10 && connection != nullptr && EqualsIgnoreCase(*connection, "keep-alive")) {
      response.keep_alive = true;
    }
    if (head_request || status == 204 || status == 304) return response;

    const std::string* encoding = FindHeader(response.headers, "Transfer-Encoding");
    const std::string* length = FindHeader(response.headers, "Content-Length");
    if (encoding != nullptr && !EqualsIgnoreCase(*encoding, "identity")) {
      if (!EqualsIgnoreCase(*encoding, "chunked")) return Malformed("unsupported Transfer-Encoding");
      RB_RETURN_NOT_OK(ReadChunked(reader, max_body, &budget, &response.body));
    } else if (length != nullptr) {
      RB_ASSIGN_OR_RETURN(std::uint64_t n, ParseDecimal(*length));
      if (n > max_body) return Reader::TooLarge(max_body);
      RB_RETURN_NOT_OK(reader.ReadExact(static_cast<std::size_t>(n), &response.body));
    } else {
      // No length: the body runs to the end of the connection.
      RB_RETURN_NOT_OK(reader.ReadToEnd(max_body, &response.body));
      response.keep_alive = false;
    }
    return response;
  }
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

const std::string* FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const HttpHeader& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

Status WriteRequest(pgwire::ByteStream& stream, const HttpRequest& request, int timeout_ms) {
  std::string head;
  head.reserve(256 + request.target.size());
  head += request.method;
  head += ' ';
  head += request.target;
  head += " HTTP/1.1\r\n";
  for (const HttpHeader& header : request.headers) {
    head += header.name;
    head += ": ";
    head += header.value;
    head += "\r\n";
  }
  if (!request.body.empty() || (request.method != "GET" && request.method != "HEAD")) {
    head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  head += "\r\n";
  // Small bodies go in the same write as the head (one packet for most S3 control calls).
  if (request.body.size() <= 16384) {
    head.append(reinterpret_cast<const char*>(request.body.data()), request.body.size());
    return stream.WriteAll(
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(head.data()),
                                      head.size()),
        timeout_ms);
  }
  RB_RETURN_NOT_OK(stream.WriteAll(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(head.data()),
                                    head.size()),
      timeout_ms));
  return stream.WriteAll(request.body, timeout_ms);
}

Result<HttpResponse> ReadResponse(pgwire::ByteStream& stream, bool head_request,
                                  std::size_t max_body_bytes, const HttpLimits& limits) {
  Reader reader(stream, limits.timeout_ms);
  return ReadOne(reader, head_request, max_body_bytes, limits);
}

Result<HttpResponse> HttpConnection::Attempt(const HttpRequest& request,
                                             std::size_t max_body_bytes, bool* nothing_received) {
  *nothing_received = true;
  RB_RETURN_NOT_OK(WriteRequest(*stream_, request, limits_.timeout_ms));
  Reader reader(*stream_, limits_.timeout_ms);
  Result<HttpResponse> response =
      ReadOne(reader, request.method == "HEAD", max_body_bytes, limits_);
  *nothing_received = !reader.received_any();
  return response;
}

Result<HttpResponse> HttpConnection::RoundTrip(const HttpRequest& request,
                                               std::size_t max_body_bytes) {
  const bool reused = stream_ != nullptr;
  if (!reused) {
    RB_ASSIGN_OR_RETURN(stream_, factory_());
  }
  bool nothing_received = true;
  Result<HttpResponse> response = Attempt(request, max_body_bytes, &nothing_received);
  if (!response.ok() && reused && nothing_received &&
      response.status().code() != StatusCode::kCancelled) {
    // The server closed the idle connection: once more on a fresh one.
    Close();
    RB_ASSIGN_OR_RETURN(stream_, factory_());
    response = Attempt(request, max_body_bytes, &nothing_received);
  }
  if (!response.ok() || !response->keep_alive) Close();
  return response;
}

void HttpConnection::Close() {
  if (stream_ != nullptr) {
    stream_->Close();
    stream_.reset();
  }
}

}  // namespace rapidbyte::s3
