-- Telemetry as it arrives, one row per record. Every table has the record's natural key as its
-- primary key, with the time column in it (TimescaleDB requires that of hypertables), so a
-- replayed record hits ON CONFLICT DO NOTHING instead of making a second row.

-- Request outcomes of one model over one window ending at ts (telemetry.v1 kind model_window).
CREATE TABLE model_window (
    ts             timestamptz      NOT NULL,
    model          text             NOT NULL,
    -- '' when the record names no deployment: keeps the key free of NULLs
    deployment     text             NOT NULL DEFAULT '',
    source         text             NOT NULL,
    window_s       double precision NOT NULL CHECK (window_s > 0),
    requests       bigint           NOT NULL CHECK (requests >= 0),
    errors         bigint           NOT NULL CHECK (errors >= 0 AND errors <= requests),
    errors_by_code jsonb            NOT NULL DEFAULT '{}',
    latency_p50    double precision,
    latency_p95    double precision,
    latency_p99    double precision,
    ttft_p50       double precision,
    ttft_p95       double precision,
    ttft_p99       double precision,
    tokens_out     bigint,
    infra          jsonb            NOT NULL DEFAULT '{}',
    PRIMARY KEY (model, deployment, source, ts)
);
-- Fleet-wide range scans (availability over a period, incident pages) go by time first.
CREATE INDEX model_window_ts ON model_window (ts);

-- One GPU's sample (kind gpu).
CREATE TABLE gpu_sample (
    ts            timestamptz      NOT NULL,
    node          text             NOT NULL,
    gpu           integer          NOT NULL,
    source        text             NOT NULL,
    mem_used_mib  double precision NOT NULL,
    mem_total_mib double precision NOT NULL,
    util_pct      double precision,
    xid           integer,
    models        text[]           NOT NULL DEFAULT '{}',
    infra         jsonb            NOT NULL DEFAULT '{}',
    PRIMARY KEY (node, gpu, ts)
);
CREATE INDEX gpu_sample_ts ON gpu_sample (ts);

-- One synthetic request (kind probe).
CREATE TABLE probe (
    ts         timestamptz      NOT NULL,
    target     text             NOT NULL,
    model      text             NOT NULL,
    source     text             NOT NULL,
    ok         boolean          NOT NULL,
    status     integer,
    latency_ms double precision,
    error      text,
    infra      jsonb            NOT NULL DEFAULT '{}',
    PRIMARY KEY (target, model, source, ts)
);
CREATE INDEX probe_ts ON probe (ts);

-- An alert raised by another system (kind alert). jsonb equality ignores key order, so the
-- same label set always meets the same key.
CREATE TABLE external_alert (
    ts        timestamptz NOT NULL,
    source    text        NOT NULL,
    name      text        NOT NULL,
    status    text        NOT NULL CHECK (status IN ('firing', 'resolved')),
    labels    jsonb       NOT NULL DEFAULT '{}',
    starts_at timestamptz,
    summary   text,
    PRIMARY KEY (source, name, labels, status, ts)
);
CREATE INDEX external_alert_ts ON external_alert (ts);

-- Declared dependencies (kind topology): only the latest declaration of a model matters.
CREATE TABLE model_topology (
    model  text        PRIMARY KEY,
    ts     timestamptz NOT NULL,
    source text        NOT NULL,
    infra  jsonb       NOT NULL DEFAULT '{}'
);
