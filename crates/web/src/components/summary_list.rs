//! The summary list component (`govukSummaryList`), optionally as a card.

use askama::Template;
use serde::Deserialize;

use super::common::{loose, Attributes};

/// A list of keys and values, e.g. to check answers, optionally in a card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/summary-list.html")]
pub struct SummaryList {
    /// The rows.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub rows: Vec<SummaryListRow>,
    /// Show the list in a summary card.
    pub card: Option<SummaryCard>,
    /// Extra classes, e.g. `govuk-summary-list--no-border`.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// A row of a [`SummaryList`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryListRow {
    /// Extra classes for the row.
    pub classes: Option<String>,
    /// The key (`<dt>`).
    pub key: SummaryListCell,
    /// The value (`<dd>`).
    pub value: SummaryListCell,
    /// Actions, e.g. a "Change" link.
    pub actions: Option<SummaryListActions>,
}

/// The key or value of a [`SummaryListRow`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryListCell {
    /// Text, escaped.
    pub text: Option<String>,
    /// Content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
}

/// The actions of a row or a card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryListActions {
    /// The action links.
    pub items: Vec<SummaryListAction>,
    /// Extra classes for the actions' wrapper.
    pub classes: Option<String>,
}

/// An action link, e.g. "Change".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryListAction {
    /// Link target.
    pub href: String,
    /// Link text, escaped.
    pub text: Option<String>,
    /// Link content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Visually hidden text after the link text, e.g. "name".
    #[serde(deserialize_with = "loose::truthy_string")]
    pub visually_hidden_text: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// The card around a [`SummaryList`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryCard {
    /// The card's title.
    pub title: Option<SummaryCardTitle>,
    /// The card's actions.
    pub actions: Option<SummaryListActions>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// The title of a [`SummaryCard`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryCardTitle {
    /// Title text, escaped.
    pub text: Option<String>,
    /// Title as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Heading level, 1 to 6; 2 when unset.
    pub heading_level: Option<u8>,
    /// Extra classes.
    pub classes: Option<String>,
}

impl SummaryListActions {
    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl SummaryCardTitle {
    fn level(&self) -> u8 {
        self.heading_level
            .filter(|level| (1..=6).contains(level))
            .unwrap_or(2)
    }
}

impl SummaryList {
    fn any_row_has_actions(&self) -> bool {
        self.rows
            .iter()
            .any(|row| row.actions.as_ref().is_some_and(|a| !a.is_empty()))
    }

    fn card_title(&self) -> Option<&SummaryCardTitle> {
        self.card.as_ref().and_then(|card| card.title.as_ref())
    }

    fn row_actions<'a>(&self, row: &'a SummaryListRow) -> Option<&'a SummaryListActions> {
        row.actions.as_ref().filter(|a| !a.is_empty())
    }

    fn card_actions(&self) -> Option<&SummaryListActions> {
        self.card
            .as_ref()
            .and_then(|c| c.actions.as_ref())
            .filter(|a| !a.is_empty())
    }
}
