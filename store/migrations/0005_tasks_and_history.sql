-- Human tasks: a step of a process that a person must complete. The process (the Temporal
-- workflow) owns each task's state; this table is its inbox, written only by the process's
-- activities, so that people can list their open tasks across every process.
CREATE TABLE tasks (
    id               uuid PRIMARY KEY,      -- derived from (process, step): a retried create finds it
    process_id       text NOT NULL,         -- the workflow ID, a business key
    kind             text NOT NULL,         -- what is to be done, e.g. absence.classify
    state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'cancelled')),
    assignee_id      uuid REFERENCES persons (id),      -- a person, or
    assignee_role    text,                              -- a duty role ...
    assignee_org     uuid REFERENCES organisations (id), -- ... in a school unit
    school_id        uuid REFERENCES organisations (id), -- the school the task belongs to
    subject_person   uuid REFERENCES persons (id),      -- the pupil it is about, if any
    subject_group    uuid REFERENCES groups (id),       -- the group it is about, if any
    due_at           timestamptz,
    expects          jsonb NOT NULL DEFAULT '[]',       -- the payload fields completion takes
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    completed_by     uuid REFERENCES persons (id),
    result           jsonb,
    CHECK (assignee_id IS NOT NULL OR (assignee_role IS NOT NULL AND assignee_org IS NOT NULL))
);
CREATE INDEX tasks_open_assignee ON tasks (assignee_id) WHERE state = 'open';
CREATE INDEX tasks_open_role ON tasks (assignee_org, assignee_role) WHERE state = 'open';
CREATE INDEX tasks_process ON tasks (process_id);

-- A process's history as people see it: created, assigned, reminded, escalated, completed by whom
-- with what decision, notified. Written by activities with an idempotency key, so a retried
-- activity records its step once. It outlives Temporal's retention of the workflow.
CREATE TABLE process_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_id   text NOT NULL,
    event_key    text NOT NULL,  -- unique within the process: the idempotency key
    at           timestamptz NOT NULL DEFAULT now(),
    kind         text NOT NULL,  -- created, assigned, reminded, escalated, completed, notified, ...
    task_id      uuid,
    actor_id     uuid,           -- who did it, when a person did
    detail       jsonb NOT NULL DEFAULT '{}', -- ids and decisions only; no names or free text
    UNIQUE (process_id, event_key)
);
CREATE INDEX process_events_process ON process_events (process_id, at);

-- The school a process belongs to, and the pupil it is about: who may read its history.
CREATE TABLE processes (
    id             text PRIMARY KEY,
    kind           text NOT NULL,
    school_id      uuid REFERENCES organisations (id),
    subject_person uuid REFERENCES persons (id),
    started_at     timestamptz NOT NULL DEFAULT now()
);
