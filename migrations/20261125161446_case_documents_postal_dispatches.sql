CREATE TABLE "case_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_documents_once" UNIQUE("case_id","kind")
);
--> statement-breakpoint
CREATE TABLE "postal_dispatches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"document_id" bigint NOT NULL,
	"recipient_name" text NOT NULL,
	"address" text NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	"postal_reference" text,
	"delivered_at" timestamp with time zone,
	"proof_of_delivery" text,
	CONSTRAINT "postal_dispatches_once" UNIQUE("document_id")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "letterhead" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "case_documents" ADD CONSTRAINT "case_documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_documents" ADD CONSTRAINT "case_documents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postal_dispatches" ADD CONSTRAINT "postal_dispatches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postal_dispatches" ADD CONSTRAINT "postal_dispatches_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postal_dispatches" ADD CONSTRAINT "postal_dispatches_document_id_case_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."case_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_documents_case_id_index" ON "case_documents" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "postal_dispatches_tenant_id_dispatched_at_index" ON "postal_dispatches" USING btree ("tenant_id","dispatched_at");