// ParsePgUrl (see pg_url.h).
#include "state/postgres/pg_url.h"

#include <charconv>
#include <cstdlib>

#include <pwd.h>
#include <unistd.h>

namespace rapidbyte::state {
namespace {

Status UrlError(std::string message) {
  return Status::InvalidArgument("state.connection: " + std::move(message));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `what` names the component in the error (the text itself may be a password).
Result<std::string> PercentDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return UrlError("invalid percent-encoding in the URL's " + std::string(what));
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

Result<std::uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    return UrlError("port '" + std::string(text) + "' is not a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

Status ParseHostPort(std::string_view text, PgUrl& url) {
  if (text.find(',') != std::string_view::npos) {
    return UrlError("several hosts are not supported for the state database");
  }
  std::string_view port;
  if (!text.empty() && text.front() == '[') {  // [IPv6]:port
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return UrlError("unterminated '[' in the host");
    url.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return UrlError("unexpected text after ']' in the host");
      port = rest.substr(1);
    }
  } else {
    std::size_t colon = text.find(':');
    url.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
  }
  if (url.host.empty()) url.host = "localhost";
  if (!port.empty()) {
    RB_ASSIGN_OR_RETURN(url.port, ParsePort(port));
  }
  return Status::OK();
}

Status ApplyParameter(std::string_view key, const std::string& value, PgUrl& url) {
  if (key == "sslmode") {
    Result<pgwire::SslMode> mode = pgwire::ParseSslMode(value);
    if (!mode.ok()) {
      return UrlError("sslmode '" + value +
                      "' is not one of disable, prefer, require, verify-ca, verify-full");
    }
    url.sslmode = *mode;
  } else if (key == "sslrootcert") {
    url.sslrootcert = value;
  } else if (key == "connect_timeout") {
    int seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) {
      return UrlError("connect_timeout '" + value + "' is not a number of seconds");
    }
    url.connect_timeout_s = seconds == 0 ? 10 : seconds;
  } else if (key == "application_name") {
    url.application_name = value;
  } else if (key == "host") {
    return ParseHostPort(value, url);
  } else if (key == "port") {
    RB_ASSIGN_OR_RETURN(url.port, ParsePort(value));
  } else if (key == "user") {
    url.user = value;
  } else if (key == "password") {
    url.password = value;
  } else if (key == "dbname") {
    url.database = value;
  } else {
    return UrlError("unsupported URL parameter '" + std::string(key) +
                    "' (supported: sslmode, sslrootcert, connect_timeout, application_name, "
                    "host, port, user, password, dbname)");
  }
  return Status::OK();
}

Status ParseQuery(std::string_view query, PgUrl& url) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return UrlError("URL parameter '" + std::string(pair) + "' has no '=value'");
    }
    std::string_view key = pair.substr(0, eq);
    RB_ASSIGN_OR_RETURN(std::string value, PercentDecode(pair.substr(eq + 1), key));
    RB_RETURN_NOT_OK(ApplyParameter(key, value, url));
  }
  return Status::OK();
}

std::string OsUserName() {
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "postgres";
}

}  // namespace

std::string PgUrl::Redacted() const {
  std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "postgres://" + user + "@" + shown_host + ":" + std::to_string(port) + "/" + database;
}

Result<PgUrl> ParsePgUrl(std::string_view text) {
  std::string_view rest;
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (text.substr(0, scheme.size()) == scheme) {
      rest = text.substr(scheme.size());
      break;
    }
    if (scheme == "postgres://") {
      return UrlError("expected a postgres:// or postgresql:// URL");
    }
  }
  PgUrl url;
  std::size_t question = rest.find('?');
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
  rest = rest.substr(0, question);
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    RB_ASSIGN_OR_RETURN(url.database, PercentDecode(rest.substr(slash + 1), "database name"));
  }
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view credentials = authority.substr(0, at);
    std::size_t colon = credentials.find(':');
    RB_ASSIGN_OR_RETURN(url.user, PercentDecode(credentials.substr(0, colon), "user name"));
    if (colon != std::string_view::npos) {
      RB_ASSIGN_OR_RETURN(url.password, PercentDecode(credentials.substr(colon + 1), "password"));
    }
    authority = authority.substr(at + 1);
  }
  RB_RETURN_NOT_OK(ParseHostPort(authority, url));
  RB_RETURN_NOT_OK(ParseQuery(query, url));
  if (url.user.empty()) url.user = OsUserName();
  if (url.database.empty()) url.database = url.user;
  return url;
}

}  // namespace rapidbyte::state
