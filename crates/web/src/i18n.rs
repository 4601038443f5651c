//! The languages of the public directory pages and their Fluent messages.
//!
//! The text lives in `locales/<code>/directory.ftl` (the directory), `family.ftl` (the
//! family's other pages), `ask.ftl` (asking for help) and `own.ftl` (the family's own page),
//! one set per language with the same message ids, so a translator corrects a translation without touching code. The files are
//! built into the binary; a message missing from a language falls back to English.

use axum::http::{header, HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The cookie that remembers the family's choice.
pub const LANG_COOKIE: &str = "hearth_lang";

/// The partnership's language audit: English, Arabic, Urdu, Punjabi, Romanian and Polish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ar,
    Ur,
    Pa,
    Ro,
    Pl,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Ar, Lang::Ur, Lang::Pa, Lang::Ro, Lang::Pl];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Ur => "ur",
            Lang::Pa => "pa",
            Lang::Ro => "ro",
            Lang::Pl => "pl",
        }
    }

    /// The language's name in itself, as a family looks for it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Ur => "اردو",
            Lang::Pa => "ਪੰਜਾਬੀ",
            Lang::Ro => "Română",
            Lang::Pl => "Polski",
        }
    }

    /// `rtl` for the languages written right to left.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar | Lang::Ur => "rtl",
            _ => "ltr",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        Self::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language's Fluent files: the directory's, and the family's other pages'.
    fn sources(self) -> [&'static str; 4] {
        match self {
            Lang::En => [
                include_str!("../locales/en/directory.ftl"),
                include_str!("../locales/en/family.ftl"),
                include_str!("../locales/en/ask.ftl"),
                include_str!("../locales/en/own.ftl"),
            ],
            Lang::Ar => [
                include_str!("../locales/ar/directory.ftl"),
                include_str!("../locales/ar/family.ftl"),
                include_str!("../locales/ar/ask.ftl"),
                include_str!("../locales/ar/own.ftl"),
            ],
            Lang::Ur => [
                include_str!("../locales/ur/directory.ftl"),
                include_str!("../locales/ur/family.ftl"),
                include_str!("../locales/ur/ask.ftl"),
                include_str!("../locales/ur/own.ftl"),
            ],
            Lang::Pa => [
                include_str!("../locales/pa/directory.ftl"),
                include_str!("../locales/pa/family.ftl"),
                include_str!("../locales/pa/ask.ftl"),
                include_str!("../locales/pa/own.ftl"),
            ],
            Lang::Ro => [
                include_str!("../locales/ro/directory.ftl"),
                include_str!("../locales/ro/family.ftl"),
                include_str!("../locales/ro/ask.ftl"),
                include_str!("../locales/ro/own.ftl"),
            ],
            Lang::Pl => [
                include_str!("../locales/pl/directory.ftl"),
                include_str!("../locales/pl/family.ftl"),
                include_str!("../locales/pl/ask.ftl"),
                include_str!("../locales/pl/own.ftl"),
            ],
        }
    }

    /// The language to use: one chosen on this request (`?lang=`), else the one remembered in
    /// the cookie, else the browser's first supported preference, else English.
    pub fn choose(chosen: Option<&str>, headers: &HeaderMap) -> (Self, bool) {
        if let Some(l) = chosen.and_then(Lang::from_code) {
            return (l, true);
        }
        let cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(n, _)| *n == LANG_COOKIE)
            .and_then(|(_, v)| Lang::from_code(v));
        if let Some(l) = cookie {
            return (l, false);
        }
        let browser = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .filter_map(|part| Lang::from_code(part.split(';').next().unwrap_or("")))
                    .next()
            });
        (browser.unwrap_or(Lang::En), false)
    }

    /// The Set-Cookie header that remembers the choice for a year.
    pub fn cookie(self, secure: bool) -> HeaderValue {
        let c = Cookie::build((LANG_COOKIE, self.code()))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(cookie::time::Duration::days(365))
            .build();
        HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static Vec<(Lang, Bundle)> {
    static BUNDLES: OnceLock<Vec<(Lang, Bundle)>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Unicode isolation marks keep a postcode or a number the right way round
                // inside right-to-left text; left-to-right text needs none.
                bundle.set_use_isolating(lang.dir() == "rtl");
                for source in lang.sources() {
                    match FluentResource::try_new(source.to_string()) {
                        Ok(r) => {
                            if let Err(e) = bundle.add_resource(r) {
                                tracing::error!(
                                    lang = lang.code(),
                                    ?e,
                                    "duplicate Fluent messages"
                                );
                            }
                        }
                        Err((r, e)) => {
                            tracing::error!(lang = lang.code(), ?e, "Fluent syntax errors");
                            let _ = bundle.add_resource(r);
                        }
                    }
                }
                (lang, bundle)
            })
            .collect()
    })
}

