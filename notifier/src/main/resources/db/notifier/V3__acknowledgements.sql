-- Acknowledgements both ways.
-- Out: an acknowledgement written in Faultline (storage's incident_note, kind 'ack', as the UI
-- writes it) is forwarded once to every receiver holding an open alert of the incident; this
-- table remembers which were forwarded (one row per note, claimed with ON CONFLICT so two
-- notifiers forward it once).
CREATE TABLE notifier_ack_forwarded (
    incident_id  text        NOT NULL,
    author       text        NOT NULL,
    ts           timestamptz NOT NULL,
    forwarded_at timestamptz NOT NULL,
    PRIMARY KEY (incident_id, author, ts)
);

-- In: every PagerDuty / Opsgenie webhook event taken into the timeline, so a redelivered event
-- is recorded once.
CREATE TABLE notifier_inbound (
    source      text        NOT NULL,
    event_id    text        NOT NULL,
    incident_id text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('acknowledged', 'resolved')),
    who         text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (source, event_id)
);
