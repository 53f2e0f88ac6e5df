-- The absence outbox: what the register has recorded and the pupils' absence days have yet to
-- hear, written in the same transaction as the attendance it comes from. A dispatcher sends the
-- rows to Temporal in order and deletes them once sent, so a teacher's registration never waits
-- for the process engine and no absence is lost if it is down. The absence day counts a lesson
-- once, so a row sent twice after a crash tells nothing twice.
CREATE TABLE absence_outbox (
    id         bigserial PRIMARY KEY,
    person_id  uuid NOT NULL,
    day        date NOT NULL,
    lesson_id  uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('missed', 'attended')),
    created_at timestamptz NOT NULL DEFAULT now()
);
