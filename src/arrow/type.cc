// DataType factories, layouts, validation and canonical spellings (SPEC §9.1).
#include "arrow/type.h"

#include <utility>

#include "arrow/schema.h"

namespace rapidbyte::arrow {

std::string_view TimeUnitSuffix(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond:
      return "s";
    case TimeUnit::kMilli:
      return "ms";
    case TimeUnit::kMicro:
      return "us";
    case TimeUnit::kNano:
      return "ns";
  }
  return "?";
}

DataType DataType::Decimal128(int32_t precision, int32_t scale) {
  DataType t(TypeId::kDecimal128);
  t.precision_ = precision;
  t.scale_ = scale;
  return t;
}

DataType DataType::FixedSizeBinary(int32_t byte_width) {
  DataType t(TypeId::kFixedSizeBinary);
  t.precision_ = byte_width;
  return t;
}

DataType DataType::Time64(TimeUnit unit) {
  DataType t(TypeId::kTime64);
  t.unit_ = unit;
  return t;
}

DataType DataType::Timestamp(TimeUnit unit, std::string timezone) {
  DataType t(TypeId::kTimestamp);
  t.unit_ = unit;
  t.timezone_ = std::move(timezone);
  return t;
}

DataType DataType::List(Field item) {
  DataType t(TypeId::kList);
  t.item_ = std::make_shared<const Field>(std::move(item));
  return t;
}

DataType DataType::List(DataType item_type) {
  return List(Field("item", std::move(item_type), /*nullable=*/true));
}

const DataType& DataType::item_type() const { return item_->type(); }

Layout DataType::layout() const {
  switch (id_) {
    case TypeId::kNull:
      return Layout::kNull;
    case TypeId::kBool:
      return Layout::kBitmap;
    case TypeId::kUtf8:
    case TypeId::kBinary:
      return Layout::kVarBinary32;
    case TypeId::kLargeUtf8:
    case TypeId::kLargeBinary:
      return Layout::kVarBinary64;
    case TypeId::kList:
      return Layout::kList32;
    default:
      return Layout::kFixedWidth;
  }
}

int32_t DataType::fixed_width() const {
  switch (id_) {
    case TypeId::kInt8:
    case TypeId::kUInt8:
      return 1;
    case TypeId::kInt16:
    case TypeId::kUInt16:
      return 2;
    case TypeId::kInt32:
    case TypeId::kUInt32:
    case TypeId::kFloat32:
    case TypeId::kDate32:
      return 4;
    case TypeId::kInt64:
    case TypeId::kUInt64:
    case TypeId::kFloat64:
    case TypeId::kTime64:
    case TypeId::kTimestamp:
      return 8;
    case TypeId::kDecimal128:
    case TypeId::kIntervalMonthDayNano:
      return 16;
    case TypeId::kFixedSizeBinary:
      return precision_;
    default:
      return 0;
  }
}

namespace {

Status ValidateAtDepth(const DataType& t, int depth) {
  switch (t.id()) {
    case TypeId::kDecimal128:
      if (t.precision() < 1 || t.precision() > 38) {
        return Status::InvalidArgument("decimal128 precision " + std::to_string(t.precision()) +
                                       " is outside 1..38");
      }
      if (t.scale() < -38 || t.scale() > 38) {
        return Status::InvalidArgument("decimal128 scale " + std::to_string(t.scale()) +
                                       " is outside -38..38");
      }
      return Status::OK();
    case TypeId::kFixedSizeBinary:
      if (t.byte_width() < 1) {
        return Status::InvalidArgument("fixed_size_binary width " + std::to_string(t.byte_width()) +
                                       " is not positive");
      }
      return Status::OK();
    case TypeId::kTime64:
      if (t.unit() != TimeUnit::kMicro && t.unit() != TimeUnit::kNano) {
        return Status::InvalidArgument("time64 unit must be us or ns, got " +
                                       std::string(TimeUnitSuffix(t.unit())));
      }
      return Status::OK();
    case TypeId::kList:
      if (depth >= 64) return Status::InvalidArgument("list nesting deeper than 64 levels");
      return ValidateAtDepth(t.item_type(), depth + 1);
    default:
      return Status::OK();
  }
}

}  // namespace

Status DataType::Validate() const { return ValidateAtDepth(*this, 0); }

std::string DataType::ToString() const {
  switch (id_) {
    case TypeId::kNull:
      return "null";
    case TypeId::kBool:
      return "bool";
    case TypeId::kInt8:
      return "int8";
    case TypeId::kInt16:
      return "int16";
    case TypeId::kInt32:
      return "int32";
    case TypeId::kInt64:
      return "int64";
    case TypeId::kUInt8:
      return "uint8";
    case TypeId::kUInt16:
      return "uint16";
    case TypeId::kUInt32:
      return "uint32";
    case TypeId::kUInt64:
      return "uint64";
    case TypeId::kFloat32:
      return "float32";
    case TypeId::kFloat64:
      return "float64";
    case TypeId::kDecimal128:
      return "decimal128(" + std::to_string(precision_) + ", " + std::to_string(scale_) + ")";
    case TypeId::kUtf8:
      return "utf8";
    case TypeId::kLargeUtf8:
      return "large_utf8";
    case TypeId::kBinary:
      return "binary";
    case TypeId::kLargeBinary:
      return "large_binary";
    case TypeId::kFixedSizeBinary:
      return "fixed_size_binary[" + std::to_string(precision_) + "]";
    case TypeId::kDate32:
      return "date32";
    case TypeId::kTime64:
      return "time64[" + std::string(TimeUnitSuffix(unit_)) + "]";
    case TypeId::kTimestamp:
      return "timestamp[" + std::string(TimeUnitSuffix(unit_)) +
             (timezone_.empty() ? "" : ", " + timezone_) + "]";
    case TypeId::kIntervalMonthDayNano:
      return "interval[month_day_nano]";
    case TypeId::kList:
      return "list<" + item_->type().ToString() + ">";
  }
  return "?";
}

bool operator==(const DataType& a, const DataType& b) {
  if (a.id_ != b.id_ || a.precision_ != b.precision_ || a.scale_ != b.scale_) return false;
  if (a.id_ == TypeId::kTime64 || a.id_ == TypeId::kTimestamp) {
    if (a.unit_ != b.unit_ || a.timezone_ != b.timezone_) return false;
  }
  if (a.id_ == TypeId::kList) {
    if (a.item_ == b.item_) return true;
    return a.item_ != nullptr && b.item_ != nullptr && *a.item_ == *b.item_;
  }
  return true;
}

}  // namespace rapidbyte::arrow
