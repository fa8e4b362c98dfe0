ALTER TABLE "case_messages" ADD COLUMN "text" text;--> statement-breakpoint
ALTER TABLE "case_messages" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
CREATE INDEX "case_messages_tenant_id_message_id_index" ON "case_messages" USING btree ("tenant_id","message_id");--> statement-breakpoint
CREATE INDEX "inbound_messages_tenant_id_message_id_index" ON "inbound_messages" USING btree ("tenant_id","message_id");