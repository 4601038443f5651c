//! The phase banner component (`govukPhaseBanner`).

use askama::Template;
use serde::Deserialize;

use super::common::{with_classes, Attributes};
use super::Tag;

/// A phase banner, e.g. "Beta — this is a new service".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/phase-banner.html")]
pub struct PhaseBanner {
    /// Banner text, escaped.
    pub text: Option<String>,
    /// Banner content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// The phase tag, e.g. "Beta".
    pub tag: Tag,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl PhaseBanner {
    fn phase_tag(&self) -> Tag {
        Tag {
            text: self.tag.text.clone(),
            html: self.tag.html.clone(),
            classes: Some(with_classes(
                "govuk-phase-banner__content__tag",
                self.tag.classes.as_deref(),
            )),
            attributes: Attributes::new(),
        }
    }
}
