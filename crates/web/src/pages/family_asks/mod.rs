//! A family asking for help themselves (issue 24 item 1, ADR 0044): the start page with the
//! signpost, one question a page in the family's language (easy-read wording on request),
//! "Check your answers", and the confirmation. No account: the answers are a short-lived draft
//! found by a random token in a cookie, never in an address. The front door's pages for what
//! the families send are in `front_door`.

pub mod front_door;

use crate::components::{Button, Checkboxes, ErrorSummary, Input, Radios, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::i18n::{Lang, Tr};
use crate::pages::family_frame::{with_language, PublicFrame};
use crate::pages::{render, status_for};
use crate::session::{cookie_value, Visitor};
use crate::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use cookie::{Cookie, SameSite};
use hearth_app::family_asks::AskDraft;
use hearth_app::AppError;
use hearth_domain::family_ask::{
    self as ask, first_unanswered, Answers, Asker, Born, Consent, ContactTyped, PersonTyped,
    Problem, Relation, Step, Worry, LANGUAGES, PEOPLE_MAX,
};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

/// The cookie holding the token of the family's draft.
const ASK_COOKIE: &str = "hearth_ask";
/// The cookie remembering easy-read wording (a preference, not personal data).
const EASY_COOKIE: &str = "hearth_easy_read";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ask", get(start_page))
        .route("/ask/start", post(start))
        .route("/ask/sent", get(sent))
        .route("/ask/check", get(check_page).post(send))
        .route("/ask/people/add", get(add_person_page).post(add_person))
        .route("/ask/people/remove", post(remove_person))
        .route("/ask/{step}", get(question).post(answer))
}

/// What every page is asked with: the language, easy read, and whether a change came from
/// "Check your answers".
#[derive(Debug, Default, Deserialize)]
pub struct AskQuery {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    easy: Option<String>,
    #[serde(default)]
    change: Option<String>,
    #[serde(default)]
    expired: Option<String>,
}

/// The family's language and wording for one page.
#[derive(Debug, Clone, Copy)]
struct Words {
    lang: Lang,
    chosen: bool,
    easy: bool,
    /// Easy read was switched on or off on this request, and must be remembered.
    easy_chosen: bool,
}

impl Words {
    fn of(q: &AskQuery, headers: &HeaderMap) -> Self {
        let (lang, chosen) = Lang::choose(q.lang.as_deref(), headers);
        let (easy, easy_chosen) = match q.easy.as_deref() {
            Some("1") => (true, true),
            Some("0") => (false, true),
            _ => (cookie_value(headers, EASY_COOKIE) == Some("1"), false),
        };
        Words {
            lang,
            chosen,
            easy,
            easy_chosen,
        }
    }

    fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// A message, in easy read where it has an easy-read wording and the family asked for it.
    fn say(&self, id: &str) -> String {
        let tr = self.tr();
        if self.easy {
            let easy_id = format!("{id}-easy");
            let easy = tr.t(&easy_id);
            if easy != easy_id {
                return easy;
            }
        }
        tr.t(id)
    }

    fn say1(&self, id: &str, name: &str, value: impl std::fmt::Display + Clone) -> String {
        let tr = self.tr();
        if self.easy {
            let easy_id = format!("{id}-easy");
            let easy = tr.t1(&easy_id, name, value.clone());
            if easy != easy_id {
                return easy;
            }
        }
        tr.t1(id, name, value)
    }

    /// Remembers the language and easy read chosen on this request.
    fn finish(&self, state: &AppState, mut res: Response) -> Response {
        if self.easy_chosen {
            let c = Cookie::build((EASY_COOKIE, if self.easy { "1" } else { "0" }))
                .path("/")
                .http_only(true)
                .secure(state.settings.secure)
                .same_site(SameSite::Lax)
                .build();
            if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        with_language(res, self.lang, self.chosen, state.settings.secure)
    }
}

/// The problems found, in the family's language.
fn said(words: &Words, problems: &[Problem]) -> FieldErrors {
    let tr = words.tr();
    let mut e = FieldErrors::new();
    for p in problems {
        e.add(p.field, tr.t(&format!("ask-error-{}", p.code)));
    }
    e
}

/// One part of a question page. A page holds a handful, so their sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub enum Part {
    Radios(Radios),
    Checkboxes(Checkboxes),
    Textarea(Textarea),
    Input(Input),
    Para(String),
}

impl Part {
    /// Says "Error:" before each field's message in the family's language.
    fn prefix_error(&mut self, prefix: &str) {
        let m = match self {
            Part::Radios(r) => r.error_message.as_mut(),
            Part::Checkboxes(c) => c.error_message.as_mut(),
            Part::Textarea(t) => t.error_message.as_mut(),
            Part::Input(i) => i.error_message.as_mut(),
            Part::Para(_) => None,
        };
        if let Some(m) = m {
            m.visually_hidden_text = Some(prefix.to_string());
        }
    }
}

