-- Text messages (issue 23 item 3; ADR 0049): texts go through the same outbox as email (the
-- `channel` column says which: 'email' or 'sms'), with the same leases and back-off. A text's
-- delivery report comes back from the gateway to a route that names the message and carries
-- a token made for that try: only its hash is kept here.
ALTER TABLE messages ADD COLUMN delivery_token_hash TEXT;
-- What the gateway last reported: 'accepted' (by the network), 'delivered' or 'failed', with
-- its words (a reason for a failure) and when. Empty until a report arrives.
ALTER TABLE messages ADD COLUMN delivery TEXT;
ALTER TABLE messages ADD COLUMN delivery_detail TEXT;
ALTER TABLE messages ADD COLUMN delivery_at TEXT;
CREATE INDEX messages_by_channel_due ON messages (channel, state, next_try_at);
