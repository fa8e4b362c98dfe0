-- What the inbox searches: lower-case, Romanian diacritics (also the old ş ţ) folded to plain letters.
CREATE OR REPLACE FUNCTION inbox_norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(translate(coalesce(t, ''), 'ăâîșțşţĂÂÎȘȚŞŢéÉöÖüÜ', 'aaiststAAISTSTeEoOuU'))
$$;
--> statement-breakpoint
-- The inbox read model follows its case: when a case's category, channel, due date, status, contact, subject or
-- place changes, its open tasks take the new values at once (filters and counts never join cases).
CREATE OR REPLACE FUNCTION tasks_follow_case() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tasks t SET
    case_number = NEW.number,
    category = NEW.category,
    channel = NEW.channel,
    case_due_date = NEW.due_date,
    case_status = NEW.status,
    customer_name = NEW.contact_name,
    subject = NEW.subject,
    place_code = (SELECT p.place_code FROM places p WHERE p.id = NEW.place_id),
    search_text = inbox_norm(concat_ws(' ', NEW.number, NEW.contact_name, NEW.subject,
      (SELECT p.place_code FROM places p WHERE p.id = NEW.place_id), t.name)),
    updated_at = now()
  WHERE t.case_id = NEW.id AND t.state = 'open';
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER tasks_follow_case AFTER UPDATE ON cases
FOR EACH ROW WHEN (
  OLD.category IS DISTINCT FROM NEW.category OR OLD.channel IS DISTINCT FROM NEW.channel
  OR OLD.due_date IS DISTINCT FROM NEW.due_date OR OLD.status IS DISTINCT FROM NEW.status
  OR OLD.contact_name IS DISTINCT FROM NEW.contact_name OR OLD.subject IS DISTINCT FROM NEW.subject
  OR OLD.place_id IS DISTINCT FROM NEW.place_id OR OLD.number IS DISTINCT FROM NEW.number
)
EXECUTE FUNCTION tasks_follow_case();