#[derive(Template)]
#[template(path = "family_asks/question.html")]
struct QuestionPage {
    frame: PublicFrame,
    csrf: String,
    back: String,
    back_text: String,
    error_summary: Option<ErrorSummary>,
    /// The page's own heading, where no single question is the heading.
    heading: Option<String>,
    parts: Vec<Part>,
    action: String,
    change: bool,
    button: Button,
    easy_link: (String, String),
    /// The family page: the people added so far (position, name, what is known).
    is_people: bool,
    people: Vec<(usize, String, String)>,
    add_person: Option<String>,
    remove_text: String,
    none_yet: String,
}

#[derive(Template)]
#[template(path = "family_asks/start.html")]
struct StartPage {
    frame: PublicFrame,
    csrf: String,
    words: StartWords,
    easy_link: (String, String),
    expired: bool,
}

struct StartWords {
    intro: String,
    danger_heading: String,
    danger: String,
    mash: String,
    next_heading: String,
    next: String,
    kept: String,
    start: String,
    expired: String,
}

/// One answer on "Check your answers": its question, its lines, its Change link and text.
type CheckRow = (String, Vec<String>, String, String);

#[derive(Template)]
#[template(path = "family_asks/check.html")]
struct CheckPage {
    frame: PublicFrame,
    csrf: String,
    back: String,
    back_text: String,
    heading: String,
    rows: Vec<CheckRow>,
    send_heading: String,
    send_text: String,
    send: Button,
}

#[derive(Template)]
#[template(path = "family_asks/sent.html")]
struct SentPage {
    frame: PublicFrame,
    heading: String,
    reference_label: String,
    reference: String,
    next: String,
    keep: String,
    danger: String,
}

fn frame(
    state: &AppState,
    words: &Words,
    title: String,
    path: &str,
    query: Option<&str>,
) -> PublicFrame {
    PublicFrame::new(state, words.lang, title, path, query)
}

/// The link that switches easy read on or off, on this page.
fn easy_link(words: &Words, path: &str) -> (String, String) {
    let lang = words.lang.code();
    if words.easy {
        (
            format!("{path}?easy=0&lang={lang}"),
            words.tr().t("ask-easy-off"),
        )
    } else {
        (
            format!("{path}?easy=1&lang={lang}"),
            words.tr().t("ask-easy-on"),
        )
    }
}

fn draft_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, ASK_COOKIE)
        .filter(|t| !t.is_empty() && t.len() <= 100)
        .map(str::to_string)
}

/// The family's answers so far, or where to send them: back to the start (no draft, or it
/// expired), or to the confirmation (already sent).
async fn answers_of(
    state: &AppState,
    headers: &HeaderMap,
    words: &Words,
) -> Result<Result<(String, Answers), Response>, WebError> {
    let lang = words.lang.code();
    let Some(token) = draft_token(headers) else {
        return Ok(Err(
            Redirect::to(&format!("/ask?lang={lang}")).into_response()
        ));
    };
    Ok(match state.hearth.family_ask_draft(&token).await? {
        Some(AskDraft::Answering(a)) => Ok((token, a)),
        Some(AskDraft::Sent(_)) => {
            Err(Redirect::to(&format!("/ask/sent?lang={lang}")).into_response())
        }
        None => Err(Redirect::to(&format!("/ask?expired=1&lang={lang}")).into_response()),
    })
}

async fn start_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<AskQuery>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let words = Words::of(&q, &headers);
    let tr = words.tr();
    let policies = state.hearth.policies();
    let days = policies.front_door.due.routine_working_days;
    let mash = match policies
        .front_door
        .mash_phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(phone) => tr.t1("ask-mash", "phone", phone),
        None => tr.t("ask-mash-no-phone"),
    };
    let page = StartPage {
        frame: frame(&state, &words, tr.t("ask-title"), "/ask", raw.as_deref()),
        csrf: visitor.csrf().to_string(),
        words: StartWords {
            intro: words.say("ask-intro"),
            danger_heading: tr.t("ask-danger-heading"),
            danger: tr.t("ask-danger"),
            mash,
            next_heading: tr.t("ask-next-heading"),
            next: words.say1("ask-next", "days", days),
            kept: tr.t1("ask-kept", "minutes", policies.family_asks.draft_minutes),
            start: tr.t("ask-start"),
            expired: tr.t("ask-expired"),
        },
        easy_link: easy_link(&words, "/ask"),
        expired: q.expired.is_some(),
    };
    words.finish(&state, render(StatusCode::OK, &page))
}

async fn start(
    State(state): State<AppState>,
    Query(q): Query<AskQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let words = Words::of(&q, &headers);
    let token = state.hearth.start_family_ask().await?;
    let minutes = state.hearth.policies().family_asks.draft_minutes;
    let c = Cookie::build((ASK_COOKIE, token))
        .path("/ask")
        .http_only(true)
        .secure(state.settings.secure)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::minutes(minutes))
        .build();
    let mut res = Redirect::to(&format!("/ask/who?lang={}", words.lang.code())).into_response();
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(words.finish(&state, res))
}

