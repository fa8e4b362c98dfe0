CREATE TABLE "anonymisations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"request_id" uuid,
	"removed_sha256" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "anonymisations_once" UNIQUE("entity_type","entity_id")
);
--> statement-breakpoint
CREATE TABLE "data_subject_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"right" text NOT NULL,
	"channel" text NOT NULL,
	"customer_id" uuid,
	"contact_name" text NOT NULL,
	"contact_email" text,
	"contact_phone" text,
	"details" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"due_date" date NOT NULL,
	"original_due_date" date,
	"extended_at" timestamp with time zone,
	"extension_reason" text,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"answer_text" text,
	"refusal_reason" text,
	"answered_at" timestamp with time zone,
	"from_case_id" uuid,
	"from_inbound_message_id" uuid,
	"process_instance_id" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_subject_requests_tenantId_number_unique" UNIQUE("tenant_id","number"),
	CONSTRAINT "data_subject_requests_tenantId_year_seq_unique" UNIQUE("tenant_id","year","seq")
);
--> statement-breakpoint
CREATE TABLE "dsr_counters" (
	"tenant_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_value" integer NOT NULL,
	CONSTRAINT "dsr_counters_tenant_id_year_pk" PRIMARY KEY("tenant_id","year")
);
--> statement-breakpoint
CREATE TABLE "dsr_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dsr_documents_once" UNIQUE("request_id","kind")
);
--> statement-breakpoint
CREATE TABLE "personal_data_access" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"customer_id" uuid,
	"case_id" uuid,
	"via" text
);
--> statement-breakpoint
CREATE TABLE "privacy_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"retention_years" integer DEFAULT 5 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "anonymisations" ADD CONSTRAINT "anonymisations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_subject_requests" ADD CONSTRAINT "data_subject_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_subject_requests" ADD CONSTRAINT "data_subject_requests_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_subject_requests" ADD CONSTRAINT "data_subject_requests_from_case_id_cases_id_fk" FOREIGN KEY ("from_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_subject_requests" ADD CONSTRAINT "data_subject_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dsr_counters" ADD CONSTRAINT "dsr_counters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dsr_documents" ADD CONSTRAINT "dsr_documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dsr_documents" ADD CONSTRAINT "dsr_documents_request_id_data_subject_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."data_subject_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_access" ADD CONSTRAINT "personal_data_access_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD CONSTRAINT "privacy_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "data_subject_requests_tenant_id_status_due_date_index" ON "data_subject_requests" USING btree ("tenant_id","status","due_date");--> statement-breakpoint
CREATE INDEX "data_subject_requests_tenant_id_customer_id_index" ON "data_subject_requests" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "personal_data_access_tenant_id_at_index" ON "personal_data_access" USING btree ("tenant_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "personal_data_access_tenant_id_actor_id_at_index" ON "personal_data_access" USING btree ("tenant_id","actor_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "personal_data_access_tenant_id_customer_id_at_index" ON "personal_data_access" USING btree ("tenant_id","customer_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "personal_data_access_tenant_id_case_id_at_index" ON "personal_data_access" USING btree ("tenant_id","case_id","at" DESC NULLS LAST);