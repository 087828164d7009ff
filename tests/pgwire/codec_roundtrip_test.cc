// PostgreSQL -> COPY binary -> Arrow -> COPY binary (or text) -> PostgreSQL round trips of
// every SPEC §9.1 type against a real server, compared with EXCEPT ALL both ways and column
// by column as text.
#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "base/test_util.h"
#include "pgwire/catalog.h"
#include "pgwire/copy_decoder.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/copy_text.h"
#include "tests/harness/pg_cluster_fixture.h"
#include "tests/pgwire/pg_session.h"

namespace rapidbyte::pgwire {
namespace {

constexpr char kDb[] = "codec_rt";

constexpr char kSetup[] = R"SQL(
CREATE DOMAIN posint AS int4 CHECK (VALUE > 0);
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE a (
  id int8 PRIMARY KEY, i2 int2, i4 int4 NOT NULL, i8 int8, f4 real, f8 float8 NOT NULL,
  dec numeric(12,4), dec_nn numeric(38,10) NOT NULL, num numeric, b bool, t text NOT NULL,
  vc varchar(16), bp char(5), nm name, by bytea, d date, tm time, ts timestamp,
  tz timestamptz, iv interval, u uuid, j json, jb jsonb, dom posint, ai int4[], at text[],
  an numeric(10,2)[], ats timestamptz[], au uuid[]);
INSERT INTO a VALUES
 (1, 1, 2, 3, 1.5, 2.5, 1234.5678, 1.5, 12.50, true, 'h€llo wörld', 'vc', 'ab', 'nm',
  '\x00ff00', '2024-01-31', '10:30:00.5', '2024-01-31 10:00:00.123456',
  '2024-01-31 10:00:00.123456+02', '1 year 2 mons 3 days 04:05:06.789',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": null}', 5, '{1,NULL,3}',
  '{"",NULL,"x y"}', '{1.10,NULL}', '{infinity,"2024-01-01 00:00:00+00"}',
  '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'),
 (2, NULL, 0, NULL, NULL, 'NaN', NULL, 0, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', '{}', NULL, NULL, NULL),
 (3, -32768, -2147483648, -9223372036854775808, 'NaN', '-Infinity', -99999999.9999,
  -9999999999999999999999999999.9999999999, 'NaN', false, E'tab\there\nnl \\ bs', '', '',
  '', '\x', 'infinity', '00:00', '-infinity', 'infinity', '-1 days -00:00:00.000001',
  '00000000-0000-0000-0000-000000000000', '[]', '[]', 1, '{NULL}', '{NULL}', '{-0.01}',
  '{-infinity}', '{}'),
 (4, 32767, 2147483647, 9223372036854775807, '-0', '-0', 0, 0, '-Infinity', true, '日本語',
  'x', 'x', 'x', '\x0000', '-infinity', '23:59:59.999999', 'infinity', '-infinity',
  '178000000 years', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '"s"', '"s"', 2147483647,
  '{0}', '{"\\"}', '{}', '{}', '{}'),
 (5, 0, 0, 0, 'Infinity', 'Infinity', 0.0001, 0.0000000001,
  '123456789012345678901234567890123456789012.000000000000000000000000000000000001',
  false, 'z', 'z', 'z', 'z', '\x', '0001-01-01', '12:00', '1999-12-31 23:59:59.999999',
  '1970-01-01 00:00:00+00', '0', NULL, 'null', 'null', 3, '{}', '{}', '{}', '{}', '{}'),
 (6, 7, 8, 9, 3.4028235e38, 1e-300, -0.0001, 1, -0.000000001, true,
  E'quote " brace { } comma , \\N', 'NULL', 'a', 'n', '\x5c22', '0044-03-15 BC',
  '24:00:00', '0044-03-15 10:00:00.5 BC', '4713-01-01 00:00:00+00 BC',
  '-178000000 years -3 days -01:02:03.000004', '12345678-9abc-def0-1234-56789abcdef0',
  '{"k": "v\"w"}', '{"k": "a\\b"}', 9, '{-1,2}', '{"NULL","a,b","{x}","q\"t","b\\s"," lead",null}',
  '{NULL,1.00}', '{"0044-03-15 10:00:00+00 BC"}', '{}');
CREATE TABLE b (LIKE a INCLUDING ALL);
CREATE TABLE b_text (LIKE a INCLUDING ALL);
CREATE TABLE c (id int8, tt timetz, ip inet, mo mood, r int4range, bits bit(3), mac macaddr,
  pt point, ips inet[], note text);
INSERT INTO c VALUES
 (1, '10:30:00.5+02', '192.168.0.1/24', 'happy', '[1,5)', B'101', '08:00:2b:01:02:03',
  '(1,2)', '{10.0.0.1,NULL}', E'tab\there\nnl \\ bs \\N'),
 (2, NULL, NULL, NULL, 'empty', NULL, NULL, NULL, '{}', '');
CREATE TABLE c2 (LIKE c);
)SQL";

class CodecRoundTripTest : public rapidbyte::testing::PgClusterTest {
 protected:
  void SetUp() override {
    PgClusterTest::SetUp();
    if (HasFatalFailure()) return;
    static bool created = false;
    if (!created) {
      ASSERT_OK(cluster()->CreateDatabase(kDb));
      ASSERT_OK(cluster()->Exec(kDb, kSetup));
      created = true;
    }
    auto conn = testing::OpenSession(*cluster(), testing::SessionOptions("postgres", "", kDb));
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = conn.MoveValueUnsafe();
  }

