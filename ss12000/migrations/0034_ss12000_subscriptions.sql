-- SS 12000 subscriptions: a client asks to be told, at its callback (target), when resources of
-- the given types change. A change is recorded for each subscription it concerns, in the
-- transaction that made it (ss12000_pending), so that nothing is lost whatever the receiver or
-- the platform does; each subscription's delivery process tells the receiver of what is pending,
-- in order, and removes what it told.
CREATE TABLE ss12000_subscriptions (
    id             uuid PRIMARY KEY,
    client_id      uuid NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    name           text NOT NULL CHECK (name <> ''),
    target         text NOT NULL CHECK (target <> ''),
    resource_types text[] NOT NULL, -- the standard's EndPointsEnum: Person, Group, ...
    expires        timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ss12000_subscriptions_client ON ss12000_subscriptions (client_id);
CREATE INDEX ss12000_subscriptions_types ON ss12000_subscriptions USING gin (resource_types);

-- A change a subscription is to be told of: of which type, and whether something was deleted.
-- Rows are only added (never updated), so that writers of the register never wait for one
-- another, nor for a delivery.
CREATE TABLE ss12000_pending (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES ss12000_subscriptions (id) ON DELETE CASCADE,
    resource        text NOT NULL,
    deleted         boolean NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ss12000_pending_subscription ON ss12000_pending (subscription_id, seq);

-- ss12000_changed records a statement's change for every subscription to its type (TG_ARGV[0])
-- and wakes the listeners; TG_ARGV[1] is 'object' for the resource's own table, whose deletions
-- are deletions, and 'part' for a table of what the standard serves inside the object.
CREATE FUNCTION ss12000_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
        RETURN NULL;
    END IF;
    INSERT INTO ss12000_pending (subscription_id, resource, deleted)
        SELECT id, TG_ARGV[0], TG_OP = 'DELETE' AND TG_ARGV[1] = 'object'
        FROM ss12000_subscriptions WHERE TG_ARGV[0] = ANY (resource_types);
    IF FOUND THEN
        PERFORM pg_notify('ss12000_changed', '');
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
    op text;
BEGIN
    FOR t IN SELECT * FROM (VALUES
            ('organisations', 'Organisation', 'object'), ('organisation_addresses', 'Organisation', 'part'),
            ('persons', 'Person', 'object'), ('responsibles', 'Person', 'part'), ('enrolments', 'Person', 'part'),
            ('person_addresses', 'Person', 'part'), ('placements', 'Placement', 'object'), ('duties', 'Duty', 'object'),
            ('group_assignments', 'Duty', 'part'), ('groups', 'Group', 'object'), ('group_memberships', 'Group', 'part'),
            ('syllabuses', 'Syllabus', 'object'), ('activities', 'Activity', 'object'), ('activity_groups', 'Activity', 'part'),
            ('activity_teachers', 'Activity', 'part'), ('lessons', 'CalendarEvent', 'object'),
            ('attendance', 'Attendance', 'object'), ('absence_reports', 'Absence', 'object'), ('grades', 'Grade', 'object')
        ) AS v(name, resource, kind)
    LOOP
        FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
            EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS %I FOR EACH STATEMENT
                EXECUTE FUNCTION ss12000_changed(%L, %L)', t.name || '_ss12000_' || lower(op), op, t.name,
                CASE op WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END, CASE op WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END,
                t.resource, t.kind);
        END LOOP;
    END LOOP;
END $$;

ALTER TABLE api_client_grants DROP CONSTRAINT api_client_grants_resource_check;
ALTER TABLE api_client_grants ADD CONSTRAINT api_client_grants_resource_check CHECK (resource IN ('organisations',
    'persons', 'placements', 'duties', 'groups', 'syllabuses', 'activities', 'calendarEvents', 'attendances',
    'absences', 'aggregatedAttendance', 'grades', 'deletedEntities', 'attendances.report', 'absences.report',
    'subscriptions'));
