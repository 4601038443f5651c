//! Checks our component templates against govuk-frontend's own fixtures.
//!
//! For each component, every fixture in `tests/fixtures/govuk/<component>.json`
//! (copied from govuk-frontend by `scripts/build-assets.sh`) is deserialised
//! into our struct, rendered, and compared with govuk-frontend's HTML as a
//! normalised DOM tree: element names, attributes as a sorted set (with class
//! lists sorted), and text with whitespace collapsed; comments and
//! whitespace-only text are ignored.
//!
//! A fixture may only be skipped if it is in its component's skip list with a
//! reason. The test fails if any other fixture does not match, if a skip-listed
//! fixture does not exist, or if a skip-listed fixture passes (so the list
//! cannot go stale). Run with `--nocapture` to see the per-component counts.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::fmt::Write as _;

use askama::Template;
use hearth_web::components::*;
use scraper::{ElementRef, Html, Node};
use serde::de::DeserializeOwned;
use serde::Deserialize;

#[derive(Deserialize)]
struct FixtureFile {
    component: String,
    fixtures: Vec<Fixture>,
}

#[derive(Deserialize)]
struct Fixture {
    name: String,
    options: serde_json::Value,
    html: String,
}

/// A fixture we deliberately do not match: (fixture name, reason).
type Skip = (&'static str, &'static str);

fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/govuk")
}

/// Renders every fixture of `component` with `T` and compares it with
/// govuk-frontend's HTML; panics with a readable report on any failure.
fn check<T: DeserializeOwned + Template>(component: &str, skips: &[Skip]) {
    let path = fixtures_dir().join(format!("{component}.json"));
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file: FixtureFile = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    assert_eq!(file.component, component, "{}", path.display());

    let mut failures = Vec::new();
    for (name, _) in skips {
        if !file.fixtures.iter().any(|f| f.name == *name) {
            failures.push(format!(
                "skip list names fixture {name:?}, which {component}.json does not have"
            ));
        }
    }

    let (mut passed, mut skipped) = (0, 0);
    for fixture in &file.fixtures {
        let outcome = render_fixture::<T>(fixture);
        match (skips.iter().find(|(name, _)| *name == fixture.name), outcome) {
            (None, Ok(())) => passed += 1,
            (None, Err(report)) => failures.push(format!(
                "fixture {:?} does not match\n{report}",
                fixture.name
            )),
            (Some(_), Err(_)) => skipped += 1,
            (Some((name, reason)), Ok(())) => failures.push(format!(
                "fixture {name:?} is skip-listed ({reason}) but now passes: remove it from the skip list"
            )),
        }
    }

    println!(
        "{component}: {passed} passed, {skipped} skipped, {} failed, of {} fixtures",
        failures.len(),
        file.fixtures.len()
    );
    if !failures.is_empty() {
        panic!(
            "{component}: {} problem(s):\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}

fn render_fixture<T: DeserializeOwned + Template>(fixture: &Fixture) -> Result<(), String> {
    let component: T = serde_json::from_value(fixture.options.clone()).map_err(|e| {
        format!(
            "options do not deserialise: {e}\noptions: {}",
            fixture.options
        )
    })?;
    let actual = component
        .render()
        .map_err(|e| format!("render failed: {e}"))?;
    let (expected, actual) = (normalise(&fixture.html), normalise(&actual));
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "options: {}\n--- expected (govuk-frontend)\n+++ actual (ours)\n{}",
            fixture.options,
            diff(&expected, &actual)
        ))
    }
}

/// The DOM of an HTML fragment as indented text, one node per line.
fn normalise(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    write_children(fragment.root_element(), 0, &mut out);
    out
}

fn write_children(parent: ElementRef<'_>, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for child in parent.children() {
        match child.value() {
            Node::Element(element) => {
                let mut attributes: Vec<(String, String)> = element
                    .attrs()
                    .map(|(name, value)| {
                        let value = if name == "class" {
                            let mut classes: Vec<&str> = value.split_whitespace().collect();
                            classes.sort_unstable();
                            classes.join(" ")
                        } else {
                            value.to_owned()
                        };
                        (name.to_owned(), value)
                    })
                    .collect();
                attributes.sort();
                let _ = write!(out, "{indent}<{}", element.name());
                for (name, value) in attributes {
                    let _ = write!(out, " {name}={value:?}");
                }
                out.push_str(">\n");
                if let Some(child) = ElementRef::wrap(child) {
                    write_children(child, depth + 1, out);
                }
            }
            Node::Text(text) => {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    let _ = writeln!(out, "{indent}{text:?}");
                }
            }
            // Comments, doctypes and processing instructions are ignored.
            _ => {}
        }
    }
}

