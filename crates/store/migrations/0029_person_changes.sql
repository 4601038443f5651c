-- The history of a person's details: one row per detail changed from the record (a name, the
-- date of birth, an identifier …), with who changed it, when, and the value before and after
-- as stored (codes, ISO dates, text), so the record can show "History of changes". Values of
-- details a restriction withholds (phone, email) are shown only to those who may see them;
-- the audit event of a change names the details changed, never their values.
CREATE TABLE person_changes (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    detail TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT,
    changed_by TEXT NOT NULL REFERENCES users (id),
    changed_at TEXT NOT NULL
);
CREATE INDEX person_changes_person ON person_changes (person_id, changed_at);
