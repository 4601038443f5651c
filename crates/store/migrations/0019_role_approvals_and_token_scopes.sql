-- Separation of duties, scoped API tokens, the token behind each API event, and uniqueness
-- kept by the database rather than by check-then-insert.

-- A family-record role given to an account (or a new team for an account that holds one)
-- waits here until a second administrator approves or rejects it. `roles` lists the role
-- codes to add, separated by spaces.
CREATE TABLE role_changes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    roles TEXT NOT NULL,
    changes_team BIGINT NOT NULL DEFAULT 0,
    team_id TEXT REFERENCES teams (id),
    status TEXT NOT NULL,
    proposed_by TEXT NOT NULL REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TEXT
);
-- One change waits per account at a time; a newer proposal withdraws the older one.
CREATE UNIQUE INDEX role_changes_one_pending ON role_changes (user_id) WHERE status = 'pending';
CREATE INDEX role_changes_status ON role_changes (status, proposed_at);

-- What a token may do: `access` is 'read' or 'read_write'; `resources` lists the API's
-- resources (people, requests, episodes) separated by spaces. Tokens expire.
ALTER TABLE api_tokens ADD COLUMN access TEXT NOT NULL DEFAULT 'read';
ALTER TABLE api_tokens ADD COLUMN resources TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
-- Tokens made before owners made their own were made by administrators for other people
-- (finding 8): they stop working now; their owners make new, scoped ones.
UPDATE api_tokens SET expires_at = created_at WHERE expires_at IS NULL;

-- The API token an event came through, when it did.
ALTER TABLE audit_events ADD COLUMN api_token_id TEXT;

-- Only one current membership of a Team Around the Family per practitioner and per family
-- member. Duplicates made before this rule end on the day they began.
UPDATE taf_members SET left_on = joined_on, left_reason = 'Duplicate membership'
WHERE left_on IS NULL AND user_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM taf_members k
    WHERE k.episode_id = taf_members.episode_id AND k.user_id = taf_members.user_id
      AND k.left_on IS NULL AND k.id < taf_members.id);
UPDATE taf_members SET left_on = joined_on, left_reason = 'Duplicate membership'
WHERE left_on IS NULL AND person_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM taf_members k
    WHERE k.episode_id = taf_members.episode_id AND k.person_id = taf_members.person_id
      AND k.left_on IS NULL AND k.id < taf_members.id);
CREATE UNIQUE INDEX taf_members_one_current_user ON taf_members (episode_id, user_id)
    WHERE left_on IS NULL AND user_id IS NOT NULL;
CREATE UNIQUE INDEX taf_members_one_current_person ON taf_members (episode_id, person_id)
    WHERE left_on IS NULL AND person_id IS NOT NULL;

-- A person lives in a household once at a time.
UPDATE household_members SET to_date = from_date
WHERE to_date IS NULL AND EXISTS (
    SELECT 1 FROM household_members k
    WHERE k.household_id = household_members.household_id
      AND k.person_id = household_members.person_id
      AND k.to_date IS NULL AND k.id < household_members.id);
CREATE UNIQUE INDEX household_members_one_current ON household_members (household_id, person_id)
    WHERE to_date IS NULL;

-- An episode has one current allocation (its lead).
UPDATE allocations SET to_date = from_date
WHERE to_date IS NULL AND EXISTS (
    SELECT 1 FROM allocations k
    WHERE k.episode_id = allocations.episode_id AND k.to_date IS NULL AND k.id < allocations.id);
CREATE UNIQUE INDEX allocations_one_current ON allocations (episode_id) WHERE to_date IS NULL;
