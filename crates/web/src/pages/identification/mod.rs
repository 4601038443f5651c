//! Early identification: the partner data analyst's desk (datasets, registering one, importing
//! a pasted file with every bad row named), the clerical review queue (each uncertain match
//! side by side, decided with a button), and the worklist of families identified, not yet
//! supported, with their reasons and what was done. Every form works without JavaScript.

use crate::components::{ErrorSummary, Input, NotificationBanner, Radios, Select, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use hearth_app::identification::{
    Dataset, DatasetForm, IdentifiedFamily, ImportReport, OutreachForm, Pending, ReviewForm,
};
use hearth_app::{Actor, AppError};
use hearth_domain::identification::feed::{FeedKind, LawfulBasis};
use hearth_domain::identification::worklist::Outreach;
use hearth_domain::ids::{HouseholdId, PartnerRecordId};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/identification", get(desk))
        .route("/identification/datasets", post(register))
        .route("/identification/imports", post(import))
        .route("/identification/review", get(review))
        .route("/identification/review/{id}", post(decide))
        .route("/identification/worklist", get(worklist))
        .route("/identification/worklist/{id}/outreach", post(outreach))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The import form: the dataset and the file's text.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    pub dataset: String,
    #[serde(default)]
    pub file: String,
}

#[derive(Template)]
#[template(path = "identification/desk.html")]
struct DeskPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    datasets: Vec<Dataset>,
    report: Option<ImportReport>,
    import_dataset: Select,
    import_file: Textarea,
    code: Input,
    name: Input,
    kind: Select,
    owner: Select,
    agreement_reference: Input,
    agreement_from: Input,
    agreement_to: Input,
    lawful_basis: Select,
    fields_shared: Input,
    refresh: Input,
    unmatched_days: Input,
}

fn choose(first: &str, rest: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_string()))
        .chain(rest)
        .collect()
}

async fn desk_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    typed: (&DatasetForm, &ImportForm),
    errors: &FieldErrors,
    report: Option<ImportReport>,
    banner: Option<NotificationBanner>,
) -> Result<DeskPage, WebError> {
    let (d, i) = typed;
    let datasets = state.hearth.partner_datasets(actor).await?;
    let owners = state.hearth.dataset_owners(actor).await?;
    Ok(DeskPage {
        shell: Shell::new(state, visitor, "Partners' data")
            .at("/identification")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        import_dataset: fields::select(
            "dataset",
            "Dataset",
            choose(
                "Choose a dataset",
                datasets.iter().map(|d| (d.code.clone(), d.name.clone())),
            ),
            &i.dataset,
            errors,
        ),
        import_file: fields::with_textarea_hint(
            fields::textarea("file", "The file (CSV)", &i.file, errors),
            "Paste the file. The first line names the columns: reference, given_names, family_name, dob, postcode, event, date; and upn, nhs_number or attendance where the data has them.",
        ),
        datasets,
        report,
        code: fields::with_hint(
            fields::text("code", "Short code", &d.code, errors),
            "Used on the command line, like attendance. Letters, digits, - or _.",
        ),
        name: fields::text("name", "Name", &d.name, errors),
        kind: fields::select(
            "kind",
            "Kind of data",
            choose(
                "Choose the kind",
                FeedKind::ALL
                    .into_iter()
                    .map(|k| (k.code().to_string(), k.label().to_string())),
            ),
            &d.kind,
            errors,
        ),
        owner: fields::select(
            "owner",
            "Owner",
            choose(
                "Choose the organisation",
                owners.into_iter().map(|(id, n)| (id.to_string(), n)),
            ),
            &d.owner,
            errors,
        ),
        agreement_reference: fields::text(
            "agreement_reference",
            "Data-sharing agreement reference",
            &d.agreement_reference,
            errors,
        ),
        agreement_from: fields::with_hint(
            fields::text("agreement_from", "Agreement starts", &d.agreement_from, errors),
            "For example, 2025-04-01",
        ),
        agreement_to: fields::with_hint(
            fields::text("agreement_to", "Agreement ends", &d.agreement_to, errors),
            "For example, 2027-03-31",
        ),
        lawful_basis: fields::select(
            "lawful_basis",
            "Lawful basis",
            choose(
                "Choose the lawful basis",
                LawfulBasis::ALL
                    .into_iter()
                    .map(|b| (b.code().to_string(), b.label().to_string())),
            ),
            &d.lawful_basis,
            errors,
        ),
        fields_shared: fields::text("fields", "Fields shared", &d.fields, errors),
        refresh: fields::with_hint(
            fields::text("refresh", "Refreshed", &d.refresh, errors),
            "For example, monthly or termly",
        ),
        unmatched_days: fields::with_hint(
            fields::text("unmatched_days", "Days unmatched rows may be kept", &d.unmatched_days, errors),
            "Rows that match nobody on the record are removed after this many days.",
        ),
    })
}

