//! Distance travelled per need: the whole-family assessment's 0–10 for each member on each
//! need, against the latest Team Around the Family review's scores on the outcomes that work
//! on that need. Shown on the episode and on the plan; the callers have checked access.

use crate::AppError;
use chrono::NaiveDate;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::{need_distance, NeedDistance};
use hearth_store::{episodes::distance, Conn};

/// One need's start and now, with members named.
pub type NeedProgress = NeedDistance<NeedDomain, String, NaiveDate>;

pub(crate) async fn needs_progress(
    conn: &mut Conn,
    episode: EpisodeId,
    people: &[(PersonId, String)],
) -> Result<Vec<NeedProgress>, AppError> {
    let assessed: Vec<(String, NeedDomain, u8)> = distance::assessed(conn, episode)
        .await?
        .into_iter()
        .filter_map(|(person, domain, scale)| {
            let name = people
                .iter()
                .find(|(p, _)| *p == person)
                .map(|(_, n)| n.clone())?;
            Some((name, domain, scale))
        })
        .collect();
    let reviewed = distance::reviewed(conn, episode).await?;
    Ok(need_distance(&assessed, &reviewed))
}
