-- Degrading treatment (kränkande behandling, skollagen 6 kap. 10 §). What the records own and
-- what the process owns:
--   the records (here) own the report (what, when, where, and the pupils concerned), and each
--   step's deadline and the time it was met: the proof the Schools Inspectorate asks for;
--   the process (Temporal, incident:<id>) owns the steps: whose task is open, its deadline,
--   its escalation to the organiser's officers when it passes.

CREATE TABLE incidents (
    id             uuid PRIMARY KEY,
    school_unit_id uuid NOT NULL REFERENCES organisations (id),
    reported_by    uuid NOT NULL REFERENCES persons (id),
    reported_at    timestamptz NOT NULL DEFAULT now(),
    occurred_at    timestamptz NOT NULL,
    place          text NOT NULL,
    description    text NOT NULL,
    step           text NOT NULL DEFAULT 'acknowledge', -- the step open now, or closed
    CHECK (occurred_at <= reported_at)
);
-- The newest first: of one school unit, and of an organiser's every school.
CREATE INDEX incidents_school_unit ON incidents (school_unit_id, reported_at DESC, id);
CREATE INDEX incidents_reported_at ON incidents (reported_at DESC, id);

-- The pupils concerned: subjected to the treatment, or said to have taken part in it.
CREATE TABLE incident_pupils (
    incident_id uuid NOT NULL REFERENCES incidents (id),
    pupil_id    uuid NOT NULL REFERENCES persons (id),
    role        text NOT NULL CHECK (role IN ('subjected', 'involved')),
    PRIMARY KEY (incident_id, pupil_id)
);
CREATE INDEX incident_pupils_pupil ON incident_pupils (pupil_id);

-- Each step of an incident: when it opened, its deadline as first set, and when and by whom it
-- was done. A step done after its deadline was escalated to the organiser's officers.
CREATE TABLE incident_steps (
    incident_id uuid NOT NULL REFERENCES incidents (id),
    step        text NOT NULL CHECK (step IN ('acknowledge', 'report', 'investigate', 'measures', 'follow-up')),
    opened_at   timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    done_at     timestamptz,
    done_by     uuid REFERENCES persons (id),
    PRIMARY KEY (incident_id, step)
);
