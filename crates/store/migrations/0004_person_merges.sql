-- Merging duplicate people: what moved is recorded so a merge can be undone exactly.
CREATE TABLE person_merges (
    id TEXT PRIMARY KEY,
    survivor_id TEXT NOT NULL REFERENCES people (id),
    merged_id TEXT NOT NULL REFERENCES people (id),
    merged_by TEXT NOT NULL REFERENCES users (id),
    merged_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- JSON: the ids of the rows that moved, per table, and rows set aside
    moved TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT REFERENCES users (id)
);
CREATE INDEX person_merges_survivor ON person_merges (survivor_id);
CREATE INDEX person_merges_merged ON person_merges (merged_id);
