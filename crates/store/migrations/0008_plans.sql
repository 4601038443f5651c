-- The work of an episode: the whole-family assessment, the family plan with its outcomes,
-- actions and services (every saved version kept), and the Team Around the Family reviews.

-- one assessment per episode; a save from an out-of-date version is refused
CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    route TEXT NOT NULL,
    status TEXT NOT NULL,
    due_on TEXT NOT NULL,
    child_voice TEXT NOT NULL,
    parent_voice TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    saved_by TEXT NOT NULL REFERENCES users (id),
    saved_at TEXT NOT NULL,
    submitted_by TEXT REFERENCES users (id),
    submitted_at TEXT,
    signed_off_by TEXT REFERENCES users (id),
    signed_off_at TEXT
);
CREATE UNIQUE INDEX assessments_episode ON assessments (episode_id);

-- for each family member and each need domain: strengths, needs, risks and a 0-10 scale
CREATE TABLE assessment_entries (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    domain TEXT NOT NULL,
    strengths TEXT NOT NULL,
    needs TEXT NOT NULL,
    risks TEXT NOT NULL,
    scale BIGINT,
    PRIMARY KEY (assessment_id, person_id, domain)
);

CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    version BIGINT NOT NULL DEFAULT 1,
    agreed_with_family BIGINT NOT NULL DEFAULT 0,
    agreed_on TEXT,
    agreed_by TEXT,
    saved_by TEXT NOT NULL REFERENCES users (id),
    saved_at TEXT NOT NULL
);
CREATE UNIQUE INDEX plans_episode ON plans (episode_id);

-- every saved version of the plan as it was, so nothing is lost when it changes
CREATE TABLE plan_versions (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    saved_by TEXT NOT NULL REFERENCES users (id),
    saved_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
);

-- what the family wants, in their words; an outcome taken out of the plan is kept (removed_on)
-- because reviews scored progress against it
CREATE TABLE plan_outcomes (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    removed_on TEXT
);
CREATE INDEX plan_outcomes_plan ON plan_outcomes (plan_id);

-- the need domains an outcome works on
CREATE TABLE plan_outcome_needs (
    outcome_id TEXT NOT NULL REFERENCES plan_outcomes (id),
    domain TEXT NOT NULL,
    PRIMARY KEY (outcome_id, domain)
);

-- who does what by when: a TAF practitioner or a family member, never nobody
CREATE TABLE plan_actions (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    outcome_id TEXT NOT NULL REFERENCES plan_outcomes (id),
    position BIGINT NOT NULL,
    what TEXT NOT NULL,
    owner_user_id TEXT REFERENCES users (id),
    owner_person_id TEXT REFERENCES people (id),
    due_on TEXT,
    status TEXT NOT NULL,
    removed_on TEXT
);
CREATE INDEX plan_actions_plan ON plan_actions (plan_id);

CREATE TABLE plan_action_updates (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES plan_actions (id),
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES users (id),
    at TEXT NOT NULL
);
CREATE INDEX plan_action_updates_action ON plan_action_updates (action_id, at);

-- services the family is referred to: free text until the service directory lands
CREATE TABLE plan_services (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
);

CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    held_on TEXT NOT NULL,
    attendees TEXT NOT NULL,
    decisions TEXT NOT NULL,
    next_review_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX reviews_episode ON reviews (episode_id, held_on);

-- progress on each outcome at a review, on the same 0-10 scale as the assessment
CREATE TABLE review_progress (
    review_id TEXT NOT NULL REFERENCES reviews (id),
    outcome_id TEXT NOT NULL REFERENCES plan_outcomes (id),
    scale BIGINT NOT NULL,
    comment TEXT NOT NULL,
    PRIMARY KEY (review_id, outcome_id)
);
