CREATE TYPE "public"."budget_unit_level" AS ENUM('PREFECTURE_DIRECT', 'COUNTY', 'CENTRAL_PROVINCIAL');--> statement-breakpoint
CREATE TYPE "public"."order_channel" AS ENUM('CANTEEN', 'TRADE_UNION');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('RESERVED', 'SHIPPED', 'DELIVERED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "budget_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(32) NOT NULL,
	"name" varchar(200) NOT NULL,
	"level" "budget_unit_level" NOT NULL,
	"county_code" varchar(12),
	"parent_id" uuid,
	"has_canteen" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "budget_units_county_level" CHECK ("budget_units"."level" <> 'COUNTY' or "budget_units"."county_code" is not null),
	CONSTRAINT "budget_units_not_own_parent" CHECK ("budget_units"."parent_id" is null or "budget_units"."parent_id" <> "budget_units"."id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"budget_unit_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" numeric(12, 2) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"status" "order_status" DEFAULT 'RESERVED' NOT NULL,
	"channel" "order_channel" NOT NULL,
	"idempotency_key" varchar(100) NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"shipped_at" timestamp (3) with time zone,
	"delivered_at" timestamp (3) with time zone,
	"cancelled_at" timestamp (3) with time zone,
	CONSTRAINT "orders_quantity_positive" CHECK ("orders"."quantity" > 0),
	CONSTRAINT "orders_amount_is_price_times_quantity" CHECK ("orders"."amount" = "orders"."unit_price" * "orders"."quantity")
);
--> statement-breakpoint
CREATE TABLE "quotas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"budget_unit_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"canteen_food_total" numeric(14, 2) NOT NULL,
	"reserved_amount" numeric(14, 2) NOT NULL,
	"no_canteen" boolean DEFAULT false NOT NULL,
	"declared_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "quotas_amounts_nonnegative" CHECK ("quotas"."canteen_food_total" >= 0 and "quotas"."reserved_amount" >= 0),
	CONSTRAINT "quotas_year_range" CHECK ("quotas"."year" between 2015 and 2100)
);
--> statement-breakpoint
ALTER TABLE "budget_units" ADD CONSTRAINT "budget_units_county_code_divisions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_units" ADD CONSTRAINT "budget_units_parent_id_budget_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."budget_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_budget_unit_id_budget_units_id_fk" FOREIGN KEY ("budget_unit_id") REFERENCES "public"."budget_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotas" ADD CONSTRAINT "quotas_budget_unit_id_budget_units_id_fk" FOREIGN KEY ("budget_unit_id") REFERENCES "public"."budget_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "budget_units_code_key" ON "budget_units" USING btree ("code");--> statement-breakpoint
CREATE INDEX "budget_units_parent_idx" ON "budget_units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "budget_units_county_idx" ON "budget_units" USING btree ("county_code");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_unit_idempotency_key" ON "orders" USING btree ("budget_unit_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "orders_unit_year_idx" ON "orders" USING btree ("budget_unit_id","year","status");--> statement-breakpoint
CREATE INDEX "orders_product_idx" ON "orders" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "orders_year_status_idx" ON "orders" USING btree ("year","status");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "quotas_unit_year_key" ON "quotas" USING btree ("budget_unit_id","year");--> statement-breakpoint
CREATE INDEX "quotas_year_idx" ON "quotas" USING btree ("year");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_budget_unit_id_budget_units_id_fk" FOREIGN KEY ("budget_unit_id") REFERENCES "public"."budget_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_officer_has_budget_unit" CHECK ("users"."role" <> 'OFFICER' or "users"."budget_unit_id" is not null);