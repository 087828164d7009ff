// Type mapping (SPEC §9.1), catalog row decoding, SELECT lists, and the numeric codec.
#include <gtest/gtest.h>

#include "base/test_util.h"
#include "pgwire/catalog.h"
#include "pgwire/copy_test_util.h"
#include "pgwire/numeric.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgwire {
namespace {

PgColumn Col(std::uint32_t type, std::int32_t typmod = -1, std::string format = "x") {
  PgColumn c;
  c.name = "c";
  c.type_oid = c.base_oid = type;
  c.typmod = typmod;
  c.format_type = std::move(format);
  return c;
}

std::string TypeOf(const PgColumn& c) {
  Result<ColumnPlan> plan = MapColumn(c);
  return plan.ok() ? plan->field.type().ToString() : plan.status().ToString();
}

TEST(TypeMapTest, MapsEveryCategory) {
  EXPECT_EQ(TypeOf(Col(oid::kInt2)), "int16");
  EXPECT_EQ(TypeOf(Col(oid::kFloat8)), "float64");
  EXPECT_EQ(TypeOf(Col(oid::kNumeric, ((12 << 16) | 2) + 4)), "decimal128(12, 2)");
  EXPECT_EQ(TypeOf(Col(oid::kNumeric, ((39 << 16) | 2) + 4)), "utf8");
  EXPECT_EQ(TypeOf(Col(oid::kNumeric, ((10 << 16) | 0x7ff) + 4)), "utf8");  // scale -1
  EXPECT_EQ(TypeOf(Col(oid::kNumeric)), "utf8");
  EXPECT_EQ(TypeOf(Col(oid::kTimestamptz)), "timestamp[us, UTC]");
  EXPECT_EQ(TypeOf(Col(oid::kInterval)), "interval[month_day_nano]");
  ASSERT_OK_AND_ASSIGN(ColumnPlan uuid, MapColumn(Col(oid::kUuid, -1, "uuid")));
  EXPECT_EQ(uuid.field.extension_name(), "arrow.uuid");
  EXPECT_EQ(uuid.field.metadata().Get("pg_type"), "uuid");
  ASSERT_OK_AND_ASSIGN(ColumnPlan timetz, MapColumn(Col(oid::kTimetz)));
  EXPECT_TRUE(timetz.codec.cast_to_text);
  EXPECT_EQ(timetz.field.type().ToString(), "utf8");
  PgColumn domain = Col(99999, -1, "public.posint");
  domain.base_oid = oid::kInt4;
  domain.not_null = true;
  ASSERT_OK_AND_ASSIGN(ColumnPlan d, MapColumn(domain));
  EXPECT_EQ(d.field.ToString(), "c: int32 not null");
  EXPECT_EQ(d.field.metadata().Get("pg_type"), "public.posint");
  PgColumn arr = Col(1231, ((10 << 16) | 2) + 4, "numeric(10,2)[]");
  arr.typcategory = 'A';
  arr.elem_oid = oid::kNumeric;
  EXPECT_EQ(TypeOf(arr), "list<decimal128(10, 2)>");
  PgColumn inets = Col(1041, -1, "inet[]");
  inets.typcategory = 'A';
  inets.elem_oid = 869;
  ASSERT_OK_AND_ASSIGN(ColumnPlan ip, MapColumn(inets));
  EXPECT_TRUE(ip.codec.cast_to_text && ip.codec.is_array);
  EXPECT_EQ(SelectList({"a", "we\"ird", "ip"}, {ColumnCodec{}, timetz.codec, ip.codec}),
            "\"a\", \"we\"\"ird\"::text AS \"we\"\"ird\", \"ip\"::text[] AS \"ip\"");
}

TEST(TypeMapTest, RelationMetadataAndCatalogRows) {
  QueryResult r;
  const auto row = [](std::string attnum, std::string name, std::string type, std::string fmt,
                      std::string notnull, std::string cat, std::optional<std::string> elem) {
    return QueryResult::Row{"r", "t", "2 1", attnum, name, type, "-1", fmt, notnull, type,
                            "x", "b", cat, elem, std::string("int4")};
  };
  r.rows.push_back(row("1", "id", "20", "bigint", "t", "N", std::nullopt));
  r.rows.push_back(row("2", "tags", "1007", "integer[]", "f", "A", "23"));
  ASSERT_OK_AND_ASSIGN(RelationCatalog cat, DecodeCatalog(r, "public", "t"));
  ASSERT_EQ(cat.columns.size(), 2u);
  EXPECT_EQ(cat.primary_key, (std::vector<std::string>{"tags", "id"}));
  ASSERT_OK_AND_ASSIGN(RelationPlan plan, MapRelation("public", "t", cat.columns, cat.primary_key));
  EXPECT_EQ(plan.schema->metadata().Get("pg_relation"), "public.t");
  EXPECT_EQ(plan.schema->metadata().Get("pg_primary_key"), "[\"tags\",\"id\"]");
  EXPECT_EQ(plan.schema->field(1).type().ToString(), "list<int32>");
  EXPECT_EQ(DecodeCatalog(QueryResult{}, "public", "t").status().code(), StatusCode::kNotFound);
  r.rows[0][5] = "x1";
  EXPECT_EQ(DecodeCatalog(r, "public", "t").status().code(), StatusCode::kDataLoss);
}

std::string RoundTripText(std::string_view text) {
  std::string bin;
  if (Status st = TextToNumeric(text, &bin); !st.ok()) return st.ToString();
  NumericView n;
  if (Status st = ParseNumeric(testing::AsBytes(bin), &n); !st.ok()) return st.ToString();
  std::string out(static_cast<std::size_t>(NumericTextLength(n)), '\0');
  out.resize(static_cast<std::size_t>(NumericToText(n, out.data())));
  return out;
}

TEST(NumericTest, TextRoundTrips) {
  for (std::string_view v : {"0", "-0.5", "12.3400", "0.0001", "10000", "-12.50", "NaN",
                             "Infinity", "-Infinity", "123456789012345678901234567890.123",
                             "0.000000000000000000000000000000000000000001", "99999999"}) {
    EXPECT_EQ(RoundTripText(v), v);
  }
  EXPECT_EQ(RoundTripText("-0"), "0");
  EXPECT_EQ(RoundTripText("007.10"), "7.10");
  EXPECT_EQ(RoundTripText("1e5"), "InvalidArgument: invalid numeric text");
  EXPECT_EQ(RoundTripText("."), "InvalidArgument: invalid numeric text");
}

TEST(NumericTest, Decimal128BothWays) {
  const arrow::Decimal128 max38{0x098a224000000000ULL - 1, 0x4b3b4ca85a86c47a};  // 10^38 - 1
  for (auto [v, scale] : std::vector<std::pair<arrow::Decimal128, int>>{
           {arrow::Decimal128::FromInt64(-123400), 4}, {arrow::Decimal128::FromInt64(0), 2},
           {arrow::Decimal128::FromInt64(5), 38}, {max38, 0}, {max38, 38}, {max38, 21}}) {
    std::uint8_t buf[kMaxDecimalNumericBytes];
    const auto n = Decimal128ToNumeric(v, scale, buf);
    NumericView view;
    ASSERT_OK(ParseNumeric(Bytes(buf, static_cast<std::size_t>(n)), &view));
    arrow::Decimal128 back;
    ASSERT_OK(NumericToDecimal128(view, 38, scale, &back));
    EXPECT_EQ(back, v);
    char text[64], want[64];
    EXPECT_EQ(std::string_view(text, static_cast<std::size_t>(NumericToText(view, text))),
              std::string_view(want, static_cast<std::size_t>(Decimal128ToText(v, scale, want))));
  }
  NumericView big;
  const std::string forty = testing::Numeric(9, 0, 0, {1});  // 10^36
  ASSERT_OK(ParseNumeric(testing::AsBytes(forty), &big));
  arrow::Decimal128 out;
  EXPECT_OK(NumericToDecimal128(big, 38, 0, &out));
  EXPECT_EQ(NumericToDecimal128(big, 38, 2, &out).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(NumericToDecimal128(big, 36, 0, &out).code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace rapidbyte::pgwire
