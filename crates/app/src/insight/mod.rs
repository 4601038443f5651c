//! Measuring impact: the dashboards (partnership, locality, team, a worker's own families, a
//! partner agency's own requests), the records behind a figure, and the partnership
//! indicators entered each period.
//!
//! Figures are computed from the record (ADR 0027): the store hands over one fact per request
//! or episode in the quarters shown, narrowed by the filters in SQL, and the domain counts
//! them. The counts are kept a few minutes for the next reader of the same figures (ADR 0040). Figures are not personal data: a dashboard needs
//! a capability, and a narrower one is fixed to the viewer's own work. The records behind a
//! figure are listed only through the gate; anything else is a count.

pub mod board;
mod extract;
mod indicators;

pub use board::{BoardReport, BoardReportForm, BoardReportView, ReadAs};
pub use extract::ExtractWritten;
pub use indicators::IndicatorForm;

use crate::accounts::auth::event;
use crate::kept::{DashboardFigures, Kept};
use crate::my_work::{family_name, names_of};
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::measures::identified_on;
use hearth_domain::ids::{EpisodeId, RequestId};
use hearth_domain::insight::{
    figure, members, rerequests, show, Facts, Figure, IdentifiedFact, Kpi, Measure, Members,
    Quarter, Shown, Source,
};
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::role::Capability;
use hearth_store::accounts::organisations;
use hearth_store::audit;
use hearth_store::episodes;
use hearth_store::insight::{self as store, IndicatorValue};
use hearth_store::requests;
use hearth_store::Store;

pub use hearth_store::insight::ReportFilter;

/// Whose work a dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole partnership, or a locality or ward through the filter (analysts, managers,
    /// the data protection officer).
    Partnership,
    /// The manager's own team.
    Team,
    /// The families the worker leads.
    Mine,
    /// The requests the viewer's own organisation made, and what became of them.
    Agency,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Partnership, Scope::Team, Scope::Mine, Scope::Agency];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Partnership => "partnership",
            Scope::Team => "team",
            Scope::Mine => "mine",
            Scope::Agency => "agency",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    fn capability(self) -> Capability {
        match self {
            Scope::Partnership => Capability::ViewReports,
            Scope::Team => Capability::AllocateWork,
            Scope::Mine => Capability::LeadFamilies,
            Scope::Agency => Capability::RequestSupport,
        }
    }

    /// The scopes this user may look at, widest first.
    pub fn open_to(actor: &Actor) -> Vec<Scope> {
        Self::ALL
            .into_iter()
            .filter(|s| actor.can(s.capability()))
            .filter(|s| *s != Scope::Team || actor.team_id.is_some())
            .collect()
    }
}

/// One indicator's figures over the quarters shown.
#[derive(Debug, Clone)]
pub struct KpiLine {
    pub kpi: Kpi,
    /// One per quarter, oldest first.
    pub figures: Vec<Shown>,
    /// The unrounded counts behind each figure, where the viewer may see them.
    pub counts: Vec<Option<Figure>>,
}

/// A dashboard: the catalogue's indicators over the last quarters, narrowed by the filter.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub scope: Scope,
    /// What the dashboard is of: the partnership, the team's or organisation's name, "your
    /// families".
    pub of: String,
    pub quarters: Vec<Quarter>,
    pub lines: Vec<KpiLine>,
    /// Counts under 5 are hidden: the viewer is outside the council.
    pub suppressed: bool,
    /// The filter as applied (the scope's own narrowing included).
    pub filter: ReportFilter,
    /// When the counted figures were worked out (they may have been kept a few minutes).
    pub worked_out: DateTime<Utc>,
}

/// The choices the filters offer.
#[derive(Debug, Clone, Default)]
pub struct FilterChoices {
    /// (locality, ward)
    pub areas: Vec<(String, String)>,
    pub agencies: Vec<(hearth_domain::ids::OrganisationId, String)>,
    pub teams: Vec<(hearth_domain::ids::TeamId, String)>,
    pub languages: Vec<String>,
}

/// A record behind a figure that the viewer may open.
#[derive(Debug, Clone)]
pub enum DrillRecord {
    Episode {
        id: EpisodeId,
        family: String,
        in_numerator: bool,
    },
    Request {
        id: RequestId,
        submitted: chrono::NaiveDate,
        in_numerator: bool,
    },
}

