CREATE TYPE "public"."notification_kind" AS ENUM('PRODUCT_CERTIFIED', 'PRODUCT_REJECTED', 'PRODUCT_LISTED', 'PRODUCT_REVOKED', 'PRODUCT_SENT_BACK_TO_REVIEW', 'ORDER_PLACED', 'DELIVERY_REJECTED', 'PRODUCT_SUBMITTED', 'ENTERPRISE_REGISTERED', 'PRODUCT_AWAITING_LISTING', 'ORDER_SHIPPED');--> statement-breakpoint
CREATE TYPE "public"."notification_recipient" AS ENUM('ENTERPRISE', 'OFFICE', 'BUDGET_UNIT');--> statement-breakpoint
CREATE TABLE "notification_reads" (
	"notification_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_reads_pkey" PRIMARY KEY("notification_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "notifications_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recipient_type" "notification_recipient" NOT NULL,
	"recipient_id" varchar(36) NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"subject_type" varchar(32) NOT NULL,
	"subject_id" uuid NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_subject_type" CHECK ("notifications"."subject_type" in ('Product', 'Order', 'Enterprise'))
);
--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_recipient_seq_idx" ON "notifications" USING btree ("recipient_type","recipient_id","seq");