-- The family's own page (issue 24 items 2-4, ADR 0045): one-time links that start a family
-- session, the sessions themselves (never a staff session), the thread between a family and
-- the lead professional, case notes a practitioner shared with the family, and who in the
-- family gave or withdrew a consent on their own page.

-- Only a hash of each link's token is kept. A link works once (used_at) until expires_at.
CREATE TABLE family_links (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    -- The episode a practitioner invited them from; none when the family asked for a link.
    episode_id TEXT REFERENCES episodes (id),
    token_hash TEXT NOT NULL UNIQUE,
    -- The practitioner who invited them; none when the family asked.
    made_by TEXT REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX family_links_person ON family_links (person_id, created_at);

CREATE TABLE family_sessions (
    token_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    link_id TEXT NOT NULL REFERENCES family_links (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);

-- Exactly one of from_person_id (a family member) and from_user_id (a practitioner).
CREATE TABLE family_messages (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    from_person_id TEXT REFERENCES people (id),
    from_user_id TEXT REFERENCES users (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX family_messages_episode ON family_messages (episode_id, created_at);
CREATE INDEX family_messages_person ON family_messages (from_person_id, created_at);

ALTER TABLE case_notes ADD COLUMN shared_with_family BIGINT NOT NULL DEFAULT 0;
ALTER TABLE consents ADD COLUMN given_by_person_id TEXT REFERENCES people (id);
ALTER TABLE consents ADD COLUMN withdrawn_by_person_id TEXT REFERENCES people (id);
