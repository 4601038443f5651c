-- GOV.UK One Login for families (issue 24 item 2, ADR 0056): a family session made by the
-- partnership's OpenID Connect provider has no one-time link behind it, so the table of family
-- sessions is made again with `link_id` optional (SQLite cannot drop a NOT NULL) and a column
-- saying how the session began; and a family's sign-ins sent to the provider and not yet back.

CREATE TABLE family_sessions_new (
    token_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    -- The link that began the session; none for one begun at the provider.
    link_id TEXT REFERENCES family_links (id),
    -- `link` or `one_login`.
    signed_in_with TEXT NOT NULL DEFAULT 'link',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    CHECK (signed_in_with IN ('link', 'one_login')),
    CHECK ((link_id IS NULL) <> (signed_in_with = 'link'))
);
INSERT INTO family_sessions_new (token_hash, person_id, link_id, signed_in_with, created_at, expires_at, ended_at)
    SELECT token_hash, person_id, link_id, 'link', created_at, expires_at, ended_at FROM family_sessions;
DROP TABLE family_sessions;
ALTER TABLE family_sessions_new RENAME TO family_sessions;
CREATE INDEX family_sessions_person ON family_sessions (person_id);

-- A family's sign-in sent to the provider and not yet back: found by the SHA-256 of its
-- `state`, answered once, and only in the browser holding the cookie whose SHA-256 is
-- `browser_hash`. Apart from the staff's (`sign_on_attempts`), which name an organisation's
-- provider and a staff page to go back to; this names the family's language.
CREATE TABLE family_sign_on_attempts (
    state_hash TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX family_sign_on_attempts_created ON family_sign_on_attempts (created_at);
