// The SPEC §9.1 type-fidelity table of the e2e suite: every type PostgreSQL sources carry,
// NOT NULL variants, NULLs, NaN, ±Infinity, -0, empty and NULL-holding arrays, non-ASCII
// text and bytea with zero bytes. Used by pg_data_test (PostgreSQL round trip) and
// files_test (Parquet, CSV and JSON Lines read back by DuckDB and hyparquet).
#pragma once

namespace rapidbyte::e2e {

// §9.1 types (one column each, plus NOT NULL variants), in the source and destination.
inline constexpr const char* kUserTypes =
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
    "CREATE DOMAIN posint AS integer CHECK (VALUE > 0);";

inline constexpr const char* kAllTypes =
    "CREATE TABLE all_types ("
    " id int PRIMARY KEY,"
    " c_int2 smallint, c_int4 integer, c_int8 bigint,"
    " c_float4 real, c_float8 double precision,"
    " c_num numeric(12,2), c_num_big numeric(38,10), c_num_free numeric,"
    " c_bool boolean, c_text text, c_varchar varchar(64), c_char char(5), c_name name,"
    " c_bytea bytea, c_date date, c_time time, c_timetz timetz, c_ts timestamp,"
    " c_tstz timestamptz, c_interval interval, c_uuid uuid, c_json json, c_jsonb jsonb,"
    " c_inet inet, c_cidr cidr, c_macaddr macaddr, c_macaddr8 macaddr8, c_money money,"
    " c_bit bit(3), c_varbit varbit(8), c_xml xml, c_tsvector tsvector, c_mood mood,"
    " c_range int4range, c_point point, c_domain posint,"
    " c_int_arr integer[], c_text_arr text[], c_float_arr double precision[], c_date_arr date[],"
    " n_int4 integer NOT NULL, n_text text NOT NULL, n_float8 double precision NOT NULL,"
    " n_num numeric(12,2) NOT NULL, n_tstz timestamptz NOT NULL, n_date date NOT NULL,"
    " n_bool boolean NOT NULL, n_uuid uuid NOT NULL, n_arr integer[] NOT NULL);"
    "INSERT INTO all_types VALUES"
    // Ordinary values.
    " (1, 1, 2, 3, 1.5, 2.25, 1234567890.12, 12345678901234567890.0123456789, 3.14159265358979,"
    "  true, 'plain', 'varchar', 'ab', 'a_name', '\\x0102', '2024-02-29', '13:45:30.123456',"
    "  '10:30:00.5+02', '2024-01-31 10:00:00.123456', '2024-01-31 10:00:00.123456+00',"
    "  '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
    "  '{\"a\": [1, 2.5, \"x\"]}', '{\"b\": {\"c\": null}}', '192.168.0.1', '10.0.0.0/8',"
    "  '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '12.34', B'101', B'11', '<a>1</a>',"
    "  'fat cat', 'happy', '[1,5)', '(1.5,2)', 7, '{1,2,3}', '{\"a\",\"b c\"}', '{1.5,-2}',"
    "  '{2024-01-01}', 42, 'nn', 1.25, 9.99, '2024-01-01 00:00:00+00', '2024-01-01', false,"
    "  '00000000-0000-0000-0000-000000000001', '{1}'),"
    // NULL everywhere it is allowed; empty strings and arrays where it is not.
    " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, '', 0, 0,"
    "  '1970-01-01 00:00:00+00', '1970-01-01', true, 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{}'),"
    // Extremes: NaN, -0, infinities, extreme integers, non-ASCII, zero bytes, NULL elements.
    " (3, -32768, -2147483648, -9223372036854775808, 'NaN', '-0', -9999999999.99,"
    "  -9999999999999999999999999999.9999999999, 'NaN', false, 'héllo wörld 世界 🎉', '',"
    "  'é', '', '\\x00ff0000', 'infinity', '00:00:00', '00:00:00-12', '-infinity', 'infinity',"
    "  '-1 mons -2 days -00:00:01', '00000000-0000-0000-0000-000000000000', '[]', '{}', '::1',"
    "  '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00:00:00', '-92233720368547758.08',"
    "  B'000', B'', '<x/>', '', 'sad', 'empty', '(-1,-1)', 1, '{}', '{NULL,\"\"}', "
    "'{NaN,Infinity,-Infinity,-0}',"
    "  '{NULL,infinity}', 2147483647, 'ü', '-Infinity', -0.01, 'infinity', '-infinity', false,"
    "  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{NULL,1}'),"
    " (4, 32767, 2147483647, 9223372036854775807, 'Infinity', '-Infinity', 0, 0, 'Infinity',"
    "  NULL, 'tab\there\nnewline \\ backslash', 'quote''s', NULL, NULL, '\\x', '-infinity',"
    "  '23:59:59.999999', NULL, 'infinity', '-infinity', '0', NULL, 'null', '[1, \"two\"]', NULL,"
    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'ok', NULL, NULL, NULL, '{NULL}', NULL,"
    "  NULL, NULL, -1, 'x', 'Infinity', 0, '-infinity', 'infinity', true,"
    "  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '{-1,0,1}'),"
    " (5, 0, 0, 0, '-Infinity', 'NaN', NULL, NULL, '-Infinity', NULL, NULL, NULL, NULL, NULL,"
    "  NULL, '4713-01-01 BC', NULL, NULL, '4713-01-01 00:00:00 BC', '200000-12-31 "
    "23:59:59.999999+00',"
    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    "  NULL, NULL, NULL, NULL, NULL, NULL, 0, 'y', '-0', 0, '2000-01-01 00:00:00+00', "
    "'2000-01-01', true,"
    "  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', '{}')";

}  // namespace rapidbyte::e2e
