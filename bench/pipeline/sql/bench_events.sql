-- Seeds the `bench_events` benchmark table (SPEC §10.6), the older narrow workload.
-- psql -v table=bench_events -v rows=1000000 -f bench_events.sql
DROP TABLE IF EXISTS :"table";
CREATE TABLE :"table" (
  id         serial PRIMARY KEY,
  event_type text NOT NULL,
  user_id    integer NOT NULL,
  amount     integer NOT NULL,
  is_active  boolean NOT NULL,
  payload    text,
  created_at timestamp
);
INSERT INTO :"table" (event_type, user_id, amount, is_active, payload, created_at)
SELECT (ARRAY['click', 'view', 'purchase', 'signup', 'logout', 'search'])[1 + g % 6],
       ((g * 7919) % 100000)::int,
       ((g * 104729) % 1000000)::int,
       g % 2 = 0,
       CASE WHEN g % 20 = 0 THEN NULL
            ELSE '{"session":' || (g % 50000) || ',"page":"/p/' || (g % 977) || '","ref":"r'
                 || (g % 13) || '"}'
       END,
       timestamp '2024-01-01 00:00:00' + g * interval '1 second'
FROM generate_series(1, :rows::int8) AS g;
VACUUM (FREEZE, ANALYZE) :"table";
