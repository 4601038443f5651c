-- Information rights (issue 17): subject access requests logged by the data protection
-- officer, what they mark to be left out of the release, and corrections the person disputes.

CREATE TABLE subject_access_requests (
    id TEXT PRIMARY KEY,
    -- the person the request is about (their surviving record, if merged since)
    person_id TEXT NOT NULL REFERENCES people (id),
    -- who asked: the person, a parent, a solicitor … in the DPO's words
    requested_by TEXT NOT NULL,
    -- how their identity (and authority to ask) was checked
    identity_checked TEXT NOT NULL,
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    extension_reason TEXT,
    status TEXT NOT NULL,
    logged_by TEXT NOT NULL REFERENCES users (id),
    logged_at TEXT NOT NULL,
    released_by TEXT REFERENCES users (id),
    released_at TEXT,
    -- the document as released (JSON), kept so what was sent can be shown again
    released_document TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX subject_access_requests_due ON subject_access_requests (status, due_on);

-- one row per item the DPO left out of the release, by the item's stable key
CREATE TABLE subject_access_redactions (
    request_id TEXT NOT NULL REFERENCES subject_access_requests (id),
    item_key TEXT NOT NULL,
    redacted_by TEXT NOT NULL REFERENCES users (id),
    redacted_at TEXT NOT NULL,
    PRIMARY KEY (request_id, item_key)
);

-- a correction the person disagrees with keeps their view beside it
ALTER TABLE person_changes ADD COLUMN disputed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE person_changes ADD COLUMN disputed_note TEXT;
