-- Measuring impact: where a family lives, for the dashboards' locality and ward filters, and
-- the partnership indicators that come from outside Hearth, entered each period.

-- The partnership's areas by postcode district (the outward code, e.g. NG5): the ward and the
-- locality (a Family Hub's area) it reports under. Data, not code: each partnership loads its own.
CREATE TABLE report_areas (
    district TEXT PRIMARY KEY,
    ward TEXT NOT NULL,
    locality TEXT NOT NULL
);
CREATE INDEX report_areas_locality ON report_areas (locality, district);

-- one figure of an indicator the partnership is given (education, health, youth justice),
-- for one period; entering it again for the same period replaces it, keeping who and when.
CREATE TABLE indicator_values (
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT,
    entered_by TEXT NOT NULL REFERENCES users (id),
    entered_at TEXT NOT NULL,
    PRIMARY KEY (indicator, period)
);

-- the dashboards read requests by the time they arrived and episodes by when they started or
-- ended; these keep a quarter's rows one index range away at city scale.
CREATE INDEX requests_submitted ON requests (submitted_at);
CREATE INDEX episodes_started ON episodes (started_on);
CREATE INDEX episodes_request ON episodes (request_id);