/// What a question page was sent: every field any page has, each read by its own page.
#[derive(Debug, Default, Deserialize)]
pub struct Sent {
    #[serde(default)]
    asker: String,
    #[serde(default)]
    worry: String,
    #[serde(default)]
    worries: Vec<String>,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    safe_to_text: String,
    #[serde(default)]
    safe_to_leave_message: String,
    #[serde(default)]
    safe_times: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    language_other: String,
    #[serde(default)]
    consent: String,
    #[serde(default)]
    change: String,
}

impl Sent {
    /// The answers already given, as a page shows them back.
    fn from_answers(a: &Answers, lang: Lang) -> Self {
        let yn = |v: Option<bool>| match v {
            Some(true) => "yes".to_string(),
            Some(false) => "no".to_string(),
            None => String::new(),
        };
        Sent {
            asker: a.asker.map(|x| x.code().to_string()).unwrap_or_default(),
            worry: a.worry.clone(),
            worries: a.worries.iter().map(|w| w.code().to_string()).collect(),
            postcode: a.postcode.clone(),
            address: a.address.clone(),
            phone: a.phone.clone(),
            email: a.email.clone(),
            safe_to_text: yn(a.safe_to_text),
            safe_to_leave_message: yn(a.safe_to_leave_message),
            safe_times: a.safe_times.clone(),
            // The page's own language is the likely answer.
            language: if a.language.is_empty() {
                lang.code().to_string()
            } else {
                a.language.clone()
            },
            language_other: a.language_other.clone(),
            consent: a.consent.map(|c| c.code().to_string()).unwrap_or_default(),
            change: String::new(),
        }
    }
}

/// A choice's words: the message `{prefix}-{code}`, its underscores as hyphens.
fn choice_label(tr: &Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{}", code.replace('_', "-")))
}

/// The choices of a question, from their codes, each with its words.
fn choices(
    tr: &Tr,
    prefix: &str,
    codes: impl IntoIterator<Item = &'static str>,
) -> Vec<(String, String, Option<String>)> {
    codes
        .into_iter()
        .map(|c| (c.to_string(), choice_label(tr, prefix, c), None))
        .collect()
}

fn heading_radios(mut r: Radios) -> Radios {
    if let Some(legend) = r.fieldset.as_mut().and_then(|f| f.legend.as_mut()) {
        legend.is_page_heading = true;
        legend.classes = Some("govuk-fieldset__legend--l".into());
    }
    r
}

fn yes_no(words: &Words, name: &str, legend: &str, value: &str, e: &FieldErrors) -> Radios {
    let tr = words.tr();
    let mut r = fields::radios(
        name,
        legend,
        vec![
            ("yes".into(), tr.t("ask-yes"), None),
            ("no".into(), tr.t("ask-no"), None),
        ],
        value,
        e,
    );
    r.classes = Some("govuk-radios--inline".into());
    r.hint = Some(crate::components::Hint::text(tr.t("ask-safe-hint")));
    r
}

