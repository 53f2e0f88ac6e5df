-- Authorization decides over a snapshot of the register held in memory (register/snapshot.go),
-- taken at a register version: every change to what the snapshot holds must bump the version in
-- its own transaction, or a request could be decided over facts that are no longer true. The
-- register's writers do (register.Changed); these triggers make it hold for any writer, a script
-- or a future route included. One bump per statement; Changed bumping again is harmless.
CREATE FUNCTION register_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE register_version SET version = version + 1;
    PERFORM pg_notify('register_changed', '');
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['persons', 'responsibles', 'group_memberships', 'group_assignments', 'groups',
                             'duties', 'enrolments', 'placements', 'organisations', 'person_principal_names']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION register_changed()', t || '_register_changed', t);
    END LOOP;
END $$;
