-- Consent to share a person's information: who gave it, for whom, with whom, for how long,
-- and when it was withdrawn. Nothing is deleted; withdrawal is recorded.
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    given_by TEXT NOT NULL,
    share_with TEXT NOT NULL,
    given_on TEXT NOT NULL,
    expires_on TEXT,
    withdrawn_on TEXT,
    withdrawn_reason TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX consents_person ON consents (person_id);
