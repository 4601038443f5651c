//! "Sign in with GOV.UK One Login" on the family's page (ADR 0056): a link that sends the
//! family member to the partnership's provider in their language, and the provider's answer,
//! which becomes the same family session a one-time link gives, or a kind page in their
//! language saying what to do. Each refusal was audited where it was refused.

use super::{kind_page, to_home, LangQuery, FAMILY_COOKIE};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::pages::family_frame::with_language;
use crate::session::{cookie_header, cookie_value, expired_cookie_header, Visitor};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::SameSite;
use hearth_app::accounts::single_sign_on::ProviderAnswer;
use hearth_app::own::{FamilySignOnRefused, FamilySignedOn};
use hearth_app::AppError;
use hearth_domain::family_sign_on::{FamilyRefusal, FamilyRefusalPage};
use hearth_domain::message::Language;
use serde::Deserialize;

/// The cookie that ties the provider's answer to the browser that went there: the family's
/// own, apart from the staff's `hearth_sign_on`. `Lax`, since the answer arrives as a
/// top-level navigation from the provider's site.
pub(super) const FAMILY_SIGN_ON_COOKIE: &str = "hearth_family_sign_on";

fn language(lang: Lang) -> Language {
    Language::from_code(lang.code()).unwrap_or(Language::En)
}

/// The kind page for a refusal, in the family's language.
fn refused(state: &AppState, lang: Lang, refusal: FamilyRefusal) -> Response {
    let page = refusal.page();
    let status = match page {
        FamilyRefusalPage::Unavailable => StatusCode::BAD_GATEWAY,
        _ => StatusCode::FORBIDDEN,
    };
    kind_page(state, lang, status, &format!("one-login-{}", page.code()))
}

/// `GET /my-family/one-login`: to the provider. Starting changes nothing of anyone's: the
/// answer is accepted only in this browser.
pub(super) async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let res = match state
        .hearth
        .begin_family_one_login(language(lang), visitor.origin())
        .await
    {
        Ok(start) => {
            let mut res = Redirect::to(&start.provider_url).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(
                    FAMILY_SIGN_ON_COOKIE,
                    &start.browser_token,
                    state.settings.secure,
                    SameSite::Lax,
                ),
            );
            res
        }
        Err(FamilySignOnRefused::Refused(r, _)) => refused(&state, lang, r),
        // Not offered here: the same page as any address nobody knows.
        Err(FamilySignOnRefused::Error(AppError::NotFound)) => {
            kind_page(&state, lang, StatusCode::NOT_FOUND, "not-yours")
        }
        Err(FamilySignOnRefused::Error(e)) => return Err(e.into()),
    };
    Ok(with_language(res, lang, chosen, state.settings.secure))
}

#[derive(Deserialize)]
pub(super) struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// `GET /my-family/one-login/callback`: the provider's answer.
pub(super) async fn callback(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, WebError> {
    let answer = ProviderAnswer {
        state: q.state.as_deref(),
        code: q.code.as_deref(),
        error: q.error.as_deref(),
        browser_token: cookie_value(&headers, FAMILY_SIGN_ON_COOKIE),
    };
    let secure = state.settings.secure;
    // The language the family went to the provider in, when the answer is theirs; else the
    // browser's.
    let (fallback, _) = Lang::choose(None, &headers);
    let in_lang = |l: Option<Language>| {
        l.and_then(|l| Lang::from_code(l.code()))
            .unwrap_or(fallback)
    };
    let (mut res, lang) = match state
        .hearth
        .finish_family_one_login(answer, visitor.origin())
        .await
    {
        Ok(FamilySignedOn { session, lang, .. }) => {
            let lang = in_lang(Some(lang));
            let mut res = to_home(lang);
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(FAMILY_COOKIE, &session, secure, SameSite::Lax),
            );
            (res, lang)
        }
        Err(FamilySignOnRefused::Refused(r, l)) => {
            let lang = in_lang(l);
            (refused(&state, lang, r), lang)
        }
        Err(FamilySignOnRefused::Error(AppError::NotFound)) => (
            kind_page(&state, fallback, StatusCode::NOT_FOUND, "not-yours"),
            fallback,
        ),
        Err(FamilySignOnRefused::Error(e)) => return Err(e.into()),
    };
    res.headers_mut().append(
        header::SET_COOKIE,
        expired_cookie_header(FAMILY_SIGN_ON_COOKIE, secure),
    );
    Ok(with_language(res, lang, false, secure))
}
