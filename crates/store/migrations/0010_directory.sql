-- The directory of services (the Core Offer) in the shape of Open Referral UK 3.0. Every id is
-- a UUID as text, as ORUK requires. Parts that ORUK gives their own id but that Hearth keeps
-- inline (a location's address and accessibility, a service's cost, contact, phone and area)
-- keep that id in a column so it stays the same from one API response to the next.
-- `source` is 'local' for the partnership's own entries, or the feed they were imported from.

CREATE TABLE directory_organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    email TEXT,
    website TEXT,
    -- the partnership organisation whose editors look after this one's services
    partner_organisation_id TEXT REFERENCES organisations (id),
    source TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
CREATE UNIQUE INDEX directory_organisations_partner ON directory_organisations (partner_organisation_id);

CREATE TABLE directory_locations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    address_id TEXT NOT NULL,
    address_1 TEXT NOT NULL,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    family_hub BIGINT NOT NULL DEFAULT 0,
    accessibility_id TEXT NOT NULL,
    accessibility TEXT,
    source TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
-- The distance search's bounding-box prefilter.
CREATE INDEX directory_locations_position ON directory_locations (latitude, longitude);

CREATE TABLE directory_services (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES directory_organisations (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    url TEXT,
    email TEXT,
    status TEXT NOT NULL,
    minimum_age DOUBLE PRECISION,
    maximum_age DOUBLE PRECISION,
    free BIGINT NOT NULL,
    cost_option_id TEXT NOT NULL,
    cost_description TEXT,
    access TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    contact_name TEXT,
    phone_id TEXT NOT NULL,
    phone TEXT,
    service_area_id TEXT NOT NULL,
    service_area TEXT,
    last_reviewed TEXT NOT NULL,
    -- 0 while a partner's new service waits for its first review
    published BIGINT NOT NULL,
    -- lower-cased name, description, organisation and terms: what keyword search looks in
    search_text TEXT NOT NULL,
    source TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    last_modified TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX directory_services_organisation ON directory_services (organisation_id);
-- Listings are by name then id: the index gives pages in order without sorting them.
CREATE INDEX directory_services_listing ON directory_services (published, name, id);
CREATE INDEX directory_services_modified ON directory_services (last_modified);

CREATE TABLE directory_service_locations (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    location_id TEXT NOT NULL REFERENCES directory_locations (id)
);
CREATE INDEX directory_service_locations_service ON directory_service_locations (service_id);
CREATE INDEX directory_service_locations_location ON directory_service_locations (location_id);

CREATE TABLE directory_schedules (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    service_at_location_id TEXT,
    -- RFC 5545 day codes, e.g. 'MO' or 'MO,WE'
    byday TEXT NOT NULL,
    opens_at TEXT,
    closes_at TEXT,
    description TEXT
);
CREATE INDEX directory_schedules_service ON directory_schedules (service_id);

CREATE TABLE directory_languages (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX directory_languages_service ON directory_languages (service_id);
CREATE INDEX directory_languages_code ON directory_languages (code, service_id);

CREATE TABLE directory_taxonomies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    uri TEXT,
    version TEXT
);

CREATE TABLE directory_taxonomy_terms (
    id TEXT PRIMARY KEY,
    taxonomy_id TEXT NOT NULL REFERENCES directory_taxonomies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    parent_id TEXT
);
CREATE INDEX directory_taxonomy_terms_taxonomy ON directory_taxonomy_terms (taxonomy_id, name);

-- A service's terms: ORUK's attributes (each has its own id).
CREATE TABLE directory_service_terms (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    term_id TEXT NOT NULL REFERENCES directory_taxonomy_terms (id),
    UNIQUE (service_id, term_id)
);
CREATE INDEX directory_service_terms_term ON directory_service_terms (term_id, service_id);

-- Every change to a service's entry: proposed by an editor, then published or sent back by a
-- reviewer (a reviewer's own change is published at once). The history of the entry.
CREATE TABLE directory_changes (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    proposed_by TEXT NOT NULL REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    -- the whole entry as proposed, as JSON
    entry TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TEXT,
    decision_note TEXT
);
CREATE INDEX directory_changes_status ON directory_changes (status, proposed_at);
CREATE INDEX directory_changes_service ON directory_changes (service_id, proposed_at);

-- Postcode centroids (from the ONS Postcode Directory or Code-Point Open), stored as 'NG7 5AA'.
CREATE TABLE postcodes (
    postcode TEXT PRIMARY KEY,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL
);

-- A practitioner's request that a service take on a family member.
CREATE TABLE service_requests (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    requester_id TEXT NOT NULL REFERENCES users (id),
    requester_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    receiving_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    reason TEXT NOT NULL,
    consent_given_by TEXT NOT NULL,
    contact_preference TEXT NOT NULL,
    contact_detail TEXT,
    status TEXT NOT NULL,
    answer_reason TEXT,
    answered_by TEXT REFERENCES users (id),
    answered_at TEXT,
    first_opened_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX service_requests_receiver ON service_requests (receiving_organisation_id, status, created_at);
CREATE INDEX service_requests_person ON service_requests (person_id, created_at);
