//! The back link component (`govukBackLink`).

use askama::Template;
use serde::Deserialize;

use super::common::{or_default, Attributes};

/// A "Back" link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/back-link.html")]
pub struct BackLink {
    /// Link text, escaped; "Back" when unset.
    pub text: Option<String>,
    /// Link content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Link target; `#` when unset.
    pub href: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl BackLink {
    /// A "Back" link to `href`.
    pub fn to(href: impl Into<String>) -> Self {
        Self {
            href: Some(href.into()),
            ..Self::default()
        }
    }

    fn href_or_default(&self) -> &str {
        or_default(&self.href, "#")
    }

    fn text_or_default(&self) -> &str {
        or_default(&self.text, "Back")
    }
}
