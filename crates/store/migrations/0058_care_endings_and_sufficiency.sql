-- Children in care, the next slice (issue 22, ADR 0047): a period of care ends with the
-- DfE's reason (SSDA903 REC); an unaccompanied asylum-seeking child is marked as such (the
-- DfE's UASC), for the sufficiency picture; a placement keeps how many of its home's places
-- it took (the child and any brothers or sisters placed together), so they go back to the
-- home when it ends.
ALTER TABLE care_periods ADD COLUMN end_reason TEXT;
ALTER TABLE care_periods ADD COLUMN uasc BIGINT NOT NULL DEFAULT 0;
ALTER TABLE care_placements ADD COLUMN places BIGINT NOT NULL DEFAULT 1;

-- The sufficiency picture reads every period and placement overlapping a date: by start.
CREATE INDEX care_periods_started ON care_periods (started_on);
CREATE INDEX care_placements_started ON care_placements (started_on);
