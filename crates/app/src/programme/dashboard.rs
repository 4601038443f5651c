//! The programme's dashboard (issue 20, item 6; ADR 0046): families attached (their needs at
//! the start, from the record and partners' data, reach the programme's number), needs at the
//! start, outcomes achieved and sustained, claims made and expected. Counts only, for anyone
//! who sees reports; a count from 1 to 4 is hidden from viewers outside the council, as the
//! reports hide it.

use crate::accounts::auth::event;
use crate::identification::worklist::needs_shown;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::episode::NeedResult;
use hearth_domain::ids::EpisodeId;
use hearth_domain::insight::Shown;
use hearth_domain::need::NeedDomain;
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::programme::claims::{self as rules, DashboardFamily};
use hearth_domain::programme::Framework;
use hearth_domain::role::Capability;
use hearth_store::accounts::organisations;
use hearth_store::identification::worklist::MatchedEvent;
use hearth_store::programme::claims as store;
use std::collections::BTreeMap;

/// One headline need's counts, as shown.
#[derive(Debug, Clone)]
pub struct NeedFigures {
    pub need: NeedDomain,
    pub at_start: Shown,
    pub achieved: Shown,
    pub sustained: Shown,
    pub claimed: Shown,
}

/// The dashboard, as the viewer may see it.
#[derive(Debug, Clone)]
pub struct ProgrammeDashboard {
    pub families_attached: Shown,
    pub outcomes_claimed: Shown,
    pub outcomes_expected: Shown,
    pub by_need: Vec<NeedFigures>,
    /// Counts from 1 to 4 are hidden (the viewer is outside the council).
    pub suppressed: bool,
}

impl Hearth {
    /// The programme's counts over every family measured against an outcome framework. A
    /// family is attached when its needs at the start reach the programme's number: the needs
    /// recorded on the episode and those partners' data matched to a family member showed on
    /// the day the help started, as its start page shows them. Counts only: no family is
    /// opened and nobody is named.
    pub async fn programme_dashboard(&self, actor: &Actor) -> Result<ProgrammeDashboard, AppError> {
        self.require(actor, Capability::ViewReports).await?;
        let mut conn = self.store.read().await?;
        let organisation = organisations::get(&mut conn, actor.organisation_id).await?;
        let episodes = store::counted_episodes(&mut conn).await?;
        let mut events: BTreeMap<EpisodeId, Vec<MatchedEvent>> = BTreeMap::new();
        for (episode, matched) in store::counted_events(&mut conn).await? {
            events.entry(episode).or_default().push(matched);
        }
        let frameworks: BTreeMap<String, Framework> = store::frameworks(&mut conn)
            .await?
            .into_iter()
            .filter_map(|(v, d)| serde_json::from_str(&d).ok().map(|f| (v, f)))
            .collect();
        let claimed = store::claimed(&mut conn).await?;
        let indicators = hearth_store::identification::indicators::current(&mut conn).await?;
        drop(conn);
        let families: Vec<DashboardFamily> = episodes
            .iter()
            .map(|e| {
                let required = frameworks
                    .get(&e.version)
                    .map_or(self.policies.programme.needs_required, |f| f.needs_required);
                let achieved: Vec<NeedDomain> = e
                    .needs
                    .iter()
                    .filter(|(_, r, _)| *r == Some(NeedResult::Achieved))
                    .map(|(n, _, _)| *n)
                    .collect();
                let recorded: Vec<NeedDomain> = e.needs.iter().map(|(n, _, _)| *n).collect();
                let shown = events
                    .get(&e.episode)
                    .map(|ev| needs_shown(&indicators, ev, e.started_on))
                    .unwrap_or_default();
                let needs = rules::needs_at_start(&recorded, &shown);
                DashboardFamily {
                    in_programme: needs.len() >= required,
                    needs,
                    sustained: e
                        .needs
                        .iter()
                        .filter(|(_, _, s)| *s == Some(true))
                        .map(|(n, _, _)| *n)
                        .collect(),
                    claimed: claimed
                        .iter()
                        .filter(|c| c.episode == e.episode && c.signed_off)
                        .map(|c| c.need)
                        .collect(),
                    awaiting_check: e
                        .needs
                        .iter()
                        .filter(|(n, r, s)| {
                            e.closed_on.is_some()
                                && *r == Some(NeedResult::Achieved)
                                && s.is_none()
                                && achieved.contains(n)
                        })
                        .map(|(n, _, _)| *n)
                        .collect(),
                    achieved,
                }
            })
            .collect();
        let d = rules::dashboard(&families);
        let suppress = organisation.kind != OrganisationKind::LocalAuthority;
        let shown = |n: usize| rules::shown(n, suppress);
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::ProgrammeDashboardViewed,
            &actor.origin,
            self.now(),
        );
        e.record_type = Some("programme");
        self.append_event(&e).await?;
        Ok(ProgrammeDashboard {
            families_attached: shown(d.families_attached),
            outcomes_claimed: shown(d.outcomes_claimed),
            outcomes_expected: shown(d.outcomes_expected),
            by_need: d
                .by_need
                .iter()
                .map(|(need, [a, b, c, x])| NeedFigures {
                    need: *need,
                    at_start: shown(*a),
                    achieved: shown(*b),
                    sustained: shown(*c),
                    claimed: shown(*x),
                })
                .collect(),
            suppressed: suppress,
        })
    }
}
