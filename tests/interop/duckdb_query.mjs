// Run one SQL statement in an in-memory DuckDB (@duckdb/node-api) and print its rows as a
// JSON array of arrays, every value as DuckDB's text (NULL as null). Used by the dest-files
// end-to-end tests to read Parquet, CSV and JSON Lines files back.
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const reader = await conn.runAndReadAll(sql);
const rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
process.stdout.write(JSON.stringify(rows));
