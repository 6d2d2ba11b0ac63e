CREATE TYPE "public"."collective_income_source" AS ENUM('PHOTOVOLTAIC', 'RESOURCE_LEASE', 'COOPERATIVE_DIVIDEND', 'ASSET_INCOME', 'SERVICE', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."sales_channel" AS ENUM('E_COMMERCE', 'EAST_WEST_COOPERATION', 'PAIRED_ASSISTANCE', 'FAIR', 'OTHER');--> statement-breakpoint
CREATE TABLE "collective_incomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"village_code" varchar(12) NOT NULL,
	"year" smallint NOT NULL,
	"source" "collective_income_source" NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"note" text,
	"recorded_by" uuid,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collective_incomes_amount_nonnegative" CHECK ("collective_incomes"."amount" >= 0),
	CONSTRAINT "collective_incomes_year_range" CHECK ("collective_incomes"."year" between 2015 and 2100)
);
--> statement-breakpoint
CREATE TABLE "sales_lines" (
	"report_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"sold_on" date NOT NULL,
	"channel" "sales_channel" NOT NULL,
	"buyer_region" varchar(100),
	CONSTRAINT "sales_lines_pkey" PRIMARY KEY("report_id","line_no"),
	CONSTRAINT "sales_lines_quantity_positive" CHECK ("sales_lines"."quantity" > 0),
	CONSTRAINT "sales_lines_amount_positive" CHECK ("sales_lines"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "sales_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reporter" varchar(64) NOT NULL,
	"reporter_api_key_id" uuid,
	"reporter_user_id" uuid,
	"reporter_name" varchar(200) NOT NULL,
	"idempotency_key" varchar(100) NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"corrects_id" uuid,
	"superseded_by_id" uuid,
	"superseded_at" timestamp (3) with time zone,
	"line_count" integer NOT NULL,
	"total_amount" numeric(16, 2) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_reports_one_reporter" CHECK (("sales_reports"."reporter_api_key_id" is null) <> ("sales_reports"."reporter_user_id" is null)),
	CONSTRAINT "sales_reports_not_own_correction" CHECK ("sales_reports"."corrects_id" is null or "sales_reports"."corrects_id" <> "sales_reports"."id"),
	CONSTRAINT "sales_reports_line_count" CHECK ("sales_reports"."line_count" between 0 and 10000)
);
--> statement-breakpoint
ALTER TABLE "collective_incomes" ADD CONSTRAINT "collective_incomes_village_code_divisions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_lines" ADD CONSTRAINT "sales_lines_report_id_sales_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."sales_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_lines" ADD CONSTRAINT "sales_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_reports" ADD CONSTRAINT "sales_reports_corrects_id_sales_reports_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."sales_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_reports" ADD CONSTRAINT "sales_reports_superseded_by_id_sales_reports_id_fk" FOREIGN KEY ("superseded_by_id") REFERENCES "public"."sales_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "collective_incomes_village_year_source_key" ON "collective_incomes" USING btree ("village_code","year","source");--> statement-breakpoint
CREATE INDEX "collective_incomes_year_idx" ON "collective_incomes" USING btree ("year","village_code");--> statement-breakpoint
CREATE INDEX "sales_lines_sold_on_idx" ON "sales_lines" USING btree ("sold_on");--> statement-breakpoint
CREATE INDEX "sales_lines_product_idx" ON "sales_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_reports_reporter_idempotency_key" ON "sales_reports" USING btree ("reporter","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_reports_corrects_key" ON "sales_reports" USING btree ("corrects_id");--> statement-breakpoint
CREATE INDEX "sales_reports_reporter_created_idx" ON "sales_reports" USING btree ("reporter","created_at","id");--> statement-breakpoint
CREATE INDEX "sales_reports_created_idx" ON "sales_reports" USING btree ("created_at","id");