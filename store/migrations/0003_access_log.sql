-- Every authorization decision about personal data: who, what, which target, the answer, when.
-- Reads and changes of pupil data must be traceable to a person (GDPR art. 5(1)(f), 32), and a
-- person may ask who has accessed their data (art. 15). IDs only; no names, no payloads.
CREATE TABLE access_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    uuid,        -- the signed-in person; NULL when the token named no known person
    method      text NOT NULL,
    route       text NOT NULL, -- the route pattern, e.g. /api/v1/persons/:personId
    target_kind text,        -- the route's first path parameter, e.g. personId
    target_id   text,
    params      jsonb NOT NULL DEFAULT '{}', -- every path parameter: the other ids the request names
    allowed     boolean NOT NULL,
    request_id  text NOT NULL
);
CREATE INDEX access_log_target ON access_log (target_kind, target_id, at);
CREATE INDEX access_log_actor ON access_log (actor_id, at);
