-- Several notifiers may share one database (replicas, or `./faultline notifier` beside the demo):
-- a delivery worker claims the rows it sends with a lease (SELECT ... FOR UPDATE SKIP LOCKED,
-- then lease_owner/lease_until), renews it every second while its process lives, and another
-- notifier takes a row over only once its lease has run out (the owner died mid-delivery).
ALTER TABLE notifier_outbox
    ADD COLUMN lease_owner text,
    ADD COLUMN lease_until timestamptz;
