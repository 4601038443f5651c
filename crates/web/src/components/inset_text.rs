//! The inset text component (`govukInsetText`).

use askama::Template;
use serde::Deserialize;

use super::common::Attributes;

/// Inset text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/inset-text.html")]
pub struct InsetText {
    /// Text, escaped.
    pub text: Option<String>,
    /// Content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Id of the element.
    pub id: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}
