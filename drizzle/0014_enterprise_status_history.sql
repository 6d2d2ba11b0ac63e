CREATE TABLE "enterprise_status_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "enterprise_status_history_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"enterprise_id" uuid NOT NULL,
	"status" "enterprise_status" NOT NULL,
	"kind" "enterprise_kind" NOT NULL,
	"reason" text,
	"actor_user_id" uuid,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "benefit_links_household_active_idx";--> statement-breakpoint
ALTER TABLE "enterprise_status_history" ADD CONSTRAINT "enterprise_status_history_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_status_history" ADD CONSTRAINT "enterprise_status_history_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_status_history_enterprise_idx" ON "enterprise_status_history" USING btree ("enterprise_id","at","seq");--> statement-breakpoint
CREATE INDEX "benefit_links_household_active_idx" ON "benefit_links" USING btree ("household_id","start_date","end_date","enterprise_id");