-- Quality assurance of case files (issue 18, item 3): the partnership's audit form, samples
-- of episodes drawn for audit, each file's grades, its moderation and the actions back to the
-- worker (which are tasks on the worker's list).

-- The audit form's questions, in order. Data, not code: a partnership words its own, and
-- retires a question (active = 0) rather than deleting it, so old audits still read.
CREATE TABLE quality_questions (
    id TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    question TEXT NOT NULL,
    hint TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);
INSERT INTO quality_questions (id, position, question, hint) VALUES
    ('voice', 1, 'The child''s voice', 'The child''s wishes and feelings are recorded in their own words and shape the plan.'),
    ('assessment', 2, 'Assessment', 'The assessment is timely, covers every need and says what life is like for the child.'),
    ('plan', 3, 'The plan', 'Actions are specific, owned and dated, and the family agreed them.'),
    ('progress', 4, 'Progress and review', 'Reviews test whether things are getting better, and the plan changes when they are not.'),
    ('management', 5, 'Management oversight', 'Supervision and sign-off are recorded, with clear direction.');

-- One draw: who drew it, when, by what criteria and how (the seed of a random draw, so the
-- sample can be shown to be fair).
CREATE TABLE audit_samples (
    id TEXT PRIMARY KEY,
    drawn_by TEXT NOT NULL REFERENCES users (id),
    drawn_at TEXT NOT NULL,
    criteria TEXT NOT NULL,
    seed TEXT
);

-- One case file in a sample, from drawn to graded to moderated. Version: two auditors may
-- open the same file at once, and a lost grade is a defect.
CREATE TABLE case_audits (
    id TEXT PRIMARY KEY,
    sample_id TEXT NOT NULL REFERENCES audit_samples (id),
    episode_id TEXT NOT NULL REFERENCES episodes (id),
    stage TEXT NOT NULL,
    auditor_id TEXT REFERENCES users (id),
    grade TEXT,
    comments TEXT,
    graded_at TEXT,
    moderator_id TEXT REFERENCES users (id),
    moderated_grade TEXT,
    moderation_reasons TEXT,
    moderated_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX case_audits_episode ON case_audits (episode_id);
CREATE INDEX case_audits_stage ON case_audits (stage, created_at);

CREATE TABLE case_audit_answers (
    audit_id TEXT NOT NULL REFERENCES case_audits (id),
    question_id TEXT NOT NULL REFERENCES quality_questions (id),
    grade TEXT NOT NULL,
    comment TEXT NOT NULL,
    PRIMARY KEY (audit_id, question_id)
);

-- An action back to the worker is a task on their list; this ties it to its audit.
CREATE TABLE case_audit_actions (
    audit_id TEXT NOT NULL REFERENCES case_audits (id),
    task_id TEXT NOT NULL REFERENCES tasks (id),
    PRIMARY KEY (audit_id, task_id)
);
