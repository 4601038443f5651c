//! The board's quarterly report (issue 18, item 5; ADR 0038): an analyst starts a report for
//! a quarter, writes its sections (summary, what is going well, worries, actions) over as
//! many sittings as it takes, and publishes it. A draft shows the partnership dashboard's
//! figures as they are now; publishing writes them down, with the text, and a published
//! report is only ever read from what was written (as a page or a PDF). Small counts are
//! hidden whoever builds the report: it goes to boards outside the council. Every step goes
//! through the gate's board desk and is audited.

use super::{ReportFilter, Scope};
use crate::print::{FontError, Lines};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::board::{
    change_words, default_title, direction_words, FrozenFigure, FrozenFigures, FrozenLine,
    FrozenQuarter, ReportStatus, Sections, SECTIONS, TREND_QUARTERS,
};
use hearth_domain::ids::BoardReportId;
use hearth_domain::insight::{show, Quarter, Source, SUPPRESS_BELOW};
use hearth_store::audit;
use hearth_store::gate::BoardDesk;
use hearth_store::insight::board as store;
use hearth_store::Store;
use serde::Deserialize;

pub use hearth_store::insight::board::BoardReport;

/// What the analyst typed, kept as typed so that an error loses nothing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BoardReportForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub going_well: String,
    #[serde(default)]
    pub worries: String,
    #[serde(default)]
    pub actions: String,
    /// The version the writer read.
    #[serde(default)]
    pub version: String,
}

impl BoardReportForm {
    /// The sections, checked (all written, when publishing), and the version the writer
    /// started from (a form without one is from nowhere: a conflict).
    fn checked(&self, publishing: bool) -> Result<(Sections, i64), AppError> {
        let sections = self.sections();
        let errors = sections.check(&self.title, publishing);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let version = self
            .version
            .trim()
            .parse()
            .map_err(|_| AppError::Conflict)?;
        Ok((sections, version))
    }

    fn sections(&self) -> Sections {
        Sections {
            summary: self.summary.trim().to_string(),
            going_well: self.going_well.trim().to_string(),
            worries: self.worries.trim().to_string(),
            actions: self.actions.trim().to_string(),
        }
    }

    /// The form filled from a stored report.
    pub fn of(report: &BoardReport) -> Self {
        Self {
            title: report.title.clone(),
            summary: report.sections.summary.clone(),
            going_well: report.sections.going_well.clone(),
            worries: report.sections.worries.clone(),
            actions: report.sections.actions.clone(),
            version: report.version.to_string(),
        }
    }
}

/// A report with its figures: as published, or as they are now for a draft.
#[derive(Debug, Clone)]
pub struct BoardReportView {
    pub report: BoardReport,
    pub figures: FrozenFigures,
}

/// How a report was read, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAs {
    Page,
    Pdf,
    Editing,
}

impl ReadAs {
    fn code(self) -> &'static str {
        match self {
            ReadAs::Page => "page",
            ReadAs::Pdf => "pdf",
            ReadAs::Editing => "editing",
        }
    }
}

impl Hearth {
    async fn board_desk(&self, actor: &Actor) -> Result<BoardDesk, AppError> {
        Ok(self.gate.board_desk(&self.viewer(actor)).await?)
    }

    /// Every report, drafts and published.
    pub async fn board_reports(&self, actor: &Actor) -> Result<Vec<BoardReport>, AppError> {
        let desk = self.board_desk(actor).await?;
        let mut conn = self.store.read().await?;
        Ok(store::list(&mut conn, &desk).await?)
    }

