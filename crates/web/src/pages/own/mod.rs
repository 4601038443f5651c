//! The family's own page (ADR 0045), in the family's language: asking for a link, using it
//! (a family session in its own cookie, never a staff session), the page itself with the
//! plan, the next review, the team, the notes shared, the consents to give or withdraw and
//! the messages with the lead professional. Every refusal, and every link or episode nobody
//! knows, shows the same kind page, so nothing about another family shows.

mod one_login;
pub mod staff;

use crate::components::{Button, ErrorSummary, Input, NotificationBanner, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::i18n::{Lang, Tr};
use crate::pages::family_frame::{self, with_language, KindWords, PublicFrame};
use crate::pages::{render, status_for};
use crate::session::{cookie_header, cookie_value, expired_cookie_header, Visitor};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use cookie::SameSite;
use hearth_app::own::Sender;
use hearth_app::own::{FamilyVisit, OwnPage};
use hearth_app::records::Consent;
use hearth_app::AppError;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;
use hearth_domain::own::FamilySight;
use hearth_domain::plan::ActionStatus;
use serde::Deserialize;
use uuid::Uuid;

/// The family session's cookie: apart from the staff session's, so neither opens the other's
/// pages.
pub const FAMILY_COOKIE: &str = "hearth_family";

/// Where "Sign in with GOV.UK One Login" starts (ADR 0056).
pub const ONE_LOGIN_PATH: &str = "/my-family/one-login";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/my-family", get(home))
        .route("/my-family/link", post(ask_for_link))
        .route(
            "/my-family/sign-in/{token}",
            get(continue_page).post(sign_in),
        )
        .route("/my-family/sign-out", post(sign_out))
        // ONE_LOGIN_PATH and the app's FAMILY_CALLBACK_PATH, written out so that the route
        // tests read them.
        .route("/my-family/one-login", get(one_login::start))
        .route("/my-family/one-login/callback", get(one_login::callback))
        .route("/my-family/episodes/{id}", get(page))
        .route("/my-family/episodes/{id}/messages", post(send_message))
        .route(
            "/my-family/episodes/{id}/consents/{consent}/withdraw",
            post(withdraw_consent),
        )
        .route(
            "/my-family/episodes/{id}/consents/{consent}/give",
            post(give_consent),
        )
        .merge(staff::routes())
}

#[derive(Debug, Default, Deserialize)]
struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The family member of this browser's family session, and its token.
async fn visit(
    state: &AppState,
    headers: &HeaderMap,
    visitor: &Visitor,
) -> Option<(FamilyVisit, String)> {
    let token = cookie_value(headers, FAMILY_COOKIE)?.to_string();
    let v = state
        .hearth
        .family_visit(&token, visitor.origin().clone())
        .await?;
    Some((v, token))
}

#[derive(Template)]
#[template(path = "own/ask.html")]
struct AskPage {
    frame: PublicFrame,
    csrf: String,
    error_summary: Option<ErrorSummary>,
    email: Input,
    send: Button,
    /// Where "Sign in with GOV.UK One Login" starts, when the partnership offers it.
    one_login: Option<String>,
}

#[derive(Template)]
#[template(path = "own/continue.html")]
struct ContinuePage {
    frame: PublicFrame,
    csrf: String,
    token: String,
    send: Button,
}

#[derive(Template)]
#[template(path = "own/list.html")]
struct ListPage {
    frame: PublicFrame,
    csrf: String,
    hello: String,
    /// (link, words) for each episode.
    episodes: Vec<(String, String)>,
}

/// One person's consents on the page: the reader's own (no heading), or a child's.
struct ConsentGroup {
    heading: Option<String>,
    /// Each consent's heading: one level below the group's.
    title_tag: &'static str,
    lines: Vec<ConsentLine>,
}

/// One person's consents as the family sees them: each may be withdrawn while live, or given
/// again when it is the newest for its sharing and no live one names the same sharing.
fn consent_lines(list: &[Consent], today: chrono::NaiveDate) -> Vec<ConsentLine> {
    list.iter()
        .map(|c| ConsentLine {
            id: c.id,
            share_with: c.share_with.clone(),
            given_on: day(c.given_on),
            live: c.is_live(today),
            may_give: !c.is_live(today)
                && !list
                    .iter()
                    .any(|o| o.share_with == c.share_with && o.is_live(today))
                && list
                    .iter()
                    .filter(|o| o.share_with == c.share_with)
                    .map(|o| o.given_on)
                    .max()
                    == Some(c.given_on),
        })
        .collect()
}

