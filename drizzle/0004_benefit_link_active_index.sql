DROP INDEX "benefit_links_household_idx";--> statement-breakpoint
CREATE INDEX "benefit_links_household_active_idx" ON "benefit_links" USING btree ("household_id","start_date","end_date");