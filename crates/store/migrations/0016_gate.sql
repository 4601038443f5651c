-- The gate (ADR 0014): relationships come from decisions and end; a restricted record's reason
-- and break-glass are remembered for a short time and reported.

-- A person's recorder is not a requester: recording someone lets you work on what you recorded
-- until a request about them is decided; asking for help gives no access at all.
UPDATE involvements SET role = 'recorder' WHERE role = 'requester' AND request_id IS NULL;

-- A request's access ended when it was decided.
UPDATE involvements SET to_date = (
        SELECT substr(d.decided_at, 1, 10) FROM decisions d WHERE d.request_id = involvements.request_id)
    WHERE role = 'requester' AND to_date IS NULL
      AND request_id IN (SELECT request_id FROM decisions);

CREATE INDEX involvements_person_user ON involvements (person_id, user_id);

-- Openings the gate remembers: the reason given to open a restricted record (so its
-- chronology and pages do not ask again for a while) and break-glass openings.
CREATE TABLE record_openings (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    reason TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    until TEXT NOT NULL
);
CREATE INDEX record_openings_user_person ON record_openings (user_id, person_id, until);
CREATE INDEX record_openings_kind ON record_openings (kind, opened_at);
