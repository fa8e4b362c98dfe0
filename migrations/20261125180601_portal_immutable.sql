-- What a consumer sent through the portal is kept exactly as sent. Only the engine's answer to the
-- "consumer added information" message (correlated) may be recorded afterwards.
CREATE FUNCTION portal_submissions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (NEW.id, NEW.tenant_id, NEW.case_id, NEW.account_id, NEW.kind, NEW.text, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.case_id, OLD.account_id, OLD.kind, OLD.text, OLD.created_at)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% are immutable: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER portal_submissions_immutable
  BEFORE UPDATE OR DELETE ON portal_submissions
  FOR EACH ROW EXECUTE FUNCTION portal_submissions_refuse_change();
--> statement-breakpoint
CREATE FUNCTION portal_files_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% are immutable: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER portal_files_immutable
  BEFORE UPDATE OR DELETE ON portal_files
  FOR EACH ROW EXECUTE FUNCTION portal_files_refuse_change();
--> statement-breakpoint
CREATE TRIGGER portal_submissions_no_truncate
  BEFORE TRUNCATE ON portal_submissions
  FOR EACH STATEMENT EXECUTE FUNCTION portal_files_refuse_change();
--> statement-breakpoint
CREATE TRIGGER portal_files_no_truncate
  BEFORE TRUNCATE ON portal_files
  FOR EACH STATEMENT EXECUTE FUNCTION portal_files_refuse_change();
