//! The warning text component (`govukWarningText`).

use askama::Template;
use serde::Deserialize;

use super::common::{or_default, Attributes};

/// Warning text with a "!" icon.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/warning-text.html")]
pub struct WarningText {
    /// Text, escaped.
    pub text: Option<String>,
    /// Content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Visually hidden text for the icon; "Warning" when unset.
    pub icon_fallback_text: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl WarningText {
    fn icon_fallback_text_or_default(&self) -> &str {
        or_default(&self.icon_fallback_text, "Warning")
    }
}
