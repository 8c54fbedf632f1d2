-- incident.v1 records. incident holds the current state of each incident (its record with the
-- greatest ts); incident_event keeps every record, keyed by (incident_id, event, ts) so a replay
-- of the incidents topic leaves exactly one row per record.

CREATE TABLE incident (
    id                   text             PRIMARY KEY,
    last_event           text             NOT NULL CHECK (last_event IN ('opened', 'updated', 'resolved')),
    scope                text             NOT NULL CHECK (scope IN ('infrastructure', 'model', 'telemetry')),
    status               text             NOT NULL CHECK (status IN ('open', 'resolved')),
    opened_at            timestamptz      NOT NULL,
    resolved_at          timestamptz,
    models               text[]           NOT NULL DEFAULT '{}',
    suspected_layer      text,
    suspected_id         text,
    suspected_confidence double precision,
    severity             text             NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
    failed_requests      bigint           NOT NULL CHECK (failed_requests >= 0),
    timeline             jsonb            NOT NULL DEFAULT '[]',
    -- ts of the record this row holds: an older record never overwrites a newer one
    updated_at           timestamptz      NOT NULL
);
CREATE INDEX incident_opened_at ON incident (opened_at DESC);
CREATE INDEX incident_open ON incident (status) WHERE status = 'open';
CREATE INDEX incident_models ON incident USING gin (models);

CREATE TABLE incident_event (
    incident_id          text             NOT NULL,
    event                text             NOT NULL CHECK (event IN ('opened', 'updated', 'resolved')),
    ts                   timestamptz      NOT NULL,
    scope                text             NOT NULL,
    status               text             NOT NULL,
    opened_at            timestamptz      NOT NULL,
    resolved_at          timestamptz,
    models               text[]           NOT NULL DEFAULT '{}',
    suspected_layer      text,
    suspected_id         text,
    suspected_confidence double precision,
    severity             text             NOT NULL,
    failed_requests      bigint           NOT NULL,
    timeline             jsonb            NOT NULL DEFAULT '[]',
    PRIMARY KEY (incident_id, event, ts)
);
