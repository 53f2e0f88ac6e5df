-- Special support (särskilt stöd, skollagen 3 kap. 5-12 §§). What the records own and what the
-- process owns:
--   the records (here) own the case: who signalled the need and why, the investigation and the
--   decision (documents, signed and chained: documents/), and appeals as they are received;
--   the process (Temporal, support:<pupil>:<case>) owns the steps: the principal's task to have
--   the need investigated, the family's chance to take part, the principal's decision, and the
--   follow-up and evaluation of an action programme.

CREATE TABLE support_cases (
    id               uuid PRIMARY KEY,
    pupil_id         uuid NOT NULL REFERENCES persons (id),
    school_unit_id   uuid NOT NULL REFERENCES organisations (id),
    signalled_by     uuid NOT NULL REFERENCES persons (id),
    signalled_at     timestamptz NOT NULL DEFAULT now(),
    concern          text NOT NULL, -- what the teacher or mentor saw
    investigation_id uuid REFERENCES documents (id),
    decision_id      uuid REFERENCES documents (id),
    decided_at       timestamptz
);
CREATE INDEX support_cases_pupil ON support_cases (pupil_id);

-- An appeal of the decision to Skolväsendets överklagandenämnd, as the school received it.
CREATE TABLE support_appeals (
    id          uuid PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES support_cases (id),
    received_on date NOT NULL,
    note        text NOT NULL,
    recorded_by uuid NOT NULL REFERENCES persons (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_appeals_case ON support_appeals (case_id);
