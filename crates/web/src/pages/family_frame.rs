//! The frame of every page a family reads: its language (chosen, remembered or the
//! browser's), the links to the same page in the other languages, and the footer's links to
//! the privacy notice, accessibility statement and cookies page.

use crate::assets;
use crate::i18n::{Lang, Tr};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::Response;

/// What every public page carries: its language and the frame around it.
pub struct PublicFrame {
    pub tr: Tr,
    pub lang: Lang,
    pub title: String,
    pub partnership: String,
    pub css: String,
    /// Progressive enhancement only: every page works without it.
    pub js: String,
    pub govuk_frontend_js: String,
    pub languages: Vec<LanguageLink>,
    pub has_errors: bool,
}

pub struct LanguageLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl PublicFrame {
    pub fn new(
        state: &AppState,
        lang: Lang,
        title: String,
        path: &str,
        query: Option<&str>,
    ) -> Self {
        // Each language link is this page again, with the language changed.
        let kept: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map(|pairs: Vec<(String, String)>| {
                pairs.into_iter().filter(|(k, _)| k != "lang").collect()
            })
            .unwrap_or_default();
        let languages = Lang::ALL
            .into_iter()
            .map(|l| {
                let mut pairs = kept.clone();
                pairs.push(("lang".into(), l.code().into()));
                LanguageLink {
                    code: l.code(),
                    name: l.native_name(),
                    href: format!(
                        "{path}?{}",
                        serde_urlencoded::to_string(&pairs).unwrap_or_default()
                    ),
                    current: l == lang,
                }
            })
            .collect();
        Self {
            tr: Tr::new(lang),
            lang,
            title,
            partnership: state.settings.partnership_name.clone(),
            css: assets::url("hearth.css"),
            js: assets::url("hearth.js"),
            govuk_frontend_js: assets::url("govuk-frontend.min.js"),
            languages,
            has_errors: false,
        }
    }
}

/// What the one kind page says: a heading, a message in plain words and, where there is one,
/// a way on (text, link).
pub struct KindWords {
    pub heading: String,
    pub message: String,
    pub next: Option<(String, String)>,
}

/// The kind page a family reads when there is nothing more to do on a page: a link that
/// cannot be used (used already, or expired), a thank-you, a page that is not theirs.
#[derive(Template)]
#[template(path = "family/kind.html")]
struct KindPage {
    frame: PublicFrame,
    heading: String,
    message: String,
    next: Option<(String, String)>,
}

/// The kind page at `path`, with `status`.
pub fn kind_page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    path: &str,
    words: KindWords,
) -> Response {
    render(
        status,
        &KindPage {
            frame: PublicFrame::new(state, lang, words.heading.clone(), path, None),
            heading: words.heading,
            message: words.message,
            next: words.next,
        },
    )
}

/// Remembers a language chosen on this request.
pub fn with_language(mut res: Response, lang: Lang, chosen: bool, secure: bool) -> Response {
    if chosen {
        res.headers_mut()
            .append(header::SET_COOKIE, lang.cookie(secure));
    }
    // The page differs by language, which comes from the cookie and the browser.
    res.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("Cookie, Accept-Language"),
    );
    res
}
