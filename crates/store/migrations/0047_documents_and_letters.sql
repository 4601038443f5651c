-- Documents and letters (issue 23, items 4 and 5; ADR 0043).
--
-- A document is attached to a person or to an episode (one of the two), read only through the
-- gate with the same access as the record it is attached to. Its bytes are kept apart from
-- what describes it, by the storage named in `storage` (`database`: `document_contents`), so
-- lists never read them and an object store can hold them instead.

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    person_id TEXT REFERENCES people (id),
    episode_id TEXT REFERENCES episodes (id),
    -- signed_consent, report, photo, letter, other
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- pdf, png, jpeg, docx: what the content is, not what the name said
    file_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    -- hex SHA-256 of the content, checked when it is read back
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    CHECK ((person_id IS NULL) <> (episode_id IS NULL))
);
CREATE INDEX documents_by_person ON documents (person_id, uploaded_at);
CREATE INDEX documents_by_episode ON documents (episode_id, uploaded_at);

-- BYTEA is PostgreSQL's type for bytes; SQLite keeps a blob as given under any declared type.
CREATE TABLE document_contents (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    content BYTEA NOT NULL
);

-- The partnership's wording of each letter in each language; until one is saved, the wording
-- Hearth ships is used.
CREATE TABLE letter_templates (
    letter TEXT NOT NULL,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (letter, language)
);