/// A question page's parts, and its own heading where no single question is the heading.
fn parts_of(
    step: Step,
    words: &Words,
    s: &Sent,
    a: &Answers,
    e: &FieldErrors,
) -> (Option<String>, Vec<Part>) {
    let tr = words.tr();
    match step {
        Step::Who => (
            None,
            vec![Part::Radios(heading_radios(fields::radios(
                "asker",
                &tr.t("ask-who-title"),
                choices(&tr, "ask-who", Asker::ALL.iter().map(|x| x.code())),
                &s.asker,
                e,
            )))],
        ),
        Step::Worry => {
            let mut t = fields::with_textarea_hint(
                fields::textarea("worry", &tr.t("ask-worry-title"), &s.worry, e),
                &words.say("ask-worry-hint"),
            );
            t.label.is_page_heading = true;
            t.label.classes = Some("govuk-label--l".into());
            t.rows = Some(8);
            let checks = fields::checkboxes_with_hint(
                fields::checkboxes(
                    "worries",
                    &tr.t("ask-worries-title"),
                    choices(&tr, "ask-worry", Worry::ALL.iter().map(|w| w.code())),
                    &s.worries,
                    e,
                ),
                &tr.t("ask-worries-hint"),
            );
            (None, vec![Part::Textarea(t), Part::Checkboxes(checks)])
        }
        Step::People => (
            Some(tr.t("ask-people-title")),
            vec![Part::Para(tr.t("ask-people-hint"))],
        ),
        Step::Address => {
            let mut pc = fields::text("postcode", &tr.t("ask-postcode"), &s.postcode, e);
            pc.autocomplete = Some("postal-code".into());
            pc.classes = Some("govuk-input--width-10".into());
            let mut addr = fields::textarea("address", &tr.t("ask-address"), &s.address, e);
            addr.autocomplete = Some("street-address".into());
            addr.rows = Some(3);
            (
                Some(tr.t("ask-where-title")),
                vec![
                    Part::Para(tr.t("ask-where-hint")),
                    Part::Input(pc),
                    Part::Textarea(addr),
                ],
            )
        }
        Step::Contact => {
            let mut phone = fields::text("phone", &tr.t("ask-phone"), &s.phone, e);
            phone.type_ = Some("tel".into());
            phone.autocomplete = Some("tel".into());
            phone.classes = Some("govuk-input--width-20".into());
            let email = fields::email("email", &tr.t("ask-email"), &s.email, e);
            let times = fields::with_hint(
                fields::text("safe_times", &tr.t("ask-safe-times"), &s.safe_times, e),
                &tr.t("ask-safe-times-hint"),
            );
            (
                Some(tr.t("ask-contact-title")),
                vec![
                    Part::Para(words.say("ask-contact-hint")),
                    Part::Input(phone),
                    Part::Radios(yes_no(
                        words,
                        "safe_to_text",
                        &tr.t("ask-safe-to-text"),
                        &s.safe_to_text,
                        e,
                    )),
                    Part::Radios(yes_no(
                        words,
                        "safe_to_leave_message",
                        &tr.t("ask-safe-to-leave-message"),
                        &s.safe_to_leave_message,
                        e,
                    )),
                    Part::Input(times),
                    Part::Input(email),
                ],
            )
        }
        Step::Language => {
            let other = fields::text(
                "language_other",
                &tr.t("ask-language-other-name"),
                &s.language_other,
                e,
            );
            let mut choices: Vec<(String, String, Option<String>)> = LANGUAGES
                .iter()
                .filter_map(|c| Lang::from_code(c))
                .map(|l| (l.code().to_string(), l.native_name().to_string(), None))
                .collect();
            choices.push(("other".into(), tr.t("ask-language-other"), None));
            let mut r = heading_radios(fields::radios(
                "language",
                &tr.t("ask-language-title"),
                choices,
                &s.language,
                e,
            ));
            // Each language's name is written in itself.
            for item in &mut r.items {
                if let Some(l) = item.value.as_deref().and_then(Lang::from_code) {
                    item.html = Some(format!(
                        "<span lang=\"{}\" dir=\"{}\">{}</span>",
                        l.code(),
                        l.dir(),
                        l.native_name()
                    ));
                }
            }
            fields::reveal_under(&mut r, "other", fields::reveal(&[&other]));
            (None, vec![Part::Radios(r)])
        }
        Step::Consent => {
            let young = a.asker == Some(Asker::YoungPerson);
            let mut paras = vec![
                Part::Para(words.say("ask-consent-what")),
                Part::Para(words.say("ask-consent-who")),
                Part::Para(words.say("ask-consent-withdraw")),
            ];
            if young {
                paras.push(Part::Para(tr.t("ask-consent-young-person")));
            }
            paras.push(Part::Para(tr.t("ask-consent-safety")));
            let r = fields::radios(
                "consent",
                &tr.t("ask-consent-question"),
                choices(&tr, "ask-consent", Consent::ALL.iter().map(|c| c.code())),
                &s.consent,
                e,
            );
            paras.push(Part::Radios(r));
            (Some(tr.t("ask-consent-title")), paras)
        }
        Step::Check => (None, Vec::new()),
    }
}

/// Where Back goes: the page before, or the start page, or "Check your answers" when the
/// family came from there to change an answer.
fn back_of(step: Step, change: bool, lang: Lang) -> String {
    let lang = lang.code();
    if change {
        return format!("/ask/check?lang={lang}");
    }
    match step.previous() {
        Some(p) => format!("/ask/{}?lang={lang}", p.slug()),
        None => format!("/ask?lang={lang}"),
    }
}

fn person_line(tr: &Tr, p: &ask::NamedPerson) -> String {
    let born = match p.born {
        Born::On(d) => d.format("%d/%m/%Y").to_string(),
        Born::Aged(y) => tr.t1("ask-born-age", "age", y),
        Born::Due(d) => tr.t1("ask-born-due", "date", d.format("%d/%m/%Y")),
    };
    format!(
        "{born} · {}",
        tr.t(&format!("ask-relation-{}", p.relation.code()))
    )
}

