//! What a line in a family's chronology records: its kind names it for the reader and for the
//! filter on the chronology page.

/// The kind of event a chronology entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Request,
    Decision,
    Episode,
    Allocation,
    Taf,
    Assessment,
    Plan,
    Review,
    Note,
    StepUp,
    StepDown,
    Closure,
    Escalation,
    /// Came to a Family Hub session (only for a person with a record who consented).
    HubAttendance,
    /// A document attached to the person or the episode (ADR 0043).
    Document,
    /// A message in the thread between the family and the lead professional (ADR 0045).
    Message,
}

impl EntryKind {
    pub const ALL: [EntryKind; 16] = [
        EntryKind::Request,
        EntryKind::Decision,
        EntryKind::Episode,
        EntryKind::Allocation,
        EntryKind::Taf,
        EntryKind::Assessment,
        EntryKind::Plan,
        EntryKind::Review,
        EntryKind::Note,
        EntryKind::StepUp,
        EntryKind::StepDown,
        EntryKind::Closure,
        EntryKind::Escalation,
        EntryKind::HubAttendance,
        EntryKind::Document,
        EntryKind::Message,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Request => "request",
            EntryKind::Decision => "decision",
            EntryKind::Episode => "episode",
            EntryKind::Allocation => "allocation",
            EntryKind::Taf => "taf",
            EntryKind::Assessment => "assessment",
            EntryKind::Plan => "plan",
            EntryKind::Review => "review",
            EntryKind::Note => "note",
            EntryKind::StepUp => "step_up",
            EntryKind::StepDown => "step_down",
            EntryKind::Closure => "closure",
            EntryKind::Escalation => "escalation",
            EntryKind::HubAttendance => "hub_attendance",
            EntryKind::Document => "document",
            EntryKind::Message => "message",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// As the chronology page's filter lists it.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Request => "Requests for support",
            EntryKind::Decision => "Front door decisions",
            EntryKind::Episode => "Episodes",
            EntryKind::Allocation => "Allocations",
            EntryKind::Taf => "Team Around the Family",
            EntryKind::Assessment => "Assessments",
            EntryKind::Plan => "Family plans",
            EntryKind::Review => "Reviews",
            EntryKind::Note => "Case notes",
            EntryKind::StepUp => "Step-ups",
            EntryKind::StepDown => "Step-downs",
            EntryKind::Closure => "Closures",
            EntryKind::Escalation => "Disagreements",
            EntryKind::HubAttendance => "Family Hub sessions",
            EntryKind::Document => "Documents",
            EntryKind::Message => "Messages with the family",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code_and_has_its_own_label() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_code(k.code()), Some(k));
        }
        let mut labels: Vec<_> = EntryKind::ALL.iter().map(|k| k.label()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), EntryKind::ALL.len());
        assert_eq!(EntryKind::from_code("involvement"), None);
    }
}
