//! The gate's doors for measuring impact's outputs (ADR 0038): the board's quarterly reports
//! (aggregate figures, small counts hidden, and the analyst's text) for users whose roles see
//! reports; and the pseudonymised analytics extract, person-level rows in bulk, which only the
//! server's own job (`hearth extract`, or the nightly run in `hearth serve`) opens, each
//! opening recorded with where the extract goes.

use super::{Closed, Gate, OpenedReturn, Viewer};
use crate::{audit, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::{BoardReportId, UserId};
use hearth_domain::returns::{ReturnKind, Window};
use hearth_domain::role::Capability;

/// The board reports desk: a user whose roles see reports. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::BoardDesk { user: hearth_domain::ids::UserId::new(), audit: todo!() };
/// ```
#[derive(Debug, Clone)]
pub struct BoardDesk {
    pub(super) user: UserId,
    pub(super) audit: NewAuditEvent,
}

impl BoardDesk {
    pub fn user(&self) -> UserId {
        self.user
    }

    /// The audit event of an action at the desk, naming the report.
    pub fn event(&self, action: AuditAction, report: BoardReportId) -> NewAuditEvent {
        let mut e = self.audit.clone();
        e.action = action;
        e.record_type = Some("board_report");
        e.record_id = Some(report.to_string());
        e
    }
}

/// The whole record opened for the analytics extract, by the server's job. Only the gate
/// makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::OpenedExtract { records: todo!() };
/// ```
#[derive(Debug, Clone)]
pub struct OpenedExtract {
    pub(super) records: OpenedReturn,
}

impl OpenedExtract {
    /// The records as the returns' readers take them (the extract reuses the Standard
    /// Safeguarding Dataset's).
    pub fn records(&self) -> &OpenedReturn {
        &self.records
    }

    /// The last day the extract covers (the day it was made).
    pub fn on(&self) -> NaiveDate {
        self.records.window().to
    }
}

impl Gate {
    /// The board reports desk, or a refusal (audited) for a user whose roles do not see
    /// reports.
    pub async fn board_desk(&self, viewer: &Viewer<'_>) -> Result<BoardDesk, Closed> {
        if !viewer.roles.can(Capability::ViewReports) {
            return Err(self
                .refused(viewer, "board_report", String::new(), "no capability")
                .await);
        }
        Ok(BoardDesk {
            user: viewer.user,
            audit: viewer.audit.clone(),
        })
    }

    /// Opens every record up to `now` for the analytics extract, recording the opening
    /// (as "system", with where the extract goes) before anything is read.
    pub async fn open_extract_job(
        &self,
        now: DateTime<Utc>,
        destination: &str,
    ) -> Result<OpenedExtract, StoreError> {
        let today = now.date_naive();
        // Everything Hearth holds: no record is older than this.
        let window = Window {
            from: NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(today),
            to: today,
        };
        let e = NewAuditEvent {
            at: now,
            actor_user_id: None,
            actor_label: "system".into(),
            action: AuditAction::AnalyticsExtractProduced,
            record_type: Some("return"),
            record_id: Some(ReturnKind::AnalyticsExtract.code().into()),
            ip: None,
            reason: None,
            detail: Some(
                serde_json::json!({ "to": today.to_string(), "destination": destination })
                    .to_string(),
            ),
            api_token_id: None,
        };
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(OpenedExtract {
            records: OpenedReturn {
                kind: ReturnKind::AnalyticsExtract,
                window,
            },
        })
    }
}
