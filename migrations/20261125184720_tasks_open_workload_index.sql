-- The supervisor's workload (server/supervision): open tasks per officer and per set of job roles, with overdue and
-- at-risk counts, answered from the index alone (the tasks table belongs to the inbox read model).
CREATE INDEX IF NOT EXISTS "tasks_open_workload" ON "tasks" USING btree ("tenant_id", "candidate_groups", "assignee", "case_due_date") WHERE state = 'open';
