ALTER TABLE "login_failures" ADD COLUMN "locked_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "login_failures" ADD COLUMN "lockouts" integer DEFAULT 0 NOT NULL;