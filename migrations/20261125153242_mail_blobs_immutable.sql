-- What arrived by e-mail is kept exactly as received: stored bytes are never changed or removed.
CREATE FUNCTION mail_blobs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'mail_blobs are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER mail_blobs_immutable
  BEFORE UPDATE OR DELETE ON mail_blobs
  FOR EACH ROW EXECUTE FUNCTION mail_blobs_refuse_change();
--> statement-breakpoint
CREATE TRIGGER mail_blobs_no_truncate
  BEFORE TRUNCATE ON mail_blobs
  FOR EACH STATEMENT EXECUTE FUNCTION mail_blobs_refuse_change();
--> statement-breakpoint
-- Keep large e-mail bytes out of line and uncompressed (they are mostly compressed already).
ALTER TABLE mail_blobs ALTER COLUMN content SET STORAGE EXTERNAL;
