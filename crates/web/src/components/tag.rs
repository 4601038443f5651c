//! The tag component (`govukTag`).

use askama::Template;
use serde::Deserialize;

use super::common::Attributes;

/// A status tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/tag.html")]
pub struct Tag {
    /// Tag text, escaped.
    pub text: Option<String>,
    /// Tag content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Extra classes, e.g. `govuk-tag--green`.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl Tag {
    /// A tag with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}
