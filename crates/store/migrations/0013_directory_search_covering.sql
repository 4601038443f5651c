-- A family's search by distance relates every service matching its keyword to the positions
-- of the places it runs at: on a wide search (a common word, 5 miles or more) thousands of
-- rows. To read them without joining each place, a service-at-location row carries its
-- place's position and Family Hub mark too; the store writes them with the service, and
-- again on every row of a place when the place changes (`put_location`).
ALTER TABLE directory_service_locations ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE directory_service_locations ADD COLUMN longitude DOUBLE PRECISION;
ALTER TABLE directory_service_locations ADD COLUMN family_hub BIGINT NOT NULL DEFAULT 0;
UPDATE directory_service_locations SET
    latitude = (SELECT l.latitude FROM directory_locations l WHERE l.id = directory_service_locations.location_id),
    longitude = (SELECT l.longitude FROM directory_locations l WHERE l.id = directory_service_locations.location_id),
    family_hub = (SELECT l.family_hub FROM directory_locations l WHERE l.id = directory_service_locations.location_id);

-- From a keyword's services to their positions, from the index alone;
DROP INDEX directory_service_locations_service;
CREATE INDEX directory_service_locations_service
    ON directory_service_locations (service_id, latitude, longitude, family_hub, id, location_id);
-- from the bounding box to its services, when there is no keyword;
CREATE INDEX directory_service_locations_position
    ON directory_service_locations (latitude, longitude, service_id, id, family_hub);
-- and each service's conditions (published, active, ages, free) without reading its row.
CREATE INDEX directory_services_conditions
    ON directory_services (id, published, status, minimum_age, maximum_age, free);
