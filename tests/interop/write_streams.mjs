// Usage: node write_streams.mjs <out dir>
// Writes one Arrow IPC stream file (<case>.arrows) per interop case with Apache Arrow JS:
// every SPEC §9 type with nulls, empty batches, several batches, a zero-row stream, unicode,
// large values, field/schema metadata and extension names. Buffers are built byte by byte
// (makeData) so the values are exact.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as A from 'apache-arrow';

const outDir = process.argv[2];
mkdirSync(outDir, { recursive: true });

const md = (obj) => new Map(Object.entries(obj));

function bitmap(valid) {
  const bits = new Uint8Array(Math.max(1, Math.ceil(valid.length / 8)));
  valid.forEach((v, i) => { if (v) bits[i >> 3] |= 1 << (i & 7); });
  return bits;
}

// values: JS array; null means null. enc(dataView, byteOffset, value) writes one value.
function fixed(type, width, values, enc) {
  const buf = new Uint8Array(Math.max(8, values.length * width));
  const dv = new DataView(buf.buffer);
  values.forEach((v, i) => { if (v !== null) enc(dv, i * width, v); });
  const valid = values.map((v) => v !== null);
  return A.makeData({
    type, length: values.length, nullCount: valid.filter((v) => !v).length,
    nullBitmap: bitmap(valid), data: new type.ArrayType(buf.buffer),
  });
}

function varbin(type, values, large) {
  const enc = new TextEncoder();
  const parts = values.map((v) => (v === null ? new Uint8Array(0)
    : typeof v === 'string' ? enc.encode(v) : v));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const data = new Uint8Array(total);
  const offsets = large ? new BigInt64Array(values.length + 1) : new Int32Array(values.length + 1);
  let at = 0;
  parts.forEach((p, i) => {
    data.set(p, at);
    at += p.length;
    offsets[i + 1] = large ? BigInt(at) : at;
  });
  const valid = values.map((v) => v !== null);
  return A.makeData({
    type, length: values.length, nullCount: valid.filter((v) => !v).length,
    nullBitmap: bitmap(valid), valueOffsets: offsets, data,
  });
}

function list(type, values, makeItems) {
  const items = [];
  const offsets = new Int32Array(values.length + 1);
  values.forEach((v, i) => {
    if (v !== null) items.push(...v);
    offsets[i + 1] = items.length;
  });
  const valid = values.map((v) => v !== null);
  return A.makeData({
    type, length: values.length, nullCount: valid.filter((v) => !v).length,
    nullBitmap: bitmap(valid), valueOffsets: offsets, child: makeItems(items),
  });
}

const I = (bits, signed) => (dv, o, v) => {
  const f = { 8: signed ? 'setInt8' : 'setUint8', 16: signed ? 'setInt16' : 'setUint16',
    32: signed ? 'setInt32' : 'setUint32', 64: signed ? 'setBigInt64' : 'setBigUint64' }[bits];
  dv[f](o, bits === 64 ? BigInt(v) : v, true);
};
const F32 = (dv, o, v) => dv.setFloat32(o, v, true);
const F64 = (dv, o, v) => dv.setFloat64(o, v, true);
const DEC = (dv, o, v) => {  // v: BigInt, two's complement over 128 bits
  const u = BigInt.asUintN(128, v);
  dv.setBigUint64(o, u & 0xFFFFFFFFFFFFFFFFn, true);
  dv.setBigUint64(o + 8, u >> 64n, true);
};
const MDN = (dv, o, v) => { dv.setInt32(o, v[0], true); dv.setInt32(o + 4, v[1], true);
  dv.setBigInt64(o + 8, BigInt(v[2]), true); };
const BYTES = (dv, o, v) => v.forEach((b, k) => dv.setUint8(o + k, b));

