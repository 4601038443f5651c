-- Early identification (issue 19): partners' datasets with their agreements, each import, the
-- rows kept (matched to a person, waiting for clerical review, or unmatched until the dataset's
-- retention ends), reviewers' decisions about pairs (kept, so a pair is asked once), and what
-- was done about a family on the worklist.

CREATE TABLE partner_datasets (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    agreement_reference TEXT NOT NULL,
    agreement_from TEXT NOT NULL,
    agreement_to TEXT NOT NULL,
    lawful_basis TEXT NOT NULL,
    fields TEXT NOT NULL,
    refresh TEXT NOT NULL,
    -- days an unmatched row may be kept after its import
    unmatched_days BIGINT NOT NULL,
    registered_by TEXT NOT NULL REFERENCES users (id),
    registered_at TEXT NOT NULL
);

CREATE TABLE partner_imports (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES partner_datasets (id),
    imported_by TEXT NOT NULL REFERENCES users (id),
    imported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    matched BIGINT NOT NULL,
    for_review BIGINT NOT NULL,
    unmatched BIGINT NOT NULL,
    rejected BIGINT NOT NULL
);

CREATE TABLE partner_records (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES partner_datasets (id),
    import_id TEXT NOT NULL REFERENCES partner_imports (id),
    line BIGINT NOT NULL,
    reference TEXT NOT NULL,
    given_names TEXT NOT NULL,
    family_name TEXT NOT NULL,
    dob TEXT,
    postcode TEXT NOT NULL,
    upn TEXT,
    nhs_number TEXT,
    event TEXT NOT NULL,
    event_on TEXT NOT NULL,
    attendance BIGINT,
    -- who the row is about, normalised: the key reviewers' decisions are kept under
    pair_key TEXT NOT NULL,
    state TEXT NOT NULL,
    person_id TEXT REFERENCES people (id),
    -- the person a row waiting for review may be, with find-before-create's score and reasons
    candidate_id TEXT REFERENCES people (id),
    score BIGINT,
    reasons TEXT NOT NULL,
    keep_until TEXT
);
CREATE INDEX partner_records_person ON partner_records (person_id);
CREATE INDEX partner_records_state ON partner_records (state, keep_until);

CREATE TABLE partner_match_decisions (
    pair_key TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    decision TEXT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES users (id),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (pair_key, person_id)
);

CREATE TABLE identification_outreach (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    outreach TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX identification_outreach_household ON identification_outreach (household_id, recorded_at);
