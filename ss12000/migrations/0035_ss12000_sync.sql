-- The SS 12000 sync's progress per source register: the next run reads what changed after the
-- watermark (the source's meta.modified), and what it deleted.
CREATE TABLE ss12000_sync_state (
    source    text PRIMARY KEY, -- the source's base URL
    watermark timestamptz NOT NULL,
    last_run  timestamptz NOT NULL
);