fn format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    let (_, bundle) = bundles().iter().find(|(l, _)| *l == lang)?;
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// The messages of one language, for a page's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    fn get(&self, id: &str, args: Option<&FluentArgs>) -> String {
        format(self.lang, id, args)
            .or_else(|| format(Lang::En, id, args))
            .unwrap_or_else(|| id.to_string())
    }

    /// A message with no arguments.
    pub fn t(&self, id: &str) -> String {
        self.get(id, None)
    }

    /// A message with one argument, named `name`.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.get(id, Some(&args))
    }

    /// A message with a number, for plurals.
    pub fn n(&self, id: &str, name: &str, value: u64) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value));
        self.get(id, Some(&args))
    }

    /// A message with two arguments.
    pub fn t2(
        &self,
        id: &str,
        a: (&str, impl std::fmt::Display),
        b: (&str, impl std::fmt::Display),
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(a.0, FluentValue::from(a.1.to_string()));
        args.set(b.0, FluentValue::from(b.1.to_string()));
        self.get(id, Some(&args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language has every English message, and none has one English lacks; every
    /// file parses. A translator's slip shows here rather than as English on a family's page.
    #[test]
    fn every_language_has_every_message() {
        let ids = |lang: Lang| -> Vec<String> {
            let mut ids: Vec<String> = Vec::new();
            for source in lang.sources() {
                let r = FluentResource::try_new(source.to_string())
                    .unwrap_or_else(|(_, e)| panic!("{}: {e:?}", lang.code()));
                ids.extend(r.entries().filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                }));
            }
            ids.sort();
            ids
        };
        let english = ids(Lang::En);
        for lang in Lang::ALL {
            assert_eq!(ids(lang), english, "{}", lang.code());
        }
    }

    #[test]
    fn plurals_and_arguments_follow_the_language() {
        let en = Tr::new(Lang::En);
        assert_eq!(en.n("results-heading", "count", 0), "No services found");
        assert_eq!(en.n("results-heading", "count", 1), "1 service found");
        assert_eq!(en.n("results-heading", "count", 7), "7 services found");
        let pl = Tr::new(Lang::Pl);
        assert_eq!(pl.n("results-heading", "count", 3), "Znaleziono 3 usługi");
        assert_eq!(pl.n("results-heading", "count", 5), "Znaleziono 5 usług");
        let ur = Tr::new(Lang::Ur);
        assert_ne!(ur.t("search-title"), en.t("search-title"));
        assert_eq!(Lang::Ur.dir(), "rtl");
        assert_eq!(Lang::Pa.dir(), "ltr");
    }

    #[test]
    fn the_choice_comes_from_the_request_then_the_cookie_then_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::choose(None, &h), (Lang::En, false));
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("fr-FR, pl;q=0.8"),
        );
        assert_eq!(Lang::choose(None, &h), (Lang::Pl, false));
        h.insert(header::COOKIE, HeaderValue::from_static("hearth_lang=ur"));
        assert_eq!(Lang::choose(None, &h), (Lang::Ur, false));
        assert_eq!(Lang::choose(Some("ar"), &h), (Lang::Ar, true));
        assert_eq!(Lang::choose(Some("xx"), &h), (Lang::Ur, false));
    }

    /// The message ids the public pages ask for: every literal `.t("…")`, `.t1("…"`,
    /// `.t2("…"` and `.n("…"` in the find page's code and templates, and the ids made from
    /// the directory's codes (needs, days, ways in, search problems).
    fn ids_used() -> Vec<String> {
        let sources = [
            include_str!("pages/find.rs"),
            include_str!("pages/feedback.rs"),
            include_str!("pages/site_pages.rs"),
            include_str!("../templates/family/layout.html"),
            include_str!("../templates/family/page.html"),
            include_str!("../templates/feedback/ask.html"),
            include_str!("../templates/family/kind.html"),
            include_str!("../templates/find/search.html"),
            include_str!("../templates/find/service.html"),
            include_str!("../templates/find/not_found.html"),
            include_str!("pages/own/mod.rs"),
            include_str!("../templates/own/ask.html"),
            include_str!("../templates/own/continue.html"),
            include_str!("../templates/own/list.html"),
            include_str!("../templates/own/page.html"),
        ];
        let mut ids = Vec::new();
        for source in sources {
            for call in [".t(\"", ".t1(\"", ".t2(\"", ".n(\""] {
                for (at, _) in source.match_indices(call) {
                    let rest = &source[at + call.len()..];
                    if let Some(end) = rest.find('"') {
                        let id = &rest[..end];
                        if !id.is_empty()
                            && id
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        {
                            ids.push(id.to_string());
                        }
                    }
                }
            }
        }
        use hearth_domain::directory::{AccessMethod, SearchProblem, NEEDS, WEEKDAYS};
        ids.extend(NEEDS.terms.iter().map(|t| format!("need-{}", t.code)));
        ids.extend(WEEKDAYS.iter().map(|(c, _)| format!("day-{c}")));
        ids.extend(
            AccessMethod::ALL
                .iter()
                .map(|a| format!("access-{}", a.code())),
        );
        ids.extend(
            [
                SearchProblem::AgeNotNumber,
                SearchProblem::AgeNegative,
                SearchProblem::AgeTooHigh,
                SearchProblem::PostcodeMalformed,
                SearchProblem::PostcodeUnknown,
                SearchProblem::DistanceInvalid,
                SearchProblem::PageInvalid,
                SearchProblem::PageSizeInvalid,
                SearchProblem::PageSizeTooLarge,
            ]
            .iter()
            .map(|p| p.code().to_string()),
        );
        ids.extend(
            hearth_domain::feedback::LinkProblem::ALL
                .iter()
                .map(|p| format!("feedback-{}", p.code())),
        );
        ids.extend(
            hearth_domain::feedback::RATINGS
                .iter()
                .map(|(r, _)| format!("rating-{r}")),
        );
        // The family's own page: its kind pages, message problems, done banners and plan
        // action statuses, named from codes.
        for code in [
            "nothing",
            "link-used",
            "link-expired",
            "link-unknown",
            "not-yours",
            "signed-out",
        ] {
            ids.push(format!("own-{code}-title"));
            ids.push(format!("own-{code}"));
        }
        use hearth_domain::own::MessageProblem;
        for p in [
            MessageProblem::Empty,
            MessageProblem::TooLong,
            MessageProblem::TooMany,
        ] {
            ids.push(format!("own-message-error-{}", p.code().replace('_', "-")));
        }
        for d in ["sent", "withdrawn", "given"] {
            ids.push(format!("own-done-{d}"));
        }
        for s in hearth_domain::plan::ActionStatus::ALL {
            ids.push(format!("own-action-{}", s.code().replace('_', "-")));
        }
        use hearth_domain::survey::{Audience, Choices, QUESTION_CODES};
        for a in Audience::ALL {
            ids.extend(
                QUESTION_CODES
                    .iter()
                    .map(|q| format!("survey-{}-{q}", a.code())),
            );
        }
        for c in [Choices::Better, Choices::YesABitNo] {
            ids.extend(
                c.codes()
                    .iter()
                    .map(|code| format!("survey-choice-{}", code.replace('_', "-"))),
            );
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// Every message the public pages ask for is in each language's file: no page falls back
    /// to English, or shows a message id, because a string was left out of a Fluent file.
    #[test]
    fn every_message_the_public_pages_use_is_in_the_files() {
        let used = ids_used();
        assert!(used.len() > 40, "the scan found the calls: {used:?}");
        for (lang, bundle) in bundles() {
            for id in &used {
                assert!(
                    bundle.has_message(id),
                    "{}: message {id} is missing",
                    lang.code()
                );
            }
            // And the check itself notices a missing message.
            assert!(!bundle.has_message("no-such-message"));
        }
    }
}