    /// Starts a draft report for `quarter`, audited.
    pub async fn start_board_report(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<BoardReportId, AppError> {
        let desk = self.board_desk(actor).await?;
        let id = BoardReportId::new();
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::create(&mut tx, &desk, id, quarter, &default_title(quarter), now).await?;
        let mut e = desk.event(AuditAction::BoardReportDrafted, id);
        e.at = now;
        e.detail = Some(serde_json::json!({ "quarter": quarter.code() }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// One report with its figures, the reading audited.
    pub async fn board_report(
        &self,
        actor: &Actor,
        id: BoardReportId,
        how: ReadAs,
    ) -> Result<BoardReportView, AppError> {
        let desk = self.board_desk(actor).await?;
        let mut conn = self.store.read().await?;
        let report = store::get(&mut conn, &desk, id).await?;
        drop(conn);
        let figures = match (&report.status, &report.figures) {
            (ReportStatus::Published, Some(json)) => serde_json::from_str(json)
                .map_err(|e| AppError::Internal(format!("a published report's figures: {e}")))?,
            _ => self.board_figures(actor, report.quarter).await?,
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let mut e = desk.event(AuditAction::BoardReportRead, id);
        e.at = now;
        e.detail = Some(serde_json::json!({ "as": how.code() }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(BoardReportView { report, figures })
    }

    /// Saves a draft's title and sections; a report changed since it was read (or published
    /// meanwhile) is a conflict, so nobody's words are lost.
    pub async fn save_board_report(
        &self,
        actor: &Actor,
        id: BoardReportId,
        form: &BoardReportForm,
    ) -> Result<(), AppError> {
        let desk = self.board_desk(actor).await?;
        let (sections, version) = form.checked(false)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::save(
            &mut tx,
            &desk,
            id,
            version,
            form.title.trim(),
            &sections,
            now,
        )
        .await?;
        let mut e = desk.event(AuditAction::BoardReportChanged, id);
        e.at = now;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Saves what was typed and publishes the report: every section must be written; the
    /// figures are computed once more and written down with the text, never to change again.
    pub async fn publish_board_report(
        &self,
        actor: &Actor,
        id: BoardReportId,
        form: &BoardReportForm,
    ) -> Result<(), AppError> {
        let desk = self.board_desk(actor).await?;
        let (sections, version) = form.checked(true)?;
        let mut conn = self.store.read().await?;
        let report = store::get(&mut conn, &desk, id).await?;
        drop(conn);
        let figures = self.board_figures(actor, report.quarter).await?;
        let json = serde_json::to_string(&figures)
            .map_err(|e| AppError::Internal(format!("a report's figures: {e}")))?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::save(
            &mut tx,
            &desk,
            id,
            version,
            form.title.trim(),
            &sections,
            now,
        )
        .await?;
        store::publish(&mut tx, &desk, id, version + 1, &json, now).await?;
        let mut e = desk.event(AuditAction::BoardReportPublished, id);
        e.at = now;
        e.detail = Some(
            serde_json::json!({ "quarter": report.quarter.code(), "indicators": figures.lines.len() })
                .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// A report as a PDF (real text), with its file name.
    pub async fn board_report_pdf(
        &self,
        actor: &Actor,
        id: BoardReportId,
    ) -> Result<(String, Vec<u8>), AppError> {
        let view = self.board_report(actor, id, ReadAs::Pdf).await?;
        let name = format!(
            "board-report-{}{}.pdf",
            view.report.quarter.code(),
            if view.report.status == ReportStatus::Draft {
                "-draft"
            } else {
                ""
            }
        );
        let bytes = pdf(&view)
            .map_err(|_| AppError::Internal("the PDF's font could not be read".into()))?;
        Ok((name, bytes))
    }

    /// The partnership dashboard's figures for the report's quarter and the three before it,
    /// with every count under 5 hidden, whoever asks: the pack leaves the council.
    async fn board_figures(
        &self,
        actor: &Actor,
        quarter: Quarter,
    ) -> Result<FrozenFigures, AppError> {
        let d = self
            .dashboard_now(
                actor,
                Scope::Partnership,
                ReportFilter::default(),
                quarter,
                TREND_QUARTERS,
            )
            .await?;
        let lines = d
            .lines
            .iter()
            .map(|l| {
                let figures: Vec<FrozenFigure> = l
                    .figures
                    .iter()
                    .zip(&l.counts)
                    .map(|(shown, counts)| match (l.kpi.source, counts) {
                        // Counted from the record and shown whole to this viewer: hide
                        // small counts now.
                        (Source::Record(_), Some(f)) => {
                            FrozenFigure::from(&show(*f, l.kpi.unit, true))
                        }
                        _ => FrozenFigure::from(shown),
                    })
                    .collect();
                let n = figures.len();
                let change = change_words(
                    l.kpi.direction,
                    n.checked_sub(2).and_then(|i| figures[i].value),
                    figures.last().and_then(|f| f.value),
                );
                FrozenLine {
                    code: l.kpi.code.clone(),
                    title: l.kpi.title.clone(),
                    numerator: l.kpi.numerator.clone(),
                    denominator: l.kpi.denominator.clone(),
                    direction: direction_words(l.kpi.direction).into(),
                    target: l.kpi.target.clone(),
                    baseline: l.kpi.baseline.clone(),
                    national_average: l.kpi.national_average.clone(),
                    frequency: l.kpi.frequency.label().into(),
                    figures,
                    change,
                }
            })
            .collect();
        Ok(FrozenFigures {
            quarters: d
                .quarters
                .iter()
                .map(|q| FrozenQuarter {
                    code: q.code(),
                    label: q.label(),
                })
                .collect(),
            lines,
            suppressed_below: SUPPRESS_BELOW,
        })
    }
}

/// The report as PDF bytes: the title, its standing, the analyst's sections, then each
/// indicator with its definition, target, baseline, national average and trend.
pub fn pdf(view: &BoardReportView) -> Result<Vec<u8>, FontError> {
    let r = &view.report;
    let mut lines = Lines::new()?;
    lines.add(&r.title, 20.0, true, 0.0);
    let standing = match (r.status, r.published_at) {
        (ReportStatus::Published, Some(at)) => format!(
            "Published {} by {}. The figures are as they were on that day.",
            at.format("%-d %B %Y"),
            r.published_by_name.clone().unwrap_or_default()
        ),
        _ => "DRAFT: not published. The figures are the record's as it is today and will change."
            .into(),
    };
    lines.add(&standing, 10.0, false, 6.0);
    lines.add(
        &format!(
            "Counts under {} are shown as \u{201c}Fewer than {}\u{201d}.",
            view.figures.suppressed_below, view.figures.suppressed_below
        ),
        10.0,
        false,
        2.0,
    );
    for (field, heading, _) in SECTIONS {
        lines.add(heading, 15.0, true, 18.0);
        let text = r.sections.get(field);
        lines.add(
            if text.is_empty() {
                "Not written yet."
            } else {
                text
            },
            11.0,
            false,
            4.0,
        );
    }
    lines.add("The figures", 15.0, true, 18.0);
    for l in &view.figures.lines {
        lines.add(&l.title, 11.0, true, 10.0);
        let definition = match &l.denominator {
            Some(d) => format!("{} out of {}.", l.numerator, d),
            None => format!("{}.", l.numerator),
        };
        lines.add(&definition, 9.0, false, 2.0);
        let mut about = vec![l.direction.clone()];
        for (label, value) in [
            ("target", &l.target),
            ("baseline", &l.baseline),
            ("national average", &l.national_average),
        ] {
            if let Some(v) = value {
                about.push(format!("{label} {v}"));
            }
        }
        about.push(format!("reported {}", l.frequency.to_lowercase()));
        lines.add(&about.join("; "), 9.0, false, 2.0);
        let trend: Vec<String> = view
            .figures
            .quarters
            .iter()
            .zip(&l.figures)
            .map(|(q, f)| format!("{}: {}", q.label, f.text))
            .collect();
        lines.add(&trend.join("   "), 10.0, false, 2.0);
        lines.add(
            &format!("On the quarter before: {}", l.change),
            10.0,
            false,
            2.0,
        );
    }
    lines.write(&r.title)
}
