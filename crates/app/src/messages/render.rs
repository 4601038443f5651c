//! Writing a message in its recipient's language, from the Fluent files in
//! `crates/app/messages/<code>.ftl` (one per language, the same ids in each, as the families'
//! pages are translated: docs/translations.md). Each message is plain text and simple HTML;
//! the link goes on its own line after the words, outside the translation.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use hearth_domain::message::{Language, Template};
use std::sync::OnceLock;

/// A message written out, ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

type Bundle = FluentBundle<FluentResource>;

fn source(language: Language) -> &'static str {
    match language {
        Language::En => include_str!("../../messages/en.ftl"),
        Language::Ar => include_str!("../../messages/ar.ftl"),
        Language::Ur => include_str!("../../messages/ur.ftl"),
        Language::Pa => include_str!("../../messages/pa.ftl"),
        Language::Ro => include_str!("../../messages/ro.ftl"),
        Language::Pl => include_str!("../../messages/pl.ftl"),
    }
}

fn bundles() -> &'static Vec<(Language, Bundle)> {
    static BUNDLES: OnceLock<Vec<(Language, Bundle)>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Language::ALL
            .into_iter()
            .filter_map(|language| {
                let id = language.code().parse().ok()?;
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks keep a name or a date the right way round in right-to-left
                // text; left-to-right text needs none.
                bundle.set_use_isolating(language.dir() == "rtl");
                match FluentResource::try_new(source(language).to_string()) {
                    Ok(r) => {
                        if let Err(e) = bundle.add_resource(r) {
                            tracing::error!(language = language.code(), ?e, "message file");
                        }
                    }
                    Err((r, e)) => {
                        tracing::error!(language = language.code(), ?e, "message file");
                        let _ = bundle.add_resource(r);
                    }
                }
                Some((language, bundle))
            })
            .collect()
    })
}

/// One message's text in `language`, falling back to English when a translation lacks it.
fn say(language: Language, id: &str, args: &FluentArgs) -> String {
    for lang in [language, Language::En] {
        let Some((_, bundle)) = bundles().iter().find(|(l, _)| *l == lang) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = vec![];
            return bundle
                .format_pattern(pattern, Some(args), &mut errors)
                .into_owned();
        }
    }
    id.to_string()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes `template` in `language` with the values it names (`name`, `expires`) and the link.
pub fn render(
    template: Template,
    language: Language,
    values: &[(&'static str, String)],
    link: &str,
) -> Rendered {
    let mut args = FluentArgs::new();
    for (k, v) in values {
        args.set(*k, v.clone());
    }
    let id = template.code().replace('_', "-");
    let subject = say(language, &format!("{id}-subject"), &args);
    let body = say(language, &format!("{id}-body"), &args);
    let footer = say(language, "footer", &args);
    let text = format!("{body}\n\n{link}\n\n-- \n{footer}\n");
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
         <body style=\"font-family: Arial, sans-serif\"><p>{body}</p><p><a href=\"{link}\">{link}</a></p>\
         <p style=\"color: #505a5f\">{footer}</p></body></html>\n",
        code = language.code(),
        dir = language.dir(),
        subject = escape(&subject),
        body = escape(&body),
        link = escape(link),
        footer = escape(&footer),
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// Whether a template has a text message form: the family's links (ADR 0049), and reminders
/// of work due and of training running out for a practitioner who chose texts.
pub fn has_text(template: Template) -> bool {
    matches!(
        template,
        Template::FeedbackLink
            | Template::FamilyPageLink
            | Template::WorkReminder
            | Template::TrainingReminder
    )
}

/// Writes `template` as a text message in `language`: a few words and the link, kept short
/// (Arabic, Urdu and Punjabi texts are UCS-2, 70 characters a text). `None` for a template
/// that is not sent by text.
pub fn render_text(
    template: Template,
    language: Language,
    values: &[(&'static str, String)],
    link: &str,
) -> Option<String> {
    if !has_text(template) {
        return None;
    }
    let mut args = FluentArgs::new();
    for (k, v) in values {
        args.set(*k, v.clone());
    }
    let id = template.code().replace('_', "-");
    let words = say(language, &format!("{id}-text"), &args);
    Some(format!("{words} {link}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::sms::{length, MAX_SEGMENTS};

    fn ids(source: &str) -> Vec<String> {
        let mut ids: Vec<String> = source
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
            .filter_map(|l| l.split(" = ").next().map(str::to_string))
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn every_language_has_every_message_and_no_other() {
        let english = ids(source(Language::En));
        for t in Template::ALL {
            let id = t.code().replace('_', "-");
            assert!(english.contains(&format!("{id}-subject")), "{id}");
            assert!(english.contains(&format!("{id}-body")), "{id}");
            if has_text(t) {
                assert!(english.contains(&format!("{id}-text")), "{id}");
            }
        }
        for l in Language::ALL {
            assert_eq!(ids(source(l)), english, "{}", l.code());
            assert!(FluentResource::try_new(source(l).to_string()).is_ok());
        }
    }

    #[test]
    fn a_message_is_written_in_its_language_with_its_values_escaped() {
        let r = render(
            Template::PasswordReset,
            Language::Pl,
            &[
                ("name", "<Anna & Co>".into()),
                ("expires", "05/12/2026".into()),
            ],
            "https://hearth.example/reset-password/abc",
        );
        assert_eq!(r.subject, "Ustaw nowe hasło do Hearth");
        assert!(r.text.contains("Dzień dobry, <Anna & Co>."), "{}", r.text);
        assert!(r.text.contains("do 05/12/2026"));
        assert!(r
            .text
            .contains("\nhttps://hearth.example/reset-password/abc\n"));
        assert!(r.html.contains("&lt;Anna &amp; Co&gt;"));
        assert!(!r.html.contains("<Anna"));
        assert!(r.html.contains("lang=\"pl\" dir=\"ltr\""));
        let ar = render(
            Template::FeedbackLink,
            Language::Ar,
            &[],
            "https://x.example/f",
        );
        assert!(ar.html.contains("dir=\"rtl\""));
    }

    #[test]
    fn every_text_stays_within_three_texts_in_every_language() {
        // A link as long as a real one: a partnership's address and a 43-character token.
        let link = format!(
            "https://family-help.example-council.gov.uk/own/link/{}",
            "a".repeat(43)
        );
        for t in Template::ALL.into_iter().filter(|t| has_text(*t)) {
            for l in Language::ALL {
                let values = [
                    ("expires", "05/12/2026".into()),
                    ("due", "05/12/2026".into()),
                    ("work", "assessment".into()),
                    // A course's title as long as a real one.
                    (
                        "course",
                        "Safeguarding children level 3 (multi-agency)".into(),
                    ),
                ];
                let text = render_text(t, l, &values, &link).expect("a text");
                assert!(
                    text.ends_with(&link) && text.contains("05/12/2026"),
                    "{text}"
                );
                let n = length(&text);
                assert!(
                    n.segments <= MAX_SEGMENTS,
                    "{} {}: {n:?}",
                    t.code(),
                    l.code()
                );
            }
        }
        assert_eq!(
            render_text(Template::PasswordReset, Language::En, &[], "x"),
            None
        );
    }
}
