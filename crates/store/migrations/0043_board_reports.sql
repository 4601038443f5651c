-- The board's quarterly report (issue 18, item 5; ADR 0038): a pack for the steering group and
-- the safeguarding partnership, built from the dashboards' figures with sections the analyst
-- writes. A draft is edited (optimistic concurrency on `version`); publishing writes the
-- figures as they were (`figures`, JSON) and the text, and nothing changes either afterwards.

CREATE TABLE board_reports (
    id TEXT PRIMARY KEY,
    -- the financial quarter reported on, as `2026-Q1`
    quarter TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    going_well TEXT NOT NULL,
    worries TEXT NOT NULL,
    actions TEXT NOT NULL,
    -- `draft` or `published`
    status TEXT NOT NULL,
    -- the figures as published (indicators, quarters, suppressed counts): never recomputed
    figures TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    published_by TEXT REFERENCES users (id),
    published_at TEXT
);
CREATE INDEX board_reports_by_status ON board_reports (status, quarter);
