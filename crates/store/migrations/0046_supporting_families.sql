-- Supporting Families (issue 20, items 1-3; ADR 0042): the outcome framework each episode is
-- measured against (the partnership's configuration, kept by version so an episode keeps the
-- one it started under), the evidence recorded with each need's result at closure, and the
-- answers to the sustainment check after closure.

CREATE TABLE outcome_frameworks (
    version TEXT PRIMARY KEY,
    -- the framework as configured (JSON): descriptors, evidence, months, thresholds
    definition TEXT NOT NULL,
    first_used_at TEXT NOT NULL
);

CREATE TABLE episode_frameworks (
    episode_id TEXT PRIMARY KEY REFERENCES episodes (id),
    version TEXT NOT NULL REFERENCES outcome_frameworks (version)
);

-- what shows the need's result at closure (empty for closures recorded before this)
ALTER TABLE episode_needs ADD COLUMN evidence TEXT NOT NULL DEFAULT '';

CREATE TABLE sustainment_answers (
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    domain TEXT NOT NULL,
    sustained BIGINT NOT NULL,
    -- `partner_data` or `practitioner`
    source TEXT NOT NULL,
    evidence TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (episode_id, domain)
);
