-- A family's search joins every service matching its keyword to the service's conditions and
-- its places' positions. On a wide search (a common word, 5 miles or more) that is thousands
-- of rows; read from these narrow indexes alone, rather than from the wide tables, PostgreSQL
-- answers in about a fifth less time (docs/benchmarks.md, the directory).
CREATE INDEX directory_services_conditions
    ON directory_services (id, published, status, minimum_age, maximum_age, free);
CREATE INDEX directory_locations_point
    ON directory_locations (id, latitude, longitude, family_hub);
