-- Keyword search for the directory: every word of a service's name, description, organisation
-- and terms (`hearth_domain::directory::search_words` of `search_text`), one row each, so a
-- keyword is an index lookup instead of a LIKE over every service. A search word matches the
-- words that start with it: `word >= 'play' AND word < 'plaz'` on the (word, service_id) key.
-- The rows are written with the service; services saved before this migration are indexed
-- when Hearth next starts (`ensure_directory_taxonomies`).
CREATE TABLE directory_service_words (
    word TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES directory_services (id),
    PRIMARY KEY (word, service_id)
);
CREATE INDEX directory_service_words_service ON directory_service_words (service_id, word);

-- A family's search by distance starts from the locations in the bounding box and needs
-- their services: (location_id, service_id, id) answers that from the index alone;
DROP INDEX directory_service_locations_location;
CREATE INDEX directory_service_locations_location ON directory_service_locations (location_id, service_id, id);
-- and a search that starts from the keyword reads a service's locations from the index alone.
DROP INDEX directory_service_locations_service;
CREATE INDEX directory_service_locations_service ON directory_service_locations (service_id, location_id, id);
