-- Family Hubs (ADR 0028). A family registers at a hub light-touch: who is in the family and
-- their ages (an expected baby too), postcode, language and consent, kept apart from the shared
-- family record; a member is linked to a person on that record only when find-before-create
-- finds them, and hub staff never open it. Programmes (a course, a drop-in) come from the
-- directory's services and places; bookings have a waiting list; registers are marked at the
-- session, each mark keyed by the id the marking device gave it so a resend is never counted
-- twice. Hub staff see only what their own organisation registered.
CREATE TABLE hub_families (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    hub_location_id TEXT NOT NULL REFERENCES directory_locations (id),
    postcode TEXT NOT NULL,
    language TEXT NOT NULL,
    phone TEXT,
    consent_contact BIGINT NOT NULL,
    consent_attendance BIGINT NOT NULL,
    registered_by TEXT NOT NULL REFERENCES users (id),
    registered_at TEXT NOT NULL
);
CREATE INDEX hub_families_organisation ON hub_families (organisation_id, registered_at);

CREATE TABLE hub_members (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES hub_families (id),
    given_names TEXT NOT NULL,
    family_name TEXT NOT NULL,
    dob TEXT,
    expected BIGINT NOT NULL DEFAULT 0,
    ethnicity TEXT,
    person_id TEXT REFERENCES people (id)
);
CREATE INDEX hub_members_family ON hub_members (family_id);

CREATE TABLE hub_programmes (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    location_id TEXT NOT NULL REFERENCES directory_locations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX hub_programmes_organisation ON hub_programmes (organisation_id, created_at);

CREATE TABLE hub_sessions (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES hub_programmes (id),
    location_id TEXT NOT NULL REFERENCES directory_locations (id),
    on_date TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    facilitators TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    cancelled_at TEXT,
    cancel_reason TEXT
);
CREATE INDEX hub_sessions_programme ON hub_sessions (programme_id, on_date);
CREATE INDEX hub_sessions_date ON hub_sessions (on_date);

CREATE TABLE hub_bookings (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES hub_programmes (id),
    member_id TEXT NOT NULL REFERENCES hub_members (id),
    status TEXT NOT NULL,
    booked_by TEXT NOT NULL REFERENCES users (id),
    booked_at TEXT NOT NULL,
    UNIQUE (programme_id, member_id)
);
CREATE INDEX hub_bookings_member ON hub_bookings (member_id);

-- One row per person who came (member_id set) or per walk-in counted only (member_id empty,
-- age band kept for the reach figures). The reach report reads this table with the session's
-- date, hub and service copied in, so ten years of a city's activity is read from one index.
CREATE TABLE hub_attendances (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES hub_sessions (id),
    member_id TEXT REFERENCES hub_members (id),
    mark_id TEXT NOT NULL UNIQUE,
    on_date TEXT NOT NULL,
    location_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    age_band TEXT NOT NULL,
    marked_by TEXT NOT NULL REFERENCES users (id),
    marked_at TEXT NOT NULL
);
CREATE UNIQUE INDEX hub_attendances_once ON hub_attendances (session_id, member_id);
CREATE INDEX hub_attendances_reach ON hub_attendances (on_date, location_id, service_id, age_band, member_id);
