-- Care leavers (issue 22 item 5, ADR 0053): each contact with a young person of 17 to 21 who
-- was looked after, in the DfE's OC3 codes: in touch (IN_TOUCH), what they are doing (ACTIV),
-- where they live (the letter of ACCOM, with whether it suits them), staying put and staying
-- close. Activity and accommodation are empty when not asked (not in touch, died, went home).
CREATE TABLE care_leaver_contacts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    recorded_on TEXT NOT NULL,
    in_touch TEXT NOT NULL,
    activity TEXT,
    accommodation TEXT,
    accommodation_suitable BIGINT NOT NULL DEFAULT 1,
    staying_put BIGINT NOT NULL DEFAULT 0,
    staying_close BIGINT NOT NULL DEFAULT 0,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX care_leaver_contacts_person ON care_leaver_contacts (person_id, recorded_on);
