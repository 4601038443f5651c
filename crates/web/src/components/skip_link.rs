//! The skip link component (`govukSkipLink`).

use askama::Template;
use serde::Deserialize;

use super::common::{or_default, Attributes};

/// A "Skip to main content" link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/skip-link.html")]
pub struct SkipLink {
    /// Link text, escaped.
    pub text: Option<String>,
    /// Link content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Link target; `#content` when unset.
    pub href: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl SkipLink {
    fn href_or_default(&self) -> &str {
        or_default(&self.href, "#content")
    }
}
