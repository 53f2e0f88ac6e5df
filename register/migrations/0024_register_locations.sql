-- Where a person lives and where a school is: SS 12000 v2.1 Person.addresses and
-- Organisation.address, with the standard's names (camelCase there, snake_case here) and code
-- lists.
--
-- latitude and longitude are not in SS 12000. They are a Skolflow extension that the register
-- import carries (WGS84, decimal degrees), because placement by relative proximity (relativ
-- närhet) measures from a child's home to the schools, and nothing in Skolflow geocodes an
-- address. A point has both or neither.
--
-- A person's address is personal data, and the address of a person whose security_marking is
-- not 'Ingen' is the most sensitive data the register holds: no read of the API serves it.

-- Person.addresses: a person's addresses, at most one of each type. The Folkbokföring address
-- is the home that placement measures from and that siblings share.
CREATE TABLE person_addresses (
    person_id      uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    address_type   text NOT NULL CHECK (address_type IN ('Folkbokföring', 'Särskild postadress',
                       'Tillfällig adress', 'Postadress')),
    street_address text NOT NULL CHECK (street_address <> ''), -- gatuadress
    locality       text NOT NULL CHECK (locality <> ''),       -- postort
    postal_code    text NOT NULL CHECK (postal_code <> ''),    -- postnummer
    country        text,
    latitude       double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude      double precision CHECK (longitude BETWEEN -180 AND 180),
    PRIMARY KEY (person_id, address_type),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

-- Organisation.address: an organisation's one address, such as a school unit's Besöksadress;
-- its point is the school's location.
CREATE TABLE organisation_addresses (
    organisation_id uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    address_type    text CHECK (address_type IN ('Besöksadress', 'Leveransadress', 'Postadress', 'Fakturaadress')),
    street_address  text NOT NULL CHECK (street_address <> ''),
    locality        text NOT NULL CHECK (locality <> ''),
    postal_code     text NOT NULL CHECK (postal_code <> ''),
    country         text,
    latitude        double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude       double precision CHECK (longitude BETWEEN -180 AND 180),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
