-- The audit log is append-only: nobody, staff or software, can alter or remove what it records.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
-- Registered cases are never deleted: a mistake is annulled with a reason, and its number stays used.
CREATE FUNCTION cases_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'cases are never deleted; annul the case instead' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_no_delete
  BEFORE DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_refuse_delete();
--> statement-breakpoint
-- What the consumer said is kept exactly as received.
CREATE FUNCTION cases_keep_received() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.body IS DISTINCT FROM OLD.body OR NEW.received_at IS DISTINCT FROM OLD.received_at
     OR NEW.number IS DISTINCT FROM OLD.number OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
    RAISE EXCEPTION 'what was received is immutable (body, received_at, number, tenant)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_received_immutable
  BEFORE UPDATE ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_keep_received();
