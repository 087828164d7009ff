// CSV records, value parsing and type inference (see csv_format.h).
#include "csv_format.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace source_csv {
namespace {

__extension__ typedef __int128 Int128;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// `n` digits at `s[*at]` as a number; advances *at.
bool Digits(std::string_view s, std::size_t* at, int n, int* out) {
  if (*at + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = s[*at + static_cast<std::size_t>(k)];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *at += static_cast<std::size_t>(n);
  *out = v;
  return true;
}

bool ParseInt64(std::string_view s, std::int64_t* out) {
  std::size_t i = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) neg = s[i++] == '-';
  if (i == s.size()) return false;
  std::uint64_t v = 0;
  const std::uint64_t limit = neg ? 9223372036854775808ull : 9223372036854775807ull;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
    const auto d = static_cast<std::uint64_t>(s[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return true;
}

// A plain fixed-point number [+-]digits[.digits] with at most `scale` fractional digits and
// `max_ints` integer digits (leading zeros aside): its unscaled value at `scale` into *out
// (when not null), and its integer and fractional digit counts.
bool ParseFixed(std::string_view s, int scale, int max_ints, Int128* out, int* int_digits,
                int* frac_digits) {
  std::size_t i = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) neg = s[i++] == '-';
  Int128 v = 0;
  int ints = 0, fracs = 0;
  bool any = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.' && !dot) {
      dot = true;
      continue;
    }
    if (!IsDigit(s[i])) return false;
    any = true;
    if (dot) {
      if (++fracs > scale) return false;
    } else if (ints > 0 || s[i] != '0') {
      if (++ints > max_ints) return false;
    }
    if (out != nullptr) v = v * 10 + (s[i] - '0');
  }
  if (!any) return false;
  if (out != nullptr) {
    for (int k = fracs; k < scale; ++k) v *= 10;  // at most 38 digits in all: no overflow
    *out = neg ? -v : v;
  }
  *int_digits = ints;
  *frac_digits = fracs;
  return true;
}

