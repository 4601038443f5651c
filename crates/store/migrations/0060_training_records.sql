-- Each member of staff's training (issue 23 item 6; ADR 0048): one row per completion of a
-- course, vouched for by whoever recorded it (their team's manager or an administrator). The
-- courses themselves are the partnership's configuration; `course` is a course's code.
CREATE TABLE training_records (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    course TEXT NOT NULL,
    -- Calendar dates, YYYY-MM-DD.
    done_on TEXT NOT NULL,
    -- Unset: the course never runs out (induction).
    expires_on TEXT,
    evidence TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    changed_by TEXT REFERENCES users (id),
    changed_at TEXT,
    -- The expiry a reminder was queued for: one reminder per course expiry, even when two
    -- servers look at once (set by compare-and-set); a changed expiry may be reminded again.
    reminded_for TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX training_records_user ON training_records (user_id, course);
CREATE INDEX training_records_expiry ON training_records (expires_on);
