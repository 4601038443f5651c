-- The family's voice (issue 18, item 4; ADR 0037): short surveys at an episode's start, after
-- its reviews and at closure, for the family or for one child or young person, sent by the
-- same one-time links as the closure feedback; and case studies for the board.

-- A feedback link becomes a survey link with a moment and an audience. The links made before
-- are closure's, for the family.
ALTER TABLE feedback_invitations ADD COLUMN moment TEXT NOT NULL DEFAULT 'closure';
ALTER TABLE feedback_invitations ADD COLUMN audience TEXT NOT NULL DEFAULT 'family';
-- The child a children's survey is for.
ALTER TABLE feedback_invitations ADD COLUMN person_id TEXT REFERENCES people (id);
-- The version of the partnership's questions the link asks, and the language it was
-- answered in.
ALTER TABLE feedback_invitations ADD COLUMN version TEXT;
ALTER TABLE feedback_invitations ADD COLUMN language TEXT;

-- Each question's answer, with the question as it was asked (English wording), so that
-- changing the questions later never changes what an old answer meant.
CREATE TABLE survey_answers (
    invitation_id TEXT NOT NULL REFERENCES feedback_invitations (id),
    position BIGINT NOT NULL,
    question TEXT NOT NULL,
    asked TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (invitation_id, position)
);
CREATE INDEX survey_answers_question ON survey_answers (question, invitation_id);
CREATE INDEX feedback_invitations_answered ON feedback_invitations (answered_at);

-- Case studies written from closed episodes, with the family's consent, anonymised, reviewed
-- and published to the board.
CREATE TABLE case_studies (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    title TEXT NOT NULL,
    story TEXT NOT NULL,
    -- Who in the family agreed, on which day and how.
    consent_person_id TEXT NOT NULL REFERENCES people (id),
    consent_on TEXT NOT NULL,
    consent_way TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES users (id),
    written_at TEXT NOT NULL,
    -- The writer's confirmation that names and identifying details are out.
    anonymised_confirmed_at TEXT NOT NULL,
    status TEXT NOT NULL,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at TEXT,
    review_note TEXT,
    -- The team that held the episode: its managers review the study.
    team_id TEXT REFERENCES teams (id)
);
CREATE INDEX case_studies_status ON case_studies (status, written_at);
CREATE INDEX case_studies_episode ON case_studies (episode_id);
