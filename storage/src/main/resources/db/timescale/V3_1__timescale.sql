-- Applied only when the server has TimescaleDB (see dev.faultline.storage.schema.Schema), right
-- after the plain tables it converts. A plain migration V<n> that adds a time-series table gets its
-- TimescaleDB counterpart here as V<n>_1, so the two paths stay in step.
-- Retention, compression and refresh policies take their intervals from the configuration and
-- are (re)applied at every start-up by TimescalePolicies, not here.

CREATE EXTENSION IF NOT EXISTS timescaledb;

-- The plain path's ts indexes already serve time range scans: no default indexes.
SELECT create_hypertable('model_window', by_range('ts', INTERVAL '1 day'), create_default_indexes => false);
SELECT create_hypertable('gpu_sample', by_range('ts', INTERVAL '1 day'), create_default_indexes => false);
SELECT create_hypertable('probe', by_range('ts', INTERVAL '1 day'), create_default_indexes => false);
SELECT create_hypertable('external_alert', by_range('ts', INTERVAL '7 days'), create_default_indexes => false);

ALTER TABLE model_window SET (timescaledb.compress, timescaledb.compress_segmentby = 'model',
                              timescaledb.compress_orderby = 'ts DESC');
ALTER TABLE gpu_sample SET (timescaledb.compress, timescaledb.compress_segmentby = 'node, gpu',
                            timescaledb.compress_orderby = 'ts DESC');
ALTER TABLE probe SET (timescaledb.compress, timescaledb.compress_segmentby = 'target, model',
                       timescaledb.compress_orderby = 'ts DESC');

-- Per-model rollups. Percentiles cannot be merged exactly: p50 keeps sum and count so a coarser
-- bucket gets the mean of the windows' medians (what the plain path's avg() gives), p95/p99 keep
-- the worst window. Real-time (materialized_only = false) so the newest buckets are read from raw
-- rows until a refresh materializes them: both paths give the same answer at any moment.
-- WITH NO DATA: populating at creation cannot run inside the migration's transaction.
CREATE MATERIALIZED VIEW model_window_1m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 minute', ts) AS bucket,
       model,
       sum(requests)      AS requests,
       sum(errors)        AS errors,
       sum(tokens_out)    AS tokens_out,
       sum(latency_p50)   AS p50_sum,
       count(latency_p50) AS p50_n,
       max(latency_p95)   AS p95_max,
       max(latency_p99)   AS p99_max
FROM model_window
GROUP BY bucket, model
WITH NO DATA;

CREATE MATERIALIZED VIEW model_window_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', ts) AS bucket,
       model,
       sum(requests)      AS requests,
       sum(errors)        AS errors,
       sum(tokens_out)    AS tokens_out,
       sum(latency_p50)   AS p50_sum,
       count(latency_p50) AS p50_n,
       max(latency_p95)   AS p95_max,
       max(latency_p99)   AS p99_max
FROM model_window
GROUP BY bucket, model
WITH NO DATA;
