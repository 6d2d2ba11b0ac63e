CREATE TYPE "public"."data_quality_resolution" AS ENUM('CORRECTED', 'CONFIRMED_VALID');--> statement-breakpoint
CREATE TABLE "data_quality_resolutions" (
	"rule" varchar(48) NOT NULL,
	"record_id" uuid NOT NULL,
	"record_type" varchar(32) NOT NULL,
	"county_code" varchar(12) NOT NULL,
	"resolution" "data_quality_resolution" NOT NULL,
	"fingerprint" varchar(64) NOT NULL,
	"detail" text NOT NULL,
	"comment" text NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_quality_resolutions_pkey" PRIMARY KEY("rule","record_id")
);
