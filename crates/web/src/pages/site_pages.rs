//! The privacy notice, accessibility statement and cookies page, linked from every page's
//! footer, in the family's language. Each partnership writes its own in Markdown
//! (`site_pages_dir`); until it does, Hearth's own versions say what Hearth does, filled with
//! the partnership's name and contacts.

use crate::i18n::Lang;
use crate::markdown::{self, Fill};
use crate::pages::family_frame::{with_language, PublicFrame};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/privacy", get(privacy))
        .route("/accessibility", get(accessibility))
        .route("/cookies", get(cookies))
}

/// One of the pages, by the name of its file.
#[derive(Debug, Clone, Copy)]
enum SitePage {
    Privacy,
    Accessibility,
    Cookies,
}

impl SitePage {
    fn name(self) -> &'static str {
        match self {
            SitePage::Privacy => "privacy",
            SitePage::Accessibility => "accessibility",
            SitePage::Cookies => "cookies",
        }
    }

    /// The page's title message.
    fn title(self) -> &'static str {
        match self {
            SitePage::Privacy => "page-privacy",
            SitePage::Accessibility => "page-accessibility",
            SitePage::Cookies => "page-cookies",
        }
    }

    /// Hearth's own text in a language.
    fn shipped(self, lang: Lang) -> &'static str {
        macro_rules! pages {
            ($($l:ident => $code:literal),*) => {
                match (lang, self) {
                    $(
                        (Lang::$l, SitePage::Privacy) => include_str!(concat!("../../content/", $code, "/privacy.md")),
                        (Lang::$l, SitePage::Accessibility) => include_str!(concat!("../../content/", $code, "/accessibility.md")),
                        (Lang::$l, SitePage::Cookies) => include_str!(concat!("../../content/", $code, "/cookies.md")),
                    )*
                }
            };
        }
        pages!(En => "en", Ar => "ar", Ur => "ur", Pa => "pa", Ro => "ro", Pl => "pl")
    }

    /// The text to show and the language it is in: the partnership's in the family's
    /// language, else the partnership's in English, else Hearth's own.
    fn text(self, dir: Option<&std::path::Path>, lang: Lang) -> (String, Lang) {
        if let Some(dir) = dir {
            for l in [lang, Lang::En] {
                let path = dir.join(l.code()).join(format!("{}.md", self.name()));
                match std::fs::read_to_string(&path) {
                    Ok(text) => return (text, l),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    // Shown in Hearth's words instead; the engineer sees why in the log.
                    Err(e) => {
                        tracing::warn!(path = %path.display(), %e, "a site page could not be read")
                    }
                }
            }
        }
        (self.shipped(lang).to_string(), lang)
    }
}

#[derive(Template)]
#[template(path = "family/page.html")]
struct PageView {
    frame: PublicFrame,
    content: String,
    /// Set when the text is in another language than the page (the partnership's English).
    content_lang: Option<Lang>,
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    #[serde(default)]
    lang: Option<String>,
}

async fn privacy(
    state: State<AppState>,
    q: Query<PageQuery>,
    raw: RawQuery,
    headers: HeaderMap,
) -> Response {
    show(state, q, raw, headers, SitePage::Privacy)
}

async fn accessibility(
    state: State<AppState>,
    q: Query<PageQuery>,
    raw: RawQuery,
    headers: HeaderMap,
) -> Response {
    show(state, q, raw, headers, SitePage::Accessibility)
}

async fn cookies(
    state: State<AppState>,
    q: Query<PageQuery>,
    raw: RawQuery,
    headers: HeaderMap,
) -> Response {
    show(state, q, raw, headers, SitePage::Cookies)
}

fn show(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    page: SitePage,
) -> Response {
    let (lang, chosen) = Lang::choose(q.lang.as_deref(), &headers);
    let frame = PublicFrame::new(
        &state,
        lang,
        crate::i18n::Tr::new(lang).t(page.title()),
        &format!("/{}", page.name()),
        raw.as_deref(),
    );
    let (text, text_lang) = page.text(state.settings.site_pages_dir.as_deref(), lang);
    let contact = |c: &Option<String>| match c {
        Some(c) if c.contains('@') && !c.contains(char::is_whitespace) => Fill::Email(c.clone()),
        Some(c) => Fill::Text(c.clone()),
        None => Fill::Text(frame.tr.t("contact-fallback")),
    };
    let content = markdown::render(
        &text,
        &[
            (
                "partnership",
                Fill::Text(state.settings.partnership_name.clone()),
            ),
            ("privacy_contact", contact(&state.settings.privacy_contact)),
            (
                "accessibility_contact",
                contact(&state.settings.accessibility_contact),
            ),
        ],
    );
    let res = render(
        StatusCode::OK,
        &PageView {
            frame,
            content,
            content_lang: (text_lang != lang).then_some(text_lang),
        },
    );
    with_language(res, lang, chosen, state.settings.secure)
}
