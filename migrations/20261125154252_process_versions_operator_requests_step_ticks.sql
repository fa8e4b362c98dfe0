CREATE TABLE "operator_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"questions" text NOT NULL,
	"to_address" text,
	"message_id" text,
	"process_instance_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"answer_text" text,
	CONSTRAINT "operator_requests_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "task_step_ticks" (
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"task_id" text NOT NULL,
	"task_definition_key" text NOT NULL,
	"instruction_id" text NOT NULL,
	"step_index" integer NOT NULL,
	"done" boolean NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_step_ticks_task_id_step_index_pk" PRIMARY KEY("task_id","step_index")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "process_definition_id" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "process_hash" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "instructions_hash" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "original_due_date" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "breached_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "delay_days" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "compensation_lei" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "filed_reason" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "operator_email" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "compensation_base_lei" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "compensation_per_day_lei" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "warn_working_days_before" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "operator_requests" ADD CONSTRAINT "operator_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_requests" ADD CONSTRAINT "operator_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_step_ticks" ADD CONSTRAINT "task_step_ticks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_step_ticks" ADD CONSTRAINT "task_step_ticks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "operator_requests_case_id_index" ON "operator_requests" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "task_step_ticks_case_id_index" ON "task_step_ticks" USING btree ("case_id");