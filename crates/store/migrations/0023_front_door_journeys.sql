-- Every journey reaches its end (issue 16): the front door's warnings and confirmations.

-- "This is a different person": someone added although they closely matched an existing
-- record, with the adder's reason, so the front door sees the possible duplicate.
CREATE TABLE distinct_people (
    person_id TEXT NOT NULL REFERENCES people (id),
    other_person_id TEXT NOT NULL REFERENCES people (id),
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (person_id, other_person_id)
);
CREATE INDEX distinct_people_other ON distinct_people (other_person_id);

-- A decision held for a manager's confirmation (the request waits as
-- awaiting_confirmation), confirmed by them…
ALTER TABLE decisions ADD COLUMN confirmed_by TEXT REFERENCES users (id);
ALTER TABLE decisions ADD COLUMN confirmed_at TEXT;
-- …or sent back to the front door with a reason, which the next decider reads.
ALTER TABLE requests ADD COLUMN sent_back_by TEXT REFERENCES users (id);
ALTER TABLE requests ADD COLUMN sent_back_at TEXT;
ALTER TABLE requests ADD COLUMN sent_back_reason TEXT;

-- A task about a request (confirm a decision), linked from My work.
ALTER TABLE tasks ADD COLUMN request_id TEXT REFERENCES requests (id);
CREATE INDEX tasks_request ON tasks (request_id);
