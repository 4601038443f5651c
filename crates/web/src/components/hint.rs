//! The hint component (`govukHint`).

use askama::Template;
use serde::Deserialize;

use super::common::Attributes;

/// Hint text for a form control.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/hint.html")]
pub struct Hint {
    /// Hint text, escaped.
    pub text: Option<String>,
    /// Hint content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// The hint's id. Form controls set it themselves.
    pub id: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl Hint {
    /// A hint with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}
