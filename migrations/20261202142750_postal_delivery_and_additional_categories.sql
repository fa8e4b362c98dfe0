ALTER TABLE "cases" ADD COLUMN "additional_categories" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "postal_delivery_working_days" integer DEFAULT 3 NOT NULL;