-- A returned case study is put right by its writer and sent back for review; what the reviewer
-- returned, and why, is kept (issue 18; ADR 0037).
ALTER TABLE case_studies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE case_study_versions (
    case_study_id TEXT NOT NULL REFERENCES case_studies (id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    story TEXT NOT NULL,
    written_at TEXT NOT NULL,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at TEXT,
    review_note TEXT,
    PRIMARY KEY (case_study_id, version)
);
