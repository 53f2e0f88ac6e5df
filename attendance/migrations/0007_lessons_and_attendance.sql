-- Lessons: one occurrence of a group's teaching (SS 12000 CalendarEvent of an Activity), with
-- the teacher who takes the register.
CREATE TABLE lessons (
    id           uuid PRIMARY KEY,
    group_id     uuid NOT NULL REFERENCES groups (id),
    school_id    uuid NOT NULL REFERENCES organisations (id), -- the group's school unit
    teacher_id   uuid NOT NULL REFERENCES persons (id),
    subject_code text,
    start_time   timestamptz NOT NULL,
    end_time     timestamptz NOT NULL,
    CHECK (end_time > start_time)
);
CREATE INDEX lessons_group_time ON lessons (group_id, start_time);
CREATE INDEX lessons_teacher_time ON lessons (teacher_id, start_time);

-- Attendance per pupil and lesson, in minutes as SS 12000 keeps it: attended, valid absence,
-- invalid absence. The three add up to the lesson's scheduled minutes.
CREATE TABLE attendance (
    lesson_id               uuid NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    person_id               uuid NOT NULL REFERENCES persons (id),
    status                  text NOT NULL CHECK (status IN ('present', 'absent', 'late')),
    attended_minutes        integer NOT NULL CHECK (attended_minutes >= 0),
    valid_absence_minutes   integer NOT NULL DEFAULT 0 CHECK (valid_absence_minutes >= 0),
    invalid_absence_minutes integer NOT NULL CHECK (invalid_absence_minutes >= 0),
    registered_by           uuid NOT NULL REFERENCES persons (id),
    registered_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (lesson_id, person_id)
);
CREATE INDEX attendance_person ON attendance (person_id);
