-- Children in care (issue 22, ADR 0034): periods of care with the DfE's SSDA903 codes,
-- the homes and fostering households the placements team keeps (with vacancies), placements,
-- and social workers' requests for a home with the child's wishes in their own words.

-- One period of care: a child looked after from coming into care to leaving it. The
-- allocated social worker and their team reach it; the placements team reaches every one.
CREATE TABLE care_periods (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    started_on TEXT NOT NULL,
    legal_status TEXT NOT NULL,
    category_of_need TEXT NOT NULL,
    -- the postcode of the home the child came from, for distances (the DfE's HOME_POST)
    home_postcode TEXT,
    social_worker_id TEXT NOT NULL REFERENCES users (id),
    team_id TEXT REFERENCES teams (id),
    ended_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX care_periods_person ON care_periods (person_id, started_on);

-- A home or a fostering household. Version: two officers may change vacancies at once.
-- offers: space-separated codes (parent_and_child, sibling_groups, under_threes, ...).
CREATE TABLE care_homes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    route TEXT NOT NULL,
    placement_type TEXT NOT NULL,
    ofsted_urn TEXT,
    rating TEXT,
    rated_on TEXT,
    registered_places BIGINT NOT NULL,
    vacancies BIGINT NOT NULL,
    age_from BIGINT NOT NULL,
    age_to BIGINT NOT NULL,
    offers TEXT NOT NULL,
    postcode TEXT NOT NULL,
    weekly_cost_pence BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX care_homes_route ON care_homes (route, name);

-- One placement. Type, route, cost and postcode are kept as they were on the day, so the
-- home's later changes do not rewrite a child's history.
CREATE TABLE care_placements (
    id TEXT PRIMARY KEY,
    period_id TEXT NOT NULL REFERENCES care_periods (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    home_id TEXT NOT NULL REFERENCES care_homes (id),
    placement_type TEXT NOT NULL,
    route TEXT NOT NULL,
    postcode TEXT NOT NULL,
    weekly_cost_pence BIGINT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX care_placements_person ON care_placements (person_id, started_on);
CREATE INDEX care_placements_period ON care_placements (period_id, started_on);

-- A social worker's request to the placements team: the child's needs, their wishes and
-- feelings in their own words, constraints and urgency; then the decision (placed, or no
-- suitable home: the unmet need stays on record with why).
CREATE TABLE placement_requests (
    id TEXT PRIMARY KEY,
    period_id TEXT NOT NULL REFERENCES care_periods (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    requested_by TEXT NOT NULL REFERENCES users (id),
    requested_at TEXT NOT NULL,
    urgency TEXT NOT NULL,
    needs TEXT NOT NULL,
    wishes TEXT NOT NULL,
    siblings BIGINT NOT NULL DEFAULT 0,
    school TEXT,
    max_miles BIGINT,
    culture TEXT,
    language TEXT,
    faith TEXT,
    status TEXT NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TEXT,
    decision_note TEXT,
    placement_id TEXT REFERENCES care_placements (id),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX placement_requests_status ON placement_requests (status, requested_at);
CREATE INDEX placement_requests_person ON placement_requests (person_id, requested_at);