/// A line diff of two normalised trees (longest common subsequence).
fn diff(expected: &str, actual: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The harness itself must be able to fail.
// ---------------------------------------------------------------------------

#[test]
fn normalise_ignores_formatting_but_not_content() {
    assert_eq!(
        normalise("<p  class=\"b a\"  id=\"x\">\n  Hello\n   world <!-- c --></p>"),
        normalise("<p id=\"x\" class=\"a b\">Hello world</p>"),
    );
    assert_ne!(
        normalise("<p class=\"a\">x</p>"),
        normalise("<p class=\"a b\">x</p>")
    );
    assert_ne!(normalise("<p>x</p>"), normalise("<p>y</p>"));
    assert_ne!(normalise("<p>x</p>"), normalise("<div>x</div>"));
    assert_ne!(normalise("<p>&lt;b&gt;x</p>"), normalise("<p><b>x</b></p>"));
    assert_ne!(normalise("<input disabled>"), normalise("<input>"));
}

#[test]
fn a_wrong_rendering_is_reported() {
    let fixture = Fixture {
        name: "wrong".into(),
        options: serde_json::json!({ "text": "Save" }),
        html: "<button type=\"button\" class=\"govuk-button\" data-module=\"govuk-button\">Save</button>".into(),
    };
    let report = render_fixture::<Button>(&fixture).expect_err("type differs");
    assert!(report.contains("- <button"), "{report}");
    assert!(report.contains("+ <button"), "{report}");
}

#[test]
fn every_fixtures_file_has_a_test() {
    let mut files: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .map(|entry| {
            let name = entry.expect("dir entry").file_name();
            let name = name.to_string_lossy();
            name.strip_suffix(".json").unwrap_or(&name).to_owned()
        })
        .collect();
    files.sort();
    let mut tested = COMPONENTS.to_vec();
    tested.sort_unstable();
    assert_eq!(
        files, tested,
        "each fixtures file needs a test, and each test a fixtures file"
    );
}

#[test]
fn components_embed_in_pages_without_double_escaping() {
    #[derive(Template)]
    #[template(source = "<main>{{ tag }}{{ label }}</main>", ext = "html")]
    struct Page {
        tag: Tag,
        label: Label,
    }
    let html = Page {
        tag: Tag::text("<script>alert(1)</script>"),
        label: Label {
            html: Some("<b>Bold</b>".into()),
            ..Label::default()
        },
    }
    .render()
    .expect("renders");
    assert!(html.contains("<strong class=\"govuk-tag\">"), "{html}");
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("<b>Bold</b>"), "{html}");
}

// ---------------------------------------------------------------------------
// One test per component, with its skip list.
// ---------------------------------------------------------------------------

/// Defines one test per component and `COMPONENTS`, the list of them.
macro_rules! component_tests {
    ($($test:ident: $component:ty = $file:literal, skip: [$(($name:literal, $reason:expr)),* $(,)?];)*) => {
        /// Every component tested below, by fixtures file name.
        const COMPONENTS: &[&str] = &[$($file),*];

        $(
            #[test]
            fn $test() {
                check::<$component>($file, &[$(($name, $reason)),*]);
            }
        )*
    };
}

/// Why the fixtures with falsy entries in `items` are skipped.
const FALSY_ITEMS: &str = "falsy entries (null, false, \"\") are dropped from `items` when \
    deserialising, but govuk-frontend counts them when numbering the ids of the items after them";

component_tests! {
    back_link: BackLink = "back-link", skip: [];
    button: Button = "button", skip: [];
    checkboxes: Checkboxes = "checkboxes", skip: [("with falsy values", FALSY_ITEMS)];
    date_input: DateInput = "date-input", skip: [];
    error_message: ErrorMessage = "error-message", skip: [];
    error_summary: ErrorSummary = "error-summary", skip: [];
    fieldset: Fieldset = "fieldset", skip: [];
    hint: Hint = "hint", skip: [];
    input: Input = "input", skip: [];
    inset_text: InsetText = "inset-text", skip: [];
    label: Label = "label", skip: [];
    notification_banner: NotificationBanner = "notification-banner", skip: [];
    pagination: Pagination = "pagination", skip: [];
    phase_banner: PhaseBanner = "phase-banner", skip: [];
    radios: Radios = "radios", skip: [("with falsy items", FALSY_ITEMS)];
    select: Select = "select", skip: [];
    service_navigation: ServiceNavigation = "service-navigation", skip: [];
    skip_link: SkipLink = "skip-link", skip: [];
    summary_list: SummaryList = "summary-list", skip: [];
    table: Table = "table", skip: [];
    tag: Tag = "tag", skip: [];
    textarea: Textarea = "textarea", skip: [];
    warning_text: WarningText = "warning-text", skip: [];
}
