-- New outbox events are announced on `outbox_events` from the writing transaction itself: PostgreSQL delivers
-- a NOTIFY at commit and never for a rollback, and folds the same notification sent twice in one transaction
-- into one. The webhook workers of every replica listen and fan the events out at once instead of at their next
-- poll (the poll stays: a notification sent while a listener reconnects is lost). Statement trigger: one per statement.
CREATE FUNCTION "notify_outbox_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_events', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events" FOR EACH STATEMENT EXECUTE FUNCTION "notify_outbox_events"();
