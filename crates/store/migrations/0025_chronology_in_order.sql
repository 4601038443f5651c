-- The chronology is read in the order things happened, not the order they were typed: a note
-- written today about last week's visit sits with last week. `at` stays the moment it was
-- entered (shown beside the day it happened when they differ).
ALTER TABLE chronology ADD COLUMN occurred_on TEXT NOT NULL DEFAULT '';
ALTER TABLE chronology_people ADD COLUMN occurred_on TEXT NOT NULL DEFAULT '';
UPDATE chronology SET occurred_on = SUBSTR(at, 1, 10);
UPDATE chronology SET occurred_on = (SELECT n.occurred_on FROM case_notes n WHERE n.id = chronology.record_id)
    WHERE record_type = 'case_note' AND record_id IN (SELECT id FROM case_notes);

-- The agency named beside an entry is the one its actor works for (it named the lead's, or
-- the joiner's, beside the manager who allocated or the lead who added them).
UPDATE chronology SET organisation_id = (SELECT u.organisation_id FROM users u WHERE u.id = chronology.actor_id)
    WHERE actor_id IS NOT NULL;

UPDATE chronology_people SET
    occurred_on = (SELECT c.occurred_on FROM chronology c WHERE c.id = chronology_people.entry_id),
    organisation_id = (SELECT c.organisation_id FROM chronology c WHERE c.id = chronology_people.entry_id);
CREATE INDEX chronology_people_occurred ON chronology_people (person_id, occurred_on, at);
