-- The standard's bookkeeping runs once per statement, not once per row: a sync or an import
-- writes a city's persons, group memberships, responsibles and principal names in one statement
-- each, and a row trigger's statement for every one of their rows was most of the time it took
-- (bench/issue-17/sync). The same holds for a morning's attendance, a class at a time.
--
-- A served child row's change touches its parent object. The parents touched are those of the rows written (new_rows) and,
-- for an update or a deletion, those the rows had (old_rows); a parent is updated once in a
-- transaction however many of its rows change (meta_modified <> now()).
CREATE FUNCTION ss12000_touch_parents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format('UPDATE %1$I p SET meta_modified = now() FROM (SELECT DISTINCT %2$I AS id FROM new_rows) c
            WHERE p.id = c.id AND p.meta_modified <> now()', TG_ARGV[0], TG_ARGV[1]);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('UPDATE %1$I p SET meta_modified = now() FROM (SELECT DISTINCT %2$I AS id FROM old_rows) c
            WHERE p.id = c.id AND p.meta_modified <> now()', TG_ARGV[0], TG_ARGV[1]);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('responsibles', 'persons', 'person_id'), ('enrolments', 'persons', 'person_id'),
            ('person_addresses', 'persons', 'person_id'), ('person_principal_names', 'persons', 'person_id'),
            ('group_memberships', 'groups', 'group_id'), ('group_assignments', 'duties', 'duty_id'),
            ('activity_groups', 'activities', 'activity_id'), ('activity_teachers', 'activities', 'activity_id'),
            ('organisation_addresses', 'organisations', 'organisation_id')) AS v(child, parent, col)
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t.child || '_touches_' || t.parent, t.child);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION ss12000_touch_parents(%L, %L)', t.child || '_inserted_touch_' || t.parent, t.child, t.parent, t.col);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION ss12000_touch_parents(%L, %L)', t.child || '_updated_touch_' || t.parent, t.child, t.parent, t.col);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION ss12000_touch_parents(%L, %L)', t.child || '_deleted_touch_' || t.parent, t.child, t.parent, t.col);
    END LOOP;
END $$;
DROP FUNCTION ss12000_touch_parent();

-- An object made again after it was deleted is no longer listed as deleted; a deleted object is
-- listed (ss12000_deleted_entities), once, with the time of its last deletion. TG_ARGV[0] is the
-- object's resource.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('organisations', 'organisations'), ('persons', 'persons'),
            ('placements', 'placements'), ('duties', 'duties'), ('groups', 'groups'), ('syllabuses', 'syllabuses'),
            ('activities', 'activities'), ('lessons', 'calendarEvents'), ('attendance', 'attendances'),
            ('absence_reports', 'absences'), ('attendance_events', 'attendanceEvents')) AS v(name, resource)
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t.name || '_undeleted', t.name);
        EXECUTE format('DROP TRIGGER %I ON %I', t.name || '_deleted', t.name);
    END LOOP;
END $$;
DROP FUNCTION ss12000_undeleted();
DROP FUNCTION ss12000_deleted();

CREATE FUNCTION ss12000_undeleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ss12000_deleted_entities d USING new_rows n WHERE d.resource = TG_ARGV[0] AND d.id = n.id;
    RETURN NULL;
END $$;

CREATE FUNCTION ss12000_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ss12000_deleted_entities (resource, id) SELECT DISTINCT TG_ARGV[0], id FROM old_rows
        ON CONFLICT (resource, id) DO UPDATE SET deleted_at = now();
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
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION ss12000_undeleted(%L)', t.name || '_undeleted', t.name, t.resource);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION ss12000_deleted(%L)', t.name || '_deleted', t.name, t.resource);
    END LOOP;
END $$;
