-- Providers of homes and fostering households (issue 22 item 2, ADR 0055): the council, a
-- company or a charity, with its Ofsted provider URN; each framework membership and block
-- contract with its dates (and a block's places). A home belongs to a provider, and its
-- route follows from the provider's contracts on the day.
CREATE TABLE care_providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ofsted_urn TEXT,
    kind TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX care_providers_name ON care_providers (name);

CREATE TABLE care_provider_contracts (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES care_providers (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    places BIGINT,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    created_by TEXT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX care_provider_contracts_provider ON care_provider_contracts (provider_id, starts_on);

ALTER TABLE care_homes ADD COLUMN provider_id TEXT REFERENCES care_providers (id);

-- One provider per distinct name the homes held, its id the first of its homes' ids (a
-- portable way to a fresh id in both engines). A provider whose homes were all in-house is
-- the council; any other is private until the commissioning team says it is voluntary.
INSERT INTO care_providers (id, name, kind, updated_at, version)
SELECT MIN(id), provider,
    CASE WHEN MIN(route) = 'in_house' AND MAX(route) = 'in_house' THEN 'local_authority'
        ELSE 'private' END,
    MAX(updated_at), 1
FROM care_homes GROUP BY provider;

UPDATE care_homes SET provider_id =
    (SELECT p.id FROM care_providers p WHERE p.name = care_homes.provider);

-- The routes the homes had become contracts with no end, begun the day before any placement
-- could have been made, so every home keeps the route it had: a block contract where any of
-- the provider's homes was bought on a block, else a framework membership where any was.
INSERT INTO care_provider_contracts (id, provider_id, kind, name, places, starts_on, created_at)
SELECT p.id, p.id, 'block', 'Block contract (before providers were recorded)',
    (SELECT SUM(h.registered_places) FROM care_homes h
        WHERE h.provider_id = p.id AND h.route = 'block'),
    '1900-01-01', p.updated_at
FROM care_providers p
WHERE EXISTS (SELECT 1 FROM care_homes h WHERE h.provider_id = p.id AND h.route = 'block');

INSERT INTO care_provider_contracts (id, provider_id, kind, name, places, starts_on, created_at)
SELECT (SELECT MAX(h.id) FROM care_homes h WHERE h.provider_id = p.id), p.id, 'framework',
    'Framework membership (before providers were recorded)', NULL, '1900-01-01', p.updated_at
FROM care_providers p
WHERE EXISTS (SELECT 1 FROM care_homes h WHERE h.provider_id = p.id AND h.route = 'framework');
