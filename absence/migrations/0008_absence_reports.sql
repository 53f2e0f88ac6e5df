-- A custodial guardian's report that a child will be, or is, absent (sjukanmälan / anmäld
-- frånvaro): valid absence for the lessons it covers. SS 12000 Absence, type 'Anmäld frånvaro'.
CREATE TABLE absence_reports (
    id          uuid PRIMARY KEY,
    person_id   uuid NOT NULL REFERENCES persons (id), -- the child
    reported_by uuid NOT NULL REFERENCES persons (id), -- the custodial guardian
    start_time  timestamptz NOT NULL,
    end_time    timestamptz NOT NULL,
    absence_type text NOT NULL DEFAULT 'Anmäld frånvaro' CHECK (absence_type IN ('Anmäld frånvaro', 'Beviljad ledighet')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (end_time > start_time)
);
CREATE INDEX absence_reports_person_time ON absence_reports (person_id, start_time);