/// The records behind one figure: those the gate lets the viewer open, and how many others.
#[derive(Debug, Clone)]
pub struct Drill {
    pub kpi: Kpi,
    pub quarter: Quarter,
    pub figure: Shown,
    pub shown: Vec<DrillRecord>,
    /// Records behind the figure the viewer may not open (a count, suppressed like any
    /// other outside the council).
    pub others: Shown,
}

/// At most this many records are listed behind a figure; the rest are counted.
pub const DRILL_LIMIT: usize = 200;

impl Hearth {
    /// Whether the actor's figures hide small numbers: inside the council a small count is
    /// work to see to; outside it, it may point to a family.
    pub(crate) async fn hides_small_numbers(&self, actor: &Actor) -> Result<bool, AppError> {
        let mut conn = self.store.read().await?;
        let organisation = organisations::get(&mut conn, actor.organisation_id).await?;
        Ok(organisation.kind != OrganisationKind::LocalAuthority)
    }

    /// The partnership's catalogue of indicators (configuration: targets, baselines and
    /// national averages are the partnership's own).
    pub fn catalogue(&self) -> &[Kpi] {
        &self.policies.catalogue
    }

    /// Checks the viewer may see this scope and fixes the filter to their own work.
    async fn scoped(
        &self,
        actor: &Actor,
        scope: Scope,
        mut filter: ReportFilter,
    ) -> Result<(ReportFilter, String, bool), AppError> {
        self.require(actor, scope.capability()).await?;
        let mut conn = self.store.read().await?;
        let organisation = organisations::get(&mut conn, actor.organisation_id).await?;
        let of = match scope {
            Scope::Partnership => "The partnership".to_string(),
            Scope::Team => {
                let Some(team) = actor.team_id else {
                    return Err(AppError::NotFound);
                };
                filter.team = Some(team);
                actor.team_name.clone().unwrap_or_default()
            }
            Scope::Mine => {
                filter.lead = Some(actor.user_id);
                "Your families".to_string()
            }
            Scope::Agency => {
                filter.agency = Some(actor.organisation_id);
                organisation.name.clone()
            }
        };
        // Inside the council a small count is work to see to; outside it, it may point to a
        // family.
        let suppress = organisation.kind != OrganisationKind::LocalAuthority;
        Ok((filter, of, suppress))
    }

    /// The facts of the quarters from `first` to `last`.
    async fn facts(
        &self,
        filter: &ReportFilter,
        first: Quarter,
        last: Quarter,
    ) -> Result<FactSet, AppError> {
        let midnight = |d: chrono::NaiveDate| d.and_time(NaiveTime::MIN).and_utc();
        let (from, to) = (midnight(first.start()), midnight(last.end()));
        let mut conn = self.store.read().await?;
        let requests = store::request_facts(&mut conn, filter, from, to).await?;
        let history = store::request_history(&mut conn, from - Duration::days(366), to).await?;
        let episodes = store::episode_facts(
            &mut conn,
            filter,
            first.start(),
            last.end(),
            self.policies.plans.assessment_due_days,
        )
        .await?;
        // The worklist's families: nobody asked for them and no team or lead helps them yet,
        // so a filter by those leaves them out; an area or people's filter narrows them.
        let identified = if filter.narrows_to_work() {
            Vec::new()
        } else {
            self.identified_families(&mut conn, filter).await?
        };
        Ok(FactSet {
            rerequests: rerequests(&history),
            requests,
            episodes,
            identified,
        })
    }

    /// Every family early identification brought to the worklist (one of whose members
    /// matches the filter's conditions about people), with the day it was first identified
    /// under today's indicators and what was recorded about it.
    async fn identified_families(
        &self,
        conn: &mut hearth_store::Conn,
        filter: &ReportFilter,
    ) -> Result<Vec<IdentifiedFact>, AppError> {
        let today = self.now().date_naive();
        let raw = store::identification::identification_facts(conn, filter, today).await?;
        let indicators = hearth_store::identification::indicators::current(conn).await?;
        Ok(raw
            .families
            .iter()
            .filter_map(|(family, members)| {
                Some(IdentifiedFact {
                    family: *family,
                    identified_on: identified_on(&indicators, members, today)?,
                    outreach: raw.outreach.get(family).cloned().unwrap_or_default(),
                })
            })
            .collect())
    }

