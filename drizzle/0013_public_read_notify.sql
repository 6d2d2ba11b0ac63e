-- Answers to public reads (anonymous callers, partner keys) are cached per process (src/http/response-cache.ts).
-- Every committed change to a table those answers come from is announced on `public_read_changed`, from the
-- changing transaction itself: PostgreSQL delivers a NOTIFY at commit and never for a rollback, and folds the
-- same notification sent twice in one transaction into one. Statement triggers: one per statement, not per row.
CREATE FUNCTION "notify_public_read_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('public_read_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "products_public_read_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "products" FOR EACH STATEMENT EXECUTE FUNCTION "notify_public_read_changed"();
--> statement-breakpoint
CREATE TRIGGER "enterprises_public_read_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "enterprises" FOR EACH STATEMENT EXECUTE FUNCTION "notify_public_read_changed"();
--> statement-breakpoint
CREATE TRIGGER "divisions_public_read_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "divisions" FOR EACH STATEMENT EXECUTE FUNCTION "notify_public_read_changed"();
--> statement-breakpoint
CREATE TRIGGER "certification_events_public_read_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "certification_events" FOR EACH STATEMENT EXECUTE FUNCTION "notify_public_read_changed"();
--> statement-breakpoint
CREATE TRIGGER "benefit_links_public_read_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "benefit_links" FOR EACH STATEMENT EXECUTE FUNCTION "notify_public_read_changed"();
--> statement-breakpoint
CREATE TRIGGER "pairings_public_read_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "pairings" FOR EACH STATEMENT EXECUTE FUNCTION "notify_public_read_changed"();
--> statement-breakpoint
CREATE TRIGGER "users_public_read_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "notify_public_read_changed"();
