-- Retention's anonymisation clears an episode's chronology lines by episode: without this index
-- each retained family scanned the whole chronology (two million lines in the city demo).
CREATE INDEX IF NOT EXISTS chronology_episode ON chronology (episode_id);
