ALTER TABLE "cases" ADD COLUMN "process_versions" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "contests_case_id" uuid;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "counting_reading" text DEFAULT 'civil_code' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_contests_case_id_cases_id_fk" FOREIGN KEY ("contests_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_contests_case_id_index" ON "cases" USING btree ("contests_case_id");