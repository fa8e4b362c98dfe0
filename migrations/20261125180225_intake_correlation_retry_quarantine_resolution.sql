ALTER TABLE "inbound_messages" ADD COLUMN "pending_message" text;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "correlation_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "last_correlation_error" text;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "next_correlation_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD COLUMN "from_address" text;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD COLUMN "size" bigint;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD COLUMN "resolution_note" text;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD CONSTRAINT "mail_quarantine_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_messages_pending_correlation" ON "inbound_messages" USING btree ("next_correlation_at") WHERE "inbound_messages"."pending_message" is not null;