pub async fn desk(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let banner = (q.done.as_deref() == Some("registered"))
        .then(|| fields::success("The dataset was registered."));
    let page = desk_page(
        &state,
        &visitor,
        &actor,
        (&DatasetForm::default(), &ImportForm::default()),
        &FieldErrors::new(),
        None,
        banner,
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<DatasetForm>,
) -> Result<Response, WebError> {
    match state.hearth.register_dataset(&actor, &f).await {
        Ok(_) => Ok(Redirect::to("/identification?done=registered").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &desk_page(
                &state,
                &visitor,
                &actor,
                (&f, &ImportForm::default()),
                &errors,
                None,
                None,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn import(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<ImportForm>,
) -> Result<Response, WebError> {
    match state
        .hearth
        .import_partner_data(&actor, &f.dataset, "pasted", &f.file)
        .await
    {
        Ok(report) => {
            let banner = fields::success(&format!(
                "{} rows read: {} matched, {} for review, {} unmatched, {} not imported.",
                report.counts.rows_read,
                report.counts.matched,
                report.counts.for_review,
                report.counts.unmatched,
                report.counts.rejected
            ));
            let page = desk_page(
                &state,
                &visitor,
                &actor,
                (&DatasetForm::default(), &ImportForm::default()),
                &FieldErrors::new(),
                Some(report),
                Some(banner),
            )
            .await?;
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &desk_page(
                &state,
                &visitor,
                &actor,
                (&DatasetForm::default(), &f),
                &errors,
                None,
                None,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "identification/review.html")]
struct ReviewPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    pending: Vec<Pending>,
}

pub async fn review(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let pending = state.hearth.review_queue(&actor).await?;
    let banner = match q.done.as_deref() {
        Some("same") => Some(fields::success(
            "Recorded: the same person. The row is attached to their record.",
        )),
        Some("not_same") => Some(fields::success("Recorded: not the same person.")),
        _ => None,
    };
    Ok(render(
        StatusCode::OK,
        &ReviewPage {
            shell: Shell::new(&state, &visitor, "Matches to review").at("/identification"),
            banner,
            pending,
        },
    ))
}

pub async fn decide(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    let id: PartnerRecordId = id.parse().map_err(|_| WebError::NotFound)?;
    match state.hearth.decide_match(&actor, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/identification/review?done={}",
            f.decision.trim()
        ))
        .into_response()),
        // Without a choice there is nothing to keep: the queue again.
        Err(AppError::Invalid(_)) => Ok(Redirect::to("/identification/review").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// A family on the worklist, with its outreach form.
struct FamilyCard {
    family: IdentifiedFamily,
    outreach: Radios,
    note: Textarea,
}

#[derive(Template)]
#[template(path = "identification/worklist.html")]
struct WorklistPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    families: Vec<FamilyCard>,
}

async fn worklist_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    typed: Option<(HouseholdId, &OutreachForm)>,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<WorklistPage, WebError> {
    let list = state.hearth.identification_worklist(actor).await?;
    let families = list
        .families
        .into_iter()
        .map(|family| {
            let (form, errs) = match typed {
                Some((h, f)) if h == family.household => (f.clone(), errors.clone()),
                _ => (OutreachForm::default(), FieldErrors::new()),
            };
            let id = family.household;
            FamilyCard {
                outreach: fields::radios(
                    &format!("outreach-{id}"),
                    "What was done?",
                    Outreach::ALL
                        .into_iter()
                        .map(|o| (o.code().to_string(), o.label().to_string(), None))
                        .collect(),
                    &form.outreach,
                    &rename(&errs, "outreach", &format!("outreach-{id}")),
                ),
                note: fields::textarea(
                    &format!("note-{id}"),
                    "Note (optional)",
                    &form.note,
                    &rename(&errs, "note", &format!("note-{id}")),
                ),
                family,
            }
        })
        .collect();
    Ok(WorklistPage {
        shell: Shell::new(state, visitor, "Families identified, not yet supported")
            .at("/identification/worklist")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: typed.and_then(|(id, _)| {
            fields::error_summary(&rename(
                &rename(errors, "outreach", &format!("outreach-{id}")),
                "note",
                &format!("note-{id}"),
            ))
        }),
        families,
    })
}

/// The errors with one field's name changed: each family's form has its own field names, so
/// the error summary's links reach the right family.
fn rename(errors: &FieldErrors, from: &str, to: &str) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (f, m) in errors.iter() {
        out.add(if f == from { to } else { f }, m);
    }
    out
}

pub async fn worklist(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let banner = (q.done.as_deref() == Some("recorded"))
        .then(|| fields::success("What was done is recorded."));
    let page = worklist_page(&state, &visitor, &actor, None, &FieldErrors::new(), banner).await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn outreach(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(raw): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, WebError> {
    let household: HouseholdId = id.parse().map_err(|_| WebError::NotFound)?;
    let field = |name: &str| {
        raw.get(&format!("{name}-{household}"))
            .cloned()
            .unwrap_or_default()
    };
    let f = OutreachForm {
        outreach: field("outreach"),
        note: field("note"),
    };
    match state.hearth.record_outreach(&actor, household, &f).await {
        Ok(()) => Ok(Redirect::to("/identification/worklist?done=recorded").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &worklist_page(
                &state,
                &visitor,
                &actor,
                Some((household, &f)),
                &errors,
                None,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}
