//! The partnership's own pages (privacy notice, accessibility statement, cookies), written in
//! Markdown so that a data protection officer can change them without a developer, rendered in
//! the GOV.UK styles. Written by the partnership, but shown to families: raw HTML is shown as
//! text, and links go only to `https`, `http`, `mailto`, `tel` or this site.

use askama::filters::{escape, Html};
use hearth_domain::input::link_scheme;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// What `{name}` in the text stands for: plain text, or an address shown as a link.
pub enum Fill {
    Text(String),
    Email(String),
}

/// The page as HTML, with each `{name}` in its text replaced by its fill.
pub fn render(source: &str, fills: &[(&str, Fill)]) -> String {
    let mut html = String::with_capacity(source.len() * 2);
    // A link whose address is not allowed keeps its text and loses its address.
    let mut refused_links = 0usize;
    for event in Parser::new(source) {
        match event {
            Event::Start(tag) => open(&mut html, tag, &mut refused_links),
            Event::End(tag) => close(&mut html, tag, &mut refused_links),
            Event::Text(t) => filled(&mut html, &t, fills),
            Event::Code(t) => {
                html.push_str("<code>");
                push_text(&mut html, &t);
                html.push_str("</code>");
            }
            // Written HTML is shown, never run.
            Event::Html(t) | Event::InlineHtml(t) => push_text(&mut html, &t),
            Event::SoftBreak => html.push(' '),
            Event::HardBreak => html.push_str("<br>"),
            Event::Rule => html.push_str(r#"<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">"#),
            _ => {}
        }
    }
    html
}

fn open(html: &mut String, tag: Tag, refused_links: &mut usize) {
    match tag {
        Tag::Heading { level, .. } => {
            let (h, class) = heading(level);
            html.push_str(&format!(r#"<{h} class="{class}">"#));
        }
        Tag::Paragraph => html.push_str(r#"<p class="govuk-body">"#),
        Tag::List(None) => html.push_str(r#"<ul class="govuk-list govuk-list--bullet">"#),
        Tag::List(Some(_)) => html.push_str(r#"<ol class="govuk-list govuk-list--number">"#),
        Tag::Item => html.push_str("<li>"),
        Tag::Emphasis => html.push_str("<em>"),
        Tag::Strong => html.push_str("<strong>"),
        Tag::BlockQuote(_) => html.push_str(r#"<div class="govuk-inset-text">"#),
        Tag::Link { dest_url, .. } if allowed(&dest_url) => {
            html.push_str(r#"<a class="govuk-link" href=""#);
            push_text(html, &dest_url);
            html.push_str(r#"">"#);
        }
        Tag::Link { .. } => *refused_links += 1,
        _ => {}
    }
}

fn close(html: &mut String, tag: TagEnd, refused_links: &mut usize) {
    match tag {
        TagEnd::Heading(level) => html.push_str(&format!("</{}>", heading(level).0)),
        TagEnd::Paragraph => html.push_str("</p>"),
        TagEnd::List(false) => html.push_str("</ul>"),
        TagEnd::List(true) => html.push_str("</ol>"),
        TagEnd::Item => html.push_str("</li>"),
        TagEnd::Emphasis => html.push_str("</em>"),
        TagEnd::Strong => html.push_str("</strong>"),
        TagEnd::BlockQuote(_) => html.push_str("</div>"),
        TagEnd::Link if *refused_links > 0 => *refused_links -= 1,
        TagEnd::Link => html.push_str("</a>"),
        _ => {}
    }
}

fn heading(level: HeadingLevel) -> (&'static str, &'static str) {
    match level {
        HeadingLevel::H1 => ("h1", "govuk-heading-l"),
        HeadingLevel::H2 => ("h2", "govuk-heading-m"),
        _ => ("h3", "govuk-heading-s"),
    }
}

/// Only the kinds of link Hearth shows anywhere, or a path on this site.
fn allowed(url: &str) -> bool {
    (url.starts_with('/') && !url.starts_with("//")) || link_scheme(url).is_some()
}

fn filled(html: &mut String, text: &str, fills: &[(&str, Fill)]) {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        let Some((_, fill)) = fills.iter().find(|(n, _)| *n == name) else {
            push_text(html, &rest[..start + len + 1]);
            rest = &rest[start + len + 1..];
            continue;
        };
        push_text(html, &rest[..start]);
        // A name or address in English inside Arabic or Urdu text keeps its own direction.
        html.push_str("<bdi>");
        match fill {
            Fill::Text(t) => push_text(html, t),
            Fill::Email(address) => {
                html.push_str(r#"<a class="govuk-link" href="mailto:"#);
                push_text(html, address);
                html.push_str(r#"">"#);
                push_text(html, address);
                html.push_str("</a>");
            }
        }
        html.push_str("</bdi>");
        rest = &rest[start + len + 1..];
    }
    push_text(html, rest);
}

fn push_text(html: &mut String, text: &str) {
    html.push_str(
        &escape(text, Html)
            .map(|e| e.to_string())
            .unwrap_or_default(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_lists_and_links_take_the_govuk_styles() {
        let html = render(
            "# Privacy\n\nWe keep **little**.\n\n- one\n- two\n\n[ICO](https://ico.org.uk/)",
            &[],
        );
        assert!(
            html.contains(r#"<h1 class="govuk-heading-l">Privacy</h1>"#),
            "{html}"
        );
        assert!(html.contains(r#"<p class="govuk-body">We keep <strong>little</strong>.</p>"#));
        assert!(html.contains(
            r#"<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>"#
        ));
        assert!(html.contains(r#"<a class="govuk-link" href="https://ico.org.uk/">ICO</a>"#));
    }

    #[test]
    fn written_html_is_shown_as_text_and_unsafe_links_lose_their_address() {
        let html = render(
            "<script>alert(1)</script>\n\nSee [this](javascript:alert(1)) and <b onclick=x>that</b>.",
            &[],
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("See this and"), "{html}");
        assert!(!html.contains("<b "), "{html}");
    }

    #[test]
    fn placeholders_are_filled_escaped_and_addresses_become_mailto_links() {
        let html = render(
            "Contact {contact} at {partnership}; {unknown} stays.",
            &[
                ("partnership", Fill::Text("A & B <Partnership>".into())),
                ("contact", Fill::Email("dpo@example.org".into())),
            ],
        );
        assert!(
            html.contains("A &#38; B &#60;Partnership&#62;")
                || html.contains("A &amp; B &lt;Partnership&gt;"),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<a class="govuk-link" href="mailto:dpo@example.org">dpo@example.org</a>"#
            ),
            "{html}"
        );
        assert!(html.contains("{unknown} stays."), "{html}");
    }
}
