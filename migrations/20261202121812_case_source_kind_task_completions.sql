CREATE TABLE "task_completions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"task_id" text NOT NULL,
	"case_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"process_instance_id" text NOT NULL,
	"task_definition_key" text NOT NULL,
	"variables" jsonb NOT NULL,
	"timer_moves" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"engine_completed_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_completions_taskId_unique" UNIQUE("task_id")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "customer_type" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "energy" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "source" text DEFAULT 'consumer' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "authority_name" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "authority_reference" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "authority_due_date" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "kind" text DEFAULT 'complaint' NOT NULL;--> statement-breakpoint
ALTER TABLE "task_completions" ADD CONSTRAINT "task_completions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_completions" ADD CONSTRAINT "task_completions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_completions" ADD CONSTRAINT "task_completions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_completions_pending" ON "task_completions" USING btree ("locked_until") WHERE status = 'pending';--> statement-breakpoint
-- Existing cases: customer type and energy from the customer file and the place, in the case's words.
UPDATE "cases" c SET "customer_type" = CASE cu."customer_type" WHEN 'casnic' THEN 'household' WHEN 'noncasnic' THEN 'non_household' END
FROM "customers" cu WHERE cu."id" = c."customer_id";--> statement-breakpoint
UPDATE "cases" c SET "energy" = CASE p."energy" WHEN 'energie_electrica' THEN 'electricity' WHEN 'gaze_naturale' THEN 'gas' END
FROM "places" p WHERE p."id" = c."place_id";--> statement-breakpoint
-- An authority's referral is a source, not a category (docs/legal.md, "Category and source"): its subject is not
-- known from the old code, so it becomes "how earlier complaints were handled" (Order 194/2020: ANRE takes a complaint
-- only after the supplier's answer) until an officer reclassifies it at triage.
UPDATE "cases" SET "source" = 'authority', "category" = 'solutionare_plangeri' WHERE "category" = 'sesizare_autoritate';--> statement-breakpoint
-- A GDPR request is not a complaint: marked as such and kept out of the complaint statistics.
UPDATE "cases" SET "kind" = 'gdpr_request', "category" = 'informare_clienti' WHERE "category" = 'cerere_gdpr';--> statement-breakpoint
UPDATE "tasks" SET "category" = 'solutionare_plangeri' WHERE "category" = 'sesizare_autoritate';--> statement-breakpoint
UPDATE "tasks" SET "category" = 'informare_clienti' WHERE "category" = 'cerere_gdpr';--> statement-breakpoint
DELETE FROM "deadline_rules" WHERE "category" IN ('sesizare_autoritate', 'cerere_gdpr');
