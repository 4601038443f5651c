-- Family Hubs, the rest of issue 21 (ADR 0028, 0031).

-- A programme a person completed, recorded by a practitioner working the family's episode as
-- progress towards one outcome of its plan. Recorded once per outcome, programme and member.
CREATE TABLE hub_outcome_progress (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    outcome_id TEXT NOT NULL,
    programme_id TEXT NOT NULL REFERENCES hub_programmes (id),
    member_id TEXT NOT NULL REFERENCES hub_members (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    attended BIGINT NOT NULL,
    held BIGINT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (episode_id, outcome_id, programme_id, member_id)
);
CREATE INDEX hub_outcome_progress_episode ON hub_outcome_progress (episode_id, recorded_at);

-- Each ward's under-fives, imported from the population figures (ONS mid-year estimates or
-- the partnership's own), and the Family Hub whose area the ward is in: the reach's
-- denominators. Importing again replaces a ward's row, keeping who and when.
CREATE TABLE ward_populations (
    ward TEXT PRIMARY KEY,
    hub_location_id TEXT NOT NULL REFERENCES directory_locations (id),
    under_fives BIGINT NOT NULL,
    imported_by TEXT REFERENCES users (id),
    imported_at TEXT NOT NULL
);
CREATE INDEX ward_populations_hub ON ward_populations (hub_location_id, ward);
