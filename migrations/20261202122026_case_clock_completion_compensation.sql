ALTER TABLE "cases" ADD COLUMN "answer_communicated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "answer_communicated_by" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "extension_reason" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "completion_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "completion_received_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "compensation_paid_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "compensation_payment_method" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "compensation_paid_lei" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "compensation_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "compensation_legal_basis" text DEFAULT 'Ordinul ANRE nr. 83/2021 (standardul de performanță pentru activitatea de furnizare)' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "completion_wait_working_days" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "completion_pauses_deadline" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "satisfaction_survey" boolean DEFAULT false NOT NULL;