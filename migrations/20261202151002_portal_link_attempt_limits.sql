ALTER TABLE "portal_link_attempts" ADD COLUMN "ip_hash" text;--> statement-breakpoint
ALTER TABLE "portal_link_attempts" ADD COLUMN "customer_code" text;--> statement-breakpoint
CREATE INDEX "portal_link_attempts_ip_hash_at_index" ON "portal_link_attempts" USING btree ("ip_hash","at");--> statement-breakpoint
CREATE INDEX "portal_link_attempts_tenant_id_customer_code_at_index" ON "portal_link_attempts" USING btree ("tenant_id","customer_code","at");