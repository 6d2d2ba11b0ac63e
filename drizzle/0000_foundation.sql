CREATE TYPE "public"."division_level" AS ENUM('PREFECTURE', 'COUNTY', 'TOWNSHIP', 'VILLAGE');--> statement-breakpoint
CREATE TYPE "public"."enterprise_kind" AS ENUM('LEADING_NATIONAL', 'LEADING_PROVINCIAL', 'LEADING_PREFECTURE', 'SCALE', 'COOPERATIVE', 'FAMILY_FARM', 'VILLAGE_COLLECTIVE', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."enterprise_status" AS ENUM('PENDING', 'VERIFIED', 'SUSPENDED');--> statement-breakpoint
CREATE TYPE "public"."product_category" AS ENUM('TEA', 'FRUIT', 'VEGETABLE', 'GRAIN_OIL', 'MEAT_POULTRY_EGG', 'AQUATIC', 'HERBAL', 'PROCESSED_FOOD', 'HANDICRAFT', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."product_status" AS ENUM('DRAFT', 'SUBMITTED', 'CERTIFIED', 'REJECTED', 'LISTED', 'REVOKED');--> statement-breakpoint
CREATE TABLE "divisions" (
	"code" varchar(12) PRIMARY KEY NOT NULL,
	"name" varchar(100) NOT NULL,
	"level" "division_level" NOT NULL,
	"parent_code" varchar(12),
	"is_poor_village" boolean DEFAULT false NOT NULL,
	"exit_year" smallint,
	CONSTRAINT "divisions_code_digits" CHECK ("divisions"."code" ~ '^[0-9]{6}([0-9]{3}){0,2}$'),
	CONSTRAINT "divisions_exit_year_range" CHECK ("divisions"."exit_year" is null or "divisions"."exit_year" between 2000 and 2100)
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"uscc" varchar(18) NOT NULL,
	"kind" "enterprise_kind" NOT NULL,
	"status" "enterprise_status" DEFAULT 'PENDING' NOT NULL,
	"county_code" varchar(12) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "enterprises_uscc_format" CHECK ("enterprises"."uscc" ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$')
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"brand" varchar(100),
	"category" "product_category" NOT NULL,
	"spec" varchar(100) NOT NULL,
	"unit" varchar(20) NOT NULL,
	"unit_price" numeric(12, 2) NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"origin_county_code" varchar(12) NOT NULL,
	"origin_village_code" varchar(12),
	"status" "product_status" DEFAULT 'DRAFT' NOT NULL,
	"catalog_no" varchar(32),
	"batch" varchar(50),
	"valid_from" date,
	"valid_until" date,
	"annual_supply_capacity" integer DEFAULT 0 NOT NULL,
	"available_supply" integer DEFAULT 0 NOT NULL,
	"description" text,
	"image_urls" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "products_unit_price_nonnegative" CHECK ("products"."unit_price" >= 0),
	CONSTRAINT "products_available_supply_nonnegative" CHECK ("products"."available_supply" >= 0),
	CONSTRAINT "products_annual_supply_nonnegative" CHECK ("products"."annual_supply_capacity" >= 0),
	CONSTRAINT "products_validity_order" CHECK ("products"."valid_until" is null or "products"."valid_from" is null or "products"."valid_until" >= "products"."valid_from"),
	CONSTRAINT "products_listed_has_catalog_entry" CHECK ("products"."status" <> 'LISTED' or ("products"."catalog_no" is not null and "products"."valid_from" is not null and "products"."valid_until" is not null))
);
--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_parent_code_divisions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_county_code_divisions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_origin_county_code_divisions_code_fk" FOREIGN KEY ("origin_county_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_origin_village_code_divisions_code_fk" FOREIGN KEY ("origin_village_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "divisions_parent_code_idx" ON "divisions" USING btree ("parent_code","code");--> statement-breakpoint
CREATE INDEX "divisions_level_idx" ON "divisions" USING btree ("level","code");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprises_uscc_key" ON "enterprises" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "enterprises_county_idx" ON "enterprises" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "enterprises_name_idx" ON "enterprises" USING btree ("name" collate "C","id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_catalog_no_key" ON "products" USING btree ("catalog_no");--> statement-breakpoint
CREATE INDEX "products_enterprise_idx" ON "products" USING btree ("enterprise_id","id");--> statement-breakpoint
CREATE INDEX "products_origin_county_idx" ON "products" USING btree ("origin_county_code");--> statement-breakpoint
CREATE INDEX "products_origin_village_idx" ON "products" USING btree ("origin_village_code");--> statement-breakpoint
CREATE INDEX "products_status_idx" ON "products" USING btree ("status");--> statement-breakpoint
CREATE INDEX "catalog_category_idx" ON "products" USING btree ("category","valid_until") WHERE "products"."status" = 'LISTED';--> statement-breakpoint
CREATE INDEX "catalog_name_idx" ON "products" USING btree ("name" collate "C","id") WHERE "products"."status" = 'LISTED';--> statement-breakpoint
CREATE INDEX "catalog_unit_price_idx" ON "products" USING btree ("unit_price","id") WHERE "products"."status" = 'LISTED';--> statement-breakpoint
CREATE INDEX "catalog_updated_at_idx" ON "products" USING btree ("updated_at","id") WHERE "products"."status" = 'LISTED';--> statement-breakpoint
CREATE INDEX "catalog_valid_until_idx" ON "products" USING btree ("valid_until") WHERE "products"."status" = 'LISTED';