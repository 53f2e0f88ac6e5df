-- A guardian's application for a pupil's leave (ansökan om ledighet, skollagen 7 kap. 18 §).
-- The reason stays here; the leave process gets only the application's id. Every custodial
-- guardian must agree, the mentor gives an opinion, and the principal (or a mentor the
-- principal delegated to, for short leave) decides.
CREATE TABLE leave_applications (
    id             uuid PRIMARY KEY,
    person_id      uuid NOT NULL REFERENCES persons (id),       -- the pupil
    applied_by     uuid NOT NULL REFERENCES persons (id),       -- the custodial guardian
    school_id      uuid NOT NULL REFERENCES organisations (id), -- the school unit that decides
    first_day      date NOT NULL,
    last_day       date NOT NULL,
    school_days    integer NOT NULL CHECK (school_days >= 0),   -- weekdays from first to last day
    reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    status         text NOT NULL DEFAULT 'awaiting-guardians' CHECK (status IN
                     ('awaiting-guardians', 'awaiting-decision', 'refused-by-guardian', 'expired', 'granted', 'denied')),
    mentor_opinion text CHECK (mentor_opinion IN ('supports', 'advises-against')),
    decided_by     uuid REFERENCES persons (id),
    decided_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (last_day >= first_day)
);
CREATE INDEX leave_applications_person ON leave_applications (person_id, first_day);
-- One open application per pupil and period: sending it twice is a conflict, not two processes.
CREATE UNIQUE INDEX leave_applications_open ON leave_applications (person_id, first_day, last_day)
    WHERE status IN ('awaiting-guardians', 'awaiting-decision');

-- The principal's delegation of leave decisions to the pupils' mentors (delegation enligt
-- skollagen 2 kap. 10 §), for leave of at most mentor_max_days school days. Leave of more than
-- ten days is always the principal's decision.
CREATE TABLE leave_delegations (
    school_id       uuid PRIMARY KEY REFERENCES organisations (id),
    mentor_max_days integer NOT NULL CHECK (mentor_max_days BETWEEN 0 AND 10),
    set_by          uuid NOT NULL REFERENCES persons (id),
    set_at          timestamptz NOT NULL DEFAULT now()
);
