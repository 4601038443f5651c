-- Retention, erasure and restriction (issue 17, items 3 and 4; ADR 0030).

-- A retention run: what was due when it was listed, the data protection officer's approval,
-- and when it was carried out.
CREATE TABLE retention_runs (
    id TEXT PRIMARY KEY,
    -- the day the schedule was applied
    as_of TEXT NOT NULL,
    -- review (listed), approved, done
    status TEXT NOT NULL,
    listed_at TEXT NOT NULL,
    approved_by TEXT REFERENCES users (id),
    approved_at TEXT,
    finished_at TEXT
);

-- One record a run deletes or anonymises. Each is carried out in its own transaction with its
-- row marked done in it, so a run stopped at any point resumes where it stopped. The rows go
-- when the run is done: what stays is the removal log below.
CREATE TABLE retention_run_items (
    run_id TEXT NOT NULL REFERENCES retention_runs (id),
    seq BIGINT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- pending, done, held (a legal hold placed after the listing stopped it)
    status TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX retention_run_items_pending ON retention_run_items (run_id, status, seq);

-- What was removed, without personal data: the kind of record, the rule, how many, when.
CREATE TABLE retention_removals (
    id TEXT PRIMARY KEY,
    -- the run, or none for an upheld erasure request
    run_id TEXT REFERENCES retention_runs (id),
    record_type TEXT NOT NULL,
    rule TEXT NOT NULL,
    disposal TEXT NOT NULL,
    removed BIGINT NOT NULL DEFAULT 0,
    held BIGINT NOT NULL DEFAULT 0,
    recorded_on TEXT NOT NULL
);
CREATE INDEX retention_removals_run ON retention_removals (run_id);

-- A legal hold stops retention and erasure for a person, or for everyone in an episode.
CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY,
    person_id TEXT REFERENCES people (id),
    episode_id TEXT REFERENCES episodes (id),
    reason TEXT NOT NULL,
    placed_by TEXT NOT NULL REFERENCES users (id),
    placed_at TEXT NOT NULL,
    lifted_by TEXT REFERENCES users (id),
    lifted_at TEXT
);
CREATE INDEX legal_holds_person ON legal_holds (person_id);
CREATE INDEX legal_holds_episode ON legal_holds (episode_id);

-- Erasure (Article 17) and restriction (Article 18) requests and their decisions.
CREATE TABLE rights_requests (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    grounds TEXT NOT NULL,
    received_on TEXT NOT NULL,
    status TEXT NOT NULL,
    -- exemption codes, comma-separated, for a refusal
    exemptions TEXT,
    decision_reasons TEXT,
    decided_by TEXT REFERENCES users (id),
    decided_at TEXT,
    logged_by TEXT NOT NULL REFERENCES users (id),
    logged_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- set when a person's record was anonymised (by retention or an upheld erasure)
ALTER TABLE people ADD COLUMN anonymised_on TEXT;
