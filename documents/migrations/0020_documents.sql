-- Pupil documentation (dokumentation): documents kept as versions, each version signed once and
-- never changed after. A change to a signed document is a new version with a new signature.
-- Each signed version carries a SHA-256 over its canonical form and the previous version's
-- hash (documents.Hash): a chain that anyone with access can verify.

CREATE TABLE documents (
    id             uuid PRIMARY KEY,
    kind           text NOT NULL, -- documents.Kinds
    pupil_id       uuid NOT NULL REFERENCES persons (id),
    school_unit_id uuid NOT NULL REFERENCES organisations (id),
    created_by     uuid NOT NULL REFERENCES persons (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_pupil ON documents (pupil_id);
CREATE INDEX documents_school_unit ON documents (school_unit_id);

-- The staff assigned to a document: they draft it, and read it.
CREATE TABLE document_staff (
    document_id uuid NOT NULL REFERENCES documents (id),
    person_id   uuid NOT NULL REFERENCES persons (id),
    PRIMARY KEY (document_id, person_id)
);
CREATE INDEX document_staff_person ON document_staff (person_id);

-- A version: drafted (and changed) until it is signed; then frozen, with its hash. Only the
-- latest version of a document can be a draft (the store adds a version only after a signed one).
CREATE TABLE document_versions (
    document_id     uuid NOT NULL REFERENCES documents (id),
    version         integer NOT NULL CHECK (version >= 1),
    fields          jsonb NOT NULL, -- the kind's structured fields, name to text
    body            text NOT NULL,  -- the free text
    drafted_by      uuid NOT NULL REFERENCES persons (id),
    drafted_at      timestamptz NOT NULL DEFAULT now(),
    signed_by       uuid REFERENCES persons (id),
    signed_at       timestamptz,
    previous_sha256 text CHECK (previous_sha256 ~ '^[0-9a-f]{64}$'),
    sha256          text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (document_id, version),
    CHECK ((signed_by IS NULL) = (signed_at IS NULL) AND (signed_at IS NULL) = (sha256 IS NULL)),
    CHECK ((version = 1) = (previous_sha256 IS NULL) OR signed_at IS NULL)
);

-- A signed version never changes and is never deleted, row by row, whoever asks: the application,
-- or anyone else connected as an ordinary role. (Only a superuser can switch the trigger off, which
-- the chain's verification then shows.) A draft may be changed, and signed once. TRUNCATE, which
-- empties the table without row triggers, is left to the tables' owner: the seed's replacement of a
-- whole synthetic register uses it, and the application is to run as a role without it (issue 19).
CREATE FUNCTION document_versions_signed_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a signed document version never changes' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.document_id <> OLD.document_id OR NEW.version <> OLD.version THEN
        RAISE EXCEPTION 'a document version keeps its place' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER document_versions_signed_never_change BEFORE UPDATE OR DELETE ON document_versions
    FOR EACH ROW EXECUTE FUNCTION document_versions_signed_never_change();
