-- What else the standard serves inside an object: a person's eduPersonPrincipalNames, and a
-- duty's assignmentRole (the groups it mentors). A change to them modifies the object, and tells
-- its subscribers. An object made again after it was deleted is no longer listed as deleted.
CREATE TRIGGER person_principal_names_touches_persons AFTER INSERT OR UPDATE OR DELETE ON person_principal_names
    FOR EACH ROW EXECUTE FUNCTION ss12000_touch_parent('persons', 'person_id');
CREATE TRIGGER group_assignments_touches_duties AFTER INSERT OR UPDATE OR DELETE ON group_assignments
    FOR EACH ROW EXECUTE FUNCTION ss12000_touch_parent('duties', 'duty_id');

DO $$
DECLARE
    op text;
BEGIN
    FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON person_principal_names REFERENCING %s TABLE AS %I FOR EACH STATEMENT
            EXECUTE FUNCTION ss12000_changed(%L, %L)', 'person_principal_names_ss12000_' || lower(op), op,
            CASE op WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END, CASE op WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END,
            'Person', 'part');
    END LOOP;
END $$;

-- A grade is told to subscribers when its period is published, not only when it is signed.
CREATE TRIGGER grading_periods_ss12000_update AFTER UPDATE ON grading_periods REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ss12000_changed('Grade', 'part');

-- ss12000_undeleted forgets the deletion of an object made again; TG_ARGV[0] is its resource.
CREATE FUNCTION ss12000_undeleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ss12000_deleted_entities WHERE resource = TG_ARGV[0] AND id = NEW.id;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('organisations', 'organisations'), ('persons', 'persons'),
            ('placements', 'placements'), ('duties', 'duties'), ('groups', 'groups'), ('syllabuses', 'syllabuses'),
            ('activities', 'activities'), ('lessons', 'calendarEvents'), ('attendance', 'attendances'),
            ('absence_reports', 'absences'), ('attendance_events', 'attendanceEvents')) AS v(name, resource)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I FOR EACH ROW EXECUTE FUNCTION ss12000_undeleted(%L)',
            t.name || '_undeleted', t.name, t.resource);
    END LOOP;
END $$;

-- A subscription whose receiver does not take its notifications: its process is trying again
-- already, and is not woken for each change meanwhile.
ALTER TABLE ss12000_subscriptions ADD COLUMN failing_since timestamptz;
