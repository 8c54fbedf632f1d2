-- Equivalent models: groups of models a team accepts as substitutes for one another (one
-- provider's model and another's), e.g. claude-opus-4.8, gpt-5, gemini-2.5-pro. Optional: with no
-- rows nothing suggests a failover. The notifier lists a failing model's healthy equivalents in
-- every page and sends failover.suggested / failover.cleared webhook events; the UI shows them.
-- position orders a group's members (a team's preference), so suggestions keep that order.
CREATE TABLE model_equivalent (
    group_name text    NOT NULL,
    model      text    NOT NULL,
    position   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (group_name, model)
);
CREATE INDEX model_equivalent_model ON model_equivalent (model);
