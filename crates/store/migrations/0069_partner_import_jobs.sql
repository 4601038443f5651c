-- Early identification (issue 19): an import started from the page runs as a job whose
-- progress the analyst watches. The job is recorded as running before its import starts and
-- marked done in the import's own transaction, so "done" and the imported rows are kept
-- together or not at all; a job whose server stopped part-way reads as failed (ADR 0054).
-- The rows not imported are kept with the job, by sheet, line and why, for its report.

CREATE TABLE partner_import_jobs (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES partner_datasets (id),
    file_name TEXT NOT NULL,
    started_by TEXT NOT NULL REFERENCES users (id),
    started_at TEXT NOT NULL,
    -- running, done or failed
    state TEXT NOT NULL,
    rows_total BIGINT NOT NULL,
    -- the rows not imported, as JSON: [{"sheet": .., "line": .., "reason": ..}]
    problems TEXT NOT NULL,
    import_id TEXT REFERENCES partner_imports (id),
    failure TEXT,
    finished_at TEXT
);
CREATE INDEX partner_import_jobs_started ON partner_import_jobs (started_at);

-- Files partners drop in a dataset's watched folder, known by their content's hash: a file is
-- imported once however often it is dropped. Written in the import's own transaction, so a
-- file whose import was killed part-way is picked up again.
CREATE TABLE partner_drops (
    hash TEXT NOT NULL,
    dataset_id TEXT NOT NULL REFERENCES partner_datasets (id),
    file_name TEXT NOT NULL,
    import_id TEXT NOT NULL REFERENCES partner_imports (id),
    dropped_at TEXT NOT NULL,
    PRIMARY KEY (dataset_id, hash)
);
