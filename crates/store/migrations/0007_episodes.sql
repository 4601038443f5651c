-- An episode of Family Help: the help a family gets from a decision to its closure, with the
-- Team Around the Family, allocation history, case notes, escalations, tasks and one
-- chronology of everything that happened.

CREATE TABLE episodes (
    id TEXT PRIMARY KEY,
    request_id TEXT REFERENCES requests (id),
    level TEXT NOT NULL,
    service TEXT,
    route TEXT NOT NULL,
    status TEXT NOT NULL,
    owning_team_id TEXT REFERENCES teams (id),
    lead_user_id TEXT REFERENCES users (id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    closure_reason TEXT,
    closure_summary TEXT,
    closure_recorded_by TEXT REFERENCES users (id),
    closure_signed_off_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX episodes_lead ON episodes (lead_user_id, status);
CREATE INDEX episodes_team ON episodes (owning_team_id, status);

-- the family members the episode is for
CREATE TABLE episode_people (
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (episode_id, person_id)
);
CREATE INDEX episode_people_person ON episode_people (person_id);

-- the needs the episode works on, and at closure how far each was met
CREATE TABLE episode_needs (
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    domain TEXT NOT NULL,
    result TEXT,
    PRIMARY KEY (episode_id, domain)
);

-- each level the episode has been at: step-ups and step-downs with their handover
CREATE TABLE episode_levels (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    level TEXT NOT NULL,
    service TEXT,
    owning_team_id TEXT REFERENCES teams (id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    moved_by TEXT REFERENCES users (id),
    handover TEXT
);
CREATE INDEX episode_levels_episode ON episode_levels (episode_id);

-- who has led the episode, and when: allocation and re-allocation
CREATE TABLE allocations (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    allocated_by TEXT NOT NULL REFERENCES users (id),
    reason TEXT
);
CREATE INDEX allocations_episode ON allocations (episode_id);

-- the Team Around the Family: practitioners from any organisation and the family themselves
CREATE TABLE taf_members (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    user_id TEXT REFERENCES users (id),
    person_id TEXT REFERENCES people (id),
    role TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    left_on TEXT,
    added_by TEXT NOT NULL REFERENCES users (id),
    left_reason TEXT
);
CREATE INDEX taf_members_episode ON taf_members (episode_id);
CREATE INDEX taf_members_user ON taf_members (user_id);

ALTER TABLE involvements ADD COLUMN episode_id TEXT REFERENCES episodes (id);
CREATE INDEX involvements_episode ON involvements (episode_id);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    participants TEXT NOT NULL,
    child_seen BIGINT NOT NULL DEFAULT 0,
    child_seen_alone BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    visibility TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX case_notes_episode ON case_notes (episode_id, occurred_on);

-- every earlier text of an edited note, and who replaced it
CREATE TABLE case_note_revisions (
    note_id TEXT NOT NULL REFERENCES case_notes (id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES users (id),
    written_at TEXT NOT NULL,
    replaced_by TEXT NOT NULL REFERENCES users (id),
    replaced_at TEXT NOT NULL,
    PRIMARY KEY (note_id, version)
);

-- professional disagreements
CREATE TABLE escalations (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    raised_by TEXT NOT NULL REFERENCES users (id),
    about TEXT NOT NULL,
    stage BIGINT NOT NULL,
    stage_started_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    resolved_on TEXT,
    resolution TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX escalations_episode ON escalations (episode_id);

-- work for a person or a team that no form creates by itself: allocate a stepped-up
-- episode, sign off a closure, ask six months on whether outcomes were sustained
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    episode_id TEXT REFERENCES episodes (id),
    user_id TEXT REFERENCES users (id),
    team_id TEXT REFERENCES teams (id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_at TEXT,
    done_by TEXT REFERENCES users (id),
    outcome TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX tasks_user ON tasks (user_id, done_at);
CREATE INDEX tasks_team ON tasks (team_id, done_at);
CREATE INDEX tasks_episode ON tasks (episode_id);

-- one timeline for a family: each change that belongs in it adds an entry in the same
-- transaction, so reading it is one indexed query however long the history
CREATE TABLE chronology (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    episode_id TEXT REFERENCES episodes (id),
    organisation_id TEXT REFERENCES organisations (id),
    actor_id TEXT REFERENCES users (id),
    summary TEXT NOT NULL,
    record_type TEXT,
    record_id TEXT,
    visibility TEXT NOT NULL
);
CREATE TABLE chronology_people (
    entry_id TEXT NOT NULL REFERENCES chronology (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    at TEXT NOT NULL,
    PRIMARY KEY (person_id, at, entry_id)
);
