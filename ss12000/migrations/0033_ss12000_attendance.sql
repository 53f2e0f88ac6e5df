-- SS 12000 meta and ids for the attendance the standard serves: lessons (CalendarEvent), a
-- pupil's attendance at one (Attendance) and a guardian's report of absence (Absence). An
-- attendance row is the pupil's at the lesson; the standard gives each its own id, which is
-- kept here and survives a register taken again. Grades carry their own times (set, signed)
-- and never change once final, so they need none of this.
ALTER TABLE attendance ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX attendance_id ON attendance (id);

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('lessons', 'calendarEvents'), ('attendance', 'attendances'),
            ('absence_reports', 'absences')) AS v(name, resource)
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN meta_created timestamptz NOT NULL DEFAULT now(),
            ADD COLUMN meta_modified timestamptz NOT NULL DEFAULT now()', t.name);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW
            WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ss12000_touch()', t.name || '_meta', t.name);
        EXECUTE format('CREATE INDEX %I ON %I (meta_modified, id)', t.name || '_meta_modified', t.name);
        EXECUTE format('CREATE INDEX %I ON %I (meta_created, id)', t.name || '_meta_created', t.name);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I FOR EACH ROW
            EXECUTE FUNCTION ss12000_deleted(%L)', t.name || '_deleted', t.name, t.resource);
    END LOOP;
END $$;

-- A lesson's school and time, for the lists of a school's calendar.
CREATE INDEX lessons_school_time ON lessons (school_id, start_time);

ALTER TABLE api_client_grants DROP CONSTRAINT api_client_grants_resource_check;
ALTER TABLE api_client_grants ADD CONSTRAINT api_client_grants_resource_check CHECK (resource IN ('organisations',
    'persons', 'placements', 'duties', 'groups', 'syllabuses', 'activities', 'calendarEvents', 'attendances',
    'absences', 'aggregatedAttendance', 'grades', 'deletedEntities', 'attendances.report', 'absences.report'));
