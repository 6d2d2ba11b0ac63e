CREATE TYPE "public"."certification_event_kind" AS ENUM('STATUS_CHANGED', 'PRICE_CHANGED');--> statement-breakpoint
ALTER TABLE "certification_events" ADD COLUMN "kind" "certification_event_kind" DEFAULT 'STATUS_CHANGED' NOT NULL;--> statement-breakpoint
ALTER TABLE "certification_events" ADD COLUMN "old_unit_price" numeric(12, 2);--> statement-breakpoint
ALTER TABLE "certification_events" ADD COLUMN "new_unit_price" numeric(12, 2);--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "certified_unit_price" numeric(12, 2);--> statement-breakpoint
ALTER TABLE "certification_events" ADD CONSTRAINT "certification_events_prices_together" CHECK (("certification_events"."old_unit_price" is null) = ("certification_events"."new_unit_price" is null));--> statement-breakpoint
ALTER TABLE "certification_events" ADD CONSTRAINT "certification_events_price_change_keeps_status" CHECK ("certification_events"."kind" <> 'PRICE_CHANGED' or ("certification_events"."from_status" = "certification_events"."to_status" and "certification_events"."old_unit_price" is not null));