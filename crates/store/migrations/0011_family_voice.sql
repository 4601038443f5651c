-- An episode's services from the directory, the family's feedback at closure, and reviews
-- that can be corrected without losing what was recorded before.

-- a plan service chosen from the directory names it; free-text services leave it empty.
-- The name is kept as it was when chosen, so the plan still reads if the entry changes.
ALTER TABLE plan_services ADD COLUMN service_id TEXT;

-- the family's invitation to say how the help went, sent when the closure is signed off.
-- Only a hash of the link's token is kept; the link works once and until it expires.
CREATE TABLE feedback_invitations (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    token_hash TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    -- set when a newer link replaces this one before it was used
    withdrawn_at TEXT,
    answered_at TEXT,
    -- 1 (bad) to 5 (very good)
    rating BIGINT,
    what_changed TEXT,
    anything_else TEXT
);
CREATE UNIQUE INDEX feedback_invitations_token ON feedback_invitations (token_hash);
CREATE INDEX feedback_invitations_episode ON feedback_invitations (episode_id, created_at);

-- a review keeps every earlier version when it is corrected; a save from an out-of-date
-- version is refused
ALTER TABLE reviews ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE reviews ADD COLUMN edited_by TEXT REFERENCES users (id);
ALTER TABLE reviews ADD COLUMN edited_at TEXT;
CREATE TABLE review_versions (
    review_id TEXT NOT NULL REFERENCES reviews (id),
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    saved_by TEXT NOT NULL REFERENCES users (id),
    saved_at TEXT NOT NULL,
    PRIMARY KEY (review_id, version)
);