#[allow(clippy::too_many_arguments)]
fn question_page(
    state: &AppState,
    visitor: &Visitor,
    words: &Words,
    step: Step,
    s: &Sent,
    a: &Answers,
    e: &FieldErrors,
    change: bool,
    raw: Option<&str>,
) -> Response {
    let tr = words.tr();
    let (heading, mut parts) = parts_of(step, words, s, a, e);
    let prefix = tr.t("error-prefix");
    for p in &mut parts {
        p.prefix_error(&prefix);
    }
    let title = heading.clone().unwrap_or_else(|| {
        tr.t(match step {
            Step::Who => "ask-who-title",
            Step::Worry => "ask-worry-title",
            _ => "ask-language-title",
        })
    });
    let path = format!("/ask/{}", step.slug());
    let mut f = frame(state, words, title, &path, raw);
    f.has_errors = !e.is_empty();
    let lang = words.lang.code();
    let page = QuestionPage {
        frame: f,
        csrf: visitor.csrf().to_string(),
        back: back_of(step, change, words.lang),
        back_text: tr.t("ask-back"),
        error_summary: fields::error_summary(e).map(|mut s| {
            s.title_text = Some(tr.t("error-summary-title"));
            s
        }),
        heading,
        parts,
        action: format!("{path}?lang={lang}"),
        change,
        button: fields::submit(&tr.t("ask-continue")),
        easy_link: easy_link(words, &path),
        is_people: step == Step::People,
        people: if step == Step::People {
            a.people
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p.name.clone(), person_line(&tr, p)))
                .collect()
        } else {
            Vec::new()
        },
        add_person: (step == Step::People && a.people.len() < PEOPLE_MAX)
            .then(|| tr.t("ask-people-add")),
        remove_text: tr.t("ask-people-remove"),
        none_yet: tr.t("ask-people-none"),
    };
    words.finish(state, render(status_for(!e.is_empty()), &page))
}

async fn question(asked: Asked, Path(step): Path<String>) -> Result<Response, WebError> {
    asked.question(&step, None).await
}

/// Applies one page's answers, or says what to put right.
fn apply(step: Step, s: &Sent, a: &mut Answers) -> Result<(), Vec<Problem>> {
    match step {
        Step::Who => a.asker = Some(ask::check_who(&s.asker).map_err(|p| vec![p])?),
        Step::Worry => {
            let (w, list) = ask::check_worry(&s.worry, &s.worries).map_err(|p| vec![p])?;
            a.worry = w;
            a.worries = list;
        }
        Step::People => {
            if a.people.is_empty() {
                return Err(vec![Problem {
                    field: "add-person",
                    code: "people-missing",
                }]);
            }
        }
        Step::Address => {
            let (pc, addr) = ask::check_address(&s.postcode, &s.address)?;
            a.postcode = pc;
            a.address = addr;
        }
        Step::Contact => {
            let (phone, email, text, message, times) = ask::check_contact(&ContactTyped {
                phone: s.phone.clone(),
                email: s.email.clone(),
                safe_to_text: s.safe_to_text.clone(),
                safe_to_leave_message: s.safe_to_leave_message.clone(),
                safe_times: s.safe_times.clone(),
            })?;
            a.phone = phone;
            a.email = email;
            a.safe_to_text = text;
            a.safe_to_leave_message = message;
            a.safe_times = times;
        }
        Step::Language => {
            let (l, other) =
                ask::check_language(&s.language, &s.language_other).map_err(|p| vec![p])?;
            a.language = l;
            a.language_other = other;
        }
        Step::Consent => a.consent = Some(ask::check_consent(&s.consent).map_err(|p| vec![p])?),
        Step::Check => {}
    }
    Ok(())
}

async fn answer(
    asked: Asked,
    Path(step): Path<String>,
    Form(s): Form<Sent>,
) -> Result<Response, WebError> {
    asked.question(&step, Some(s)).await
}

/// One request to a question page or the page adding a person, shown (GET) or answered
/// (POST): the partnership, the visitor, how they asked (language, easy read, a change from
/// "Check your answers") and the wording that follows from it.
struct Asked {
    state: AppState,
    visitor: Visitor,
    query: AskQuery,
    raw: Option<String>,
    headers: HeaderMap,
    words: Words,
}

impl FromRequestParts<AppState> for Asked {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let Query(query) = Query::<AskQuery>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        Ok(Asked {
            words: Words::of(&query, &headers),
            state: state.clone(),
            visitor,
            query,
            raw: parts.uri.query().map(str::to_string),
            headers,
        })
    }
}

impl Asked {
    /// The family's draft, or where to send them without one.
    async fn draft(&self) -> Result<Result<(String, Answers), Response>, WebError> {
        Ok(answers_of(&self.state, &self.headers, &self.words)
            .await?
            .map_err(|go| self.words.finish(&self.state, go)))
    }