/// One consent as the family sees it.
struct ConsentLine {
    id: Uuid,
    share_with: String,
    given_on: String,
    live: bool,
    /// Withdrawn, and no live consent names the same sharing: it may be given again.
    may_give: bool,
}

/// One message as the family sees it.
struct Said {
    from: String,
    mine: bool,
    at: String,
    body: String,
}

#[derive(Template)]
#[template(path = "own/page.html")]
struct FamilyPage {
    frame: PublicFrame,
    csrf: String,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    hello: String,
    page: OwnPage,
    /// The episode is not closed: the family may still write.
    open: bool,
    own_part: bool,
    /// The reader's own consents first, then each child's they decide for.
    consents: Vec<ConsentGroup>,
    messages: Vec<Said>,
    message: Textarea,
    send: Button,
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A date as the family's page shows it: numbers, which read the same in every language.
trait Shown {
    fn shown(&self) -> String;
}

impl Shown for chrono::NaiveDate {
    fn shown(&self) -> String {
        day(*self)
    }
}

impl FamilyPage {
    fn status(&self, s: impl std::borrow::Borrow<ActionStatus>) -> String {
        self.frame.tr.t(&format!(
            "own-action-{}",
            s.borrow().code().replace('_', "-")
        ))
    }
}

/// The kind page for anything that cannot be shown: a link unknown, used or expired, an
/// episode that is not theirs or does not exist, no session. The same words for all that
/// concern another family, so a guess learns nothing.
fn kind_page(state: &AppState, lang: Lang, status: StatusCode, code: &str) -> Response {
    let tr = Tr::new(lang);
    let words = KindWords {
        heading: tr.t(&format!("own-{code}-title")),
        message: tr.t(&format!("own-{code}")),
        next: Some((
            tr.t("own-ask-again"),
            format!("/my-family?lang={}", lang.code()),
        )),
    };
    family_frame::kind_page(state, lang, status, "/my-family", words)
}

fn ask_page(
    state: &AppState,
    visitor: &Visitor,
    lang: Lang,
    value: &str,
    errors: &FieldErrors,
) -> Response {
    let tr = Tr::new(lang);
    let mut said = FieldErrors::new();
    if errors.get("email").is_some() {
        said.add("email", tr.t("own-ask-error-email"));
    }
    let heading = tr.t("own-ask-title");
    let mut frame = PublicFrame::new(state, lang, heading, "/my-family", None);
    frame.has_errors = !said.is_empty();
    let mut email = fields::with_hint(
        fields::email("email", &tr.t("own-ask-email"), value, &said),
        &tr.t("own-ask-email-hint"),
    );
    if let Some(m) = email.error_message.as_mut() {
        m.visually_hidden_text = Some(tr.t("error-prefix"));
    }
    render(
        status_for(!said.is_empty()),
        &AskPage {
            frame,
            csrf: visitor.csrf().to_string(),
            error_summary: fields::error_summary(&said).map(|mut s| {
                s.title_text = Some(tr.t("error-summary-title"));
                s
            }),
            email,
            send: fields::submit(&tr.t("own-ask-send")),
            one_login: state
                .hearth
                .family_one_login_offered()
                .then(|| format!("{ONE_LOGIN_PATH}?lang={}", lang.code())),
        },
    )
}

async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let res = match visit(&state, &headers, &visitor).await {
        None => ask_page(&state, &visitor, lang, "", &FieldErrors::new()),
        Some((v, _)) => {
            let list = state.hearth.own_episodes(&v).await?;
            match list.as_slice() {
                [(only, _)] => {
                    Redirect::to(&format!("/my-family/episodes/{only}?lang={}", lang.code()))
                        .into_response()
                }
                [] => kind_page(&state, lang, StatusCode::OK, "nothing"),
                many => {
                    let tr = Tr::new(lang);
                    let heading = tr.t("own-list-title");
                    render(
                        StatusCode::OK,
                        &ListPage {
                            frame: PublicFrame::new(&state, lang, heading, "/my-family", None),
                            csrf: visitor.csrf().to_string(),
                            hello: tr.t1("own-hello", "name", v.member.name()),
                            episodes: many
                                .iter()
                                .enumerate()
                                .map(|(i, (e, _))| {
                                    (
                                        format!("/my-family/episodes/{e}?lang={}", lang.code()),
                                        tr.n("own-list-item", "number", i as u64 + 1),
                                    )
                                })
                                .collect(),
                        },
                    )
                }
            }
        }
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

#[derive(Debug, Default, Deserialize)]
struct AskForm {
    #[serde(default)]
    email: String,
}

async fn ask_for_link(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Form(f): Form<AskForm>,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let res = match state
        .hearth
        .ask_for_family_link(&f.email, visitor.origin())
        .await
    {
        Ok(()) => {
            let tr = Tr::new(lang);
            let words = KindWords {
                heading: tr.t("own-sent-title"),
                message: tr.t("own-sent"),
                next: None,
            };
            family_frame::kind_page(&state, lang, StatusCode::OK, "/my-family", words)
        }
        Err(AppError::Invalid(errors)) => ask_page(&state, &visitor, lang, &f.email, &errors),
        Err(e) => return Err(e.into()),
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

/// The link's page asks for a tap before using the link: mail scanners that open links do
/// not use it up.
async fn continue_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let tr = Tr::new(lang);
    let heading = tr.t("own-continue-title");
    let res = render(
        StatusCode::OK,
        &ContinuePage {
            frame: PublicFrame::new(
                &state,
                lang,
                heading,
                &format!("/my-family/sign-in/{token}"),
                None,
            ),
            csrf: visitor.csrf().to_string(),
            token,
            send: fields::submit(&tr.t("own-continue")),
        },
    );
    // The token is in the address; every page's `Referrer-Policy: same-origin` keeps it out
    // of other sites' logs.
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let res = match state.hearth.family_sign_in(&token, visitor.origin()).await {
        Ok(Ok((session, _))) => {
            let mut res = to_home(lang);
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(
                    FAMILY_COOKIE,
                    &session,
                    state.settings.secure,
                    SameSite::Lax,
                ),
            );
            res
        }
        Ok(Err(problem)) => kind_page(
            &state,
            lang,
            StatusCode::GONE,
            &format!("link-{}", problem.code()),
        ),
        Err(AppError::NotFound) => kind_page(&state, lang, StatusCode::NOT_FOUND, "link-unknown"),
        Err(e) => return Err(e.into()),
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

async fn sign_out(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    if let Some((v, token)) = visit(&state, &headers, &visitor).await {
        state.hearth.family_sign_out(&v, &token).await?;
    }
    let mut res = kind_page(&state, lang, StatusCode::OK, "signed-out");
    res.headers_mut().append(
        header::SET_COOKIE,
        expired_cookie_header(FAMILY_COOKIE, state.settings.secure),
    );
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

fn episode_id(id: &str) -> Option<EpisodeId> {
    id.parse().ok()
}

/// What the family's page shows when the app refused or found nothing: the same kind page.
fn refused(state: &AppState, lang: Lang, e: AppError) -> Result<Response, WebError> {
    match e {
        AppError::NotFound | AppError::Forbidden(_) => {
            Ok(kind_page(state, lang, StatusCode::NOT_FOUND, "not-yours"))
        }
        other => Err(other.into()),
    }
}

/// The family's home: their page with a session, asking for a link without one.
fn to_home(lang: Lang) -> Response {
    Redirect::to(&format!("/my-family?lang={}", lang.code())).into_response()
}

/// The family's page again after a change was not made, with what they typed and why.
async fn page_again(
    state: &AppState,
    visitor: &Visitor,
    lang: Lang,
    v: &FamilyVisit,
    id: EpisodeId,
    message: &str,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    match state.hearth.own_page(v, id).await {
        Ok(p) => Ok(family_page(state, visitor, lang, p, None, message, errors)),
        Err(e) => refused(state, lang, e),
    }
}

#[allow(clippy::too_many_arguments)]
fn family_page(
    state: &AppState,
    visitor: &Visitor,
    lang: Lang,
    page: OwnPage,
    done: Option<&str>,
    message: &str,
    errors: &FieldErrors,
) -> Response {
    let tr = Tr::new(lang);
    let today = chrono::Utc::now().date_naive();
    let mut said = FieldErrors::new();
    if let Some(code) = errors.get("message") {
        said.add(
            "message",
            tr.t(&format!("own-message-error-{}", code.replace('_', "-"))),
        );
    }
    if errors.get("consent").is_some() {
        said.add("consents", tr.t("own-consent-changed"));
    }
    let heading = tr.t("own-page-title");
    let mut frame = PublicFrame::new(
        state,
        lang,
        heading,
        &format!("/my-family/episodes/{}", page.episode),
        None,
    );
    frame.has_errors = !said.is_empty();
    let consents = std::iter::once(ConsentGroup {
        heading: None,
        title_tag: "h3",
        lines: consent_lines(&page.consents, today),
    })
    .chain(
        page.children
            .iter()
            .filter(|c| !c.consents.is_empty())
            .map(|c| ConsentGroup {
                heading: Some(tr.t1("own-consents-for", "name", &c.name)),
                title_tag: "h4",
                lines: consent_lines(&c.consents, today),
            }),
    )
    .collect();
    let me = page.name.clone();
    let messages = page
        .messages
        .iter()
        .map(|m| Said {
            from: match &m.from {
                Sender::Family(_) if m.from_name.trim() == me.trim() => tr.t("own-messages-you"),
                _ => m.from_name.clone(),
            },
            mine: matches!(m.from, Sender::Family(_)),
            at: m.at.format("%d/%m/%Y %H:%M").to_string(),
            body: m.body.clone(),
        })
        .collect();
    let mut message_box = fields::with_textarea_hint(
        fields::textarea("message", &tr.t("own-messages-write"), message, &said),
        &tr.t("own-messages-hint"),
    );
    if let Some(m) = message_box.error_message.as_mut() {
        m.visually_hidden_text = Some(tr.t("error-prefix"));
    }
    let banner = done.and_then(|d| match d {
        "sent" | "withdrawn" | "given" => Some(fields::success(&tr.t(&format!("own-done-{d}")))),
        _ => None,
    });
    render(
        status_for(!said.is_empty()),
        &FamilyPage {
            frame,
            csrf: visitor.csrf().to_string(),
            banner,
            error_summary: fields::error_summary(&said).map(|mut s| {
                s.title_text = Some(tr.t("error-summary-title"));
                s
            }),
            hello: tr.t1("own-hello", "name", &page.name),
            own_part: page.sight == FamilySight::OwnPart,
            open: page.status != EpisodeStatus::Closed,
            page,
            consents,
            messages,
            message: message_box,
            send: fields::submit(&tr.t("own-messages-send")),
        },
    )
}

async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let Some((v, _)) = visit(&state, &headers, &visitor).await else {
        return Ok(to_home(lang));
    };
    let res = match episode_id(&id) {
        None => kind_page(&state, lang, StatusCode::NOT_FOUND, "not-yours"),
        Some(id) => match state.hearth.own_page(&v, id).await {
            Ok(p) => family_page(
                &state,
                &visitor,
                lang,
                p,
                q.done.as_deref(),
                "",
                &FieldErrors::new(),
            ),
            Err(e) => refused(&state, lang, e)?,
        },
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

#[derive(Debug, Default, Deserialize)]
struct MessageForm {
    #[serde(default)]
    message: String,
}

async fn send_message(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<MessageForm>,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let Some((v, _)) = visit(&state, &headers, &visitor).await else {
        return Ok(to_home(lang));
    };
    let Some(id) = episode_id(&id) else {
        return Ok(kind_page(&state, lang, StatusCode::NOT_FOUND, "not-yours"));
    };
    let res = match state.hearth.own_send_message(&v, id, &f.message).await {
        Ok(()) => Redirect::to(&format!(
            "/my-family/episodes/{id}?lang={}&done=sent#messages",
            lang.code()
        ))
        .into_response(),
        Err(AppError::Invalid(errors)) => {
            page_again(&state, &visitor, lang, &v, id, &f.message, &errors).await?
        }
        Err(e) => refused(&state, lang, e)?,
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

async fn change_consent(
    state: AppState,
    visitor: Visitor,
    q: LangQuery,
    headers: HeaderMap,
    (id, consent): (String, String),
    give: bool,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let Some((v, _)) = visit(&state, &headers, &visitor).await else {
        return Ok(to_home(lang));
    };
    let (Some(id), Ok(consent)) = (episode_id(&id), consent.parse::<Uuid>()) else {
        return Ok(kind_page(&state, lang, StatusCode::NOT_FOUND, "not-yours"));
    };
    let done = if give { "given" } else { "withdrawn" };
    let changed = if give {
        state.hearth.own_give_consent(&v, id, consent).await
    } else {
        state.hearth.own_withdraw_consent(&v, id, consent).await
    };
    let res = match changed {
        Ok(()) => Redirect::to(&format!(
            "/my-family/episodes/{id}?lang={}&done={done}#consents",
            lang.code()
        ))
        .into_response(),
        // Changed already (another tab, twice): the page as it is now, saying so.
        Err(AppError::Conflict) => {
            let mut errors = FieldErrors::new();
            errors.add("consent", "changed");
            page_again(&state, &visitor, lang, &v, id, "", &errors).await?
        }
        Err(e) => refused(&state, lang, e)?,
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

async fn withdraw_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(ids): Path<(String, String)>,
) -> Result<Response, WebError> {
    change_consent(state, visitor, q, headers, ids, false).await
}

async fn give_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Path(ids): Path<(String, String)>,
) -> Result<Response, WebError> {
    change_consent(state, visitor, q, headers, ids, true).await
}
