-- Who put a person on a document's staff, and when: the principal assigns the staff who draft an
-- investigation (a special needs teacher, a school counsellor), and may take them off it again.
-- The rows before this migration were put there by drafting, and name no one.
ALTER TABLE document_staff
    ADD COLUMN assigned_by uuid REFERENCES persons (id),
    ADD COLUMN assigned_at timestamptz NOT NULL DEFAULT now();