    /// The question `step` shown with the answers so far (`sent` is `None`), or answered:
    /// kept and on to the next page, or shown again with what to put right.
    async fn question(&self, step: &str, sent: Option<Sent>) -> Result<Response, WebError> {
        let step = Step::from_slug(step).ok_or(WebError::NotFound)?;
        let (token, mut answers) = match self.draft().await? {
            Ok(found) => found,
            Err(go) => return Ok(go),
        };
        let (s, e, change) = match sent {
            None => (
                Sent::from_answers(&answers, self.words.lang),
                FieldErrors::new(),
                self.query.change.is_some(),
            ),
            Some(s) => {
                let change = !s.change.is_empty();
                match apply(step, &s, &mut answers) {
                    Err(problems) => (s, said(&self.words, &problems), change),
                    Ok(()) => {
                        keep(&self.state, &token, &answers).await?;
                        let next = if change {
                            // Back to the check, unless this change leaves another page to
                            // answer.
                            first_unanswered(&answers)
                        } else {
                            step.next()
                        };
                        let to = format!("/ask/{}?lang={}", next.slug(), self.words.lang.code());
                        return Ok(self
                            .words
                            .finish(&self.state, Redirect::to(&to).into_response()));
                    }
                }
            }
        };
        Ok(question_page(
            &self.state,
            &self.visitor,
            &self.words,
            step,
            &s,
            &answers,
            &e,
            change,
            self.raw.as_deref(),
        ))
    }

    /// "Add a person": the empty form (`typed` is `None`), or the person added and back to
    /// the list, or the form again with what to put right.
    async fn person(&self, typed: Option<PersonTyped>) -> Result<Response, WebError> {
        let (token, mut answers) = match self.draft().await? {
            Ok(found) => found,
            Err(go) => return Ok(go),
        };
        let again = |t: &PersonTyped, e: &FieldErrors| {
            person_page(
                &self.state,
                &self.visitor,
                &self.words,
                t,
                e,
                self.raw.as_deref(),
            )
        };
        let Some(t) = typed else {
            return Ok(again(&PersonTyped::default(), &FieldErrors::new()));
        };
        let today = self.state.hearth.now().date_naive();
        let person = match ask::check_person(&t, today) {
            Ok(p) => p,
            Err(problems) => return Ok(again(&t, &said(&self.words, &problems))),
        };
        if answers.people.len() >= PEOPLE_MAX {
            let too_many = [Problem {
                field: "name",
                code: "people-too-many",
            }];
            return Ok(again(&t, &said(&self.words, &too_many)));
        }
        answers.people.push(person);
        keep(&self.state, &token, &answers).await?;
        Ok(self.words.finish(
            &self.state,
            Redirect::to(&format!("/ask/people?lang={}", self.words.lang.code())).into_response(),
        ))
    }
}

async fn keep(state: &AppState, token: &str, answers: &Answers) -> Result<(), WebError> {
    match state.hearth.keep_family_answers(token, answers).await {
        Ok(()) => Ok(()),
        Err(AppError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "family_asks/person.html")]
struct PersonPage {
    frame: PublicFrame,
    csrf: String,
    back: String,
    back_text: String,
    error_summary: Option<ErrorSummary>,
    name: Input,
    born: Radios,
    relation: Radios,
    button: Button,
}

fn person_page(
    state: &AppState,
    visitor: &Visitor,
    words: &Words,
    t: &PersonTyped,
    e: &FieldErrors,
    raw: Option<&str>,
) -> Response {
    let tr = words.tr();
    let prefix = tr.t("error-prefix");
    let mut name = fields::text("name", &tr.t("ask-person-name"), &t.name, e);
    name.autocomplete = Some("off".into());
    name.spellcheck = Some(false);
    let dob = fields::with_hint(
        fields::text("dob", &tr.t("ask-person-dob"), &t.dob, e),
        &tr.t("ask-person-dob-hint"),
    );
    let mut age = fields::text("age", &tr.t("ask-person-age"), &t.age, e);
    age.inputmode = Some("numeric".into());
    age.classes = Some("govuk-input--width-3".into());
    let due = fields::with_hint(
        fields::text("due", &tr.t("ask-person-due"), &t.due, e),
        &tr.t("ask-person-dob-hint"),
    );
    let mut born = fields::radios(
        "born",
        &tr.t("ask-person-born"),
        ["dob", "age", "due"]
            .iter()
            .map(|c| (c.to_string(), tr.t(&format!("ask-person-born-{c}")), None))
            .collect(),
        &t.born,
        e,
    );
    let mut parts = [dob, age, due];
    for p in &mut parts {
        if let Some(m) = p.error_message.as_mut() {
            m.visually_hidden_text = Some(prefix.clone());
        }
    }
    let [dob, age, due] = parts;
    fields::reveal_under(&mut born, "dob", fields::reveal(&[&dob]));
    fields::reveal_under(&mut born, "age", fields::reveal(&[&age]));
    fields::reveal_under(&mut born, "due", fields::reveal(&[&due]));
    let mut relation = fields::radios(
        "relation",
        &tr.t("ask-person-relation"),
        choices(&tr, "ask-relation", Relation::ALL.iter().map(|r| r.code())),
        &t.relation,
        e,
    );
    for m in [
        name.error_message.as_mut(),
        born.error_message.as_mut(),
        relation.error_message.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        m.visually_hidden_text = Some(prefix.clone());
    }
    let mut f = frame(
        state,
        words,
        tr.t("ask-person-title"),
        "/ask/people/add",
        raw,
    );
    f.has_errors = !e.is_empty();
    let page = PersonPage {
        frame: f,
        csrf: visitor.csrf().to_string(),
        back: format!("/ask/people?lang={}", words.lang.code()),
        back_text: tr.t("ask-back"),
        error_summary: fields::error_summary(e).map(|mut s| {
            s.title_text = Some(tr.t("error-summary-title"));
            s
        }),
        name,
        born,
        relation,
        button: fields::submit(&tr.t("ask-person-add")),
    };
    words.finish(state, render(status_for(!e.is_empty()), &page))
}

async fn add_person_page(asked: Asked) -> Result<Response, WebError> {
    asked.person(None).await
}

async fn add_person(asked: Asked, Form(t): Form<PersonTyped>) -> Result<Response, WebError> {
    asked.person(Some(t)).await
}

#[derive(Debug, Default, Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    position: usize,
}

