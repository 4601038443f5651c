-- Password reset links, and a first password that must be changed.

-- An account whose password an administrator chose (a new account) must change it at its
-- next sign-in before anything else; choosing one's own clears it.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- One-time links an administrator makes for a user to choose a new password. The link's
-- token is never stored, only its SHA-256. A link works once (`used_at`), until it expires,
-- and a newer link for the same account withdraws the older (`withdrawn_at`).
CREATE TABLE password_resets (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    made_by TEXT NOT NULL REFERENCES users (id),
    made_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    withdrawn_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id, made_at);
