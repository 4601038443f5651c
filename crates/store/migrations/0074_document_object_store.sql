-- Documents' bytes in an S3-compatible object store (issue 23 item 4; ADR 0052).
--
-- `documents.storage` says where each document's bytes are: 'database' (document_contents)
-- or 's3', with the object's key here (`documents/<id>`: an id, never a name).
ALTER TABLE documents ADD COLUMN object_key TEXT;
CREATE INDEX documents_by_object_key ON documents (object_key);

-- Objects to delete from the store unless a document names them. An upload (or a move)
-- writes its key here, committed, before it puts the object, and the transaction that writes
-- the document's row removes it: a line left after `not_before` is an object whose row never
-- committed. Erasure writes the key of each object whose document it deletes, due at once
-- (`not_before` NULL). The server's housekeeping deletes the objects, then the lines.
CREATE TABLE document_object_sweep (
    object_key TEXT PRIMARY KEY,
    -- 'upload', 'move' or 'erased'
    why TEXT NOT NULL,
    not_before TEXT
);
