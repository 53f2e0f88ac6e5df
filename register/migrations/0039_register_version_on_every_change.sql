-- Authorization decides over a snapshot of the register held in memory (register/snapshot.go),
-- taken at a register version: every change to what the snapshot holds must bump the version in
-- its own transaction, or a request could be decided over facts that are no longer true. The
-- register's writers do (register.Changed); these triggers make it hold for any writer, a script
-- or a future route included.
--
-- Two things matter for how: a statement that changes no row (an upsert of what is there, a
-- removal of what is not) is no change, and must not make every API instance reload; and the
-- version's row is locked only at commit, as register.Changed does at its end, so that a long
-- transaction (a sync) does not hold it from its first statement and deadlock against a writer
-- that locked one of its rows before. So a statement that changed rows notes its transaction in
-- register_changes, and a deferred trigger there bumps the version once, at commit.
CREATE UNLOGGED TABLE register_changes (
    txid xid8 PRIMARY KEY DEFAULT pg_current_xact_id()
);

CREATE FUNCTION register_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO register_changes DEFAULT VALUES ON CONFLICT DO NOTHING;
    ELSIF EXISTS (SELECT 1 FROM changed) THEN
        INSERT INTO register_changes DEFAULT VALUES ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION register_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE register_version SET version = version + 1;
    PERFORM pg_notify('register_changed', '');
    DELETE FROM register_changes WHERE txid = NEW.txid;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER register_changes_bump AFTER INSERT ON register_changes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION register_bump();

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['persons', 'responsibles', 'group_memberships', 'group_assignments', 'groups',
                             'duties', 'enrolments', 'placements', 'organisations', 'person_principal_names']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed
                        FOR EACH STATEMENT EXECUTE FUNCTION register_changed()', t || '_inserted_register', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed
                        FOR EACH STATEMENT EXECUTE FUNCTION register_changed()', t || '_updated_register', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed
                        FOR EACH STATEMENT EXECUTE FUNCTION register_changed()', t || '_deleted_register', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION register_changed()', t || '_truncated_register', t);
    END LOOP;
END $$;
