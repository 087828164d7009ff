#!/usr/bin/env bash
# The quick start's main job, run inside tests/harness/with-pg.sh (which exports PGHOST,
# PGPORT, PGUSER for a throwaway server): seed a small shop database, copy it into a
# warehouse database with `rapidbyte run examples/pg_to_pg.yaml`, show the result, then
# change a few rows and run again to show the incremental stream picking up only those.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${RAPIDBYTE_BIN:-build/release/bin/rapidbyte}"

export PG_HOST=127.0.0.1 PG_PORT="$PGPORT" DW_HOST=127.0.0.1 DW_PORT="$PGPORT"
# State in the embedded SQLite default (~/.rapidbyte/state.db); a fresh HOME keeps demo runs
# independent of each other and of the user's own pipelines.
export HOME="${RB_DEMO_HOME:-$(mktemp -d /tmp/rapidbyte-demo-home-XXXXXX)}"

echo "== Seeding the source database 'shop' (customers, orders, products)"
psql -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE DATABASE shop;
CREATE DATABASE warehouse;
SQL
psql -q -v ON_ERROR_STOP=1 -d shop <<'SQL'
CREATE TABLE customers (
  id         bigint PRIMARY KEY,
  name       varchar(64) NOT NULL,
  email      text,
  country    char(2),
  balance    numeric(12,2) NOT NULL DEFAULT 0,
  tags       text[],
  updated_at timestamptz NOT NULL
);
CREATE TABLE products (
  id       integer PRIMARY KEY,
  sku      uuid NOT NULL,
  title    text NOT NULL,
  price    numeric(10,2) NOT NULL,
  weight   real,
  in_stock boolean NOT NULL,
  attrs    jsonb
);
CREATE TABLE orders (
  id          bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers(id),
  product_id  integer NOT NULL REFERENCES products(id),
  quantity    smallint NOT NULL,
  ordered_on  date NOT NULL,
  note        text
);
INSERT INTO customers
SELECT g, 'Customer ' || g, 'customer' || g || '@example.com',
       (ARRAY['DE','FR','US','JP','BR'])[1 + g % 5], round((g * 7.31)::numeric % 5000, 2),
       ARRAY['tier' || (g % 3)], timestamptz '2026-01-01' + g * interval '1 minute'
FROM generate_series(1, 5000) g;
INSERT INTO products
SELECT g, md5('sku' || g)::uuid, 'Product ' || g, (g % 200) + 0.99, g * 0.25, g % 7 <> 0,
       jsonb_build_object('color', (ARRAY['red','green','blue'])[1 + g % 3], 'size', g % 5)
FROM generate_series(1, 200) g;
INSERT INTO orders (customer_id, product_id, quantity, ordered_on, note)
SELECT 1 + g % 5000, 1 + g % 200, 1 + g % 4, date '2026-01-01' + g % 300,
       CASE WHEN g % 10 = 0 THEN NULL ELSE 'order ' || g END
FROM generate_series(1, 50000) g;
SQL

echo
echo "== rapidbyte run examples/pg_to_pg.yaml"
"$bin" run examples/pg_to_pg.yaml

echo
echo "== The warehouse now holds (psql -d warehouse):"
psql -d warehouse -c "SELECT 'raw.customers' AS table, count(*) FROM raw.customers
                      UNION ALL SELECT 'raw.orders', count(*) FROM raw.orders
                      UNION ALL SELECT 'raw.products', count(*) FROM raw.products"
psql -d warehouse -c "SELECT id, name, country, balance, tags, updated_at FROM raw.customers ORDER BY id LIMIT 3"

echo "== Two customers change and one signs up; run again: only those rows are read for customers"
psql -q -d shop -v ON_ERROR_STOP=1 <<'SQL'
UPDATE customers SET balance = balance + 100, updated_at = now() WHERE id IN (1, 2);
INSERT INTO customers VALUES (5001, 'New Customer', 'new@example.com', 'DE', 0, '{}', now());
SQL
"$bin" run examples/pg_to_pg.yaml --output json | python3 -c '
import json, sys
r = json.load(sys.stdin)
for s in r["streams"]:
    print("  %-18s %-10s %6d read  %6d written" % (s["name"], s["status"], s["records_read"], s["records_written"]))
'
psql -d warehouse -c "SELECT id, name, balance, updated_at FROM raw.customers WHERE id IN (1, 2, 5001) ORDER BY id"
echo "== State (rapidbyte state show examples/pg_to_pg.yaml)"
"$bin" state show examples/pg_to_pg.yaml
