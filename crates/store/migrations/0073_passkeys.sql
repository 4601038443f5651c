-- Passkeys (WebAuthn) as a second factor (issue 23 item 2; ADR 0051): each user's registered
-- passkeys, and the challenges handed out for registering or using one, kept server side.

-- One registered passkey. `credential_id` is the authenticator's id for it (base64url), unique
-- across Hearth so one passkey never belongs to two accounts. `passkey` is webauthn-rs's
-- stored credential (JSON): the public key, the signature counter and the backup flags, which
-- change as it is used.
CREATE TABLE user_passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    passkey TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX user_passkeys_user ON user_passkeys (user_id);

-- A challenge under way, for one session: `registration` (with the name the passkey will be
-- given) or `sign_in`. `state` is webauthn-rs's state for it (JSON, with the challenge). Taken
-- away when answered (used once), and refused when older than a few minutes.
CREATE TABLE passkey_challenges (
    session_hash TEXT NOT NULL,
    purpose TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_hash, purpose)
);
CREATE INDEX passkey_challenges_created ON passkey_challenges (created_at);