  // Read `table` with the binary COPY decoder into *builder (created here).
  Status ReadTable(const std::string& table, RelationCatalog* catalog,
                   std::unique_ptr<arrow::RecordBatchBuilder>* builder) {
    RB_ASSIGN_OR_RETURN(*catalog, LookupRelation(conn_.get(), "public", table));
    RB_ASSIGN_OR_RETURN(RelationPlan plan, MapRelation("public", table, catalog->columns,
                                                       catalog->primary_key));
    RB_ASSIGN_OR_RETURN(*builder, arrow::RecordBatchBuilder::Make(plan.schema));
    RB_ASSIGN_OR_RETURN(auto decoder, CopyBinaryDecoder::Make(plan.codecs, builder->get()));
    std::vector<std::string> names;
    for (const PgColumn& c : catalog->columns) names.push_back(c.name);
    RB_RETURN_NOT_OK(conn_->StartCopyOut("COPY (SELECT " + SelectList(names, plan.codecs) +
                                         " FROM public." + table +
                                         " ORDER BY id) TO STDOUT (FORMAT binary)")
                         .status());
    Bytes chunk;
    while (true) {
      RB_ASSIGN_OR_RETURN(bool more, conn_->NextCopyData(&chunk));
      if (!more) break;
      RB_RETURN_NOT_OK(decoder->Feed(chunk));
      RB_ASSIGN_OR_RETURN(FillStop stop, FillBatch(decoder.get(), builder->get(), 1 << 30,
                                                   std::int64_t{1} << 40));
      if (stop == FillStop::kDataError) return Status::Internal(decoder->row().error);
    }
    if (!decoder->finished()) return Status::DataLoss("COPY ended without the trailer");
    return Status::OK();
  }

  // EXCEPT ALL both ways over `cols`, then each column compared as text.
  void ExpectSameRows(const std::string& x, const std::string& y,
                      const std::vector<PgColumn>& columns) {
    std::string list;
    for (const PgColumn& c : columns) {
      if (!list.empty()) list += ", ";
      const bool no_eq = c.format_type == "json" || c.format_type == "point";
      list += QuoteIdent(c.name) + (no_eq ? "::text" : "");
    }
    for (const auto& [l, r] : {std::pair{x, y}, std::pair{y, x}}) {
      auto rows = cluster()->Query(kDb, "SELECT " + list + " FROM " + l + " EXCEPT ALL SELECT " +
                                            list + " FROM " + r);
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      EXPECT_EQ(rows->size(), 0u) << l << " EXCEPT ALL " << r;
    }
    for (const PgColumn& c : columns) {
      const std::string q = QuoteIdent(c.name);
      auto rows = cluster()->Query(
          kDb, "SELECT x.id FROM " + x + " x JOIN " + y + " y USING (id) WHERE x." + q +
                   "::text IS DISTINCT FROM y." + q + "::text");
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      EXPECT_EQ(rows->size(), 0u) << "column " << c.name;
    }
  }

  // The columns of `table` as encoder targets, and their quoted names as a column list.
  void Targets(const std::string& table, std::vector<TargetColumn>* targets, std::string* cols) {
    ASSERT_OK_AND_ASSIGN(RelationCatalog target, LookupRelation(conn_.get(), "public", table));
    for (const PgColumn& c : target.columns) {
      targets->push_back({c.base_oid, c.elem_oid, c.base_name});
      *cols += (cols->empty() ? "" : ", ") + QuoteIdent(c.name);
    }
  }