    /// A dashboard of the `count` quarters ending with `last`, from the kept figures when they
    /// are recent enough (ADR 0040).
    pub async fn dashboard(
        &self,
        actor: &Actor,
        scope: Scope,
        filter: ReportFilter,
        last: Quarter,
        count: usize,
    ) -> Result<Dashboard, AppError> {
        self.dashboard_as(actor, scope, filter, last, count, false)
            .await
    }

    /// The same dashboard, its figures worked out again now (and kept for the next reader).
    pub async fn dashboard_now(
        &self,
        actor: &Actor,
        scope: Scope,
        filter: ReportFilter,
        last: Quarter,
        count: usize,
    ) -> Result<Dashboard, AppError> {
        self.dashboard_as(actor, scope, filter, last, count, true)
            .await
    }

    async fn dashboard_as(
        &self,
        actor: &Actor,
        scope: Scope,
        filter: ReportFilter,
        last: Quarter,
        count: usize,
        again: bool,
    ) -> Result<Dashboard, AppError> {
        let (filter, of, suppressed) = self.scoped(actor, scope, filter).await?;
        let quarters = last.trailing(count.clamp(1, 12));
        // The key is the filter with the viewer's own narrowing in it: a team's figures are
        // kept apart from the partnership's.
        let key = (filter.clone(), quarters[0], last);
        let kept = self
            .kept
            .dashboards
            .get(key, again, || {
                let (hearth, filter, quarters) = (self.clone(), filter.clone(), quarters.clone());
                async move { hearth.count_dashboard(&filter, &quarters).await }
            })
            .await?;
        let entered = if scope == Scope::Partnership && filter == ReportFilter::default() {
            let mut conn = self.store.read().await?;
            store::indicator_values(&mut conn).await?
        } else {
            Vec::new()
        };
        let families = scope == Scope::Partnership && !filter.narrows_to_work();
        let lines = self
            .catalogue()
            .iter()
            .filter(|k| scope == Scope::Partnership || k.source != Source::Entered)
            .filter(|k| families || !k.measure().is_some_and(Measure::counts_families))
            .map(|kpi| {
                let counted = kpi.measure().and_then(|m| kept.value.get(&m));
                let (figures, counts): (Vec<Shown>, Vec<Option<Figure>>) = quarters
                    .iter()
                    .enumerate()
                    .map(|(i, q)| match counted.and_then(|c| c.get(i)) {
                        Some(f) => (show(*f, kpi.unit, suppressed), (!suppressed).then_some(*f)),
                        None => (entered_figure(&entered, kpi, *q), None),
                    })
                    .unzip();
                KpiLine {
                    kpi: kpi.clone(),
                    figures,
                    counts,
                }
            })
            .collect();
        Ok(Dashboard {
            scope,
            of,
            quarters,
            lines,
            suppressed,
            filter,
            worked_out: kept.at,
        })
    }

    /// A dashboard's counted figures for `quarters` (oldest first), worked out from the record.
    async fn count_dashboard(
        &self,
        filter: &ReportFilter,
        quarters: &[Quarter],
    ) -> Result<Kept<DashboardFigures>, AppError> {
        let (Some(first), Some(last)) = (quarters.first(), quarters.last()) else {
            return Err(AppError::Internal("a dashboard of no quarters".into()));
        };
        let set = self.facts(filter, *first, *last).await?;
        let facts = set.facts(self);
        let value: DashboardFigures = self
            .catalogue()
            .iter()
            .filter_map(|kpi| kpi.measure())
            .map(|m| (m, quarters.iter().map(|q| figure(m, *q, &facts)).collect()))
            .collect();
        Ok(Kept {
            at: self.now(),
            value,
        })
    }

    /// What the filters offer.
    pub async fn filter_choices(&self, actor: &Actor) -> Result<FilterChoices, AppError> {
        self.require(actor, Capability::ViewReports).await?;
        let kept = self
            .kept
            .filter_choices
            .get((), false, || {
                let hearth = self.clone();
                async move {
                    let mut conn = hearth.store.read().await?;
                    let value = FilterChoices {
                        areas: store::areas(&mut conn).await?,
                        agencies: store::requesting_agencies(&mut conn).await?,
                        teams: store::teams_with_episodes(&mut conn).await?,
                        languages: store::languages(&mut conn).await?,
                    };
                    Ok(Kept {
                        at: hearth.now(),
                        value,
                    })
                }
            })
            .await?;
        Ok(kept.value.clone())
    }

