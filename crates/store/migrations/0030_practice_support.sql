-- Practice support: the partnership's Threshold of Need and toolkits (content it writes and
-- versions: every edition kept, the latest in force), challenges to front-door decisions
-- (the same staged process as disagreements on an episode, with each stage's dates), and
-- lead professionals' consultations with the TAF Workers of a Family Hub.

-- One published edition of the Threshold of Need; none means Hearth's default (Nottingham's).
CREATE TABLE threshold_editions (
    edition BIGINT PRIMARY KEY,
    note TEXT NOT NULL,
    published_by TEXT NOT NULL REFERENCES users (id),
    published_at TEXT NOT NULL
);

-- Its texts: for each level, its description, who helps, and an indicator per need.
CREATE TABLE threshold_texts (
    edition BIGINT NOT NULL REFERENCES threshold_editions (edition),
    level BIGINT NOT NULL,
    part TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (edition, level, part)
);

-- A toolkit page: who owns it, when it is to be reviewed, and the version in force.
CREATE TABLE toolkit_pages (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users (id),
    current_version BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    step TEXT,
    review_on TEXT NOT NULL,
    -- the current version's title, summary and text, lower-cased, that search reads
    search_text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX toolkit_pages_step ON toolkit_pages (step);

-- Every version of every page, as published.
CREATE TABLE toolkit_versions (
    page_id TEXT NOT NULL REFERENCES toolkit_pages (id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    step TEXT,
    review_on TEXT NOT NULL,
    published_by TEXT NOT NULL REFERENCES users (id),
    published_at TEXT NOT NULL,
    PRIMARY KEY (page_id, version)
);

-- A challenge to a front-door decision, by its requester or another agency.
CREATE TABLE decision_challenges (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id),
    raised_by TEXT NOT NULL REFERENCES users (id),
    about TEXT NOT NULL,
    -- the level the challenger thinks right, if it is the level they challenge
    level_sought BIGINT,
    stage BIGINT NOT NULL,
    deadline TEXT NOT NULL,
    resolved_on TEXT,
    -- 'upheld' (the decision stands) or 'changed'
    outcome TEXT,
    resolution TEXT,
    resolved_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    raised_at TEXT NOT NULL
);
CREATE INDEX decision_challenges_request ON decision_challenges (request_id);
CREATE INDEX decision_challenges_open ON decision_challenges (resolved_on);

-- Each stage a challenge went through: when it started and ended, and who moved it on.
CREATE TABLE decision_challenge_stages (
    challenge_id TEXT NOT NULL REFERENCES decision_challenges (id),
    stage BIGINT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    PRIMARY KEY (challenge_id, stage)
);

-- A lead professional's question to a Family Hub's TAF Workers, about a family on one of
-- their episodes; `named` false means the hub never sees who the family is.
CREATE TABLE consultations (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    hub_team_id TEXT NOT NULL REFERENCES teams (id),
    asked_by TEXT NOT NULL REFERENCES users (id),
    named BIGINT NOT NULL,
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT REFERENCES users (id),
    answered_at TEXT
);
CREATE INDEX consultations_hub ON consultations (hub_team_id, answered_at);
CREATE INDEX consultations_episode ON consultations (episode_id);
