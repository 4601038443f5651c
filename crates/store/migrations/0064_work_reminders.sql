-- Reminders of work due (issue 23 item 3): a practitioner is reminded, a few days before, of an
-- assessment or a Team Around the Family review on an episode they lead, an action on a family
-- plan they own, and a task assigned to them; by email, text or both, as they choose.

-- How the user wants reminders: 'email', 'text' or 'both'; and their mobile number (E.164,
-- checked when saved), needed for texts.
ALTER TABLE users ADD COLUMN remind_by TEXT NOT NULL DEFAULT 'email';
ALTER TABLE users ADD COLUMN mobile TEXT;

-- One row per piece of work and date reminded, taken in the same transaction as the messages:
-- a second server or a later round finds it and queues nothing, so one reminder goes per item
-- per due date. A date moved later is a new date, reminded again. Ids and dates only.
CREATE TABLE work_reminders (
    work TEXT NOT NULL,
    -- the episode for an assessment or a review; the action's or the task's id otherwise
    item_id TEXT NOT NULL,
    due_on TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    queued_at TEXT NOT NULL,
    PRIMARY KEY (work, item_id, due_on)
);
