-- Seeds the `events` benchmark table (SPEC §10.6): 12 typed columns, deterministic content.
-- psql -v table=events -v rows=1000000 -f events.sql
-- About 230 bytes per row on disk (220 MiB at 1M rows; SPEC §10.6 says about 250 MiB), 239
-- bytes per row as binary COPY. `note` is ~110 characters (NULL in one row of ten), with
-- mixed-entropy text so lz4/zstd have realistic work to do.
DROP TABLE IF EXISTS :"table";
CREATE TABLE :"table" (
  id         int8 PRIMARY KEY,
  small      int4 NOT NULL,
  big        int8 NOT NULL,
  ratio      float8 NOT NULL,
  amount     numeric(12,4) NOT NULL,
  name       text NOT NULL,
  code       varchar(16) NOT NULL,
  active     bool NOT NULL,
  created_at timestamptz NOT NULL,
  birthday   date NOT NULL,
  token      uuid NOT NULL,
  note       text
);
INSERT INTO :"table"
SELECT g,
       ((g * 7919) % 200001 - 100000)::int4,
       (g * 2654435761) % 1000000000000007,
       ((g * 1103515245 + 12345) % 2147483648)::float8 / 2147483648.0 * 1000.0 - 500.0,
       (((g * 48271) % 1000000000) - 500000000)::numeric / 10000,
       'user_' || lpad(to_hex((g * 40503) % 1048576), 5, '0'),
       (ARRAY['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT', 'GOLF',
              'HOTEL'])[1 + g % 8] || '-' || (g % 997),
       g % 3 = 0,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second'
         + ((g * 7) % 1000000) * interval '1 microsecond',
       date '1950-01-01' + ((g * 37) % 25000)::int,
       h::uuid,
       CASE WHEN g % 10 = 0 THEN NULL
            ELSE 'event ' || g || ' ' || h || ' ' || repeat(substr(h, 1 + (g % 16)::int, 16), 4)
       END
FROM (SELECT g, md5(g::text) AS h FROM generate_series(1, :rows::int8) AS g) s;
VACUUM (FREEZE, ANALYZE) :"table";
