-- The web pages' sessions. The cookie carries a random token; only its SHA-256 is kept, so a
-- copy of this table signs no one in. A session ends at expires_at, or when unused for the idle
-- time (seen_at), or at sign-out (the row goes). csrf_token is the synchronizer token every form
-- that changes something carries.
CREATE TABLE web_sessions (
  token_hash   bytea PRIMARY KEY,
  subject      text NOT NULL,          -- the issuer's subject, as the API's bearer tokens name it
  given_name   text NOT NULL,          -- shown as "signed in as"
  roles        text[] NOT NULL,        -- guardian, teacher, principal...: which menus to show
  language     text NOT NULL CHECK (language IN ('sv', 'en')),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  seen_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- A sign-in under way, between the redirect to the issuer and its answer: the PKCE verifier
-- and nonce it must be finished with, and the page to return to. Kept by the state's SHA-256;
-- used once.
CREATE TABLE web_signins (
  state_hash  bytea PRIMARY KEY,
  verifier    text NOT NULL,
  nonce       text NOT NULL,
  return_to   text NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX web_signins_expiry ON web_signins (expires_at);
