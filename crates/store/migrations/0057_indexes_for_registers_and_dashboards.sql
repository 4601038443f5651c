-- Indexes found missing under load on the city demo (docs/benchmarks.md, "Under load with the
-- readers, on a quiet machine"). IF NOT EXISTS: they were first added by hand to the measured
-- cities.
--
-- Taking an attendance off a register (and withdrawing a hub family's consent to keep their
-- attendance) removes the chronology lines that record made: found by record_type and
-- record_id, and their people by entry_id (also what the foreign key checks when a line is
-- deleted). Without these each removal read the whole chronology (2.2 million lines) and its
-- people (5.9 million) inside the write: a register of 30 held the write for seconds.
CREATE INDEX IF NOT EXISTS chronology_record ON chronology (record_type, record_id);
CREATE INDEX IF NOT EXISTS chronology_people_entry ON chronology_people (entry_id);
-- The dashboards find a period's requests by the day they were submitted or decided: without
-- this, ten years of requests were read for the decided ones (three times slower on the city).
CREATE INDEX IF NOT EXISTS decisions_decided ON decisions (decided_at);
