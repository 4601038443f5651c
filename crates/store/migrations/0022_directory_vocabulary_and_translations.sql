-- Keyword search finds services by tokens the vocabulary makes of their text: words, stems
-- and the needs that known phrases stand for (`hearth_domain::vocabulary`, ADR 0017). The
-- fingerprint of the vocabulary the index was built with is kept here: when Hearth starts
-- with another (a new release's lists, or the partnership's own `directory_synonyms` file),
-- it indexes every service again (`index_services`). No row: nothing built yet.
CREATE TABLE directory_search_vocabulary (
    fingerprint TEXT NOT NULL
);

-- A service's name and description in the families' other languages (issue 16, item 18),
-- part of its entry: written, reviewed and published with it. The family pages show the one
-- in the family's language; the Open Referral output stays in English.
CREATE TABLE directory_service_texts (
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    language TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (service_id, language)
);
