-- My work lists the open plan actions a practitioner owns (`open_actions_owned_by`). Without an
-- index on the owner that read every action in the partnership: 40–150 ms a page on PostgreSQL
-- with the city's 84,000 actions (found by logging slow statements during the soak).
CREATE INDEX plan_actions_owner ON plan_actions (owner_user_id, status);
