//! The fieldset component (`govukFieldset`).

use askama::Template;
use serde::Deserialize;

use super::common::Attributes;

/// A `<fieldset>` with an optional legend, wrapping trusted `html`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/fieldset.html")]
pub struct Fieldset {
    /// Ids for `aria-describedby`, space separated.
    pub described_by: Option<String>,
    /// The legend.
    pub legend: Option<Legend>,
    /// Extra classes.
    pub classes: Option<String>,
    /// ARIA role.
    pub role: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
    /// The fieldset's content, trusted HTML.
    pub html: Option<String>,
}

/// A fieldset's `<legend>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Legend {
    /// Legend text, escaped.
    pub text: Option<String>,
    /// Legend content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Extra classes, e.g. `govuk-fieldset__legend--l`.
    pub classes: Option<String>,
    /// Put the legend's content in an `<h1>`.
    pub is_page_heading: bool,
}

impl Legend {
    /// A legend with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}
