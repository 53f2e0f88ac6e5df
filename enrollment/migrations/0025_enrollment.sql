-- Enrollment and placement (skolval och placering; skollagen 8 kap. 14-15 §§ for preschool,
-- 9 kap. 15 § and 10 kap. 30 § for förskoleklass and school). What the records own and what the
-- processes own:
--   the records (here) own the organiser's seats, its rounds, the guardians' applications in
--   every version, each guardian's consent, and the round's placements and offers;
--   the processes (Temporal) own the steps: application:<child>:<round> asks every other
--   custodial guardian to agree and keeps the application open to change until the round closes;
--   placement:<organiser>:<round> closes the round, places, has the result approved and
--   publishes the offers.

-- A school unit's seats in a school type and year (platser), set by the organiser's officers.
-- school_year is the årskurs, 0 for förskoleklass and for förskola, which has no years.
CREATE TABLE school_capacities (
    school_id   uuid NOT NULL REFERENCES organisations (id),
    school_type text NOT NULL CHECK (school_type IN ('FS', 'FKLASS', 'GR', 'GRS')),
    school_year integer NOT NULL CHECK (school_year BETWEEN 0 AND 9),
    capacity    integer NOT NULL CHECK (capacity >= 0),
    set_by      uuid NOT NULL REFERENCES persons (id),
    set_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_id, school_type, school_year)
);

-- A placement round (antagningsomgång) of an organiser: one school type and year, placing
-- children from start_date. Applications are open until closes_at; the offers go out at
-- publishes_at. seed is the lottery's, drawn when the round closes and kept, so the round can be
-- run again and audited to the same result.
CREATE TABLE enrollment_rounds (
    id           uuid PRIMARY KEY,
    organiser_id uuid NOT NULL REFERENCES organisations (id),
    name         text NOT NULL CHECK (name <> ''),
    school_type  text NOT NULL CHECK (school_type IN ('FS', 'FKLASS', 'GR', 'GRS')),
    school_year  integer NOT NULL CHECK (school_year BETWEEN 0 AND 9),
    start_date   date NOT NULL,
    closes_at    timestamptz NOT NULL,
    publishes_at timestamptz NOT NULL CHECK (publishes_at >= closes_at),
    seed         bigint,
    status       text NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'closed', 'placed', 'approved', 'published')),
    created_by   uuid NOT NULL REFERENCES persons (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organiser_id, name)
);

-- A child's application in a round. status: awaiting-consent while a version waits for the other
-- guardians; complete once a version has every custodial guardian's agreement (agreed_version,
-- the one that counts); incomplete when the latest was refused or not answered in time and none
-- was agreed.
CREATE TABLE applications (
    id             uuid PRIMARY KEY,
    round_id       uuid NOT NULL REFERENCES enrollment_rounds (id),
    child_id       uuid NOT NULL REFERENCES persons (id),
    status         text NOT NULL DEFAULT 'awaiting-consent'
                   CHECK (status IN ('awaiting-consent', 'complete', 'incomplete')),
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    agreed_version integer CHECK (agreed_version BETWEEN 1 AND version),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (round_id, child_id)
);
CREATE INDEX applications_child ON applications (child_id);

-- Every version of an application, as a guardian wrote it: the schools by rank, the first the
-- most wished. A version is never changed; a change is the next version.
CREATE TABLE application_versions (
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    version        integer NOT NULL CHECK (version >= 1),
    choices        uuid[] NOT NULL CHECK (cardinality(choices) BETWEEN 1 AND 5),
    applied_by     uuid NOT NULL REFERENCES persons (id),
    applied_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, version)
);

-- Each custodial guardian's answer to a version: the guardian who wrote it agreed by writing it.
CREATE TABLE application_consents (
    application_id uuid NOT NULL,
    version        integer NOT NULL,
    guardian_id    uuid NOT NULL REFERENCES persons (id),
    answer         text NOT NULL CHECK (answer IN ('agree', 'refuse')),
    answered_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, version, guardian_id),
    FOREIGN KEY (application_id, version) REFERENCES application_versions (application_id, version) ON DELETE CASCADE
);
