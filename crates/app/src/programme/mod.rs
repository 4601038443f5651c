//! The Supporting Families programme (issue 20, ADR 0042): an episode's standing at the start
//! (its headline needs with the evidence for each, whether the family is in the programme, and
//! the whole-family working criteria met or missing) in [`start`], and after closure the
//! sustainment check its last lead or owning team answers from *My work* in [`sustainment`].
//! The rules are the domain's (`hearth_domain::programme`); the episode is opened through the
//! gate for each, and each read and answer is audited.

mod claims;
mod dashboard;
mod start;
mod sustainment;

pub use claims::{
    ClaimOutcome, ClaimPolicy, DataReturn, ExplanationForm, ProgrammeFamily, QuarterFamily,
    QuarterView, ReturnLine, VerdictForm,
};
pub use dashboard::{NeedFigures, ProgrammeDashboard};
pub use start::{NeedAtStart, ProgrammeStart};
pub use sustainment::{OutcomeCheck, SustainmentCheck, SustainmentForm};

use crate::{AppError, Hearth};
use hearth_domain::ids::EpisodeId;
use hearth_domain::programme::Framework;
use hearth_store::Conn;

impl Hearth {
    /// The framework an episode is measured against: the one it started under, or today's
    /// for an episode opened before frameworks were kept.
    pub(crate) async fn framework_of(
        &self,
        conn: &mut Conn,
        episode: EpisodeId,
    ) -> Result<Framework, AppError> {
        Ok(hearth_store::programme::framework_of(conn, episode)
            .await?
            .unwrap_or_else(|| self.policies.programme.clone()))
    }
}
