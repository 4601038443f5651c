//! Early identification: the partner data analyst's desk (datasets, registering one, importing
//! an uploaded file, CSV or a spreadsheet, or pasted CSV) and each import's page (its progress,
//! then every bad row named), the clerical review queue (each uncertain match side by side,
//! decided with a button), the worklist of families identified, not yet supported, with their
//! reasons and what was done, and who is identified compared with everyone. Every form works
//! without JavaScript.

use crate::components::{ErrorSummary, Input, NotificationBanner, Radios, Select, Textarea};
use crate::download;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use hearth_app::identification::{
    Dataset, DatasetForm, Fairness, IdentifiedFamily, ImportJob, OutreachForm, PartnerFile,
    Pending, ReviewForm,
};
use hearth_app::{Actor, AppError};
use hearth_domain::identification::feed::{FeedKind, LawfulBasis};
use hearth_domain::identification::import_job::JobState;
use hearth_domain::identification::worklist::{FamilyKey, Outreach};
use hearth_domain::ids::{ImportJobId, PartnerRecordId};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

mod indicators;

pub fn routes(state: &AppState) -> Router<AppState> {
    // The session layer has already read the body within the largest file accepted.
    let limit = DefaultBodyLimit::max(
        state.hearth.policies().partner_files.max_bytes + crate::session::FORM_LIMIT,
    );
    Router::new()
        .route("/identification", get(desk))
        .route("/identification/datasets", post(register))
        .route("/identification/imports", post(import).layer(limit))
        .route("/identification/imports/{id}", get(job))
        .route("/identification/imports/{id}/progress", get(job_progress))
        .route("/identification/review", get(review))
        .route("/identification/review/{id}", post(decide))
        .route("/identification/worklist", get(worklist))
        .route("/identification/fairness", get(fairness))
        .route("/identification/fairness.csv", get(fairness_csv))
        .route("/identification/worklist/{id}/outreach", post(outreach))
        .merge(indicators::routes())
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The import form: the dataset, and an uploaded file (with the sheet to read, for a
/// spreadsheet) or the file's text pasted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    pub dataset: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub sheet: String,
    #[serde(skip)]
    pub upload_name: String,
    #[serde(skip)]
    pub upload: Vec<u8>,
}

/// The import form as sent: multipart with a file, or a plain form with pasted text.
async fn read_import(state: &AppState, req: Request) -> Result<ImportForm, WebError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(f) = Form::<ImportForm>::from_request(req, state).await?;
        return Ok(f);
    }
    let unreadable = |_| {
        WebError::BadRequest(
            "The upload could not be read. Go back, choose the file again and try again.".into(),
        )
    };
    let mut form = Multipart::from_request(req, state)
        .await
        .map_err(|_| WebError::BadRequest("The form could not be read.".into()))?;
    let mut f = ImportForm::default();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("dataset") => f.dataset = field.text().await.map_err(unreadable)?,
            Some("file") => f.file = field.text().await.map_err(unreadable)?,
            Some("sheet") => f.sheet = field.text().await.map_err(unreadable)?,
            Some("upload") => {
                f.upload_name = field.file_name().unwrap_or_default().to_string();
                f.upload = field.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(f)
}

