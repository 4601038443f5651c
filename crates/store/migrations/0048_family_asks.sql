-- A family asking for help themselves (issue 24 item 1; ADR 0044).
--
-- While they answer, their answers are a draft found by the SHA-256 of a random token held
-- in a cookie of their browser (never in an address or a log); it expires after the
-- partnership's `ask_draft_minutes` and housekeeping removes it. Once sent it becomes a
-- `family_asks` row waiting at the front door, with the people it names; an officer links
-- each to a record (or adds them) and takes it in as a request (`request_id`).
CREATE TABLE family_ask_drafts (
    token_hash TEXT PRIMARY KEY,
    -- The answers so far, as JSON (hearth_domain::family_ask::Answers).
    answers TEXT NOT NULL,
    -- Set once sent: the confirmation page shows it, and nothing else is kept.
    sent_reference TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX family_ask_drafts_expires ON family_ask_drafts (expires_at);

CREATE TABLE family_asks (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    -- `waiting` at the front door, or `taken_in` as request `request_id`.
    status TEXT NOT NULL,
    asker TEXT NOT NULL,
    worry TEXT NOT NULL,
    -- The plain choices ticked, as space-separated codes.
    worries TEXT NOT NULL,
    postcode TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    -- 1 yes, 0 no, empty when no phone was given.
    safe_to_text BIGINT,
    safe_to_leave_message BIGINT,
    safe_times TEXT NOT NULL,
    language TEXT NOT NULL,
    language_other TEXT NOT NULL,
    consent TEXT NOT NULL,
    -- The language the pages were read in.
    asked_in TEXT NOT NULL,
    received_at TEXT NOT NULL,
    request_id TEXT REFERENCES requests (id),
    taken_in_by TEXT REFERENCES users (id),
    taken_in_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX family_asks_status ON family_asks (status, received_at);
CREATE INDEX family_asks_request ON family_asks (request_id);

CREATE TABLE family_ask_people (
    ask_id TEXT NOT NULL REFERENCES family_asks (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    -- A date of birth, an estimated one (from an age) or a due date, as `dob_certainty` says.
    dob TEXT NOT NULL,
    dob_certainty TEXT NOT NULL,
    -- How the family said they were born, as typed: `on`, `aged`, `due`.
    born_as TEXT NOT NULL,
    relation TEXT NOT NULL,
    -- The record the officer linked them to, or added, when the request was taken in.
    person_id TEXT REFERENCES people (id),
    PRIMARY KEY (ask_id, position)
);
