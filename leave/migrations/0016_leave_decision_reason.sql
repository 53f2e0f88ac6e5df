-- The decider's reasons for a decision on leave (förvaltningslagen 32 §: a decision that goes
-- against a party states its reasons; a granted leave needs none). NULL: none were given, or the
-- application was not decided. The API takes at most 1,000 characters of a task's text; the
-- bound here leaves room and keeps a runaway text out.
ALTER TABLE leave_applications ADD COLUMN decision_reason text CHECK (length(decision_reason) BETWEEN 1 AND 2000);
