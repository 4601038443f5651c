//! Distance travelled per need: the whole-family assessment's 0–10 for each member on each
//! need, against the latest Team Around the Family review's scores on the outcomes that work
//! on that need. Shown on the episode and on the plan; the callers have checked access.

use crate::AppError;
use chrono::NaiveDate;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::{need_distance, NeedDistance};
use hearth_store::plans::Plan;
use hearth_store::reviews::Review;
use hearth_store::{assessments, Conn};

/// One need's start and now, with members named.
pub type NeedProgress = NeedDistance<NeedDomain, String, NaiveDate>;

/// From what the caller has loaded already (the plan and its reviews) and the assessment.
pub(crate) async fn needs_progress(
    conn: &mut Conn,
    episode: EpisodeId,
    people: &[(PersonId, String)],
    plan: Option<&Plan>,
    reviews: &[Review],
) -> Result<Vec<NeedProgress>, AppError> {
    let assessed: Vec<(String, NeedDomain, u8)> = assessments::for_episode(conn, episode)
        .await?
        .map(|a| a.fields.entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let name = people
                .iter()
                .find(|(p, _)| *p == e.person_id)
                .map(|(_, n)| n.clone())?;
            Some((name, NeedDomain::from_code(&e.domain)?, e.scale?))
        })
        .collect();
    let outcomes = plan.map(|p| p.fields.outcomes.as_slice()).unwrap_or(&[]);
    let reviewed: Vec<(NeedDomain, NaiveDate, u8)> = reviews
        .iter()
        .flat_map(|r| {
            r.fields.progress.iter().flat_map(move |p| {
                outcomes
                    .iter()
                    .filter(|o| o.id == p.outcome_id)
                    .flat_map(|o| o.needs.iter())
                    .filter_map(|n| NeedDomain::from_code(n))
                    .map(move |d| (d, r.fields.held_on, p.scale))
            })
        })
        .collect();
    Ok(need_distance(&assessed, &reviewed))
}
