//! The service navigation component (`govukServiceNavigation`).

use askama::Template;
use serde::Deserialize;

use super::common::{loose, or_default, Attributes};

/// The service name and the service's main navigation links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/service-navigation.html")]
pub struct ServiceNavigation {
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
    /// Label of the `<section>` landmark; "Service information" when unset.
    pub aria_label: Option<String>,
    /// Text of the mobile menu button; "Menu" when unset.
    pub menu_button_text: Option<String>,
    /// Accessible label of the mobile menu button.
    pub menu_button_label: Option<String>,
    /// Label of the `<nav>`; the menu button text when unset.
    pub navigation_label: Option<String>,
    /// Id of the navigation list; "navigation" when unset.
    pub navigation_id: Option<String>,
    /// Extra classes for the `<nav>`.
    pub navigation_classes: Option<String>,
    /// Collapse the navigation behind a menu button on small screens; by
    /// default when there is more than one item.
    pub collapse_navigation_on_mobile: Option<bool>,
    /// The service's name.
    pub service_name: Option<String>,
    /// Link for the service's name.
    pub service_url: Option<String>,
    /// The navigation items.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub navigation: Vec<ServiceNavigationItem>,
    /// Trusted HTML injected at set places.
    pub slots: ServiceNavigationSlots,
}

/// A navigation item of a [`ServiceNavigation`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceNavigationItem {
    /// This item is the current page (`aria-current="page"`).
    pub current: bool,
    /// This item is the current section (`aria-current="true"`).
    pub active: bool,
    /// Text, escaped.
    pub text: Option<String>,
    /// Content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Link target; without one the item is plain text.
    pub href: Option<String>,
    /// Extra attributes for the link.
    pub attributes: Attributes,
}

/// Trusted HTML for the slots of a [`ServiceNavigation`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceNavigationSlots {
    /// Before the service name.
    pub start: Option<String>,
    /// After the navigation: a string, or `{html, align}` where `align: "inline"` keeps it on
    /// the navigation's line (a language switcher, say).
    pub end: Option<EndSlot>,
    /// Before the first navigation item.
    pub navigation_start: Option<String>,
    /// After the last navigation item.
    pub navigation_end: Option<String>,
}

/// The end slot's HTML and whether it sits inline with the navigation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndSlot {
    pub html: String,
    pub inline: bool,
}

impl<'de> Deserialize<'de> for EndSlot {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Given {
            Html(String),
            Aligned {
                html: String,
                #[serde(default)]
                align: Option<String>,
            },
        }
        Ok(match Given::deserialize(deserializer)? {
            Given::Html(html) => EndSlot {
                html,
                inline: false,
            },
            Given::Aligned { html, align } => EndSlot {
                html,
                inline: align.as_deref() == Some("inline"),
            },
        })
    }
}

impl ServiceNavigationItem {
    /// A link.
    pub fn link(href: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            href: Some(href.into()),
            text: Some(text.into()),
            ..Self::default()
        }
    }

    fn is_active(&self) -> bool {
        self.active || self.current
    }

    fn aria_current(&self) -> &str {
        if self.current {
            "page"
        } else {
            "true"
        }
    }
}

impl ServiceNavigation {
    fn menu_button_text_or_default(&self) -> &str {
        or_default(&self.menu_button_text, "Menu")
    }

    fn navigation_id_or_default(&self) -> &str {
        or_default(&self.navigation_id, "navigation")
    }

    fn navigation_label_or_default(&self) -> &str {
        or_default(&self.navigation_label, self.menu_button_text_or_default())
    }

    fn aria_label_or_default(&self) -> &str {
        self.aria_label.as_deref().unwrap_or("Service information")
    }

    fn collapse(&self) -> bool {
        self.collapse_navigation_on_mobile
            .unwrap_or(self.navigation.len() > 1)
    }

    fn menu_button_aria_label(&self) -> Option<&str> {
        self.menu_button_label
            .as_deref()
            .filter(|label| !label.is_empty() && *label != self.menu_button_text_or_default())
    }

    /// Whether the end slot sits inline with the navigation.
    fn end_inline(&self) -> bool {
        self.slots.end.as_ref().is_some_and(|e| e.inline)
    }

    fn is_section(&self) -> bool {
        self.service_name.is_some() || self.slots.start.is_some() || self.slots.end.is_some()
    }

    fn has_nav(&self) -> bool {
        !self.navigation.is_empty()
            || self.slots.navigation_start.is_some()
            || self.slots.navigation_end.is_some()
    }
}
