ALTER TABLE "postal_dispatches" ALTER COLUMN "case_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "postal_dispatches" ALTER COLUMN "document_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "postal_dispatches" ADD COLUMN "dsr_document_id" bigint;--> statement-breakpoint
ALTER TABLE "postal_dispatches" ADD CONSTRAINT "postal_dispatches_dsr_document_id_dsr_documents_id_fk" FOREIGN KEY ("dsr_document_id") REFERENCES "public"."dsr_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postal_dispatches" ADD CONSTRAINT "postal_dispatches_dsr_once" UNIQUE("dsr_document_id");--> statement-breakpoint
ALTER TABLE "postal_dispatches" ADD CONSTRAINT "postal_dispatches_one_letter" CHECK (("postal_dispatches"."document_id" is not null and "postal_dispatches"."case_id" is not null and "postal_dispatches"."dsr_document_id" is null)
        or ("postal_dispatches"."document_id" is null and "postal_dispatches"."case_id" is null and "postal_dispatches"."dsr_document_id" is not null));