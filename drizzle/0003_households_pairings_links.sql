CREATE TYPE "public"."household_status" AS ENUM('OUT_OF_POVERTY', 'IN_POVERTY', 'MONITORED_UNSTABLE', 'MONITORED_EDGE');--> statement-breakpoint
CREATE TYPE "public"."pairing_mode" AS ENUM('INDUSTRY', 'EMPLOYMENT', 'COMMERCE', 'SKILLS', 'PUBLIC_WELFARE');--> statement-breakpoint
CREATE TYPE "public"."benefit_mechanism" AS ENUM('ORDER_PURCHASE', 'EMPLOYMENT', 'LAND_RENT', 'EQUITY_DIVIDEND', 'ASSET_INCOME', 'TRUSTEESHIP', 'OTHER');--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_no" varchar(32) NOT NULL,
	"village_code" varchar(12) NOT NULL,
	"county_code" varchar(12) NOT NULL,
	"head_name" varchar(50) NOT NULL,
	"head_id_hash" varchar(64) NOT NULL,
	"head_id_masked" varchar(18) NOT NULL,
	"members" smallint NOT NULL,
	"labor_capacity" boolean NOT NULL,
	"development_willingness" boolean NOT NULL,
	"status" "household_status" NOT NULL,
	"monitoring_reason" text,
	"exit_year" smallint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "households_members_positive" CHECK ("households"."members" between 1 and 30),
	CONSTRAINT "households_county_of_village" CHECK (left("households"."village_code", 6) = "households"."county_code")
);
--> statement-breakpoint
CREATE TABLE "pairings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"village_code" varchar(12) NOT NULL,
	"county_code" varchar(12) NOT NULL,
	"mode" "pairing_mode" NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"industrial_investment" numeric(14, 2) DEFAULT '0' NOT NULL,
	"welfare_investment" numeric(14, 2) DEFAULT '0' NOT NULL,
	"jobs_provided" integer DEFAULT 0 NOT NULL,
	"people_trained" integer DEFAULT 0 NOT NULL,
	"end_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pairings_dates_in_order" CHECK ("pairings"."end_date" is null or "pairings"."end_date" >= "pairings"."start_date"),
	CONSTRAINT "pairings_amounts_nonnegative" CHECK ("pairings"."industrial_investment" >= 0 and "pairings"."welfare_investment" >= 0 and "pairings"."jobs_provided" >= 0 and "pairings"."people_trained" >= 0),
	CONSTRAINT "pairings_county_of_village" CHECK (left("pairings"."village_code", 6) = "pairings"."county_code")
);
--> statement-breakpoint
CREATE TABLE "benefit_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"product_id" uuid,
	"pairing_id" uuid,
	"village_code" varchar(12) NOT NULL,
	"county_code" varchar(12) NOT NULL,
	"mechanism" "benefit_mechanism" NOT NULL,
	"year" smallint NOT NULL,
	"income" numeric(12, 2) DEFAULT '0' NOT NULL,
	"contract_ref" varchar(100),
	"start_date" date NOT NULL,
	"end_date" date,
	"end_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "benefit_links_dates_in_order" CHECK ("benefit_links"."end_date" is null or "benefit_links"."end_date" >= "benefit_links"."start_date"),
	CONSTRAINT "benefit_links_income_nonnegative" CHECK ("benefit_links"."income" >= 0)
);
--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_village_code_divisions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_village_code_divisions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_links" ADD CONSTRAINT "benefit_links_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_links" ADD CONSTRAINT "benefit_links_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_links" ADD CONSTRAINT "benefit_links_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefit_links" ADD CONSTRAINT "benefit_links_pairing_id_pairings_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."pairings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "households_household_no_key" ON "households" USING btree ("household_no");--> statement-breakpoint
CREATE INDEX "households_village_idx" ON "households" USING btree ("village_code");--> statement-breakpoint
CREATE INDEX "households_county_idx" ON "households" USING btree ("county_code","household_no");--> statement-breakpoint
CREATE INDEX "households_able_willing_idx" ON "households" USING btree ("county_code") WHERE "households"."labor_capacity" and "households"."development_willingness";--> statement-breakpoint
CREATE INDEX "pairings_village_idx" ON "pairings" USING btree ("village_code","start_date");--> statement-breakpoint
CREATE INDEX "pairings_enterprise_idx" ON "pairings" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "pairings_county_idx" ON "pairings" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "benefit_links_household_idx" ON "benefit_links" USING btree ("household_id","start_date");--> statement-breakpoint
CREATE INDEX "benefit_links_product_idx" ON "benefit_links" USING btree ("product_id","household_id");--> statement-breakpoint
CREATE INDEX "benefit_links_enterprise_idx" ON "benefit_links" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "benefit_links_village_idx" ON "benefit_links" USING btree ("village_code");