-- Failover suggestions (storage's model_equivalent, migration V7).

-- The healthy equivalents of the incident's models at the time a notification was queued, as a
-- JSON object model -> [equivalent, ...]; null when no model of the incident has an equivalent
-- (the payloads are then as before). For a failover row: its one model and the equivalents.
ALTER TABLE notifier_outbox ADD COLUMN equivalents text;
ALTER TABLE notifier_outbox DROP CONSTRAINT notifier_outbox_action_check;
ALTER TABLE notifier_outbox ADD CONSTRAINT notifier_outbox_action_check CHECK (action IN
    ('trigger', 'update', 'escalate', 'acknowledge', 'resolve',
     'failover_suggested', 'failover_cleared'));

-- Every incident as the notifier last read it (whether routed anywhere or not): the open ones say
-- which models are failing now. recovered: models whose last timeline entry was model_recovered.
CREATE TABLE notifier_incident (
    id        text        PRIMARY KEY,
    status    text        NOT NULL CHECK (status IN ('open', 'resolved')),
    models    text[]      NOT NULL,
    recovered text[]      NOT NULL DEFAULT '{}',
    last_ts   timestamptz NOT NULL
);
CREATE INDEX notifier_incident_open ON notifier_incident (status) WHERE status = 'open';

-- A failover.suggested sent (queued) for a model of an incident to a webhook receiver and not yet
-- cleared: inserted with the suggestion, deleted with the failover.cleared, so each transition is
-- queued exactly once even when records are read again or several notifiers share the database.
CREATE TABLE notifier_failover (
    incident_id  text        NOT NULL,
    model        text        NOT NULL,
    receiver     text        NOT NULL,
    equivalents  text        NOT NULL,
    suggested_at timestamptz NOT NULL,
    PRIMARY KEY (incident_id, model, receiver)
);
