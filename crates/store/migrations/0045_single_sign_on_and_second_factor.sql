-- Single sign-on (issue 23, item 1; ADR 0041): each organisation's OpenID Connect identity
-- provider, the rules that turn a first sign-in into an account, the sign-ins under way, and
-- which provider's subject each account is.

CREATE TABLE identity_providers (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    -- Read only to call the provider's token endpoint; never shown, logged or audited.
    client_secret TEXT NOT NULL,
    -- Space-separated, `openid` first.
    scopes TEXT NOT NULL,
    -- Space-separated, lower case: the email addresses the provider signs in.
    email_domains TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organisation_id)
);

CREATE TABLE sign_on_rules (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES identity_providers (id),
    -- `email_domain`, or the name of a claim in the ID token or user info.
    claim TEXT NOT NULL,
    claim_value TEXT NOT NULL,
    role TEXT NOT NULL,
    team_id TEXT REFERENCES teams (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    -- A role that needs a second administrator applies once another one confirms the rule.
    confirmed_by TEXT REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX sign_on_rules_provider ON sign_on_rules (provider_id);

-- A sign-in sent to a provider and not yet back. Found by the SHA-256 of its `state`, and
-- only in the browser that holds the cookie whose SHA-256 is `browser_hash`; used once.
CREATE TABLE sign_on_attempts (
    state_hash TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES identity_providers (id),
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX sign_on_attempts_created ON sign_on_attempts (created_at);

-- Who an account is at its provider (`sub`, stable where an email address may change).
CREATE TABLE user_identities (
    provider_id TEXT NOT NULL REFERENCES identity_providers (id),
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- The provider a session was signed in through, for signing out there too.
ALTER TABLE sessions ADD COLUMN identity_provider_id TEXT REFERENCES identity_providers (id);

-- A second factor for password accounts (issue 23, item 2; ADR 0041): a time-based one-time
-- code's secret per user, and their recovery codes.
CREATE TABLE user_totp (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    -- Base32. Never logged, audited or shown again after enrolment.
    secret TEXT NOT NULL,
    -- Unset while enrolling: the user has not yet typed a code from their app.
    confirmed_at TEXT,
    -- The last time step a code was accepted from: a code is never accepted twice.
    last_step BIGINT,
    created_at TEXT NOT NULL
);

-- Only the SHA-256 of each code (ten random characters, so a plain hash cannot be reversed).
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- Where a session stands with the second factor: `done`, `code_needed` or `must_enrol`.
ALTER TABLE sessions ADD COLUMN second_factor TEXT NOT NULL DEFAULT 'done';
