DROP INDEX "benefit_links_village_idx";--> statement-breakpoint
DROP INDEX "households_able_willing_idx";--> statement-breakpoint
CREATE INDEX "benefit_links_village_idx" ON "benefit_links" USING btree ("village_code","start_date","end_date","enterprise_id");--> statement-breakpoint
CREATE INDEX "households_able_willing_idx" ON "households" USING btree ("county_code","id") WHERE "households"."labor_capacity" and "households"."development_willingness";