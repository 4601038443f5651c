-- Supporting Families claims and the data return (issue 20, items 4-6; ADR 0046): one claim
-- per financial quarter, its outcomes (no outcome of a family claimed twice while the claim
-- stands), the internal-audit sample with the auditor's verdict per family, and the
-- explanations given for problems the data return's checks found.

CREATE TABLE programme_claims (
    -- the financial quarter, as `2026-Q3`
    quarter TEXT PRIMARY KEY,
    sample_percent BIGINT NOT NULL,
    -- the seed the sample was drawn with, so that the draw can be shown to be fair
    seed TEXT NOT NULL,
    made_by TEXT NOT NULL REFERENCES users (id),
    made_at TEXT NOT NULL,
    signed_off_by TEXT REFERENCES users (id),
    signed_off_at TEXT
);

CREATE TABLE programme_claim_outcomes (
    quarter TEXT NOT NULL REFERENCES programme_claims (quarter),
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    domain TEXT NOT NULL,
    -- 1 when the family's audit did not uphold it: taken out at sign-off, claimable again
    withdrawn BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (quarter, episode_id, domain)
);

-- The database's own guard that no outcome of a family is claimed twice (both engines know
-- partial indexes).
CREATE UNIQUE INDEX programme_claim_outcomes_once
    ON programme_claim_outcomes (episode_id, domain) WHERE withdrawn = 0;

CREATE TABLE programme_claim_families (
    quarter TEXT NOT NULL REFERENCES programme_claims (quarter),
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    in_sample BIGINT NOT NULL,
    -- `upheld` or `not_upheld`, once audited
    verdict TEXT,
    verdict_note TEXT NOT NULL DEFAULT '',
    audited_by TEXT REFERENCES users (id),
    audited_at TEXT,
    PRIMARY KEY (quarter, episode_id)
);

CREATE TABLE programme_return_explanations (
    quarter TEXT NOT NULL,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    -- the check's code, e.g. `no_lead`
    problem TEXT NOT NULL,
    explanation TEXT NOT NULL,
    explained_by TEXT NOT NULL REFERENCES users (id),
    explained_at TEXT NOT NULL,
    PRIMARY KEY (quarter, episode_id, problem)
);
