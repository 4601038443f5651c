-- The family record and the front door. Portable DDL, as in 0001.

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    -- set when this record was merged into another; the id keeps resolving to the survivor
    merged_into TEXT REFERENCES people (id),
    given_names TEXT NOT NULL,
    family_name TEXT NOT NULL,
    -- blocking keys for find-before-create: a phonetic family-name key and a given-name key
    family_key TEXT NOT NULL,
    given_key TEXT NOT NULL,
    -- lower-cased names, for prefix search by range (index-friendly on both engines)
    family_lower TEXT NOT NULL,
    given_lower TEXT NOT NULL,
    dob TEXT,
    dob_certainty TEXT,
    sex TEXT,
    gender TEXT,
    ethnicity TEXT,
    first_language TEXT,
    interpreter_needed BIGINT NOT NULL DEFAULT 0,
    send TEXT,
    disability TEXT,
    nhs_number TEXT,
    upn TEXT,
    phone TEXT,
    email TEXT,
    -- restriction: chosen details hidden from everyone but the named roles
    restricted BIGINT NOT NULL DEFAULT 0,
    restriction_roles TEXT,
    restriction_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_family_key ON people (family_key, given_key);
CREATE INDEX people_given_key ON people (given_key);
CREATE INDEX people_family_lower ON people (family_lower);
CREATE INDEX people_given_lower ON people (given_lower);
CREATE INDEX people_dob ON people (dob);
CREATE INDEX people_nhs ON people (nhs_number);
CREATE INDEX people_upn ON people (upn);

-- previous names, aliases and alternative spellings
CREATE TABLE person_names (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    given_names TEXT NOT NULL,
    family_name TEXT NOT NULL,
    family_key TEXT NOT NULL,
    given_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX person_names_person ON person_names (person_id);
CREATE INDEX person_names_family_key ON person_names (family_key, given_key);

CREATE TABLE addresses (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    line1 TEXT NOT NULL,
    line2 TEXT,
    town TEXT,
    postcode TEXT NOT NULL,
    -- upper case without spaces, for matching
    postcode_key TEXT NOT NULL,
    from_date TEXT,
    to_date TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX addresses_person ON addresses (person_id);
CREATE INDEX addresses_postcode ON addresses (postcode_key);

CREATE TABLE households (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- membership over time: leaving sets to_date, nothing is deleted
CREATE TABLE household_members (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    relationship TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT
);
CREATE INDEX household_members_household ON household_members (household_id);
CREATE INDEX household_members_person ON household_members (person_id);

-- every find-before-create search, so a new person can only be added after one
CREATE TABLE person_searches (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    criteria TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    requester_id TEXT NOT NULL REFERENCES users (id),
    requester_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    urgency TEXT NOT NULL,
    safeguarding BIGINT NOT NULL DEFAULT 0,
    queue TEXT NOT NULL,
    family_told TEXT,
    consent TEXT NOT NULL,
    consent_detail TEXT,
    lawful_basis TEXT,
    submitted_at TEXT,
    assigned_to TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX requests_status ON requests (status, queue, submitted_at);
CREATE INDEX requests_requester ON requests (requester_id);

CREATE TABLE request_people (
    request_id TEXT NOT NULL REFERENCES requests (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (request_id, person_id)
);
CREATE INDEX request_people_person ON request_people (person_id);

CREATE TABLE request_needs (
    request_id TEXT NOT NULL REFERENCES requests (id),
    domain TEXT NOT NULL,
    concerns TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (request_id, domain)
);

CREATE TABLE decisions (
    request_id TEXT PRIMARY KEY REFERENCES requests (id),
    decided_by TEXT NOT NULL REFERENCES users (id),
    decided_at TEXT NOT NULL,
    level BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    rationale TEXT NOT NULL,
    proposed_service TEXT,
    service TEXT,
    override_reason TEXT,
    signposted_to TEXT,
    lead_user_id TEXT REFERENCES users (id),
    nfa_reason TEXT
);

-- who works with whom: what grants partners access, and what contact search shows
CREATE TABLE involvements (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    user_id TEXT REFERENCES users (id),
    team_id TEXT REFERENCES teams (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    request_id TEXT REFERENCES requests (id),
    from_date TEXT NOT NULL,
    to_date TEXT
);
CREATE INDEX involvements_person ON involvements (person_id);
CREATE INDEX involvements_user ON involvements (user_id);
