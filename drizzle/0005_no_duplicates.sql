CREATE UNIQUE INDEX "households_head_id_hash_key" ON "households" USING btree ("head_id_hash");--> statement-breakpoint
ALTER TABLE "benefit_links" ADD CONSTRAINT "benefit_links_year_within_dates" CHECK (extract(year from "benefit_links"."start_date") <= "benefit_links"."year" and ("benefit_links"."end_date" is null or "benefit_links"."year" <= extract(year from "benefit_links"."end_date")));--> statement-breakpoint
-- Hand-written (drizzle-kit cannot express these): btree_gist lets one gist index compare the
-- household, enterprise and mechanism with = next to the days with &&, so two links of the same
-- three that share a day cannot both commit, even when inserted at once (23P01).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "benefit_links" ADD CONSTRAINT "benefit_links_no_overlap" EXCLUDE USING gist ("household_id" WITH =, "enterprise_id" WITH =, "mechanism" WITH =, daterange("start_date", coalesce("end_date", 'infinity'::date), '[]') WITH &&);
