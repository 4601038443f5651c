-- A family's search by keyword and distance: on a wide search (a common word, 5 miles) it
-- related thousands of services to their places and checked each service's conditions, a
-- join per row. Here each row is one word of a service at one of its places, with the place's
-- position and Family Hub mark and the service's own conditions, so the search is one range
-- of one index. The store rebuilds a service's rows whenever it saves the service or its
-- words (`put_word_places`), and rewrites a place's position on them when the place changes.
CREATE TABLE directory_word_places (
    word TEXT NOT NULL,
    service_at_location_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    location_id TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    family_hub BIGINT NOT NULL,
    published BIGINT NOT NULL,
    status TEXT NOT NULL,
    minimum_age DOUBLE PRECISION,
    maximum_age DOUBLE PRECISION,
    free BIGINT NOT NULL,
    organisation_id TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    PRIMARY KEY (word, service_at_location_id)
);
-- The search reads this index alone: the word's range, then everything it checks.
CREATE INDEX directory_word_places_search ON directory_word_places
    (word, latitude, longitude, published, status, minimum_age, maximum_age, free, family_hub, service_id);
CREATE INDEX directory_word_places_service ON directory_word_places (service_id);
CREATE INDEX directory_word_places_location ON directory_word_places (location_id);

INSERT INTO directory_word_places (word, service_at_location_id, service_id, location_id, latitude, longitude,
    family_hub, published, status, minimum_age, maximum_age, free, organisation_id, last_modified)
SELECT w.word, sl.id, s.id, sl.location_id, sl.latitude, sl.longitude, sl.family_hub, s.published,
       s.status, s.minimum_age, s.maximum_age, s.free, s.organisation_id, s.last_modified
FROM directory_service_words w
JOIN directory_services s ON s.id = w.service_id
JOIN directory_service_locations sl ON sl.service_id = w.service_id;
