//! The error summary component (`govukErrorSummary`).

use askama::Template;
use serde::Deserialize;

use super::common::Attributes;

/// The summary of a form's errors, shown at the top of the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/error-summary.html")]
pub struct ErrorSummary {
    /// Title text, escaped, e.g. "There is a problem".
    pub title_text: Option<String>,
    /// Title as trusted HTML; wins over `title_text`.
    pub title_html: Option<String>,
    /// Description text, escaped.
    pub description_text: Option<String>,
    /// Description as trusted HTML; wins over `description_text`.
    pub description_html: Option<String>,
    /// The errors, each usually linking to its field.
    pub error_list: Vec<ErrorSummaryItem>,
    /// Set `data-disable-auto-focus` to this value.
    pub disable_auto_focus: Option<bool>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// One error in an [`ErrorSummary`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorSummaryItem {
    /// Link to the field in error, e.g. `#full-name`.
    pub href: Option<String>,
    /// Error text, escaped.
    pub text: Option<String>,
    /// Error as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Extra attributes for the link.
    pub attributes: Attributes,
}

impl ErrorSummaryItem {
    /// An error linking to `href`.
    pub fn new(href: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            href: Some(href.into()),
            text: Some(text.into()),
            ..Self::default()
        }
    }
}
