-- The Early Help Brief Assessment's own questions, kept on the assessment so extending it
-- into the whole-family assessment carries every answer over (the whole-family form asks
-- them too). Empty for assessments written before.
ALTER TABLE assessments ADD COLUMN going_well TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN worries TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN next_step TEXT NOT NULL DEFAULT '';

-- A directory service on a family plan names the family member it is for; empty means
-- everyone in the episode. Saving the plan sends each of them a request to the service.
ALTER TABLE plan_services ADD COLUMN person_id TEXT;
