-- How each person wants to be told: their language and channels (the in-app inbox always).
-- Each guardian sets their own through the API.
CREATE TABLE contact_preferences (
    person_id uuid PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    language  text NOT NULL DEFAULT 'sv' CHECK (language IN ('sv', 'en')),
    email     text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    phone     text CHECK (phone ~ '^\+[0-9]{7,15}$'),
    channels  text[] NOT NULL DEFAULT '{}' CHECK (channels <@ ARRAY['email', 'sms']),
    CHECK (NOT ('email' = ANY (channels)) OR email IS NOT NULL),
    CHECK (NOT ('sms' = ANY (channels)) OR phone IS NOT NULL)
);

-- A notification: the in-app message, and the record of what was sent. Its key is
-- (process, recipient, purpose), so a process tells a person a thing once however often the
-- activity runs.
CREATE TABLE notifications (
    id              uuid PRIMARY KEY, -- derived from the idempotency key
    idempotency_key text NOT NULL UNIQUE,
    process_id      text NOT NULL,
    recipient_id    uuid NOT NULL REFERENCES persons (id),
    purpose         text NOT NULL,
    language        text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at DESC);

-- One delivery per notification and chosen channel: queued, sent, or failed with the reason.
-- The address is not copied here; it is read from contact_preferences when sending.
CREATE TABLE deliveries (
    notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
    state           text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz,
    PRIMARY KEY (notification_id, channel)
);
