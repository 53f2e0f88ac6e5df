-- A counter bumped in the same transaction as every change to the register. Each API instance
-- compares it with the version its authorization snapshot was taken at, so a change is honoured
-- by the very next request on every instance; LISTEN/NOTIFY on 'register_changed' lets them
-- reload ahead of that request.
CREATE TABLE register_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL
);
INSERT INTO register_version (version) VALUES (0);
