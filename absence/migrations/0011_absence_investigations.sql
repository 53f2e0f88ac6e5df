-- Absence investigations (utredning av frånvaro, skollagen 7 kap. 19 a §): opened by the daily
-- review when a pupil's absence in a calendar month repeats or passes a share of the registered
-- time. One per pupil and month; the figures that opened it are kept with it.
CREATE TABLE absence_investigations (
    process_id     text PRIMARY KEY,
    person_id      uuid NOT NULL REFERENCES persons (id),
    school_id      uuid NOT NULL REFERENCES organisations (id),
    month          text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
    invalid_days   integer NOT NULL,
    absent_percent integer NOT NULL,
    status         text NOT NULL CHECK (status IN ('open', 'investigated', 'closed')),
    conclusion     text CHECK (conclusion IN ('measures-taken', 'no-measures-needed')),
    opened_at      timestamptz NOT NULL DEFAULT now(),
    closed_at      timestamptz,
    UNIQUE (person_id, month)
);
CREATE INDEX absence_investigations_school ON absence_investigations (school_id, opened_at DESC);

-- The review reads a month of lessons at a time.
CREATE INDEX lessons_start_time ON lessons (start_time);
