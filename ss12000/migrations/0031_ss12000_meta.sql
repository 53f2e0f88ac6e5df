-- SS 12000 meta: every object the standard serves carries meta.created and meta.modified, kept
-- here by the database, so that no writer can forget them. An object is modified when a row of
-- its own changes, or a row the standard serves inside it (a person's responsibles, enrolments
-- and addresses; a group's memberships; an activity's groups and teachers). The import leaves a
-- row that is already as its document says untouched, so an unchanged import modifies nothing.
--
-- Deletions are kept in ss12000_deleted_entities for the standard's deletedEntities: a system
-- that syncs incrementally learns from it what to remove.

CREATE FUNCTION ss12000_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.meta_modified := now();
    RETURN NEW;
END $$;

-- ss12000_touch_parent touches the object a served child row belongs to: TG_ARGV[0] is the
-- parent's table and TG_ARGV[1] the child's column that holds the parent's id.
CREATE FUNCTION ss12000_touch_parent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_ jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
    EXECUTE format('UPDATE %I SET meta_modified = now() WHERE id = $1 AND meta_modified <> now()', TG_ARGV[0])
        USING (row_ ->> TG_ARGV[1])::uuid;
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) ->> TG_ARGV[1] IS DISTINCT FROM row_ ->> TG_ARGV[1] THEN
        EXECUTE format('UPDATE %I SET meta_modified = now() WHERE id = $1 AND meta_modified <> now()', TG_ARGV[0])
            USING (to_jsonb(OLD) ->> TG_ARGV[1])::uuid;
    END IF;
    RETURN NULL;
END $$;

CREATE TABLE ss12000_deleted_entities (
    resource   text        NOT NULL, -- the standard's resource: persons, groups, ...
    id         uuid        NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (resource, id)
);
CREATE INDEX ss12000_deleted_entities_at ON ss12000_deleted_entities (deleted_at, resource, id);

-- ss12000_deleted records a deleted object; TG_ARGV[0] is its resource.
CREATE FUNCTION ss12000_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ss12000_deleted_entities (resource, id) VALUES (TG_ARGV[0], OLD.id)
        ON CONFLICT (resource, id) DO UPDATE SET deleted_at = now();
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('organisations', 'organisations'), ('persons', 'persons'),
            ('placements', 'placements'), ('duties', 'duties'), ('groups', 'groups'),
            ('syllabuses', 'syllabuses'), ('activities', 'activities')) AS v(name, resource)
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
    FOR t IN SELECT * FROM (VALUES ('responsibles', 'persons', 'person_id'), ('enrolments', 'persons', 'person_id'),
            ('person_addresses', 'persons', 'person_id'), ('group_memberships', 'groups', 'group_id'),
            ('activity_groups', 'activities', 'activity_id'), ('activity_teachers', 'activities', 'activity_id'),
            ('organisation_addresses', 'organisations', 'organisation_id')) AS v(child, parent, col)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW
            EXECUTE FUNCTION ss12000_touch_parent(%L, %L)', t.child || '_touches_' || t.parent, t.child, t.parent, t.col);
    END LOOP;
END $$;
