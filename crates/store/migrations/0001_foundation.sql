-- Portable DDL: it runs unchanged on SQLite and PostgreSQL. Ids are text (UUIDv7), instants are
-- fixed-width RFC 3339 text in UTC, flags and counters are BIGINT.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- lower-cased name, so "Bestwood Hub" and "bestwood hub" cannot both exist
    name_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    identifier TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organisation_id, name_key)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    job_title TEXT,
    phone TEXT,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    team_id TEXT REFERENCES teams (id),
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    password_changed_at TEXT NOT NULL,
    last_sign_in_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- The session token is never stored: only its SHA-256, so a copy of the database cannot be
-- used to take over a session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    id TEXT PRIMARY KEY,
    ip TEXT NOT NULL,
    email TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_ip_at ON sign_in_failures (ip, at);

-- The head of the audit chain: one row, updated in the same transaction as each append, which
-- serialises appenders on both engines and records where the chain must end.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor_user_id TEXT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT,
    record_id TEXT,
    ip TEXT,
    reason TEXT,
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, seq);
CREATE INDEX audit_events_record ON audit_events (record_id, seq);
CREATE INDEX audit_events_at ON audit_events (at);