// Column definitions: name, type, field metadata, nullable, and a value generator per row.
const item = (t) => new A.Field('item', t, true);
const COLUMNS = [
  ['null', new A.Null(), {}, true, () => null, (t, v) => A.makeData({ type: t, length: v.length })],
  ['bool', new A.Bool(), {}, true, (k) => k % 2 === 0, (t, v) => boolData(t, v)],
  ['i8', new A.Int8(), {}, true, (k) => (k * 37) % 256 - 128, (t, v) => fixed(t, 1, v, I(8, true))],
  ['i16', new A.Int16(), { pg_type: 'smallint' }, true, (k) => k * 301 - 32768, (t, v) => fixed(t, 2, v, I(16, true))],
  ['i32', new A.Int32(), { pg_type: 'integer' }, false, (k) => k * 1000003 - 2147483648, (t, v) => fixed(t, 4, v, I(32, true))],
  ['i64', new A.Int64(), {}, true, (k) => (k === 1 ? -(2n ** 63n) : k === 2 ? 2n ** 63n - 1n : BigInt(k) * 123456789012n), (t, v) => fixed(t, 8, v, I(64, true))],
  ['u8', new A.Uint8(), {}, true, (k) => (k * 7) % 256, (t, v) => fixed(t, 1, v, I(8, false))],
  ['u16', new A.Uint16(), {}, true, (k) => (k * 4099) % 65536, (t, v) => fixed(t, 2, v, I(16, false))],
  ['u32', new A.Uint32(), {}, true, (k) => (k === 2 ? 4294967295 : k * 99991), (t, v) => fixed(t, 4, v, I(32, false))],
  ['u64', new A.Uint64(), {}, true, (k) => (k === 2 ? 2n ** 64n - 1n : BigInt(k) * 1000000007n), (t, v) => fixed(t, 8, v, I(64, false))],
  ['f32', new A.Float32(), {}, true, (k) => [1.5, -0, NaN, Infinity, -3.25e30][k % 5], (t, v) => fixed(t, 4, v, F32)],
  ['f64', new A.Float64(), {}, true, (k) => [0.1, -0, NaN, -Infinity, 1e308, 5e-324][k % 6], (t, v) => fixed(t, 8, v, F64)],
  ['dec', new A.Decimal(4, 12, 128), { pg_type: 'numeric(12,4)' }, true, (k) => BigInt(k) * 123456789n - 99999999n, (t, v) => fixed(t, 16, v, DEC)],
  ['dec38', new A.Decimal(0, 38, 128), {}, true, (k) => (k % 2 ? 1n : -1n) * (10n ** 38n - 1n), (t, v) => fixed(t, 16, v, DEC)],
  ['utf8', new A.Utf8(), { pg_type: 'text' }, true, (k) => ['', 'a', 'héllo', '日本語', '🎉 emoji', `row ${k}`][k % 6], (t, v) => varbin(t, v, false)],
  ['large_utf8', new A.LargeUtf8(), {}, true, (k) => `large ${k} ✓`, (t, v) => varbin(t, v, true)],
  ['binary', new A.Binary(), { pg_type: 'bytea' }, true, (k) => new Uint8Array([0, 255, k & 255]), (t, v) => varbin(t, v, false)],
  ['large_binary', new A.LargeBinary(), {}, true, (k) => new Uint8Array(k % 4).fill(k & 255), (t, v) => varbin(t, v, true)],
  ['uuid', new A.FixedSizeBinary(16), { 'ARROW:extension:name': 'arrow.uuid', pg_type: 'uuid' }, true, (k) => Array.from({ length: 16 }, (_, b) => (k * 16 + b) & 255), (t, v) => fixed(t, 16, v, BYTES)],
  ['json', new A.Utf8(), { 'ARROW:extension:name': 'arrow.json', pg_type: 'jsonb' }, true, (k) => `{"k": ${k}}`, (t, v) => varbin(t, v, false)],
  ['date', new A.DateDay(), { pg_type: 'date' }, true, (k) => (k === 1 ? 2147483647 : k === 2 ? -2147483648 : k * 1000 - 5000), (t, v) => fixed(t, 4, v, I(32, true))],
  ['time_us', new A.TimeMicrosecond(), { pg_type: 'time without time zone' }, true, (k) => BigInt(k) * 3600000000n % 86400000000n, (t, v) => fixed(t, 8, v, I(64, true))],
  ['time_ns', new A.TimeNanosecond(), {}, true, (k) => BigInt(k) * 3600000000123n % 86400000000000n, (t, v) => fixed(t, 8, v, I(64, true))],
  ['ts_us', new A.TimestampMicrosecond(), { pg_type: 'timestamp without time zone' }, true, (k) => (k === 1 ? 2n ** 63n - 1n : BigInt(k) * 1700000000000000n), (t, v) => fixed(t, 8, v, I(64, true))],
  ['ts_us_utc', new A.TimestampMicrosecond('UTC'), { pg_type: 'timestamp with time zone' }, true, (k) => (k === 1 ? -(2n ** 63n) : BigInt(k) * 1700000000000001n), (t, v) => fixed(t, 8, v, I(64, true))],
  ['ts_ns_utc', new A.TimestampNanosecond('UTC'), {}, true, (k) => BigInt(k) * 1700000000000000123n % (2n ** 62n), (t, v) => fixed(t, 8, v, I(64, true))],
  ['interval', new A.IntervalMonthDayNano(), { pg_type: 'interval' }, true, (k) => [k, -k, k * 1000000000 + 1], (t, v) => fixed(t, 16, v, MDN)],
  ['list_i32', new A.List(item(new A.Int32())), { pg_type: 'integer[]' }, true, (k) => Array.from({ length: k % 4 }, (_, j) => (j === 1 ? null : k * 10 + j)),
    (t, v) => list(t, v, (items) => fixed(t.children[0].type, 4, items, I(32, true)))],
  ['list_utf8', new A.List(item(new A.Utf8())), { pg_type: 'text[]' }, true, (k) => Array.from({ length: k % 3 }, (_, j) => (j === 0 ? `é${k}` : null)),
    (t, v) => list(t, v, (items) => varbin(t.children[0].type, items, false))],
];

