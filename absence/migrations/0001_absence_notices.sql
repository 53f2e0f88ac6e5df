-- A notice to a pupil's custodial guardians about absence without a known reason on one school
-- day (skollagen 7 kap. 17 §). The absence-day process writes one row per notice it decides on;
-- delivery to each guardian's channel is recorded elsewhere.
--
-- (process_id, sequence) is the idempotency key: a retried activity finds its row and writes
-- nothing.
CREATE TABLE absence_notices (
    process_id text        NOT NULL, -- the workflow ID, a business key: absence:<student>:<day>
    sequence   integer     NOT NULL CHECK (sequence > 0), -- 1 first notice, 2.. follow-ups
    student_id uuid        NOT NULL,
    day        date        NOT NULL,
    lesson_ids uuid[]      NOT NULL CHECK (cardinality(lesson_ids) > 0),
    kind       text        NOT NULL DEFAULT 'notice' CHECK (kind IN ('notice', 'correction')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (process_id, sequence)
);

CREATE INDEX absence_notices_student_day ON absence_notices (student_id, day);