  // COPY every row of `batch` into `table` (same column names) with the text encoder.
  void CopyTextRows(const arrow::RecordBatch& batch, const std::string& table) {
    std::vector<TargetColumn> targets;
    std::string cols;
    ASSERT_NO_FATAL_FAILURE(Targets(table, &targets, &cols));
    ASSERT_OK_AND_ASSIGN(CopyTextEncoder encoder, CopyTextEncoder::Make(batch.schema(), targets));
    arrow::ByteBuffer out;
    for (std::int64_t r = 0; r < batch.num_rows(); ++r) ASSERT_OK(encoder.EncodeRow(batch, r, &out));
    ASSERT_OK(conn_->StartCopyIn("COPY " + table + " (" + cols + ") FROM STDIN (FORMAT text)")
                  .status());
    ASSERT_OK(conn_->WriteCopyData(out.span()));
    ASSERT_OK_AND_ASSIGN(std::uint64_t rows, conn_->EndCopyIn());
    EXPECT_EQ(rows, static_cast<std::uint64_t>(batch.num_rows()));
  }

  std::unique_ptr<Connection> conn_;
};

TEST_F(CodecRoundTripTest, EveryBinaryTypeRoundTripsThroughArrow) {
  RelationCatalog catalog;
  std::unique_ptr<arrow::RecordBatchBuilder> builder;
  ASSERT_OK(ReadTable("a", &catalog, &builder));
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, builder->Finish());
  ASSERT_EQ(batch.num_rows(), 6);
  EXPECT_EQ(catalog.primary_key, std::vector<std::string>{"id"});
  EXPECT_EQ(batch.schema().field(6).type().ToString(), "decimal128(12, 4)");
  EXPECT_FALSE(batch.schema().field(2).nullable());
  EXPECT_EQ(batch.schema().field(23).metadata().Get("pg_type"), "posint");

  std::vector<TargetColumn> targets;
  std::string cols;
  ASSERT_NO_FATAL_FAILURE(Targets("b", &targets, &cols));
  ASSERT_OK_AND_ASSIGN(CopyBinaryEncoder encoder, CopyBinaryEncoder::Make(batch.schema(), targets));
  arrow::ByteBuffer out;
  ASSERT_OK(CopyBinaryEncoder::AppendHeader(&out));
  ASSERT_OK(encoder.EncodeBatch(batch, &out));
  ASSERT_OK(CopyBinaryEncoder::AppendTrailer(&out));
  ASSERT_OK(conn_->StartCopyIn("COPY b (" + cols + ") FROM STDIN (FORMAT binary)").status());
  ASSERT_OK(conn_->WriteCopyData(out.span()));
  ASSERT_OK_AND_ASSIGN(std::uint64_t rows, conn_->EndCopyIn());
  EXPECT_EQ(rows, 6u);
  ExpectSameRows("a", "b", catalog.columns);
}

// The text COPY encoder on the binary types: every value printed from its binary form must
// read back as the same value (BC dates, 24:00, extreme intervals, array quoting, bytea).
TEST_F(CodecRoundTripTest, EveryBinaryTypeRoundTripsThroughTextCopy) {
  RelationCatalog catalog;
  std::unique_ptr<arrow::RecordBatchBuilder> builder;
  ASSERT_OK(ReadTable("a", &catalog, &builder));
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, builder->Finish());
  ASSERT_EQ(batch.num_rows(), 6);
  // A session in another time zone: timestamptz text carries its UTC offset.
  ASSERT_OK(conn_->Execute("SET TimeZone = 'America/New_York'"));
  CopyTextRows(batch, "b_text");
  ExpectSameRows("a", "b_text", catalog.columns);
}

TEST_F(CodecRoundTripTest, TextCarriedTypesRoundTripThroughTextCopy) {
  RelationCatalog catalog;
  std::unique_ptr<arrow::RecordBatchBuilder> builder;
  ASSERT_OK(ReadTable("c", &catalog, &builder));
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, builder->Finish());
  ASSERT_EQ(batch.num_rows(), 2);
  EXPECT_EQ(batch.schema().field(8).type().ToString(), "list<utf8>");
  ASSERT_OK_AND_ASSIGN(RelationCatalog target, LookupRelation(conn_.get(), "public", "c2"));
  EXPECT_TRUE(RequiresTextFormat(batch.schema().field(2).type(),
                                 {target.columns[2].base_oid, 0, target.columns[2].base_name}));
  EXPECT_TRUE(RequiresTextFormat(batch.schema().field(8).type(),
                                 {target.columns[8].base_oid, target.columns[8].elem_oid,
                                  target.columns[8].base_name}));
  CopyTextRows(batch, "c2");
  ExpectSameRows("c", "c2", catalog.columns);
}

}  // namespace
}  // namespace rapidbyte::pgwire
