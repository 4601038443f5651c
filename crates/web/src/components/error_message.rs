//! The error message component (`govukErrorMessage`).

use askama::Template;
use serde::Deserialize;

use super::common::Attributes;

/// An error message for a form control.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/error-message.html")]
pub struct ErrorMessage {
    /// Error text, escaped.
    pub text: Option<String>,
    /// Error content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// The message's id. Form controls set it themselves.
    pub id: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
    /// Visually hidden prefix; `None` means "Error", `Some("")` means none.
    pub visually_hidden_text: Option<String>,
}

impl ErrorMessage {
    /// An error message with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    fn visually_hidden_prefix(&self) -> &str {
        self.visually_hidden_text.as_deref().unwrap_or("Error")
    }
}
