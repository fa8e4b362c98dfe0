CREATE TABLE "case_delivery_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"inbound_message_id" uuid NOT NULL,
	"message_kind" text NOT NULL,
	"to_address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "case_delivery_failures_caseId_inboundMessageId_unique" UNIQUE("case_id","inbound_message_id")
);
--> statement-breakpoint
CREATE TABLE "identification_candidates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"inbound_message_id" uuid NOT NULL,
	"case_id" uuid,
	"customer_id" uuid NOT NULL,
	"place_id" uuid,
	"score" real NOT NULL,
	"certain" boolean NOT NULL,
	"evidence" jsonb NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inbound_attachments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"inbound_message_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"filename" text,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"disposition" text NOT NULL,
	"content_id" text
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"message_id" text,
	"raw_sha256" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"size" bigint NOT NULL,
	"arrived_at" timestamp with time zone NOT NULL,
	"from_address" text,
	"from_name" text,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"safe_html" text,
	"kind" text NOT NULL,
	"reason" text,
	"case_id" uuid,
	"correlated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_messages_once" UNIQUE("tenant_id","dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "mail_accounts" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"secure" boolean DEFAULT true NOT NULL,
	"username" text NOT NULL,
	"password_enc" text NOT NULL,
	"mailbox" text DEFAULT 'INBOX' NOT NULL,
	"processed_folder" text DEFAULT 'Processed' NOT NULL,
	"quarantine_folder" text DEFAULT 'Quarantine' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_blobs" (
	"tenant_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_blobs_tenant_id_sha256_pk" PRIMARY KEY("tenant_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "mail_quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"raw_sha256" text,
	"message_id" text,
	"subject" text,
	"reason" text NOT NULL,
	"folder" text NOT NULL,
	"arrived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	CONSTRAINT "mail_quarantine_once" UNIQUE("tenant_id","raw_sha256")
);
--> statement-breakpoint
ALTER TABLE "case_delivery_failures" ADD CONSTRAINT "case_delivery_failures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_delivery_failures" ADD CONSTRAINT "case_delivery_failures_inbound_message_id_inbound_messages_id_fk" FOREIGN KEY ("inbound_message_id") REFERENCES "public"."inbound_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_candidates" ADD CONSTRAINT "identification_candidates_inbound_message_id_inbound_messages_id_fk" FOREIGN KEY ("inbound_message_id") REFERENCES "public"."inbound_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_candidates" ADD CONSTRAINT "identification_candidates_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_candidates" ADD CONSTRAINT "identification_candidates_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_candidates" ADD CONSTRAINT "identification_candidates_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_candidates" ADD CONSTRAINT "identification_candidates_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_attachments" ADD CONSTRAINT "inbound_attachments_inbound_message_id_inbound_messages_id_fk" FOREIGN KEY ("inbound_message_id") REFERENCES "public"."inbound_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_accounts" ADD CONSTRAINT "mail_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_blobs" ADD CONSTRAINT "mail_blobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD CONSTRAINT "mail_quarantine_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_quarantine" ADD CONSTRAINT "mail_quarantine_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_delivery_failures_tenant_id_resolved_at_index" ON "case_delivery_failures" USING btree ("tenant_id","resolved_at");--> statement-breakpoint
CREATE INDEX "identification_candidates_tenant_id_case_id_index" ON "identification_candidates" USING btree ("tenant_id","case_id");--> statement-breakpoint
CREATE INDEX "identification_candidates_inbound_message_id_index" ON "identification_candidates" USING btree ("inbound_message_id");--> statement-breakpoint
CREATE INDEX "inbound_attachments_inbound_message_id_index" ON "inbound_attachments" USING btree ("inbound_message_id");--> statement-breakpoint
CREATE INDEX "inbound_messages_tenant_id_case_id_index" ON "inbound_messages" USING btree ("tenant_id","case_id");--> statement-breakpoint
CREATE INDEX "inbound_messages_tenant_id_kind_created_at_index" ON "inbound_messages" USING btree ("tenant_id","kind","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "mail_quarantine_tenant_id_created_at_index" ON "mail_quarantine" USING btree ("tenant_id","created_at");