-- The key that signed each event (the first 8 hex digits of its SHA-256). Events written
-- before the audit key existed keep NULL and verify as the unkeyed chain they were written as,
-- up to the first keyed event.
ALTER TABLE audit_events ADD COLUMN key_id TEXT;
