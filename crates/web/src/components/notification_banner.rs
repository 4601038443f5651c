//! The notification banner component (`govukNotificationBanner`).

use askama::Template;
use serde::Deserialize;

use super::common::{or_default, Attributes};

/// A notification banner: "Important" information, or a "Success" message
/// after an action (`type_: Some("success")`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/notification-banner.html")]
pub struct NotificationBanner {
    /// Content text, escaped; shown as a heading.
    pub text: Option<String>,
    /// Content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Title text, escaped; "Important" (or "Success") when unset.
    pub title_text: Option<String>,
    /// Title as trusted HTML; wins over `title_text`.
    pub title_html: Option<String>,
    /// Heading level of the title, 1 to 6; 2 when unset.
    pub title_heading_level: Option<u8>,
    /// `success` for a success banner.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// ARIA role; `alert` for success banners, else `region`, when unset.
    pub role: Option<String>,
    /// Id of the title; `govuk-notification-banner-title` when unset.
    pub title_id: Option<String>,
    /// Set `data-disable-auto-focus` to this value.
    pub disable_auto_focus: Option<bool>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl NotificationBanner {
    fn is_success(&self) -> bool {
        self.type_.as_deref() == Some("success")
    }

    fn role_or_default(&self) -> &str {
        or_default(
            &self.role,
            if self.is_success() { "alert" } else { "region" },
        )
    }

    fn title_id_or_default(&self) -> &str {
        or_default(&self.title_id, "govuk-notification-banner-title")
    }

    fn heading_level(&self) -> u8 {
        self.title_heading_level
            .filter(|level| (1..=6).contains(level))
            .unwrap_or(2)
    }

    fn default_title(&self) -> &str {
        if self.is_success() {
            "Success"
        } else {
            "Important"
        }
    }
}