#[derive(Template)]
#[template(path = "identification/desk.html")]
struct DeskPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    datasets: Vec<Dataset>,
    import_dataset: Select,
    import_file: Textarea,
    import_sheet: Input,
    /// The upload's error, if any.
    upload_error: Option<String>,
    /// The largest file accepted, in words.
    max_size: String,
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
            fields::textarea("file", "Or paste the file (CSV)", &i.file, errors),
            "The first line names the columns: reference, given_names, family_name, dob, postcode, event, date; and upn, nhs_number or attendance where the data has them.",
        ),
        import_sheet: fields::with_hint(
            fields::text("sheet", "Sheet (optional)", &i.sheet, errors),
            "For a spreadsheet: the sheet to read. The first sheet is read when this is empty.",
        ),
        upload_error: errors.get("upload").map(str::to_string),
        max_size: hearth_domain::document::size(state.hearth.policies().partner_files.max_bytes),
        datasets,
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
    req: Request,
) -> Result<Response, WebError> {
    let f = read_import(&state, req).await?;
    let uploaded = !f.upload.is_empty() || !f.upload_name.is_empty();
    let file = if uploaded {
        PartnerFile {
            name: &f.upload_name,
            bytes: &f.upload,
            sheet: Some(f.sheet.as_str()).filter(|s| !s.trim().is_empty()),
        }
    } else {
        PartnerFile {
            name: "pasted",
            bytes: f.file.as_bytes(),
            sheet: None,
        }
    };
    if !uploaded && f.file.trim().is_empty() && !f.dataset.trim().is_empty() {
        let mut errors = FieldErrors::new();
        errors.add("upload", "Choose a file to upload, or paste the file");
        let page = desk_page(
            &state,
            &visitor,
            &actor,
            (&DatasetForm::default(), &f),
            &errors,
            None,
        )
        .await?;
        return Ok(render(status_for(true), &page));
    }
    match state
        .hearth
        .start_partner_import(&actor, &f.dataset, &file)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/identification/imports/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            // A problem with an uploaded file is shown at the upload; the file itself must be
            // chosen again (a browser never fills a file field in for a page).
            let errors = if uploaded {
                rename(&errors, "file", "upload")
            } else {
                errors
            };
            let typed = ImportForm {
                upload: Vec::new(),
                ..f
            };
            Ok(render(
                status_for(true),
                &desk_page(
                    &state,
                    &visitor,
                    &actor,
                    (&DatasetForm::default(), &typed),
                    &errors,
                    None,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "identification/job.html")]
struct JobPage {
    shell: Shell,
    job: ImportJob,
    running: bool,
}

/// An import's page: its progress while it runs (a "check again" link without JavaScript; a
/// progress bar kept up to date with it), then what it did, or why it failed.
pub async fn job(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: ImportJobId = id.parse().map_err(|_| WebError::NotFound)?;
    let job = state.hearth.import_job(&actor, id).await?;
    let title = format!("{}: {}", job.state.label(), job.file_name);
    Ok(render(
        StatusCode::OK,
        &JobPage {
            shell: Shell::new(&state, &visitor, &title).at("/identification"),
            running: job.state == JobState::Running,
            job,
        },
    ))
}

/// An import's progress, for the page's script.
pub async fn job_progress(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: ImportJobId = id.parse().map_err(|_| WebError::NotFound)?;
    let job = state.hearth.import_job(&actor, id).await?;
    let c = &job.counts;
    Ok(axum::Json(serde_json::json!({
        "state": job.state.code(),
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "matched": c.matched,
        "for_review": c.for_review,
        "unmatched": c.unmatched,
        "rejected": c.rejected,
    }))
    .into_response())
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

#[derive(Template)]
#[template(path = "identification/fairness.html")]
struct FairnessPage {
    shell: Shell,
    fairness: Fairness,
}

/// Who early identification identifies, compared with the population.
pub async fn fairness(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let fairness = state.hearth.identification_fairness(&actor).await?;
    Ok(render(
        StatusCode::OK,
        &FairnessPage {
            shell: Shell::new(
                &state,
                &visitor,
                "Who is identified, compared with everyone",
            )
            .at("/identification/fairness"),
            fairness,
        },
    ))
}

/// The same figures as a CSV file, suppressed as on the page.
pub async fn fairness_csv(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let fairness = state.hearth.identification_fairness(&actor).await?;
    let mut out = String::from(
        "dimension,group,people,identified,rate,share of identified,share of people,ratio\n",
    );
    for (dimension, groups) in &fairness.by {
        for g in groups {
            let fields = [
                dimension.label().to_string(),
                g.group.clone(),
                g.population.text(),
                g.identified.text(),
                g.rate.text(),
                g.share_identified.text(),
                g.share_population.text(),
                g.ratio.text(),
            ];
            let line: Vec<String> = fields.iter().map(|f| download::csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    Ok(download::attachment(
        download::CSV,
        "identification-fairness.csv",
        out.into_bytes(),
    ))
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
    typed: Option<(FamilyKey, &OutreachForm)>,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<WorklistPage, WebError> {
    let list = state.hearth.identification_worklist(actor).await?;
    let families = list
        .families
        .into_iter()
        .map(|family| {
            let (form, errs) = match typed {
                Some((k, f)) if k == family.family => (f.clone(), errors.clone()),
                _ => (OutreachForm::default(), FieldErrors::new()),
            };
            let id = family.family;
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
    let family: FamilyKey = id.parse().map_err(|_| WebError::NotFound)?;
    let field = |name: &str| {
        raw.get(&format!("{name}-{family}"))
            .cloned()
            .unwrap_or_default()
    };
    let f = OutreachForm {
        outreach: field("outreach"),
        note: field("note"),
    };
    match state.hearth.record_outreach(&actor, family, &f).await {
        Ok(()) => Ok(Redirect::to("/identification/worklist?done=recorded").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &worklist_page(&state, &visitor, &actor, Some((family, &f)), &errors, None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
