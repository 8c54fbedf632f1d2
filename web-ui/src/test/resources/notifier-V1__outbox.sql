-- Copy of the notifier module's db/notifier/V1__outbox.sql: the web UI reads notifier_delivery
-- without depending on the notifier, so its tests create the tables the way the notifier does.
-- The notifier's own tables, migrated with their own history table (notifier_schema_history)
-- so storage's migration list stays storage's.

-- What each receiver was last told about each incident: the dedup/decide stage reads it to send
-- one page per incident, and to ignore a record it has already seen (Kafka redelivery).
CREATE TABLE notifier_alert (
    incident_id   text        NOT NULL,
    receiver      text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('open', 'resolved')),
    severity      text        NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
    last_event    text        NOT NULL CHECK (last_event IN ('opened', 'updated', 'resolved')),
    last_event_ts timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (incident_id, receiver)
);

-- The durable outbox: one row per notification to send, written in the same transaction as the
-- alert state, before the Kafka offset is committed. Delivered in id order per
-- (receiver, incident): only the oldest pending row of an incident is sent.
CREATE TABLE notifier_outbox (
    id              bigserial   PRIMARY KEY,
    receiver        text        NOT NULL,
    incident_id     text        NOT NULL,
    action          text        NOT NULL CHECK (action IN ('trigger', 'update', 'escalate', 'acknowledge', 'resolve')),
    incident        text        NOT NULL,
    created_at      timestamptz NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'gave_up')),
    attempts        integer     NOT NULL DEFAULT 0,
    last_attempt_at timestamptz,
    finished_at     timestamptz,
    reason          text
);
CREATE INDEX notifier_outbox_pending ON notifier_outbox (receiver, incident_id, id) WHERE state = 'pending';
CREATE INDEX notifier_outbox_incident ON notifier_outbox (incident_id, id);

-- Every attempt: what was sent (secrets masked), when, and the answer. The UI shows it.
CREATE TABLE notifier_delivery (
    id           bigserial   PRIMARY KEY,
    outbox_id    bigint      NOT NULL REFERENCES notifier_outbox (id) ON DELETE CASCADE,
    receiver     text        NOT NULL,
    incident_id  text        NOT NULL,
    action       text        NOT NULL,
    attempt      integer     NOT NULL,
    attempted_at timestamptz NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('delivered', 'retry', 'gave_up')),
    http_status  integer     NOT NULL,
    request      text        NOT NULL,
    response     text        NOT NULL,
    reason       text
);
CREATE INDEX notifier_delivery_incident ON notifier_delivery (incident_id, id);
