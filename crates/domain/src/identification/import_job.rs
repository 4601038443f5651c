//! An import started from the page runs as a job: recorded as running, then done in the
//! import's own transaction, or failed. A job recorded as running that no running server holds
//! has stopped part-way (the server was stopped or crashed): its transaction never committed,
//! so nothing of the file was imported, and it is shown as failed, never running for ever.

/// Where an import's job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Running,
    Done,
    Failed,
}

impl JobState {
    pub const ALL: [JobState; 3] = [JobState::Running, JobState::Done, JobState::Failed];

    pub fn code(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            JobState::Running => "Importing",
            JobState::Done => "Imported",
            JobState::Failed => "Not imported",
        }
    }
}

/// Why a job recorded as running that nobody runs any more failed.
pub const STOPPED: &str =
    "The import stopped before it finished (the server was stopped): nothing of the file was imported. Import the file again.";

/// The state to show for a job `recorded` so, when a running server does (`held`) or does not
/// hold it.
pub fn shown(recorded: JobState, held: bool) -> JobState {
    match recorded {
        JobState::Running if !held => JobState::Failed,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use JobState::*;

    #[test]
    fn a_running_job_nobody_holds_has_failed() {
        let cases = [
            (Running, true, Running),
            (Running, false, Failed),
            (Done, false, Done),
            (Done, true, Done),
            (Failed, false, Failed),
        ];
        for (recorded, held, want) in cases {
            assert_eq!(shown(recorded, held), want, "{recorded:?} held={held}");
        }
    }

    #[test]
    fn codes_read_back() {
        for s in JobState::ALL {
            assert_eq!(JobState::from_code(s.code()), Some(s));
        }
    }
}
