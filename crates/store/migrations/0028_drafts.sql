-- Forms that arrived after their session had ended (timed out, signed out in another tab):
-- kept so that nothing typed is lost, until the same user signs in again and sees them back
-- in the form. Only the SHA-256 of a draft's token is stored (the token travels in the
-- sign-in address); the fields never include passwords or CSRF tokens. `user_id` is empty
-- while the owner is not yet known (the session cookie was already gone): the first user to
-- sign in with the token then holds it.
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT REFERENCES users (id),
    path TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX drafts_expires ON drafts (expires_at);
