-- What a notification says outside the app, by email and SMS, beside what the in-app inbox
-- shows (subject, body). They differ when the message is about a pupil with a protection
-- marking: then email and SMS say only that there is a message in Skolflow (see
-- notify/compose.go). Rows written before carry the same text on every channel.
ALTER TABLE notifications ADD COLUMN external_subject text, ADD COLUMN external_body text;
UPDATE notifications SET external_subject = subject, external_body = body;
ALTER TABLE notifications ALTER COLUMN external_subject SET NOT NULL, ALTER COLUMN external_body SET NOT NULL;
