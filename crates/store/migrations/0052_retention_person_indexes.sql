-- Anonymising a person clears their assessment entries and their hub registrations by person:
-- without these indexes each person read the whole table (on the city, 33–42 ms a person on
-- PostgreSQL, 4,399 records in about 290 s; with them 0.35 ms). See docs/benchmarks.md.
CREATE INDEX assessment_entries_person ON assessment_entries (person_id);
CREATE INDEX hub_members_person ON hub_members (person_id);
