-- An administrator resets a lost second factor (issue 23; ADR 0048): the user must set one up
-- again at their next sign-in, whatever their role, until they have.
ALTER TABLE users ADD COLUMN must_enrol_second_factor BIGINT NOT NULL DEFAULT 0;
