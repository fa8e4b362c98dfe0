CREATE TABLE "case_comments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"task_id" text,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox_saved_filters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_saved_filters_userId_name_unique" UNIQUE("user_id","name")
);
--> statement-breakpoint
CREATE TABLE "task_event_cursor" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"last_event_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid,
	"case_number" text,
	"process_instance_id" text NOT NULL,
	"task_definition_key" text NOT NULL,
	"name" text NOT NULL,
	"assignee" text,
	"candidate_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"due_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"ended_at" timestamp with time zone,
	"last_event_id" bigint NOT NULL,
	"category" text,
	"channel" text,
	"case_due_date" date,
	"case_status" text,
	"place_code" text,
	"customer_name" text,
	"subject" text,
	"search_text" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_comments" ADD CONSTRAINT "case_comments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_comments" ADD CONSTRAINT "case_comments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_comments" ADD CONSTRAINT "case_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_saved_filters" ADD CONSTRAINT "inbox_saved_filters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_saved_filters" ADD CONSTRAINT "inbox_saved_filters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_comments_case_id_created_at_index" ON "case_comments" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "tasks_open_due" ON "tasks" USING btree ("tenant_id","due_at","id") WHERE state = 'open';--> statement-breakpoint
CREATE INDEX "tasks_open_assignee_due" ON "tasks" USING btree ("tenant_id","assignee","due_at","id") WHERE state = 'open';--> statement-breakpoint
CREATE INDEX "tasks_open_groups" ON "tasks" USING gin ("candidate_groups") WHERE state = 'open';--> statement-breakpoint
CREATE INDEX "tasks_open_search" ON "tasks" USING gin ("search_text" gin_trgm_ops) WHERE state = 'open';--> statement-breakpoint
CREATE INDEX "tasks_case" ON "tasks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "tasks_process_instance" ON "tasks" USING btree ("process_instance_id");