async fn remove_person(
    State(state): State<AppState>,
    Query(q): Query<AskQuery>,
    headers: HeaderMap,
    Form(f): Form<RemoveForm>,
) -> Result<Response, WebError> {
    let words = Words::of(&q, &headers);
    let (token, mut answers) = match answers_of(&state, &headers, &words).await? {
        Ok(found) => found,
        Err(go) => return Ok(words.finish(&state, go)),
    };
    if f.position < answers.people.len() {
        answers.people.remove(f.position);
        keep(&state, &token, &answers).await?;
    }
    Ok(words.finish(
        &state,
        Redirect::to(&format!("/ask/people?lang={}", words.lang.code())).into_response(),
    ))
}

/// "Check your answers": each answer with its Change link.
fn check_rows(words: &Words, a: &Answers) -> Vec<CheckRow> {
    let tr = words.tr();
    let lang = words.lang.code();
    let change = |step: Step| format!("/ask/{}?change=1&lang={lang}", step.slug());
    let not_given = tr.t("ask-not-given");
    let or_not = |s: &str| {
        if s.trim().is_empty() {
            not_given.clone()
        } else {
            s.to_string()
        }
    };
    let yn = |v: Option<bool>| match v {
        Some(true) => tr.t("ask-yes"),
        Some(false) => tr.t("ask-no"),
        None => not_given.clone(),
    };
    let mut contact = vec![or_not(&a.phone)];
    if !a.phone.is_empty() {
        contact.push(tr.t1("ask-text-ok", "answer", yn(a.safe_to_text)));
        contact.push(tr.t1("ask-message-ok", "answer", yn(a.safe_to_leave_message)));
        if !a.safe_times.is_empty() {
            contact.push(tr.t1("ask-times", "times", &a.safe_times));
        }
    }
    contact.push(or_not(&a.email));
    let language = match Lang::from_code(&a.language) {
        Some(l) if a.language != "other" => l.native_name().to_string(),
        _ => a.language_other.clone(),
    };
    let mut rows = vec![
        (
            tr.t("ask-check-who"),
            vec![a
                .asker
                .map(|x| choice_label(&tr, "ask-who", x.code()))
                .unwrap_or_else(|| not_given.clone())],
            change(Step::Who),
        ),
        (
            tr.t("ask-check-worry"),
            vec![a.worry.clone()],
            change(Step::Worry),
        ),
    ];
    if !a.worries.is_empty() {
        rows.push((
            tr.t("ask-check-worries"),
            a.worries
                .iter()
                .map(|w| choice_label(&tr, "ask-worry", w.code()))
                .collect(),
            change(Step::Worry),
        ));
    }
    rows.push((
        tr.t("ask-check-people"),
        a.people
            .iter()
            .map(|p| format!("{}: {}", p.name, person_line(&tr, p)))
            .collect(),
        change(Step::People),
    ));
    rows.push((
        tr.t("ask-check-where"),
        [a.address.clone(), a.postcode.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        change(Step::Address),
    ));
    rows.push((tr.t("ask-check-contact"), contact, change(Step::Contact)));
    rows.push((
        tr.t("ask-check-language"),
        vec![language],
        change(Step::Language),
    ));
    rows.push((
        tr.t("ask-check-consent"),
        vec![a
            .consent
            .map(|c| choice_label(&tr, "ask-consent", c.code()))
            .unwrap_or_else(|| not_given.clone())],
        change(Step::Consent),
    ));
    let change_text = tr.t("ask-change");
    rows.into_iter()
        .map(|(k, v, href)| (k, v, href, change_text.clone()))
        .collect()
}

async fn check_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<AskQuery>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let words = Words::of(&q, &headers);
    let (_, answers) = match answers_of(&state, &headers, &words).await? {
        Ok(found) => found,
        Err(go) => return Ok(words.finish(&state, go)),
    };
    let lang = words.lang.code();
    let missing = first_unanswered(&answers);
    if missing != Step::Check {
        return Ok(words.finish(
            &state,
            Redirect::to(&format!("/ask/{}?lang={lang}", missing.slug())).into_response(),
        ));
    }
    let tr = words.tr();
    let page = CheckPage {
        frame: frame(
            &state,
            &words,
            tr.t("ask-check-title"),
            "/ask/check",
            raw.as_deref(),
        ),
        csrf: visitor.csrf().to_string(),
        back: format!("/ask/consent?lang={lang}"),
        back_text: tr.t("ask-back"),
        heading: tr.t("ask-check-title"),
        rows: check_rows(&words, &answers),
        send_heading: tr.t("ask-check-send-heading"),
        send_text: tr.t("ask-check-send-text"),
        send: fields::submit(&tr.t("ask-send")),
    };
    Ok(words.finish(&state, render(StatusCode::OK, &page)))
}

