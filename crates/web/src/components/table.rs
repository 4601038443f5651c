//! The table component (`govukTable`).

use askama::Template;
use serde::Deserialize;

use super::common::{loose, Attributes};

/// A table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/table.html")]
pub struct Table {
    /// The body rows, each a list of cells.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub rows: Vec<Vec<TableCell>>,
    /// The header row.
    pub head: Option<Vec<TableCell>>,
    /// Caption text, escaped.
    pub caption: Option<String>,
    /// Extra classes for the caption, e.g. `govuk-table__caption--m`.
    pub caption_classes: Option<String>,
    /// Make the first cell of each body row a row header (`<th scope="row">`).
    pub first_cell_is_header: bool,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// A cell of a [`Table`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TableCell {
    /// Cell text, escaped.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub text: Option<String>,
    /// Cell content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// `numeric` to right-align numbers.
    pub format: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Columns the cell spans.
    pub colspan: Option<u32>,
    /// Rows the cell spans.
    pub rowspan: Option<u32>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl TableCell {
    /// A cell with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}
