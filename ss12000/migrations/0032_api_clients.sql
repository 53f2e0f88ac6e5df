-- Machine clients: the city's other systems (a meal service, a learning platform) that read and
-- report school data through SS 12000. A client signs in with OAuth 2.0 client credentials at the
-- same OIDC issuer as people; its access token's subject is client_id.
CREATE TABLE api_clients (
    id                 uuid PRIMARY KEY,
    client_id          text NOT NULL UNIQUE CHECK (client_id <> ''), -- the token's subject
    display_name       text NOT NULL CHECK (display_name <> ''),
    -- Persons with Skyddad folkbokföring are served to a client only when this says so (their
    -- addresses never are); Sekretessmarkering likewise.
    protected_identity boolean NOT NULL DEFAULT false
);

-- What a client may read or report, and where: an SS 12000 resource at an organisation and
-- every organisation below it. The Authorizer turns each grant into a Casbin role of the client
-- in that organisation's domain (client:<resource>), which the policy rows of ss12000/policy.csv
-- allow their routes.
CREATE TABLE api_client_grants (
    client_id       uuid NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    resource        text NOT NULL CHECK (resource IN ('organisations', 'persons', 'placements', 'duties',
                        'groups', 'syllabuses', 'activities', 'deletedEntities')),
    organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, resource, organisation_id)
);

-- The access log names a client as the actor of what it read, beside the persons who read.
ALTER TABLE access_log ADD COLUMN actor_kind text NOT NULL DEFAULT 'person' CHECK (actor_kind IN ('person', 'client'));
