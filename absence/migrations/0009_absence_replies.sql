-- A custodial guardian's answer to an absence notice: the reason in their own words. The text
-- stays here; the absence process gets only the reply's id, and the mentor classifies the
-- absence as valid or invalid.
CREATE TABLE absence_replies (
    id          uuid PRIMARY KEY,
    process_id  text NOT NULL,
    person_id   uuid NOT NULL REFERENCES persons (id), -- the child
    guardian_id uuid NOT NULL REFERENCES persons (id),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX absence_replies_process ON absence_replies (process_id);
