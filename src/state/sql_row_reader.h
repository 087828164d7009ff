// RowReader: reads the cells of one SqlRow in column order, parsing integers and collecting
// the first malformed cell as a DataLoss status (a corrupted or hand-edited state table).
// [host]
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "state/sql_session.h"

namespace rapidbyte::state {

class RowReader {
 public:
  explicit RowReader(const SqlRow& row) : row_(row) {}

  /// The next cell's text; NULL reads as "".
  std::string Text() {
    const std::optional<std::string>* cell = Next();
    return cell && *cell ? **cell : std::string();
  }
  /// The next cell as an integer; NULL reads as 0.
  std::int64_t Int() {
    const std::optional<std::string>* cell = Next();
    if (!cell || !*cell) return 0;
    const std::string& text = **cell;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if ((ec != std::errc() || end != text.data() + text.size()) && status_.ok()) {
      status_ = Status::DataLoss("state database: column " + std::to_string(index_) +
                                 " holds '" + text + "', expected an integer");
    }
    return value;
  }
  const Status& status() const { return status_; }

 private:
  const std::optional<std::string>* Next() {
    if (index_ >= row_.size()) {
      if (status_.ok()) status_ = Status::Internal("state database: row has too few columns");
      return nullptr;
    }
    return &row_[index_++];
  }

  const SqlRow& row_;
  std::size_t index_ = 0;
  Status status_;
};

}  // namespace rapidbyte::state
