-- SS 12000 Syllabus: a subject (GR) or a course (GY) as taught and graded. grade_scale names the
-- scale a course is graded on when it is not its school type's (grading.ScaleFor): a course
-- graded only pass or fail, say. It is Skolflow's, not the standard's.
CREATE TABLE syllabuses (
    id           uuid PRIMARY KEY,
    school_type  text NOT NULL,
    subject_code text NOT NULL CHECK (subject_code ~ '^[A-ZÅÄÖ0-9]{2,6}$'),
    subject_name text NOT NULL CHECK (subject_name <> ''),
    course_code  text, -- GY and adult education: the course (MATMAT01a); NULL for a subject grade
    course_name  text,
    points       integer CHECK (points > 0),
    grade_scale  text CHECK (grade_scale IN ('A-F', 'A-E', 'E-F', 'G-IG'))
);

-- SS 12000 Activity: teaching of a syllabus to groups by teachers (Duty) at a school unit, for
-- a period. graded (Skolflow's) says the activity ends in grades for its pupils.
CREATE TABLE activities (
    id              uuid PRIMARY KEY,
    display_name    text NOT NULL CHECK (display_name <> ''),
    activity_type   text NOT NULL DEFAULT 'Undervisning' CHECK (activity_type IN ('Undervisning', 'Elevaktivitet',
                        'Provaktivitet', 'Läraraktivitet', 'Övrigt')),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    syllabus_id     uuid REFERENCES syllabuses (id),
    graded          boolean NOT NULL DEFAULT false,
    start_date      date NOT NULL,
    end_date        date,
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (NOT graded OR syllabus_id IS NOT NULL)
);
CREATE INDEX activities_organisation ON activities (organisation_id);

-- Activity.groups: whose pupils the activity teaches.
CREATE TABLE activity_groups (
    activity_id uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    group_id    uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, group_id)
);
CREATE INDEX activity_groups_group ON activity_groups (group_id);

-- Activity.teachers: the duties that teach it, and so grade it.
CREATE TABLE activity_teachers (
    activity_id uuid NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    duty_id     uuid NOT NULL REFERENCES duties (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, duty_id)
);
CREATE INDEX activity_teachers_duty ON activity_teachers (duty_id);
