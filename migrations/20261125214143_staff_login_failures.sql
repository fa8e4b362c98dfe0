CREATE TABLE "staff_login_failures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email_hash" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "staff_login_failures_email_hash_at_index" ON "staff_login_failures" USING btree ("email_hash","at");