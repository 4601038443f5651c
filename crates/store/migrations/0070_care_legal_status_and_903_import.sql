-- Importing a 903 return (issue 22 item 7, ADR 0055).
--
-- A period's legal status history: care_periods.legal_status stays the status on the day care
-- began; each later change (the DfE's RNE L, or U with a move) is a row here, so the return
-- writes the episodes the social care system wrote. One change a day per period.
CREATE TABLE care_legal_status_changes (
    period_id TEXT NOT NULL REFERENCES care_periods (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    changed_on TEXT NOT NULL,
    legal_status TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (period_id, changed_on)
);
CREATE INDEX care_legal_status_changes_person ON care_legal_status_changes (person_id);

-- The social care system's CHILD for a person, kept when their care was imported from its
-- 903 return: the next import finds them by it, and Hearth's own return writes it again so
-- the DfE links one year's return to the last.
CREATE TABLE care_903_children (
    child TEXT PRIMARY KEY,
    person_id TEXT NOT NULL UNIQUE REFERENCES people (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
