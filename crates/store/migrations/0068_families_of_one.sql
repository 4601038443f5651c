-- Early identification (issue 19): a person on the record who lives in no household is on the
-- worklist as a family of one, so what was done is recorded about a household or about that
-- person, exactly one of the two. The table is made again because SQLite cannot drop a NOT NULL.

CREATE TABLE identification_outreach_new (
    id TEXT PRIMARY KEY,
    household_id TEXT REFERENCES households (id),
    person_id TEXT REFERENCES people (id),
    outreach TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    CHECK ((household_id IS NULL) <> (person_id IS NULL))
);
INSERT INTO identification_outreach_new (id, household_id, outreach, note, recorded_by, recorded_at)
    SELECT id, household_id, outreach, note, recorded_by, recorded_at FROM identification_outreach;
DROP TABLE identification_outreach;
ALTER TABLE identification_outreach_new RENAME TO identification_outreach;
CREATE INDEX identification_outreach_household ON identification_outreach (household_id, recorded_at);
CREATE INDEX identification_outreach_person ON identification_outreach (person_id, recorded_at);
