//! The Threshold of Need: the partnership's document (any edition, printable), its edit page,
//! and the panel shown beside the request form and the decision.

use crate::components::ErrorSummary;
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::practice::PageLine;
use hearth_app::practice::{ThresholdForm, ThresholdInForce};
use hearth_app::AppError;
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::input::FieldErrors;
use hearth_domain::need::NeedDomain;
use hearth_domain::practice::{LevelText, Part, PracticeStep};
use hearth_domain::role::Capability;
use serde::Deserialize;

/// What the request form and the decision show beside them: each level's description and,
/// for the needs on the request, the indicators that fit; and the toolkit pages for the step.
#[derive(Debug, Clone, Default)]
pub struct ThresholdAside {
    pub levels: Vec<AsideLevel>,
    pub guidance: Vec<PageLine>,
}

/// One level beside the form: its description and the indicators of the request's needs.
#[derive(Debug, Clone)]
pub struct AsideLevel {
    pub level: ContinuumLevel,
    pub description: String,
    /// (need, indicator)
    pub indicators: Vec<(String, String)>,
}

impl ThresholdAside {
    pub async fn load(
        state: &AppState,
        needs: &[NeedDomain],
        step: PracticeStep,
    ) -> Result<Self, WebError> {
        let t = state.hearth.threshold(None).await?;
        let fits = t.threshold.indicators_for(needs);
        Ok(ThresholdAside {
            levels: fits
                .into_iter()
                .map(|(level, indicators)| AsideLevel {
                    level,
                    description: t.threshold.text(level, Part::Description).to_string(),
                    indicators: indicators
                        .into_iter()
                        .map(|(n, text)| (n.label().to_string(), text.to_string()))
                        .collect(),
                })
                .collect(),
            guidance: state.hearth.toolkits_for(step).await?,
        })
    }
}

#[derive(Deserialize, Default)]
pub struct EditionQuery {
    edition: Option<i64>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "practice/threshold.html")]
struct ThresholdPage {
    shell: Shell,
    banner: Option<crate::components::NotificationBanner>,
    t: ThresholdInForce,
    may_edit: bool,
    needs: Vec<NeedDomain>,
}

impl ThresholdPage {
    fn indicator<'a>(&self, l: &'a LevelText, n: &NeedDomain) -> &'a str {
        l.indicator(*n).unwrap_or("")
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<EditionQuery>,
) -> Result<Response, WebError> {
    let t = state.hearth.threshold(q.edition).await?;
    let page = ThresholdPage {
        shell: Shell::new(&state, &visitor, "Threshold of Need").at("/threshold"),
        banner: (q.done.as_deref() == Some("published")).then(|| {
            fields::success("The new edition of the Threshold of Need is published and in force.")
        }),
        t,
        may_edit: actor.can(Capability::EditPracticeGuidance),
        needs: NeedDomain::ALL.to_vec(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// One level's fields on the edit page.
struct LevelFields {
    level: ContinuumLevel,
    fields: Vec<crate::components::Textarea>,
}

#[derive(Template)]
#[template(path = "practice/threshold_edit.html")]
struct EditPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    levels: Vec<LevelFields>,
    note: crate::components::Textarea,
    based_on: i64,
}

fn edit_page(
    state: &AppState,
    visitor: &Visitor,
    form: &ThresholdForm,
    errors: &FieldErrors,
) -> EditPage {
    let levels = ContinuumLevel::ALL
        .into_iter()
        .map(|level| LevelFields {
            level,
            fields: Part::all()
                .map(|part| {
                    let label = match part {
                        Part::Description => "What this level means".to_string(),
                        Part::WhoHelps => "Who helps".to_string(),
                        Part::Indicator(n) => format!("Indicator: {}", n.label()),
                    };
                    let name = part.field(level);
                    fields::textarea(&name, &label, form.get(&name), errors)
                })
                .collect(),
        })
        .collect();
    EditPage {
        shell: Shell::new(state, visitor, "Change the Threshold of Need")
            .at("/threshold")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        levels,
        note: fields::textarea("note", "What changed in this edition?", &form.note, errors),
        based_on: form.based_on,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.may_write_guidance(&actor).await?;
    let t = state.hearth.threshold(None).await?;
    let page = edit_page(
        &state,
        &visitor,
        &ThresholdForm::of(&t),
        &FieldErrors::new(),
    );
    Ok(render(StatusCode::OK, &page))
}

pub async fn publish(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut form = ThresholdForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "note" => form.note = v,
            "based_on" => form.based_on = v.parse().unwrap_or(-1),
            _ if k.starts_with("level") => {
                form.fields.insert(k, v);
            }
            _ => {}
        }
    }
    match state.hearth.publish_threshold(&actor, &form).await {
        Ok(_) => Ok(Redirect::to("/threshold?done=published").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &edit_page(&state, &visitor, &form, &errors),
        )),
        Err(AppError::Conflict) => {
            let mut errors = FieldErrors::new();
            errors.add("note", "Someone published another edition since you opened this page, so yours was not published. What you typed is below: check it against the edition now in force.");
            Ok(render(
                StatusCode::CONFLICT,
                &edit_page(&state, &visitor, &form, &errors),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
