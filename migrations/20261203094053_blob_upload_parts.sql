CREATE TABLE "blob_upload_parts" (
	"tenant_id" uuid NOT NULL,
	"upload_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blob_upload_parts_tenant_id_upload_id_seq_pk" PRIMARY KEY("tenant_id","upload_id","seq")
);
--> statement-breakpoint
ALTER TABLE "mail_blobs" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_blobs" ADD COLUMN "upload_id" uuid;--> statement-breakpoint
ALTER TABLE "blob_upload_parts" ADD CONSTRAINT "blob_upload_parts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "blob_upload_parts_created_at_index" ON "blob_upload_parts" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "mail_blobs" ADD CONSTRAINT "mail_blobs_one_store" CHECK (("mail_blobs"."content" is null) <> ("mail_blobs"."upload_id" is null));--> statement-breakpoint
ALTER TABLE "blob_upload_parts" ALTER COLUMN "content" SET STORAGE EXTERNAL;--> statement-breakpoint
-- A stored blob's parts are as immutable as the blob (mail_blobs_refuse_change): never updated, deleted only by the
-- retention purge. Parts no blob refers to (an upload refused or broken off) may be deleted.
CREATE FUNCTION blob_upload_parts_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND (
       coalesce(current_setting('app.retention_purge', true), '') = 'on'
       OR NOT EXISTS (SELECT 1 FROM mail_blobs b WHERE b.tenant_id = OLD.tenant_id AND b.upload_id = OLD.upload_id)
     ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'blob_upload_parts of a stored blob are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER blob_upload_parts_immutable
  BEFORE UPDATE OR DELETE ON blob_upload_parts
  FOR EACH ROW EXECUTE FUNCTION blob_upload_parts_refuse_change();
--> statement-breakpoint
CREATE TRIGGER blob_upload_parts_no_truncate
  BEFORE TRUNCATE ON blob_upload_parts
  FOR EACH STATEMENT EXECUTE FUNCTION blob_upload_parts_refuse_change();