async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<AskQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let words = Words::of(&q, &headers);
    let lang = words.lang.code();
    let token = match answers_of(&state, &headers, &words).await? {
        Ok((token, _)) => token,
        Err(go) => return Ok(words.finish(&state, go)),
    };
    let to = match state
        .hearth
        .send_family_ask(&token, lang, visitor.origin())
        .await?
    {
        Ok(_) => format!("/ask/sent?lang={lang}"),
        Err(step) => format!("/ask/{}?lang={lang}", step.slug()),
    };
    Ok(words.finish(&state, Redirect::to(&to).into_response()))
}

async fn sent(
    State(state): State<AppState>,
    Query(q): Query<AskQuery>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let words = Words::of(&q, &headers);
    let lang = words.lang.code();
    let reference = match draft_token(&headers) {
        Some(token) => match state.hearth.family_ask_draft(&token).await? {
            Some(AskDraft::Sent(r)) => r,
            Some(AskDraft::Answering(_)) => {
                return Ok(words.finish(
                    &state,
                    Redirect::to(&format!("/ask/check?lang={lang}")).into_response(),
                ))
            }
            None => {
                return Ok(words.finish(
                    &state,
                    Redirect::to(&format!("/ask?lang={lang}")).into_response(),
                ))
            }
        },
        None => {
            return Ok(words.finish(
                &state,
                Redirect::to(&format!("/ask?lang={lang}")).into_response(),
            ))
        }
    };
    let tr = words.tr();
    let days = state.hearth.policies().front_door.due.routine_working_days;
    let page = SentPage {
        frame: frame(
            &state,
            &words,
            tr.t("ask-sent-title"),
            "/ask/sent",
            raw.as_deref(),
        ),
        heading: tr.t("ask-sent-title"),
        reference_label: tr.t("ask-sent-reference"),
        reference,
        next: words.say1("ask-sent-next", "days", days),
        keep: tr.t("ask-sent-keep"),
        danger: tr.t("ask-sent-danger"),
    };
    Ok(words.finish(&state, render(StatusCode::OK, &page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message the asking pages use is in the files, easy-read ones included.
    #[test]
    fn every_message_the_pages_use_is_in_the_files() {
        let sources = [
            include_str!("mod.rs"),
            include_str!("../../../templates/family_asks/start.html"),
        ];
        let mut ids: Vec<String> = Vec::new();
        for source in sources {
            for call in [".t(\"", ".t1(\"", ".say(\"", ".say1(\""] {
                for (at, _) in source.match_indices(call) {
                    let rest = &source[at + call.len()..];
                    if let Some(end) = rest.find('"') {
                        let id = &rest[..end];
                        if id.starts_with("ask-") || id.starts_with("error-") {
                            ids.push(id.to_string());
                        }
                    }
                }
            }
        }
        for a in Asker::ALL {
            ids.push(format!("ask-who-{}", a.code().replace('_', "-")));
        }
        for w in Worry::ALL {
            ids.push(format!("ask-worry-{}", w.code().replace('_', "-")));
        }
        for r in Relation::ALL {
            ids.push(format!("ask-relation-{}", r.code()));
        }
        for c in Consent::ALL {
            ids.push(format!("ask-consent-{}", c.code().replace('_', "-")));
        }
        for c in ["dob", "age", "due"] {
            ids.push(format!("ask-person-born-{c}"));
        }
        assert!(ids.len() > 60, "the scan found the calls: {ids:?}");
        // In the English file; `i18n`'s own test holds every language to the English ids.
        let english = include_str!("../../../locales/en/ask.ftl");
        let defined = |id: &str| english.lines().any(|l| l.starts_with(&format!("{id} =")));
        for id in &ids {
            assert!(defined(id) || id.starts_with("error-"), "{id} is missing");
        }
        // And the check notices a missing one.
        assert!(!defined("ask-no-such"));
    }

    #[test]
    fn easy_read_falls_back_to_the_standard_wording() {
        let w = Words {
            lang: Lang::En,
            chosen: false,
            easy: true,
            easy_chosen: false,
        };
        assert!(w.say("ask-intro").starts_with("You can ask us for help."));
        assert_eq!(w.say("ask-continue"), "Continue");
    }
}
