-- The personal-data access log is append-only: who read whose data cannot be rewritten afterwards.
CREATE FUNCTION personal_data_access_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'personal_data_access is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER personal_data_access_append_only
  BEFORE UPDATE OR DELETE ON personal_data_access
  FOR EACH ROW EXECUTE FUNCTION personal_data_access_refuse_change();
--> statement-breakpoint
CREATE TRIGGER personal_data_access_no_truncate
  BEFORE TRUNCATE ON personal_data_access
  FOR EACH STATEMENT EXECUTE FUNCTION personal_data_access_refuse_change();
--> statement-breakpoint
-- The anonymisation log is append-only too (IL-38: every deletion is recorded and stays recorded).
CREATE TRIGGER anonymisations_append_only
  BEFORE UPDATE OR DELETE ON anonymisations
  FOR EACH ROW EXECUTE FUNCTION personal_data_access_refuse_change();
--> statement-breakpoint
-- Storage limitation (GDPR art. 5(1)(e)): what was received stays as received, except when the retention job (or a
-- granted erasure) removes personal data. That transaction says so with the transaction-local setting
-- app.retention_purge = 'on' (server/privacy/retention.ts) and writes one `anonymisations` row per case it touches.
-- Number, tenant and receipt time never change, not even then.
CREATE OR REPLACE FUNCTION cases_keep_received() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.received_at IS DISTINCT FROM OLD.received_at
     OR NEW.number IS DISTINCT FROM OLD.number OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
    RAISE EXCEPTION 'what was received is immutable (body, received_at, number, tenant)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.body IS DISTINCT FROM OLD.body AND coalesce(current_setting('app.retention_purge', true), '') <> 'on' THEN
    RAISE EXCEPTION 'what was received is immutable (body, received_at, number, tenant)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION case_documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND coalesce(current_setting('app.retention_purge', true), '') = 'on'
     AND (NEW.id, NEW.tenant_id, NEW.case_id, NEW.kind, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.case_id, OLD.kind, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'case_documents are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION mail_blobs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('app.retention_purge', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'mail_blobs are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION portal_submissions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (NEW.id, NEW.tenant_id, NEW.case_id, NEW.account_id, NEW.kind, NEW.created_at)
         IS NOT DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.case_id, OLD.account_id, OLD.kind, OLD.created_at)
     AND (NEW.text IS NOT DISTINCT FROM OLD.text OR coalesce(current_setting('app.retention_purge', true), '') = 'on')
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% are immutable: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
