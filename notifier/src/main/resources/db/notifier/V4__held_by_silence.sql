-- A page held back by a silence: the receiver's alert state moves on as usual, but instead of a
-- trigger in the outbox the latest incident record waits here. When no silence covers the
-- incident any more and it is still open, the notifier queues the trigger then (with the record
-- held); when it resolves while silenced, the row goes and nothing is ever sent.
CREATE TABLE notifier_held (
    incident_id text        NOT NULL,
    receiver    text        NOT NULL,
    incident    text        NOT NULL,
    held_since  timestamptz NOT NULL,
    PRIMARY KEY (incident_id, receiver)
);
