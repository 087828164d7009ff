// The CSV side of source-csv, free of the SDK and of Arrow so that it compiles anywhere
// (the connector for wasm32, its unit tests natively): reading records (RFC 4180 quoting,
// embedded delimiters, doubled quotes and newlines), parsing a field as a column type, and
// inferring a column's type from sample values.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace source_csv {

enum class Kind { kInt64, kFloat64, kDecimal, kBool, kDate, kTimestamp, kTimestampTz, kUtf8 };

struct ColumnType {
  Kind kind = Kind::kUtf8;
  int precision = 0;  // decimal only
  int scale = 0;      // decimal only
};

/// "int64", "float64", "decimal(p,s)" (1 <= p <= 38, 0 <= s <= p), "bool", "date",
/// "timestamp" (no time zone), "timestamptz" (UTC), "utf8"; nullopt for anything else.
std::optional<ColumnType> ParseTypeName(std::string_view name);
/// The spelling ParseTypeName reads.
std::string TypeName(const ColumnType& type);

/// One parsed field. Which member holds the value depends on the column's kind:
/// int64 → i, float64 → f, decimal → d (unscaled), bool → b, date → i (days since
/// 1970-01-01), timestamp / timestamptz → i (microseconds since 1970-01-01, UTC for values
/// with an offset), utf8 → none (the text is the value).
struct Value {
  std::int64_t i = 0;
  double f = 0;
  __extension__ __int128 d = 0;  // __extension__: -Wpedantic knows no 128-bit integers
  bool b = false;
};

/// Parse `text` as `type`. False when it is not a value of that type (including a decimal
/// with more fractional digits than the scale, or more digits than the precision).
bool ParseValue(std::string_view text, const ColumnType& type, Value* out);

/// The narrowest type every sample value parses as, trying bool, int64, decimal (plain
/// fixed-point numbers: decimal(38, largest scale seen)), float64 (exponents, nan, inf),
/// date, timestamp (timestamptz when a value carries an offset or Z), then utf8. No
/// samples → utf8.
class TypeInferrer {
 public:
  void Add(std::string_view text);
  ColumnType Result() const;

 private:
  bool any_ = false;
  bool bool_ = true, int_ = true, decimal_ = true, float_ = true, date_ = true, ts_ = true;
  bool tz_ = false;
  int scale_ = 0;       // the most fractional digits seen
  int int_digits_ = 0;  // the most integer digits seen
};

/// Reads CSV records from a FILE. Records end at \n or \r\n outside quotes; a field that
/// starts with a quote runs to the matching quote ("" inside is one quote, delimiters and
/// newlines are literal). Blank lines are skipped, a UTF-8 byte order mark is ignored.
class CsvReader {
 public:
  enum class Status { kRecord, kEnd, kError };

  CsvReader(std::FILE* file, char delimiter) : file_(file), delimiter_(delimiter) {}

  /// The next record's fields (and whether each was quoted: a quoted field never matches
  /// the NULL spelling). kError: a syntax error (error()), or a read failure; the reader
  /// continues after the bad record.
  Status Next(std::vector<std::string>* fields, std::vector<bool>* quoted);
  /// The 1-based line where the last record started.
  std::int64_t record_line() const { return record_line_; }
  const std::string& error() const { return error_; }
  /// Bytes consumed so far.
  std::int64_t bytes() const { return bytes_; }

 private:
  int Get();  // the next byte, or EOF
  void Unget(int c);
  void SkipLine();
  void SkipByteOrderMark();
  int SkipBlankLines();  // the first byte of the next record, or EOF
  // One field starting at *c (its first byte); *c ends as the byte after it (delimiter,
  // newline or EOF). False on a syntax error (error_ set).
  bool ReadField(int* c, std::string* field, bool* is_quoted);

  std::FILE* file_;
  char delimiter_;
  std::vector<char> buffer_ = std::vector<char>(64 * 1024);
  std::size_t pos_ = 0, len_ = 0;
  bool started_ = false;  // byte order mark checked
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 0;
  std::int64_t bytes_ = 0;
  std::string error_;
};

/// True when `name` matches `pattern` (`*` any run of characters, `?` one character; no
/// directories).
bool GlobMatch(std::string_view pattern, std::string_view name);

/// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d);

}  // namespace source_csv
