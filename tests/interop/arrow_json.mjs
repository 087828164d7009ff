// Canonical JSON of an Arrow IPC stream, as decoded by Apache Arrow JS. The C++ interop test
// builds the same JSON from rapidbyte's reader (tests/interop/canonical_json.cc) and compares.
//   schema: {fields: [{name, type (SPEC §9.1 spelling), nullable, metadata: [[k, v]...]}],
//            metadata: [[k, v]...]}
//   batches: [{rows, columns: [[value...]...]}]
// Values: null; bool as true/false; integers, dates, times and timestamps as decimal strings;
// floats, decimal128, interval, binary and fixed_size_binary as hex of their raw
// little-endian bytes; utf8 as the string; list as an array of item values.
import * as A from 'apache-arrow';

const UNITS = ['s', 'ms', 'us', 'ns'];

export function typeName(t) {
  switch (t.typeId) {
    case A.Type.Null: return 'null';
    case A.Type.Bool: return 'bool';
    case A.Type.Int: return `${t.isSigned ? 'int' : 'uint'}${t.bitWidth}`;
    case A.Type.Float: return ['float16', 'float32', 'float64'][t.precision];
    case A.Type.Decimal: return `decimal${t.bitWidth}(${t.precision}, ${t.scale})`;
    case A.Type.Utf8: return 'utf8';
    case A.Type.LargeUtf8: return 'large_utf8';
    case A.Type.Binary: return 'binary';
    case A.Type.LargeBinary: return 'large_binary';
    case A.Type.FixedSizeBinary: return `fixed_size_binary[${t.byteWidth}]`;
    case A.Type.Date: return t.unit === A.DateUnit.DAY ? 'date32' : 'date64';
    case A.Type.Time: return `time${t.bitWidth}[${UNITS[t.unit]}]`;
    case A.Type.Timestamp:
      return `timestamp[${UNITS[t.unit]}${t.timezone ? ', ' + t.timezone : ''}]`;
    case A.Type.Interval:
      return ['interval[year_month]', 'interval[day_time]', 'interval[month_day_nano]'][t.unit];
    case A.Type.List: return `list<${typeName(t.children[0].type)}>`;
    default: return `unsupported(${t.typeId})`;
  }
}

const hex = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex');
const bytesOf = (ta) => new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength);
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isNull(data, i) {
  if (data.type.typeId === A.Type.Null) return true;
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return false;
  const j = data.offset + i;
  return ((data.nullBitmap[j >> 3] >> (j & 7)) & 1) === 0;
}

function value(data, i) {
  if (isNull(data, i)) return null;
  const t = data.type;
  const j = data.offset + i;
  switch (t.typeId) {
    case A.Type.Bool: return ((data.values[j >> 3] >> (j & 7)) & 1) === 1;
    case A.Type.Int: case A.Type.Date: case A.Type.Time: case A.Type.Timestamp: {
      const width = t.typeId === A.Type.Int ? t.bitWidth / 8
        : t.typeId === A.Type.Date ? 4 : t.typeId === A.Type.Time ? t.bitWidth / 8 : 8;
      const dv = new DataView(data.values.buffer, data.values.byteOffset + j * width, width);
      const signed = t.typeId !== A.Type.Int || t.isSigned;
      switch (width) {
        case 1: return String(signed ? dv.getInt8(0) : dv.getUint8(0));
        case 2: return String(signed ? dv.getInt16(0, true) : dv.getUint16(0, true));
        case 4: return String(signed ? dv.getInt32(0, true) : dv.getUint32(0, true));
        default: return (signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true)).toString();
      }
    }
    case A.Type.Float: case A.Type.Decimal: case A.Type.Interval: case A.Type.FixedSizeBinary: {
      const width = t.typeId === A.Type.Float ? [2, 4, 8][t.precision]
        : t.typeId === A.Type.FixedSizeBinary ? t.byteWidth : 16;
      return hex(bytesOf(data.values).subarray(j * width, (j + 1) * width));
    }
    case A.Type.Utf8: case A.Type.LargeUtf8: case A.Type.Binary: case A.Type.LargeBinary: {
      const start = Number(data.valueOffsets[j]);
      const end = Number(data.valueOffsets[j + 1]);
      const bytes = bytesOf(data.values).subarray(start, end);
      const text = t.typeId === A.Type.Utf8 || t.typeId === A.Type.LargeUtf8;
      return text ? utf8.decode(bytes) : hex(bytes);
    }
    case A.Type.List: {
      const start = data.valueOffsets[j];
      const end = data.valueOffsets[j + 1];
      const out = [];
      for (let k = start; k < end; ++k) out.push(value(data.children[0], k));
      return out;
    }
    default: throw new Error(`unsupported type ${typeName(t)}`);
  }
}

export function tableToJson(table) {
  const fields = table.schema.fields.map((f) => ({
    name: f.name, type: typeName(f.type), nullable: f.nullable, metadata: [...f.metadata],
  }));
  const batches = table.batches.map((b) => ({
    rows: b.numRows,
    columns: table.schema.fields.map((_, c) => {
      const data = b.getChildAt(c).data[0];
      const out = [];
      for (let i = 0; i < b.numRows; ++i) out.push(value(data, i));
      return out;
    }),
  }));
  return { schema: { fields, metadata: [...table.schema.metadata] }, batches };
}
