-- The school register, with SS 12000 v2.1 names (camelCase there, snake_case here) and code
-- lists, so that an SS 12000 API is a view of these tables. Every row has the UUID the source
-- system gave it, which makes imports idempotent. Periods are [start_date, end_date], end_date
-- inclusive and NULL while open.

-- Organisation: the huvudman, school units (skolenheter) and what lies between.
CREATE TABLE organisations (
    id                     uuid PRIMARY KEY,
    display_name           text NOT NULL CHECK (display_name <> ''),
    organisation_type      text NOT NULL CHECK (organisation_type IN ('Huvudman', 'Verksamhetsområde',
                               'Förvaltning', 'Rektorsområde', 'Skola', 'Skolenhet', 'Varumärke', 'Bolag', 'Övrigt')),
    organisation_code      text,
    parent_organisation_id uuid REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    school_unit_code       text UNIQUE CHECK (school_unit_code ~ '^[0-9]{8}$'), -- skolenhetskod
    school_types           text[] NOT NULL DEFAULT '{}',
    municipality_code      text CHECK (municipality_code ~ '^[0-9]{4}$'),
    start_date             date,
    end_date               date,
    CHECK (organisation_type <> 'Skolenhet' OR school_unit_code IS NOT NULL)
);
CREATE INDEX organisations_parent ON organisations (parent_organisation_id);

-- Person: pupils, guardians and staff alike. civic_no is the personnummer, samordningsnummer or a
-- temporary number. security_marking 'Skyddad folkbokföring' or 'Sekretessmarkering' hides where
-- the person is from everyone without a need to know.
CREATE TABLE persons (
    id               uuid PRIMARY KEY,
    given_name       text NOT NULL,
    family_name      text NOT NULL,
    civic_no         text UNIQUE CHECK (civic_no ~ '^[0-9]{8}[0-9A-Z]{4}$'),
    birth_date       date,
    security_marking text NOT NULL DEFAULT 'Ingen'
                     CHECK (security_marking IN ('Ingen', 'Sekretessmarkering', 'Skyddad folkbokföring'))
);

-- eduPersonPrincipalNames: the names a person signs in with; a token's subject is one of them.
CREATE TABLE person_principal_names (
    principal_name text PRIMARY KEY,
    person_id      uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE
);
CREATE INDEX person_principal_names_person ON person_principal_names (person_id);

-- Person.responsibles: the adults responsible for a pupil. Only 'Vårdnadshavare' (custodial
-- guardian) takes custody decisions.
CREATE TABLE responsibles (
    person_id      uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE, -- the child
    responsible_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE, -- the adult
    relation_type  text NOT NULL CHECK (relation_type IN ('Vårdnadshavare', 'Annan ansvarig', 'God man', 'Utsedd behörig')),
    start_date     date,
    end_date       date,
    PRIMARY KEY (person_id, responsible_id),
    CHECK (person_id <> responsible_id)
);
CREATE INDEX responsibles_responsible ON responsibles (responsible_id);

-- Duty: a staff member's employment in a role at an organisation (tjänstgöring).
CREATE TABLE duties (
    id          uuid PRIMARY KEY,
    person_id   uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    duty_at     uuid NOT NULL REFERENCES organisations (id),
    duty_role   text NOT NULL CHECK (duty_role IN ('Rektor', 'Lärare', 'Förskollärare', 'Barnskötare',
                    'Bibliotekarie', 'Lärarassistent', 'Fritidspedagog', 'Annan personal',
                    'Studie- och yrkesvägledare', 'Förstelärare', 'Kurator', 'Skolsköterska', 'Skolläkare',
                    'Skolpsykolog', 'Speciallärare/specialpedagog', 'Skoladministratör',
                    'Övrig arbetsledning', 'Övrig pedagogisk personal', 'Förskolechef')),
    signature   text,
    start_date  date NOT NULL,
    end_date    date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX duties_person ON duties (person_id);
CREATE INDEX duties_at ON duties (duty_at);

-- Lärarlegitimation: the subjects a teacher is certified in (Skolverket's subject codes).
CREATE TABLE teacher_certifications (
    person_id    uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    subject_code text NOT NULL CHECK (subject_code ~ '^[A-ZÅÄÖ0-9]{2,6}$'),
    PRIMARY KEY (person_id, subject_code)
);

-- Group: a class, a teaching group, a mentor group, ... at a school unit.
CREATE TABLE groups (
    id              uuid PRIMARY KEY,
    display_name    text NOT NULL CHECK (display_name <> ''),
    group_type      text NOT NULL CHECK (group_type IN ('Undervisning', 'Klass', 'Mentor', 'Provgrupp',
                        'Schema', 'Avdelning', 'Personalgrupp', 'Övrigt')),
    school_type     text,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    start_date      date NOT NULL,
    end_date        date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX groups_organisation ON groups (organisation_id);

-- Group.groupMemberships: the pupils of a group, each for a period.
CREATE TABLE group_memberships (
    group_id   uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    person_id  uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    start_date date NOT NULL,
    end_date   date,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_memberships_person ON group_memberships (person_id);

-- Who works with a group: 'Lärare' teaches it (SS 12000 says so through Activity.teachers),
-- 'Mentor' mentors its pupils (Duty.assignmentRole, AssignmentRoleTypeEnum).
CREATE TABLE group_assignments (
    group_id         uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    duty_id          uuid NOT NULL REFERENCES duties (id) ON DELETE CASCADE,
    assignment_role  text NOT NULL CHECK (assignment_role IN ('Lärare', 'Mentor')),
    start_date       date NOT NULL,
    end_date         date,
    PRIMARY KEY (group_id, duty_id, assignment_role)
);
CREATE INDEX group_assignments_duty ON group_assignments (duty_id);

-- Läsår and terminer of a huvudman.
CREATE TABLE school_years (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    display_name    text NOT NULL, -- e.g. 2026/27
    start_date      date NOT NULL,
    end_date        date NOT NULL,
    CHECK (end_date >= start_date)
);

CREATE TABLE terms (
    id             uuid PRIMARY KEY,
    school_year_id uuid NOT NULL REFERENCES school_years (id) ON DELETE CASCADE,
    display_name   text NOT NULL, -- e.g. HT2026
    start_date     date NOT NULL,
    end_date       date NOT NULL,
    CHECK (end_date >= start_date)
);

-- Person.enrolments: a pupil enrolled at a school unit in a school type and year (årskurs).
CREATE TABLE enrolments (
    id          uuid PRIMARY KEY,
    person_id   uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    enroled_at  uuid NOT NULL REFERENCES organisations (id),
    school_type text NOT NULL,
    school_year integer CHECK (school_year BETWEEN 0 AND 13),
    start_date  date NOT NULL,
    end_date    date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX enrolments_person ON enrolments (person_id);
CREATE INDEX enrolments_at ON enrolments (enroled_at);

-- Placement: a child placed at a preschool (FS) or pedagogical care.
CREATE TABLE placements (
    id          uuid PRIMARY KEY,
    child_id    uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    placed_at   uuid NOT NULL REFERENCES organisations (id),
    group_id    uuid REFERENCES groups (id),
    school_type text NOT NULL CHECK (school_type IN ('FS', 'FTH', 'OPPFTH')),
    start_date  date NOT NULL,
    end_date    date,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX placements_child ON placements (child_id);
CREATE INDEX placements_at ON placements (placed_at);
