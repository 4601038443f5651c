//! The placements team's import of a 903 return (ADR 0055): the year's CSV files uploaded
//! together (several years at once where the care began before this one), then what was
//! imported, the children left to resolve, and every row not taken with its file, line and why.

use crate::components::NotificationBanner;
use crate::error::WebError;
use crate::fields;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::care::{ReturnFile, ReturnImport};
use hearth_app::AppError;

#[derive(Template)]
#[template(path = "care/import.html")]
struct ImportPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    upload_error: Option<String>,
    report: Option<ReturnImport>,
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    upload_error: Option<String>,
    report: Option<ReturnImport>,
) -> ImportPage {
    let banner = report.as_ref().map(|r| {
        fields::success(&format!(
            "Children imported: {} ({} already in the record). To resolve: {}. Rows not taken: {}.",
            r.imported.len(),
            r.unchanged(),
            r.unresolved.len(),
            r.rejected.len()
        ))
    });
    ImportPage {
        shell: Shell::new(state, visitor, "Import a 903 return")
            .at("/care/homes")
            .with_errors(upload_error.is_some()),
        banner,
        upload_error,
        report,
    }
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    // Only the placements team sees the form; anyone else is refused here, audited.
    state.hearth.care_homes(&actor).await?;
    Ok(render(StatusCode::OK, &page(&state, &visitor, None, None)))
}

pub async fn import(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    req: Request,
) -> Result<Response, WebError> {
    let unreadable = |_| {
        WebError::BadRequest(
            "The upload could not be read. Go back, choose the files again and try again.".into(),
        )
    };
    let mut form = Multipart::from_request(req, &state)
        .await
        .map_err(|_| WebError::BadRequest("The form could not be read.".into()))?;
    let mut files = Vec::new();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        if field.name() == Some("files") {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            if !name.is_empty() || !bytes.is_empty() {
                files.push(ReturnFile { name, bytes });
            }
        }
    }
    match state.hearth.import_ssda903(&actor, &files).await {
        Ok(report) => Ok(render(
            StatusCode::OK,
            &page(&state, &visitor, None, Some(report)),
        )),
        Err(AppError::Invalid(errors)) => {
            let why = errors
                .get("files")
                .unwrap_or("Choose the return's CSV files")
                .to_string();
            Ok(render(
                status_for(true),
                &page(&state, &visitor, Some(why), None),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
