-- Documents we issued are kept exactly as issued: stored bytes are never changed or removed.
CREATE FUNCTION case_documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_documents are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_documents_immutable
  BEFORE UPDATE OR DELETE ON case_documents
  FOR EACH ROW EXECUTE FUNCTION case_documents_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_documents_no_truncate
  BEFORE TRUNCATE ON case_documents
  FOR EACH STATEMENT EXECUTE FUNCTION case_documents_refuse_change();