bool ParseFloat(std::string_view s, double* out) {
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  const bool word = IEquals(body, "nan") || IEquals(body, "inf") || IEquals(body, "infinity");
  if (!word) {  // digits, one dot, an exponent: no hex floats, no spaces
    bool digit = false;
    for (char c : body) {
      if (IsDigit(c))
        digit = true;
      else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+')
        return false;
    }
    if (!digit) return false;
  }
  const std::string text(s);
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

bool ParseBool(std::string_view s, bool strict, bool* out) {
  static constexpr const char* kTrue[] = {"true", "t", "yes", "y", "1"};
  static constexpr const char* kFalse[] = {"false", "f", "no", "n", "0"};
  const int n = strict ? 1 : 5;  // inference takes only true/false
  for (int k = 0; k < n; ++k) {
    if (IEquals(s, kTrue[k])) return *out = true, true;
    if (IEquals(s, kFalse[k])) return *out = false, true;
  }
  return false;
}

bool ParseDateAt(std::string_view s, std::size_t* at, std::int64_t* days) {
  int y = 0, m = 0, d = 0;
  if (!Digits(s, at, 4, &y) || *at >= s.size() || s[(*at)++] != '-' || !Digits(s, at, 2, &m) ||
      *at >= s.size() || s[(*at)++] != '-' || !Digits(s, at, 2, &d)) {
    return false;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return false;
  *days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

bool ParseDate(std::string_view s, std::int64_t* days) {
  std::size_t at = 0;
  return ParseDateAt(s, &at, days) && at == s.size();
}

// HH:MM[:SS[.fraction]] at s[*at] → µs since midnight (digits beyond µs are truncated).
bool ParseClock(std::string_view s, std::size_t* at, std::int64_t* us) {
  int hh = 0, mm = 0, ss = 0;
  std::int64_t frac = 0;
  if (!Digits(s, at, 2, &hh) || *at >= s.size() || s[(*at)++] != ':' || !Digits(s, at, 2, &mm)) {
    return false;
  }
  if (*at < s.size() && s[*at] == ':') {
    ++*at;
    if (!Digits(s, at, 2, &ss)) return false;
    if (*at < s.size() && s[*at] == '.') {
      ++*at;
      int n = 0;
      for (; *at < s.size() && IsDigit(s[*at]); ++*at, ++n) {
        if (n < 6) frac = frac * 10 + (s[*at] - '0');
      }
      if (n == 0 || n > 9) return false;
      for (int k = n; k < 6; ++k) frac *= 10;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) return false;
  *us = ((hh * 60LL + mm) * 60 + ss) * 1000000LL + frac;
  return true;
}

// The rest of s from *at: empty, Z, or (+|-)HH[[:]MM] → the offset in µs.
bool ParseOffset(std::string_view s, std::size_t at, std::int64_t* offset_us) {
  *offset_us = 0;
  if (at == s.size() || (s[at] == 'Z' && at + 1 == s.size())) return true;
  if (s[at] != '+' && s[at] != '-') return false;
  const int sign = s[at++] == '-' ? -1 : 1;
  int oh = 0, om = 0;
  if (!Digits(s, &at, 2, &oh)) return false;
  if (at < s.size() && s[at] == ':') ++at;
  if (at < s.size() && !Digits(s, &at, 2, &om)) return false;
  if (at != s.size() || oh > 15 || om > 59) return false;
  *offset_us = sign * (oh * 60LL + om) * 60000000LL;
  return true;
}

// YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|(+|-)HH[[:]MM]] → µs since the epoch; a date
// alone is midnight. *zoned: the value carried an offset (and was converted to UTC).
bool ParseTimestamp(std::string_view s, std::int64_t* micros, bool* zoned) {
  std::size_t at = 0;
  std::int64_t days = 0, clock = 0, offset = 0;
  if (!ParseDateAt(s, &at, &days)) return false;
  *zoned = false;
  if (at < s.size()) {
    if (s[at] != 'T' && s[at] != ' ') return false;
    ++at;
    if (!ParseClock(s, &at, &clock)) return false;
    *zoned = at < s.size();
    if (!ParseOffset(s, at, &offset)) return false;
  }
  *micros = days * 86400000000LL + clock - offset;
  return true;
}

}  // namespace

std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;  // H. Hinnant's days_from_civil
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<ColumnType> ParseTypeName(std::string_view name) {
  static constexpr std::pair<const char*, Kind> kSimple[] = {{"int64", Kind::kInt64},
                                                             {"float64", Kind::kFloat64},
                                                             {"bool", Kind::kBool},
                                                             {"date", Kind::kDate},
                                                             {"timestamp", Kind::kTimestamp},
                                                             {"utf8", Kind::kUtf8},
                                                             {"timestamptz", Kind::kTimestampTz}};
  for (const auto& [spelling, kind] : kSimple) {
    if (name == spelling) return ColumnType{kind, 0, 0};
  }
  // decimal(p,s), spaces allowed after the comma.
  const std::string text(name);
  int p = 0, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "decimal(%d,%d)%n", &p, &s, &used) == 2 &&
      static_cast<std::size_t>(used) == text.size() && p >= 1 && p <= 38 && s >= 0 && s <= p) {
    return ColumnType{Kind::kDecimal, p, s};
  }
  return std::nullopt;
}

std::string TypeName(const ColumnType& type) {
  switch (type.kind) {
    case Kind::kInt64:
      return "int64";
    case Kind::kFloat64:
      return "float64";
    case Kind::kDecimal:
      return "decimal(" + std::to_string(type.precision) + "," + std::to_string(type.scale) + ")";
    case Kind::kBool:
      return "bool";
    case Kind::kDate:
      return "date";
    case Kind::kTimestamp:
      return "timestamp";
    case Kind::kTimestampTz:
      return "timestamptz";
    case Kind::kUtf8:
      return "utf8";
  }
  return "utf8";
}

bool ParseValue(std::string_view text, const ColumnType& type, Value* out) {
  bool zoned = false;
  switch (type.kind) {
    case Kind::kInt64:
      return ParseInt64(text, &out->i);
    case Kind::kFloat64:
      return ParseFloat(text, &out->f);
    case Kind::kDecimal: {
      int ints = 0, fracs = 0;
      return ParseFixed(text, type.scale, type.precision - type.scale, &out->d, &ints, &fracs);
    }
    case Kind::kBool:
      return ParseBool(text, false, &out->b);
    case Kind::kDate:
      return ParseDate(text, &out->i);
    case Kind::kTimestamp:
    case Kind::kTimestampTz:
      return ParseTimestamp(text, &out->i, &zoned);
    case Kind::kUtf8:
      return true;
  }
  return false;
}

void TypeInferrer::Add(std::string_view text) {
  any_ = true;
  Value v;
  bool zoned = false;
  if (bool_) bool_ = ParseBool(text, true, &v.b);
  if (int_) int_ = ParseInt64(text, &v.i);
  if (decimal_) {
    int ints = 0, fracs = 0;
    decimal_ = ParseFixed(text, 38, 38, nullptr, &ints, &fracs);
    if (decimal_) {
      if (ints > int_digits_) int_digits_ = ints;
      if (fracs > scale_) scale_ = fracs;
      decimal_ = int_digits_ + scale_ <= 38;
    }
  }
  if (float_) float_ = ParseFloat(text, &v.f);
  if (date_) date_ = ParseDate(text, &v.i);
  if (ts_) {
    ts_ = ParseTimestamp(text, &v.i, &zoned);
    tz_ = tz_ || zoned;
  }
}

ColumnType TypeInferrer::Result() const {
  if (!any_) return {Kind::kUtf8, 0, 0};
  if (bool_) return {Kind::kBool, 0, 0};
  if (int_) return {Kind::kInt64, 0, 0};
  if (decimal_) return {Kind::kDecimal, 38, scale_};
  if (float_) return {Kind::kFloat64, 0, 0};
  if (date_) return {Kind::kDate, 0, 0};
  if (ts_) return {tz_ ? Kind::kTimestampTz : Kind::kTimestamp, 0, 0};
  return {Kind::kUtf8, 0, 0};
}

int CsvReader::Get() {
  if (pos_ == len_) {
    len_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    pos_ = 0;
    if (len_ == 0) return EOF;
  }
  const int c = static_cast<unsigned char>(buffer_[pos_++]);
  ++bytes_;
  if (c == '\n') ++line_;
  return c;
}

void CsvReader::Unget(int c) {
  if (c == EOF) return;
  --pos_;
  --bytes_;
  if (c == '\n') --line_;
}

void CsvReader::SkipLine() {
  for (int c = Get(); c != '\n' && c != EOF; c = Get()) {
  }
}

void CsvReader::SkipByteOrderMark() {
  started_ = true;
  const int c = Get();
  if (c == 0xEF && len_ - pos_ >= 2 && static_cast<unsigned char>(buffer_[pos_]) == 0xBB &&
      static_cast<unsigned char>(buffer_[pos_ + 1]) == 0xBF) {
    pos_ += 2;
    bytes_ += 2;
  } else {
    Unget(c);
  }
}

int CsvReader::SkipBlankLines() {
  for (int c = Get();; c = Get()) {
    if (c == '\r') {
      const int n = Get();
      if (n == '\n') continue;
      Unget(n);
    }
    if (c != '\n') return c;
  }
}

bool CsvReader::ReadField(int* c, std::string* field, bool* is_quoted) {
  field->clear();
  *is_quoted = *c == '"';
  if (*is_quoted) {
    for (;;) {
      *c = Get();
      if (*c == EOF) {
        error_ = "unterminated quoted field";
        return false;
      }
      if (*c == '"') {
        *c = Get();
        if (*c != '"') break;  // the closing quote; *c is what follows it
      }
      *field += static_cast<char>(*c);
    }
  }
  while (*c != delimiter_ && *c != '\n' && *c != EOF) {
    if (*c == '\r') {
      const int n = Get();
      if (n == '\n') {
        *c = '\n';
        break;
      }
      Unget(n);
    }
    if (*is_quoted) {
      error_ = "unexpected character after a closing quote";
      SkipLine();
      return false;
    }
    *field += static_cast<char>(*c);
    *c = Get();
  }
  return true;
}

CsvReader::Status CsvReader::Next(std::vector<std::string>* fields, std::vector<bool>* quoted) {
  fields->clear();
  quoted->clear();
  error_.clear();
  if (!started_) SkipByteOrderMark();
  int c = SkipBlankLines();
  if (c == EOF) {
    if (!std::ferror(file_)) return Status::kEnd;
    error_ = std::string("read failed: ") + std::strerror(errno);
    return Status::kError;
  }
  record_line_ = line_;
  std::string field;
  for (;;) {  // one field per turn; `c` is its first character
    bool is_quoted = false;
    if (!ReadField(&c, &field, &is_quoted)) return Status::kError;
    fields->push_back(field);
    quoted->push_back(is_quoted);
    if (c != delimiter_) return Status::kRecord;  // end of line or of file
    c = Get();
  }
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace source_csv
