//! What a journey reads off a page: the form's CSRF token and the links to follow.

use scraper::{Html, Selector};

fn select(html: &Html, css: &str, attr: &str) -> Vec<String> {
    Selector::parse(css)
        .map(|s| {
            html.select(&s)
                .filter_map(|e| e.value().attr(attr).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The session's CSRF token, from any form on the page.
pub fn csrf(body: &str) -> Option<String> {
    select(
        &Html::parse_document(body),
        r#"input[name="csrf_token"]"#,
        "value",
    )
    .into_iter()
    .next()
}

/// The ids in links of the form `{prefix}{id}` (ids are UUIDs), first seen first, no repeats.
pub fn linked_ids(body: &str, prefix: &str) -> Vec<String> {
    ids_in(body, "a[href]", prefix)
}

/// The open episodes in My work's caseload table (other links there may be closed ones,
/// e.g. a six-month follow-up task).
pub fn caseload(body: &str) -> Vec<String> {
    ids_in(body, "#caseload + table a[href]", "/episodes/")
}

fn ids_in(body: &str, links: &str, prefix: &str) -> Vec<String> {
    let html = Html::parse_document(body);
    let mut out: Vec<String> = Vec::new();
    for href in select(&html, links, "href") {
        if let Some(rest) = href.strip_prefix(prefix) {
            let id: String = rest
                .chars()
                .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
                .collect();
            if id.len() == 36 && !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// The non-empty values a `<select name="{name}">` offers, in order.
pub fn options(body: &str, name: &str) -> Vec<String> {
    select(
        &Html::parse_document(body),
        &format!(r#"select[name="{name}"] option"#),
        "value",
    )
    .into_iter()
    .filter(|v| !v.is_empty())
    .collect()
}

/// The values of the inputs named `name`, in order (e.g. a register's listed members).
pub fn values(body: &str, name: &str) -> Vec<String> {
    select(
        &Html::parse_document(body),
        &format!(r#"input[name="{name}"]"#),
        "value",
    )
}

/// The plan's actions that can be updated: the ids in `…/plan/actions/{id}` form targets.
pub fn plan_actions(body: &str) -> Vec<String> {
    select(&Html::parse_document(body), "form[action]", "action")
        .into_iter()
        .filter_map(|a| {
            a.rsplit_once("/plan/actions/")
                .map(|(_, id)| id.to_string())
        })
        .filter(|id| id.len() == 36)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><body>
        <h2 id="caseload">Your caseload</h2><table><tr><td><a href="/episodes/0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6c">Family B</a></td></tr></table>
        <form method="post" action="/sign-out"><input type="hidden" name="csrf_token" value="tok123"></form>
        <a href="/episodes/0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6b">Family A</a>
        <a href="/episodes/0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6b">again</a>
        <a href="/episodes/0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6c/plan">plan</a>
        <a href="/people/not-an-id">broken</a>
        <form method="post" action="/episodes/x/plan/actions/0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6d"></form>
        <select name="hub"><option value="">Select a hub</option><option value="h1">Bestwood</option><option value="h2">Meadows</option></select>
        <input type="hidden" name="listed" value="m1"><input type="hidden" name="listed" value="m2">
    </body></html>"#;

    #[test]
    fn reads_the_token_links_and_actions_off_a_page() {
        assert_eq!(csrf(PAGE).as_deref(), Some("tok123"));
        assert_eq!(
            linked_ids(PAGE, "/episodes/"),
            vec![
                "0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6c".to_string(),
                "0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6b".to_string()
            ]
        );
        assert_eq!(
            caseload(PAGE),
            vec!["0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6c".to_string()]
        );
        assert!(linked_ids(PAGE, "/people/").is_empty());
        assert_eq!(
            plan_actions(PAGE),
            vec!["0190b3c4-1c2d-7e8f-9a0b-1c2d3e4f5a6d".to_string()]
        );
        assert_eq!(
            options(PAGE, "hub"),
            vec!["h1".to_string(), "h2".to_string()]
        );
        assert_eq!(
            values(PAGE, "listed"),
            vec!["m1".to_string(), "m2".to_string()]
        );
        assert!(options(PAGE, "service").is_empty());
        assert_eq!(csrf("<p>no form</p>"), None);
    }
}
