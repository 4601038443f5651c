-- Sign-in throttling (ADR 13): failures counted by account and by address, each with a growing
-- wait, instead of a lock on real accounts only. Keys are SHA-256 hashes (of "account:" and the
-- normalised email, or "address:" and the address), so unknown emails are counted like real
-- ones and the table holds no email addresses.
CREATE TABLE sign_in_throttle (
    kind TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    failures BIGINT NOT NULL,
    last_failure_at TEXT NOT NULL,
    blocked_until TEXT,
    PRIMARY KEY (kind, key_hash)
);
CREATE INDEX sign_in_throttle_last_failure ON sign_in_throttle (last_failure_at);

-- The per-address failure log it replaces, and any lock still in force (locks are no more).
DROP TABLE sign_in_failures;
UPDATE users SET failed_attempts = 0, locked_until = NULL;
