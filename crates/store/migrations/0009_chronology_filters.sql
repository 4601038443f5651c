-- A page of a long chronology is read from chronology_people alone (its key is person, time):
-- the filters a page applies are copied onto each person's row so the newest entries can be
-- found without reading every entry of the family's history.
ALTER TABLE chronology_people ADD COLUMN kind TEXT;
ALTER TABLE chronology_people ADD COLUMN organisation_id TEXT;
ALTER TABLE chronology_people ADD COLUMN visibility TEXT;
UPDATE chronology_people SET
    kind = (SELECT c.kind FROM chronology c WHERE c.id = chronology_people.entry_id),
    organisation_id = (SELECT c.organisation_id FROM chronology c WHERE c.id = chronology_people.entry_id),
    visibility = (SELECT c.visibility FROM chronology c WHERE c.id = chronology_people.entry_id);