function boolData(type, values) {
  const valid = values.map((v) => v !== null);
  return A.makeData({
    type, length: values.length, nullCount: valid.filter((v) => !v).length,
    nullBitmap: bitmap(valid), data: bitmap(values.map((v) => v === true)),
  });
}

function schemaOf(columns, metadata) {
  return new A.Schema(columns.map(([name, type, fmd, nullable]) =>
    new A.Field(name, type, nullable, md(fmd))), md(metadata));
}

// A batch of `rows` rows; a nullable column is null on every third row (from `first`).
function batchOf(schema, columns, rows, first, valueFn) {
  const children = columns.map(([, type, , nullable, gen, make], c) => {
    const values = [];
    for (let r = 0; r < rows; ++r) {
      const k = first + r;
      values.push(nullable && k % 3 === 1 ? null : (valueFn ? valueFn(c, k) : gen(k)));
    }
    return make(type, values);
  });
  return new A.RecordBatch(schema, A.makeData({
    type: new A.Struct(schema.fields), length: rows, nullCount: 0, children,
  }));
}

function write(name, schema, batches) {
  const writer = new A.RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  for (const b of batches) writer.write(b);
  writeFileSync(`${outDir}/${name}.arrows`, writer.finish().toUint8Array(true));
}

const SCHEMA_MD = { pg_relation: 'public.interop', pg_primary_key: '["i32"]' };
const all = schemaOf(COLUMNS, SCHEMA_MD);
write('all_types', all, [batchOf(all, COLUMNS, 12, 0), batchOf(all, COLUMNS, 7, 100)]);
write('empty_batches', all, [batchOf(all, COLUMNS, 0, 0), batchOf(all, COLUMNS, 5, 3),
  batchOf(all, COLUMNS, 0, 0)]);
write('zero_rows', all, []);

// Several small batches of two columns.
const two = COLUMNS.filter(([n]) => n === 'i64' || n === 'utf8');
const twoSchema = schemaOf(two, {});
write('many_batches', twoSchema, Array.from({ length: 20 }, (_, i) => batchOf(twoSchema, two, i % 5, i * 7)));

// Unicode text in every width of string.
const texts = ['', 'ascii', 'Ünïcödé', 'Ελληνικά', 'русский', 'עברית', '中文字符', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '👩‍👩‍👧‍👦', 'a\u0000b', '\u{10FFFF}', 'tab\tnew\nline "quoted" \\'];
const uni = COLUMNS.filter(([n]) => ['utf8', 'large_utf8', 'list_utf8'].includes(n));
const uniSchema = schemaOf(uni, {});
write('unicode', uniSchema, [batchOf(uniSchema, uni, texts.length, 0, (c, k) =>
  (c === 2 ? [texts[k], texts[(k + 1) % texts.length]] : texts[k]))]);

// Large values: a 1 MiB string, a 300 KiB binary, long lists, extreme numbers.
const big = COLUMNS.filter(([n]) => ['utf8', 'large_binary', 'list_i32', 'i64', 'dec38', 'f64']
  .includes(n));
const bigSchema = schemaOf(big, {});
write('large_values', bigSchema, [batchOf(bigSchema, big, 3, 0, (c, k) => {
  switch (big[c][0]) {
    case 'utf8': return 'x'.repeat(1 << 20) + k;
    case 'large_binary': return new Uint8Array(300 * 1024).fill(k + 1);
    case 'list_i32': return Array.from({ length: 5000 }, (_, j) => j - 2500);
    case 'i64': return [-(2n ** 63n), 2n ** 63n - 1n, 0n][k];
    case 'dec38': return [-(10n ** 38n - 1n), 10n ** 38n - 1n, 0n][k];
    default: return [Number.MAX_VALUE, -Number.MIN_VALUE, NaN][k];
  }
})]);
