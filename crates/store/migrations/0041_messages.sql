-- Messages (issue 23, item 3; ADR 0036): an outbox of email written in the same transaction as
-- the change that causes it, so a crash loses nothing, and sent by a loop in the server that
-- claims each message with a lease, so two servers or a restart never send one twice.

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    template TEXT NOT NULL,
    language TEXT NOT NULL,
    -- The address, and whose it is (a user's account or a person on the record), so the
    -- outbox can say who it was for.
    recipient TEXT NOT NULL,
    recipient_user_id TEXT REFERENCES users (id),
    recipient_person_id TEXT REFERENCES people (id),
    -- What the message is about (e.g. an episode), as the audit log names records.
    record_type TEXT,
    record_id TEXT,
    subject TEXT NOT NULL,
    -- Emptied once the mail server accepted the message: a link in it is then kept nowhere.
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_try_at TEXT NOT NULL,
    -- Who holds a message being sent, and until when.
    claimed_by TEXT,
    lease_until TEXT,
    last_error TEXT,
    provider_message_id TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX messages_due ON messages (state, next_try_at);

-- Each user's choice: email from Hearth on (1) or off (0). Password reset links are sent
-- whatever it says: they are asked for.
ALTER TABLE users ADD COLUMN email_messages BIGINT NOT NULL DEFAULT 1;
-- The language a user's messages are written in (staff pages are in English; messages
-- need not be).
ALTER TABLE users ADD COLUMN message_language TEXT NOT NULL DEFAULT 'en';
