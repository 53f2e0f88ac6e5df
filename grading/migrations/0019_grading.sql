-- Grading (betyg, skollagen 3 kap.). What the records own and what the process owns:
--   the records (here) own every grade ever set, who set, co-signed and decided it and when,
--   the teachers' drafts, the signed catalogues and their hashes, and the publication time;
--   the process (Temporal, grading:<schoolUnit>:<term>) owns the period's steps: which tasks
--   are open, the reminders and deadlines, what is still missing, and the timer that publishes.
-- A process writes records only through its activities, each idempotent.

-- A grading period: one school unit's grades of one term. The dates are the principal's;
-- published_at is set by the process when the publication time comes, and no guardian or
-- pupil reads a grade of the period before it.
CREATE TABLE grading_periods (
    id               uuid PRIMARY KEY, -- derived from process_id (grading.PeriodID)
    process_id       text NOT NULL UNIQUE, -- the process's business key, grading:<schoolUnit>:<term>
    school_unit_id   uuid NOT NULL REFERENCES organisations (id),
    term_id          uuid NOT NULL REFERENCES terms (id),
    entry_opens      timestamptz NOT NULL,
    teacher_deadline timestamptz NOT NULL,
    sign_off         timestamptz NOT NULL,
    publication      timestamptz NOT NULL,
    opened_by        uuid NOT NULL REFERENCES persons (id),
    opened_at        timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    run_id           text, -- the process's first run, from which its tasks' ids derive
    UNIQUE (school_unit_id, term_id),
    CHECK (entry_opens < teacher_deadline AND teacher_deadline <= sign_off AND sign_off <= publication)
);

-- A teacher's grades for an activity's pupils while they work on them: saved as a draft,
-- submitted once (then they are grades, and the drafts go).
CREATE TABLE grade_drafts (
    period_id   uuid NOT NULL REFERENCES grading_periods (id),
    activity_id uuid NOT NULL REFERENCES activities (id),
    student_id  uuid NOT NULL REFERENCES persons (id),
    grade_value text NOT NULL,
    saved_by    uuid NOT NULL REFERENCES persons (id),
    saved_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (period_id, activity_id, student_id)
);

-- A co-signer's grades where they do not agree with the grading teacher's, given with their
-- answer to the co-signing task; who decides between the two is the law's (grading.DecidesOnDisagreement).
CREATE TABLE grade_proposals (
    period_id   uuid NOT NULL REFERENCES grading_periods (id),
    activity_id uuid NOT NULL REFERENCES activities (id),
    student_id  uuid NOT NULL REFERENCES persons (id),
    grade_value text NOT NULL,
    proposed_by uuid NOT NULL REFERENCES persons (id),
    proposed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (period_id, activity_id, student_id)
);

-- SS 12000 Grade. A grade is final once signed_at is set: set by a teacher certified in the
-- subject, co-signed by a certified teacher, or decided on disagreement. A final grade never
-- changes and is never deleted (the trigger below); a correction after the fact is a new row
-- that replaces it (correction_type: Ändring or Rättelse), so the original stays.
CREATE TABLE grades (
    id              uuid PRIMARY KEY,
    period_id       uuid NOT NULL REFERENCES grading_periods (id),
    student_id      uuid NOT NULL REFERENCES persons (id),
    activity_id     uuid NOT NULL REFERENCES activities (id),
    syllabus_id     uuid NOT NULL REFERENCES syllabuses (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    grade_value     text NOT NULL,
    grading_teacher uuid NOT NULL REFERENCES persons (id), -- who set it
    registered_by   uuid NOT NULL REFERENCES persons (id), -- who entered it
    co_signer       uuid REFERENCES persons (id),
    decided_by      text CHECK (decided_by IN ('teacher', 'co-signer', 'principal')),
    set_at          timestamptz NOT NULL,
    signed_at       timestamptz,
    semester        text NOT NULL CHECK (semester IN ('HT', 'VT')),
    year            integer NOT NULL,
    correction_type text CHECK (correction_type IN ('Ändring', 'Rättelse')),
    replaces        uuid REFERENCES grades (id),
    CHECK ((correction_type IS NULL) = (replaces IS NULL)),
    CHECK (signed_at IS NULL OR decided_by IS NOT NULL)
);
-- One original grade a pupil and activity in a period, and each grade replaced at most once.
CREATE UNIQUE INDEX grades_original ON grades (period_id, activity_id, student_id) WHERE replaces IS NULL;
CREATE UNIQUE INDEX grades_replaces ON grades (replaces) WHERE replaces IS NOT NULL;
CREATE INDEX grades_student ON grades (student_id);

CREATE FUNCTION grades_final_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a final grade never changes: correct it with a new grade that replaces it'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER grades_final_never_change BEFORE UPDATE OR DELETE ON grades
    FOR EACH ROW EXECUTE FUNCTION grades_final_never_change();

-- The grade catalogue (betygskatalog) of a group, signed off by the principal: the grades it
-- holds, and a SHA-256 over their canonical form, with the signer and the time. It never
-- changes; anyone who may read it can have the hash computed again (GET .../verify).
CREATE TABLE grade_catalogues (
    period_id      uuid NOT NULL REFERENCES grading_periods (id),
    group_id       uuid NOT NULL REFERENCES groups (id),
    content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    signed_by      uuid NOT NULL REFERENCES persons (id),
    signed_at      timestamptz NOT NULL,
    PRIMARY KEY (period_id, group_id)
);
CREATE TABLE grade_catalogue_grades (
    period_id uuid NOT NULL,
    group_id  uuid NOT NULL,
    grade_id  uuid NOT NULL REFERENCES grades (id),
    PRIMARY KEY (period_id, group_id, grade_id),
    FOREIGN KEY (period_id, group_id) REFERENCES grade_catalogues (period_id, group_id)
);

CREATE FUNCTION grade_catalogues_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a signed grade catalogue never changes' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER grade_catalogues_never_change BEFORE UPDATE OR DELETE ON grade_catalogues
    FOR EACH ROW EXECUTE FUNCTION grade_catalogues_never_change();
CREATE TRIGGER grade_catalogue_grades_never_change BEFORE UPDATE OR DELETE ON grade_catalogue_grades
    FOR EACH ROW EXECUTE FUNCTION grade_catalogues_never_change();

-- A teacher's flag that a pupil risks not reaching the pass level in an activity during the
-- period: the guardians are told, and the principal has the need for special support
-- investigated (skollagen 3 kap. 7 §).
CREATE TABLE grade_risks (
    id          uuid PRIMARY KEY,
    period_id   uuid NOT NULL REFERENCES grading_periods (id),
    student_id  uuid NOT NULL REFERENCES persons (id),
    activity_id uuid NOT NULL REFERENCES activities (id),
    flagged_by  uuid NOT NULL REFERENCES persons (id),
    flagged_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (period_id, student_id, activity_id)
);
