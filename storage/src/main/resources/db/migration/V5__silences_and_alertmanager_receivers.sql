-- Silences (maintenance windows): while one is active, incidents it matches are still detected,
-- stored and shown, but not paged; the notifier pages an incident still open when its silence
-- ends. A silence matches a suspected component (its id), a suspected layer, or a model (an
-- incident all of whose models are silenced).
CREATE TABLE silence (
    id         bigserial   PRIMARY KEY,
    matcher    text        NOT NULL CHECK (matcher IN ('component', 'layer', 'model')),
    value      text        NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    reason     text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX silence_ends_at ON silence (ends_at);

-- Alertmanager as a destination: the notifier posts incidents to its /api/v2/alerts, so teams keep
-- their routing, silences and inhibition there.
ALTER TABLE notification_receiver DROP CONSTRAINT notification_receiver_type_check;
ALTER TABLE notification_receiver ADD CONSTRAINT notification_receiver_type_check
    CHECK (type IN ('pagerduty', 'opsgenie', 'slack', 'webhook', 'alertmanager'));
