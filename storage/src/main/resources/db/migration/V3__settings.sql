-- What people edit in the UI: cost model, notification routing, users, and what they write
-- about incidents (notes, acknowledgements, post-mortems).

-- Cost of an outage, per model, per named group of models, or the fleet default ('*').
-- The hourly cost is a range: the seed article puts a mid-size enterprise at $50,000-$200,000
-- per hour of full outage, and a report should show the range rather than invent a midpoint.
CREATE TABLE cost_model (
    subject                  text          PRIMARY KEY,
    subject_kind             text          NOT NULL CHECK (subject_kind IN ('default', 'model', 'group')),
    -- the models a group covers; empty for 'model' and 'default'
    models                   text[]        NOT NULL DEFAULT '{}',
    outage_cost_per_hour_low  numeric(14, 2) NOT NULL CHECK (outage_cost_per_hour_low >= 0),
    outage_cost_per_hour_high numeric(14, 2) NOT NULL,
    cost_per_failed_request  numeric(12, 6) NOT NULL DEFAULT 0 CHECK (cost_per_failed_request >= 0),
    currency                 text          NOT NULL DEFAULT 'USD',
    updated_at               timestamptz   NOT NULL,
    CHECK (outage_cost_per_hour_high >= outage_cost_per_hour_low)
);

-- SLA credits: when availability over the period falls below below_pct, credit_pct of the bill
-- is owed. The lowest threshold that applies wins.
CREATE TABLE sla_credit_tier (
    subject    text         NOT NULL REFERENCES cost_model (subject) ON DELETE CASCADE,
    below_pct  numeric(7, 4) NOT NULL CHECK (below_pct > 0 AND below_pct <= 100),
    credit_pct numeric(7, 4) NOT NULL CHECK (credit_pct >= 0 AND credit_pct <= 100),
    PRIMARY KEY (subject, below_pct)
);

INSERT INTO cost_model (subject, subject_kind, outage_cost_per_hour_low, outage_cost_per_hour_high,
                        cost_per_failed_request, updated_at)
VALUES ('*', 'default', 50000, 200000, 0, '2026-01-01T00:00:00Z')
ON CONFLICT (subject) DO NOTHING;
INSERT INTO sla_credit_tier (subject, below_pct, credit_pct)
VALUES ('*', 99.9, 10), ('*', 99.0, 25), ('*', 95.0, 100)
ON CONFLICT (subject, below_pct) DO NOTHING;

-- Where notifications go. secret_ref names a secret (an environment variable, a vault path),
-- never the secret itself.
CREATE TABLE notification_receiver (
    name       text        PRIMARY KEY,
    type       text        NOT NULL CHECK (type IN ('pagerduty', 'opsgenie', 'slack', 'webhook')),
    target_url text        NOT NULL,
    secret_ref text,
    updated_at timestamptz NOT NULL
);

-- Which incidents go to which receiver. An empty array matches anything; routes are tried in
-- position order.
CREATE TABLE notification_route (
    name         text        PRIMARY KEY,
    position     integer     NOT NULL,
    receiver     text        NOT NULL REFERENCES notification_receiver (name),
    scopes       text[]      NOT NULL DEFAULT '{}',
    min_severity text        NOT NULL DEFAULT 'minor' CHECK (min_severity IN ('critical', 'major', 'minor')),
    models       text[]      NOT NULL DEFAULT '{}',
    layers       text[]      NOT NULL DEFAULT '{}',
    enabled      boolean     NOT NULL DEFAULT true,
    updated_at   timestamptz NOT NULL
);

CREATE TABLE app_user (
    name          text        PRIMARY KEY,
    role          text        NOT NULL CHECK (role IN ('sre', 'manager', 'admin')),
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL
);

-- Notes and acknowledgements on an incident; (incident, author, ts, kind) is what a person
-- did once, so a retried submit does not add a second copy.
CREATE TABLE incident_note (
    incident_id text        NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    ts          timestamptz NOT NULL,
    author      text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('note', 'ack')),
    body        text        NOT NULL DEFAULT '',
    PRIMARY KEY (incident_id, author, ts, kind)
);

CREATE TABLE post_mortem (
    incident_id text        PRIMARY KEY REFERENCES incident (id) ON DELETE CASCADE,
    root_cause  text        NOT NULL DEFAULT '',
    lessons     text        NOT NULL DEFAULT '',
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE post_mortem_action (
    incident_id text    NOT NULL REFERENCES post_mortem (incident_id) ON DELETE CASCADE,
    position    integer NOT NULL,
    description text    NOT NULL,
    owner       text    NOT NULL,
    type        text    NOT NULL CHECK (type IN ('mitigate', 'prevent')),
    done        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (incident_id, position)
);
