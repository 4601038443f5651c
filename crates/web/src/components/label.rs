//! The label component (`govukLabel`).

use askama::Template;
use serde::Deserialize;

use super::common::Attributes;

/// A `<label>`. Renders nothing when neither `text` nor `html` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/label.html")]
pub struct Label {
    /// Label text, escaped.
    pub text: Option<String>,
    /// Label content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// The id of the control the label is for.
    #[serde(rename = "for")]
    pub for_: Option<String>,
    /// Wrap the label in an `<h1>`.
    pub is_page_heading: bool,
    /// Extra classes, e.g. `govuk-label--l`.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl Label {
    /// A label with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}
