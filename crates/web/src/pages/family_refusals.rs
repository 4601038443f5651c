//! Refusals on the pages a family reads — asking for help (`/ask…`), their own page
//! (`/my-family…`), feedback (`/feedback…`) and the directory (`/find…`) — said in the
//! family's language, right to left where it is written so, kindly and with what to do.
//!
//! Error pages are made far from these pages (the rate limits, the CSRF check, the
//! admission control, a handler's error) and in English for staff; each marks its response
//! with what it said ([`ShownError`]). This layer, around them all, says the same again in the
//! family's language, keeping the status and headers (`Retry-After`, cookies). A form refused
//! for its token shows what was typed, to copy, and never a form that would send it.

use crate::error::ShownError;
use crate::i18n::Lang;
use crate::pages::family_frame::{with_language, PublicFrame};
use crate::AppState;
use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The first part of every path a family reads.
const FAMILY_AREAS: [&str; 4] = ["/ask", "/my-family", "/feedback", "/find"];

/// Whether `path` is one of the family's pages.
pub fn is_family_path(path: &str) -> bool {
    FAMILY_AREAS.iter().any(|area| {
        path.strip_prefix(area)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The page to go back to from a refused `path`: the page of its form (a path that only
/// takes a form goes to the page that shows it).
fn page_of(path: &str) -> String {
    match path {
        "/ask/start" => "/ask".into(),
        "/ask/people/remove" => "/ask/check".into(),
        "/my-family/link" | "/my-family/sign-out" => "/my-family".into(),
        p if p.starts_with("/my-family/episodes/") => {
            p.split('/').take(4).collect::<Vec<_>>().join("/")
        }
        p => p.into(),
    }
}

/// What a person typed, to copy: the values of the form's fields, leaving out the choices
/// a form sends as codes (`yes`, `parent`), which mean nothing to them.
fn typed(form: &crate::form::ResumedForm) -> Vec<String> {
    form.answers()
        .into_iter()
        .map(|(_, v)| v.trim())
        .filter(|v| {
            !v.is_empty()
                && !v
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        })
        .map(str::to_string)
        .collect()
}

#[derive(Template)]
#[template(path = "family/refusal.html")]
struct RefusalPage {
    frame: PublicFrame,
    paragraphs: Vec<String>,
    typed: Vec<String>,
    back: String,
    /// The request's id, for a problem the family may tell someone about.
    reference: Option<String>,
}

/// Says a refusal on a family's page again in their language.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !is_family_path(&path) {
        return next.run(req).await;
    }
    let chosen: Option<String> = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v)
    });
    let (lang, _) = Lang::choose(chosen.as_deref(), req.headers());
    let res = next.run(req).await;
    let Some(shown) = res.extensions().get::<ShownError>().cloned() else {
        return res;
    };
    let back = page_of(&path);
    let mut frame = PublicFrame::new(&state, lang, String::new(), &back, None);
    let tr = frame.tr;
    let (title, paragraphs) = match &shown {
        ShownError::TooManyRequests => (
            "refusal-wait-title",
            vec![tr.t("refusal-wait-text"), tr.t("refusal-wait-next")],
        ),
        ShownError::FormRefused(_) => (
            "refusal-form-title",
            vec![tr.t("refusal-form-text"), tr.t("refusal-form-next")],
        ),
        ShownError::Busy => ("refusal-busy-title", vec![tr.t("refusal-busy-text")]),
        // A refusal says no more than a page that is not there.
        ShownError::NotFound | ShownError::Forbidden => (
            "refusal-not-found-title",
            vec![tr.t("refusal-not-found-text")],
        ),
        ShownError::BadRequest => ("refusal-sent-title", vec![tr.t("refusal-sent-text")]),
        ShownError::Internal => ("refusal-problem-title", vec![tr.t("refusal-problem-text")]),
    };
    frame.title = tr.t(title);
    let page = RefusalPage {
        frame,
        paragraphs,
        typed: match &shown {
            ShownError::FormRefused(form) => typed(form),
            _ => Vec::new(),
        },
        back,
        reference: matches!(shown, ShownError::Internal | ShownError::BadRequest)
            .then(crate::request_log::reference),
    };
    let Ok(html) = page.render() else {
        return res;
    };
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    with_language(
        Response::from_parts(parts, Body::from(html)),
        lang,
        false,
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::ResumedForm;

    #[test]
    fn the_familys_pages_are_known_by_their_paths() {
        for p in [
            "/ask",
            "/ask/check",
            "/my-family",
            "/my-family/episodes/1/messages",
            "/feedback/abc",
            "/find",
            "/find/services/1",
        ] {
            assert!(is_family_path(p), "{p}");
        }
        for p in [
            "/asking",
            "/front-door/family-asks/1",
            "/episodes/1/family",
            "/",
        ] {
            assert!(!is_family_path(p), "{p}");
        }
    }

    #[test]
    fn a_refused_form_goes_back_to_its_page() {
        assert_eq!(page_of("/ask/start"), "/ask");
        assert_eq!(page_of("/ask/worry"), "/ask/worry");
        assert_eq!(page_of("/my-family/link"), "/my-family");
        assert_eq!(
            page_of("/my-family/episodes/abc/consents/x/withdraw"),
            "/my-family/episodes/abc"
        );
        assert_eq!(page_of("/feedback/tok"), "/feedback/tok");
    }

    #[test]
    fn what_was_typed_is_shown_without_the_forms_codes() {
        let form = ResumedForm::from_body(
            "/ask/worry",
            "csrf_token=t&asker=parent&worry=%D9%86%D8%AD%D9%86+%D9%86%D8%AE%D8%A7%D9%81&email=a%40b.org&empty="
                .as_bytes(),
        );
        assert_eq!(
            typed(&form),
            vec!["نحن نخاف".to_string(), "a@b.org".to_string()]
        );
    }
}
