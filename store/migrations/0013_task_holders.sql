-- Who may hold a task (workflows.TaskSpec.HeldBy): the duty roles whose holders in the task's
-- school may be given it by a reassignment. Empty: the task is its assignee's alone, as a
-- custodial guardian's consent is; no one is given it in their place.
ALTER TABLE tasks ADD COLUMN held_by text[] NOT NULL DEFAULT '{}';
