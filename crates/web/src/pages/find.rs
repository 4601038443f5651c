//! The public directory for families: search and a service's page, in six languages, with no
//! sign-in and no JavaScript needed. Nothing personal is asked for or kept.

use crate::components::{Checkboxes, ErrorSummary, Input, Select};
use crate::fields;
use crate::i18n::{Lang, Tr};
use crate::pages::family_frame::{with_language, PublicFrame};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hearth_app::directory::{FindForm, Findings, ServiceView};
use hearth_app::records::{DirectoryHit, ServiceText};
use hearth_app::AppError;
use hearth_domain::directory::{
    AccessMethod, ServiceStatus, DEFAULT_DISTANCE_MILES, DISTANCE_CHOICES_MILES, METRES_PER_MILE,
    SERVICE_LANGUAGES, WEEKDAYS,
};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// One result as the family reads it.
pub struct ResultLine {
    pub href: String,
    pub name: String,
    /// The language the name is in: the family's where the service has a translation.
    pub name_lang: String,
    pub organisation: String,
    pub place: Option<String>,
    pub distance: Option<String>,
    pub free: bool,
    pub ages: String,
    pub access: String,
    pub hub: bool,
}

#[derive(Template)]
#[template(path = "find/search.html")]
struct SearchPage {
    frame: PublicFrame,
    error_summary: Option<ErrorSummary>,
    q: Input,
    need: Select,
    age: Input,
    postcode: Input,
    distance: Select,
    options: Checkboxes,
    day: Select,
    language: Select,
    searched: bool,
    heading: String,
    results: Vec<ResultLine>,
    page_of: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

/// An age as people write it: `3`, not `3.0`.
fn age_text(age: f64) -> String {
    if age.fract() == 0.0 {
        format!("{}", age as i64)
    } else {
        format!("{age}")
    }
}

pub fn ages(tr: &Tr, min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => tr.t2("ages-range", ("min", age_text(a)), ("max", age_text(b))),
        (Some(a), None) => tr.t1("ages-from", "min", age_text(a)),
        (None, Some(b)) => tr.t1("ages-to", "max", age_text(b)),
        (None, None) => tr.t("ages-all"),
    }
}

fn access_text(tr: &Tr, access: AccessMethod) -> String {
    tr.t(&format!("access-{}", access.code()))
}

/// The service's own words in the family's language where it has them, else the provider's
/// English: the text and the language it is in.
fn own_words<'a>(
    lang: Lang,
    english: (&'a str, &'a str),
    translation: Option<&'a ServiceText>,
) -> (&'a str, &'a str, &'static str) {
    match translation {
        Some(t) => (&t.name, &t.description, lang.code()),
        None => (english.0, english.1, Lang::En.code()),
    }
}

fn result_line(
    tr: &Tr,
    lang: Lang,
    hit: &DirectoryHit,
    translation: Option<&ServiceText>,
) -> ResultLine {
    let e = &hit.entry;
    let (name, _, name_lang) = own_words(lang, (&e.name, &e.description), translation);
    ResultLine {
        href: format!("/find/services/{}?lang={}", e.id, lang.code()),
        name: name.to_string(),
        name_lang: name_lang.into(),
        organisation: hit.organisation_name.clone(),
        place: hit
            .at
            .as_ref()
            .map(|a| format!("{}, {}", a.location.name, a.location.postal_code)),
        distance: hit
            .at
            .as_ref()
            .and_then(|a| a.distance_metres)
            .map(|m| tr.t1("miles-away", "miles", format!("{:.1}", m / METRES_PER_MILE))),
        free: e.free,
        ages: ages(tr, e.minimum_age, e.maximum_age),
        access: access_text(tr, e.access),
        hub: hit.at.as_ref().is_some_and(|a| a.location.family_hub),
    }
}

fn page_link(form: &FindForm, lang: Lang, page: u64) -> String {
    let pairs = [
        ("q", form.q.as_str()),
        ("need", &form.need),
        ("age", &form.age),
        ("postcode", &form.postcode),
        ("distance", &form.distance),
        ("free", &form.free),
        ("day", &form.day),
        ("language", &form.language),
        ("hub", &form.hub),
        ("lang", lang.code()),
    ];
    let mut kept: Vec<(&str, String)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, v.to_string()))
        .collect();
    kept.push(("page", page.to_string()));
    format!(
        "/find?{}",
        serde_urlencoded::to_string(&kept).unwrap_or_default()
    )
}

fn choices(first: String, rest: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), first))
        .chain(rest)
        .collect()
}

pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    Query(q): Query<SearchQuery>,
    Query(form): Query<FindForm>,
) -> Result<Response, crate::error::WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let tr = Tr::new(lang);
    let needs = state.hearth.directory_needs().await?;
    let searched = form.is_search() || !form.page.is_empty();
    let findings = if searched {
        state.hearth.find_services(&form).await?
    } else {
        Findings::default()
    };
    let ids: Vec<_> = findings.hits.iter().map(|h| h.entry.id).collect();
    let translations = match lang {
        Lang::En => Default::default(),
        _ => state.hearth.service_texts_in(&ids, lang.code()).await?,
    };
    let mut errors = FieldErrors::new();
    for (field, problem) in &findings.problems {
        errors.add(field, tr.t(problem.code()));
    }
    let mut frame = PublicFrame::new(&state, lang, tr.t("search-title"), "/find", raw.as_deref());
    frame.has_errors = !errors.is_empty();
    let error_summary = fields::error_summary(&errors).map(|mut s| {
        s.title_text = Some(tr.t("error-summary-title"));
        s
    });
    let pages = findings.total_pages();
    let page = findings.paging.map(|p| u64::from(p.page)).unwrap_or(1);
    let mut options = fields::checkboxes(
        "options",
        &tr.t("field-options"),
        vec![
            ("yes".into(), tr.t("option-free"), None),
            ("hub".into(), tr.t("option-hub"), None),
        ],
        &[
            (form.free == "yes").then(|| "yes".to_string()),
            (form.hub == "yes").then(|| "hub".to_string()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>(),
        &errors,
    );
    // Two fields behind one fieldset: "free" and "hub" each carry "yes".
    options.items[0].name = Some("free".into());
    options.items[1].name = Some("hub".into());
    options.items[1].value = Some("yes".into());
    let distance = if form.distance.is_empty() {
        DEFAULT_DISTANCE_MILES.to_string()
    } else {
        form.distance.clone()
    };
    let page_view = SearchPage {
        error_summary,
        q: fields::with_hint(
            fields::text("q", &tr.t("field-q"), &form.q, &errors),
            &tr.t("hint-q"),
        ),
        need: fields::select(
            "need",
            &tr.t("field-need"),
            choices(
                tr.t("need-any"),
                needs
                    .iter()
                    .map(|t| (t.code.clone(), tr.t(&format!("need-{}", t.code)))),
            ),
            &form.need,
            &errors,
        ),
        age: Input {
            inputmode: Some("decimal".into()),
            classes: Some("govuk-input--width-3".into()),
            ..fields::with_hint(
                fields::text("age", &tr.t("field-age"), &form.age, &errors),
                &tr.t("hint-age"),
            )
        },
        postcode: Input {
            autocomplete: Some("postal-code".into()),
            classes: Some("govuk-input--width-10".into()),
            ..fields::with_hint(
                fields::text("postcode", &tr.t("field-postcode"), &form.postcode, &errors),
                &tr.t("hint-postcode"),
            )
        },
        distance: fields::select(
            "distance",
            &tr.t("field-distance"),
            DISTANCE_CHOICES_MILES
                .iter()
                .map(|m| {
                    (
                        m.to_string(),
                        tr.n("distance-miles", "miles", u64::from(*m)),
                    )
                })
                .collect(),
            &distance,
            &errors,
        ),
        options,
        day: fields::select(
            "day",
            &tr.t("field-day"),
            choices(
                tr.t("day-any"),
                WEEKDAYS
                    .iter()
                    .map(|(c, _)| (c.to_string(), tr.t(&format!("day-{c}")))),
            ),
            &form.day,
            &errors,
        ),
        language: fields::select(
            "language",
            &tr.t("field-language"),
            choices(
                tr.t("language-any"),
                SERVICE_LANGUAGES
                    .iter()
                    .map(|(c, name)| (c.to_string(), native_or_english(c, name))),
            ),
            &form.language,
            &errors,
        ),
        searched: searched && findings.problems.is_empty(),
        heading: tr.n("results-heading", "count", findings.total),
        results: findings
            .hits
            .iter()
            .map(|h| result_line(&tr, lang, h, translations.get(&h.entry.id)))
            .collect(),
        page_of: (pages > 1).then(|| tr.t2("page-of", ("page", page), ("pages", pages))),
        previous: (page > 1 && page <= pages).then(|| page_link(&form, lang, page - 1)),
        next: (page < pages).then(|| page_link(&form, lang, page + 1)),
        frame,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(with_language(
        render(status, &page_view),
        lang,
        chosen,
        state.settings.secure,
    ))
}

/// A language's name in itself where we have it, so a family recognises their own.
fn native_or_english(code: &str, english: &str) -> String {
    Lang::from_code(code)
        .filter(|l| l.code() == code)
        .map(|l| l.native_name().to_string())
        .unwrap_or_else(|| english.to_string())
}

#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

pub struct PlaceLine {
    pub name: String,
    pub address: String,
    pub hub: bool,
    pub map: Option<String>,
    pub map_text: String,
    pub accessibility: Option<String>,
}

#[derive(Template)]
#[template(path = "find/service.html")]
struct ServicePage {
    frame: PublicFrame,
    back: String,
    name: String,
    /// The language the name and description are in.
    text_lang: String,
    organisation: String,
    description: String,
    closed: bool,
    ages: String,
    cost: String,
    /// "Free" in the family's language, rather than the provider's own words.
    cost_translated: bool,
    access: String,
    times: Vec<String>,
    places: Vec<PlaceLine>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    languages: Vec<String>,
    last_checked: String,
}

#[derive(Template)]
#[template(path = "find/not_found.html")]
struct NotFoundPage {
    frame: PublicFrame,
    back: String,
}

fn service_page(
    state: &AppState,
    lang: Lang,
    raw: Option<&str>,
    path: &str,
    v: ServiceView,
) -> ServicePage {
    let tr = Tr::new(lang);
    let e = &v.service.entry;
    let translation = e.translations.iter().find(|t| t.language == lang.code());
    let (name, description, text_lang) = own_words(lang, (&e.name, &e.description), translation);
    let times = WEEKDAYS
        .iter()
        .filter_map(|(code, _)| {
            let s = e
                .schedules
                .iter()
                .find(|s| s.byday.split(',').any(|d| d == *code))?;
            let day = tr.t(&format!("day-{code}"));
            Some(match (&s.opens_at, &s.closes_at) {
                (Some(a), Some(b)) => {
                    format!("{day}: {}", tr.t2("time-range", ("from", a), ("to", b)))
                }
                _ => day,
            })
        })
        .collect();
    ServicePage {
        frame: PublicFrame::new(state, lang, name.to_string(), path, raw),
        back: format!("/find?lang={}", lang.code()),
        name: name.to_string(),
        text_lang: text_lang.into(),
        organisation: v.service.organisation.name.clone(),
        description: description.to_string(),
        closed: e.status != ServiceStatus::Active,
        ages: ages(&tr, e.minimum_age, e.maximum_age),
        cost: if e.free {
            tr.t("free")
        } else {
            e.cost_description.clone().unwrap_or_default()
        },
        cost_translated: e.free,
        access: access_text(&tr, e.access),
        times,
        places: v
            .locations
            .iter()
            .map(|(_, l)| PlaceLine {
                name: l.name.clone(),
                address: format!("{}, {}, {}", l.address_1, l.city, l.postal_code),
                hub: l.family_hub,
                map: l.latitude.zip(l.longitude).map(|(la, lo)| {
                    format!("https://www.openstreetmap.org/?mlat={la}&mlon={lo}#map=17/{la}/{lo}")
                }),
                map_text: tr.t1("map-link", "place", &l.name),
                accessibility: l.accessibility.clone(),
            })
            .collect(),
        phone: e.phone.clone(),
        email: e.email.clone(),
        website: e.url.clone(),
        languages: e
            .languages
            .iter()
            .map(|l| native_or_english(&l.code, &l.name))
            .collect(),
        last_checked: tr.t1("last-checked", "date", e.last_reviewed.format("%d/%m/%Y")),
    }
}

pub async fn service(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    Query(q): Query<LangQuery>,
    Path(id): Path<String>,
) -> Result<Response, crate::error::WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let path = format!("/find/services/{id}");
    let found = match id.parse() {
        Ok(id) => state.hearth.published_service(id).await,
        Err(_) => Err(AppError::NotFound),
    };
    let res = match found {
        Ok(v) => render(
            StatusCode::OK,
            &service_page(&state, lang, raw.as_deref(), &path, v),
        ),
        Err(AppError::NotFound) => {
            let tr = Tr::new(lang);
            let page = NotFoundPage {
                frame: PublicFrame::new(
                    &state,
                    lang,
                    tr.t("not-found-title"),
                    &path,
                    raw.as_deref(),
                ),
                back: format!("/find?lang={}", lang.code()),
            };
            render(StatusCode::NOT_FOUND, &page)
        }
        Err(e) => return Err(e.into()),
    };
    Ok(with_language(res, lang, chosen, state.settings.secure).into_response())
}
