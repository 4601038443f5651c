-- Early identification (issue 19, ADR 0057): the indicators are the partnership's
-- configuration, listed, added, changed and retired by its data lead in a page. Every change
-- is a new version of the indicator, kept with who made it and when, so the worklist can name
-- the version that fired and anyone can see what it was before. An indicator's current version
-- is its highest; a retired indicator's highest version says so.
-- The rule is `presence` (any event in the window), `at_least` (event_count events in it) or
-- `below` (a row's field under tenths of a per cent in it). Needs are the headline needs'
-- codes and levels the Continuum of Need's numbers, each comma-separated.

CREATE TABLE identification_indicators (
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    label TEXT NOT NULL,
    feed TEXT NOT NULL,
    event TEXT NOT NULL,
    rule TEXT NOT NULL,
    event_count BIGINT,
    field TEXT,
    tenths BIGINT,
    months BIGINT NOT NULL,
    needs TEXT NOT NULL,
    levels TEXT NOT NULL,
    retired BIGINT NOT NULL DEFAULT 0,
    -- NULL for Hearth's standard set, the first version of each
    changed_by TEXT REFERENCES users (id),
    changed_at TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

-- The standard set issue 19 names (hearth_domain::identification::indicators::standard).
INSERT INTO identification_indicators (code, version, label, feed, event, rule, event_count,
    field, tenths, months, needs, levels, retired, changed_by, changed_at) VALUES
    ('attendance_under_90', 1, 'Attendance under 90% in a term', 'school_census', 'attendance',
        'below', NULL, 'attendance', 900, 12, 'education', '2', 0, NULL, '2025-01-01T00:00:00.000000Z'),
    ('exclusion', 1, 'An exclusion from school', 'school_census', 'exclusion',
        'presence', NULL, NULL, NULL, 12, 'education', '3', 0, NULL, '2025-01-01T00:00:00.000000Z'),
    ('domestic_abuse_twice', 1, 'Two or more domestic abuse notifications in 12 months',
        'police_notifications', 'domestic_abuse', 'at_least', 2, NULL, NULL, 12, 'domestic_abuse',
        '3', 0, NULL, '2025-01-01T00:00:00.000000Z'),
    ('missing_episode', 1, 'A missing episode', 'police_notifications', 'missing_episode',
        'presence', NULL, NULL, NULL, 12, 'abuse_exploitation', '3', 0, NULL,
        '2025-01-01T00:00:00.000000Z'),
    ('temporary_accommodation', 1, 'In temporary accommodation', 'housing',
        'temporary_accommodation', 'presence', NULL, NULL, NULL, 12, 'housing', '3', 0, NULL,
        '2025-01-01T00:00:00.000000Z');
