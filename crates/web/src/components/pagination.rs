//! The pagination component (`govukPagination`).

use askama::Template;
use serde::Deserialize;

use super::common::{loose, or_default, Attributes};

/// Links to the previous and next page and, optionally, to numbered pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/pagination.html")]
pub struct Pagination {
    /// Numbered page links and ellipses. Without them, the previous and next
    /// links are shown as blocks.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub items: Vec<PaginationItem>,
    /// Link to the previous page.
    pub previous: Option<PaginationLink>,
    /// Link to the next page.
    pub next: Option<PaginationLink>,
    /// Label of the `<nav>` landmark; "Pagination" when unset.
    pub landmark_label: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// A numbered page link, or an ellipsis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaginationItem {
    /// The page number shown.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub number: Option<String>,
    /// The link's accessible label; "Page NUMBER" when unset.
    pub visually_hidden_text: Option<String>,
    /// Link target.
    pub href: Option<String>,
    /// This is the current page.
    pub current: bool,
    /// Show an ellipsis instead of a link.
    pub ellipsis: bool,
    /// Extra attributes for the link.
    pub attributes: Attributes,
}

/// The previous or next page link of a [`Pagination`]. Shown only with an `href`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaginationLink {
    /// Link text, escaped; "Previous page" or "Next page" when unset.
    pub text: Option<String>,
    /// Link content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// A label shown under the link text in block mode, e.g. the page's title.
    pub label_text: Option<String>,
    /// Link target.
    pub href: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl PaginationItem {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn aria_label(&self) -> String {
        match &self.visually_hidden_text {
            Some(text) => text.clone(),
            None => format!("Page {}", self.number.as_deref().unwrap_or("undefined")),
        }
    }
}

impl PaginationLink {
    fn href_if_set(&self) -> Option<&str> {
        self.href.as_deref().filter(|href| !href.is_empty())
    }
}

impl Pagination {
    fn block_level(&self) -> bool {
        self.items.is_empty() && (self.previous.is_some() || self.next.is_some())
    }

    fn landmark_label_or_default(&self) -> &str {
        or_default(&self.landmark_label, "Pagination")
    }

    fn previous_link(&self) -> Option<(&PaginationLink, &str)> {
        let link = self.previous.as_ref()?;
        Some((link, link.href_if_set()?))
    }

    fn next_link(&self) -> Option<(&PaginationLink, &str)> {
        let link = self.next.as_ref()?;
        Some((link, link.href_if_set()?))
    }
}
