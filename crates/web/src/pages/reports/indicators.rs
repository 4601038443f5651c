//! The form where an analyst enters partners' published figures for a quarter.

use crate::components::{Button, ErrorSummary, Input, NotificationBanner, Select, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::insight::IndicatorForm;
use hearth_app::{Actor, AppError};
use hearth_domain::input::FieldErrors;
use hearth_domain::insight::{format_value, Quarter, Source};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "reports/indicators.html")]
struct IndicatorsPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    indicator: Select,
    period: Select,
    value: Input,
    note: Textarea,
    submit: Button,
    /// (indicator's title, quarter, figure, who entered it)
    values: Vec<(String, String, String, String)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    form: &IndicatorForm,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<IndicatorsPage, WebError> {
    let catalogue = state.hearth.catalogue();
    let entered: Vec<_> = catalogue
        .iter()
        .filter(|k| k.source == Source::Entered)
        .collect();
    let mut indicators = vec![(String::new(), "Choose an indicator".to_string())];
    indicators.extend(entered.iter().map(|k| (k.code.clone(), k.title.clone())));
    let today = Quarter::containing(state.hearth.now().date_naive());
    let mut quarters = vec![(String::new(), "Choose a quarter".to_string())];
    quarters.extend(
        today
            .trailing(16)
            .into_iter()
            .rev()
            .map(|q| (q.code(), q.label())),
    );
    let values = state
        .hearth
        .indicator_values(actor)
        .await?
        .into_iter()
        .map(|v| {
            let kpi = entered.iter().find(|k| k.code == v.indicator);
            (
                kpi.map_or(v.indicator.clone(), |k| k.title.clone()),
                Quarter::from_code(&v.period).map_or(v.period.clone(), |q| q.label()),
                kpi.map_or(v.value.to_string(), |k| format_value(v.value, k.unit)),
                v.entered_by_name,
            )
        })
        .collect();
    Ok(IndicatorsPage {
        shell: Shell::new(state, visitor, "Enter partners' published figures")
            .at("/reports")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        indicator: fields::select(
            "indicator",
            "Indicator",
            indicators,
            &form.indicator,
            errors,
        ),
        period: fields::select("period", "Quarter", quarters, &form.period, errors),
        value: Input {
            classes: Some("govuk-input--width-10".into()),
            inputmode: Some("decimal".into()),
            ..fields::with_hint(
                fields::text("value", "Figure", &form.value, errors),
                "As published: a percentage without the % sign, a rate, or a number",
            )
        },
        note: fields::textarea("note", "Source or note (optional)", &form.note, errors),
        submit: fields::submit("Save the figure"),
        values,
    })
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let banner = (q.done.as_deref() == Some("saved")).then(|| {
        fields::success("The figure has been saved. The partnership's dashboard shows it.")
    });
    let p = page(
        &state,
        &visitor,
        &actor,
        &IndicatorForm::default(),
        &FieldErrors::new(),
        banner,
    )
    .await?;
    Ok(render(StatusCode::OK, &p))
}

pub async fn enter(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    body: Bytes,
) -> Result<Response, WebError> {
    let form: IndicatorForm = serde_urlencoded::from_bytes(&body).map_err(|_| {
        WebError::BadRequest("The form could not be read. Go back and try again.".into())
    })?;
    match state.hearth.enter_indicator(&actor, &form).await {
        Ok(()) => Ok(Redirect::to("/reports/indicators?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let p = page(&state, &visitor, &actor, &form, &errors, None).await?;
            Ok(render(status_for(true), &p))
        }
        Err(e) => Err(e.into()),
    }
}