    /// The records behind one figure: those the gate lets the viewer open are listed (up to
    /// [`DRILL_LIMIT`]); the others are counted. The listing is audited.
    pub async fn drill(
        &self,
        actor: &Actor,
        scope: Scope,
        filter: ReportFilter,
        code: &str,
        quarter: Quarter,
    ) -> Result<Drill, AppError> {
        let (filter, _, suppressed) = self.scoped(actor, scope, filter).await?;
        let kpi = self
            .catalogue()
            .iter()
            .find(|k| k.code == code)
            .cloned()
            .ok_or(AppError::NotFound)?;
        let measure = kpi.measure().ok_or(AppError::NotFound)?;
        let set = self.facts(&filter, quarter, quarter).await?;
        let facts = set.facts(self);
        let all = members(measure, quarter, &facts);
        let fig = show(figure(measure, quarter, &facts), kpi.unit, suppressed);
        let viewer = self.viewer(actor);
        let mut conn = self.store.read().await?;
        let shown: Vec<DrillRecord> = match &all {
            Members::Episodes(list) => {
                let ids: Vec<EpisodeId> =
                    list.iter().take(DRILL_LIMIT).map(|(id, _)| *id).collect();
                let found = episodes::by_ids(&mut conn, &ids).await?;
                let opened = self.gate.worklist(&viewer, found).await?;
                let refs: Vec<_> = opened.iter().collect();
                let names = names_of(&mut conn, &refs).await?;
                opened
                    .iter()
                    .map(|o| {
                        let e = o.episode();
                        DrillRecord::Episode {
                            id: e.id,
                            family: family_name(e, &names),
                            in_numerator: list.iter().any(|(id, n)| *id == e.id && *n),
                        }
                    })
                    .collect()
            }
            Members::Requests(list) => {
                let mut shown = Vec::new();
                // Only someone who works with families (or asked) may read a request.
                if actor.can(Capability::SearchFamilies) || actor.can(Capability::RequestSupport) {
                    for (id, n) in list.iter().take(DRILL_LIMIT) {
                        let record = requests::get(&mut conn, *id).await?;
                        if self.gate.may_read_request(&viewer, &record).await? {
                            let submitted = facts
                                .requests
                                .iter()
                                .find(|r| r.id == *id)
                                .map(|r| r.submitted.date_naive())
                                .unwrap_or_default();
                            shown.push(DrillRecord::Request {
                                id: *id,
                                submitted,
                                in_numerator: *n,
                            });
                        }
                    }
                }
                shown
            }
            // The worklist's families are listed on the worklist, for those who work it.
            Members::Families(_) => Vec::new(),
        };
        drop(conn);
        let others_count = (all.len() - shown.len()) as u64;
        let others = show(
            Figure {
                numerator: others_count,
                denominator: None,
            },
            hearth_domain::insight::Unit::Count,
            suppressed,
        );
        let now = self.now();
        let mut tx = self.store.write().await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ReportDrilled,
            &actor.origin,
            now,
        );
        ev.record_type = Some("kpi");
        ev.record_id = Some(kpi.code.clone());
        ev.detail = Some(
            serde_json::json!({"quarter": quarter.code(), "scope": scope.code(),
                "listed": shown.len(), "others": others_count})
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(Drill {
            kpi,
            quarter,
            figure: fig,
            shown,
            others,
        })
    }
}

/// The facts read for a dashboard.
struct FactSet {
    requests: Vec<hearth_domain::insight::RequestFact>,
    rerequests: std::collections::HashSet<RequestId>,
    episodes: Vec<hearth_domain::insight::EpisodeFact>,
    identified: Vec<IdentifiedFact>,
}

impl FactSet {
    fn facts<'a>(&'a self, hearth: &Hearth) -> Facts<'a> {
        Facts {
            requests: &self.requests,
            rerequests: &self.rerequests,
            episodes: &self.episodes,
            identified: &self.identified,
            due_times: hearth.policies.front_door.due,
            today: hearth.now().date_naive(),
        }
    }
}

/// An entered indicator's figure for a quarter; published figures are shown as published.
fn entered_figure(values: &[IndicatorValue], kpi: &Kpi, quarter: Quarter) -> Shown {
    values
        .iter()
        .find(|v| v.indicator == kpi.code && v.period == quarter.code())
        .map_or(Shown::Nothing, |v| Shown::Value {
            value: v.value,
            text: hearth_domain::insight::format_value(v.value, kpi.unit),
        })
}
