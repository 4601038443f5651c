//! Fairness: who the worklist identifies compared with the population on the record, by
//! ethnicity, first language, area and SEND (the rule is the domain's), for those who read
//! reports; small numbers suppressed outside the council. Opening it is audited.

use crate::{Actor, AppError, Hearth};
use hearth_domain::identification::fairness::{compare, Compared, Dimension, GroupCount};
use hearth_domain::ids::PersonId;
use hearth_domain::organisation::OrganisationKind;
use hearth_store::accounts::organisations;
use hearth_store::identification::fairness::{self as store, Profile};
use std::collections::{BTreeMap, HashSet};

/// What a group is called when nothing is recorded.
const NOT_RECORDED: &str = "Not recorded";

/// Every dimension's groups compared with the population.
#[derive(Debug, Clone, PartialEq)]
pub struct Fairness {
    pub by: Vec<(Dimension, Vec<Compared>)>,
    /// People on the record, and identified (in a family on the worklist).
    pub population: u64,
    pub identified: u64,
    /// Small numbers hidden: the viewer is outside the council.
    pub suppressed: bool,
}

fn group_of(p: &Profile, d: Dimension) -> &str {
    let g = match d {
        Dimension::Ethnicity => &p.ethnicity,
        Dimension::Language => &p.language,
        Dimension::Area => &p.ward,
        Dimension::Send => &p.send,
    };
    match g.trim() {
        "" => NOT_RECORDED,
        g => g,
    }
}

/// Each dimension's groups, largest first, with how many of each are identified.
fn counts(
    profiles: &[Profile],
    identified: &HashSet<PersonId>,
) -> Vec<(Dimension, Vec<GroupCount>)> {
    Dimension::ALL
        .into_iter()
        .map(|d| {
            let mut groups: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
            for p in profiles {
                let g = groups.entry(group_of(p, d)).or_default();
                g.0 += 1;
                g.1 += u64::from(identified.contains(&p.person));
            }
            let mut groups: Vec<GroupCount> = groups
                .into_iter()
                .map(|(group, (population, identified))| GroupCount {
                    group: group.to_string(),
                    population,
                    identified,
                })
                .collect();
            groups.sort_by(|a, b| b.population.cmp(&a.population).then(a.group.cmp(&b.group)));
            (d, groups)
        })
        .collect()
}

impl Hearth {
    /// Who early identification identifies compared with the population (those who read
    /// reports). Opening it is audited.
    pub async fn identification_fairness(&self, actor: &Actor) -> Result<Fairness, AppError> {
        let fairness = self
            .gate
            .open_identification_fairness(&self.viewer(actor))
            .await?;
        let worklist = self.worklist_through(&fairness.worklist()).await?;
        let mut conn = self.store.read().await?;
        let profiles = store::profiles(&mut conn, &fairness).await?;
        let organisation = organisations::get(&mut conn, actor.organisation_id).await?;
        drop(conn);
        let identified: HashSet<PersonId> = worklist
            .families
            .iter()
            .flat_map(|f| f.people.iter().copied())
            .collect();
        // Inside the council a small count is work to see to; outside it, it may point to a
        // family.
        let suppressed = organisation.kind != OrganisationKind::LocalAuthority;
        Ok(Fairness {
            by: counts(&profiles, &identified)
                .into_iter()
                .map(|(d, groups)| (d, compare(&groups, suppressed)))
                .collect(),
            population: profiles.len() as u64,
            identified: identified.len() as u64,
            suppressed,
        })
    }
}
