//! Our own implementations of the GOV.UK Design System components we use.
//!
//! Each component is a plain struct whose fields mirror the params of the
//! govuk-frontend Nunjucks macro of the same name (`camelCase` in JSON,
//! `snake_case` in Rust), deriving [`serde::Deserialize`] and
//! [`askama::Template`]. The markup follows govuk-frontend's templates and is
//! tested against govuk-frontend's own fixtures (`tests/govuk_components.rs`).
//!
//! Params named `text` (and `titleText`, `labelText` …) are escaped; params
//! named `html` (and `titleHtml`, `slots` …) are trusted markup and are
//! rendered as they are, so never put user input in them.
//!
//! # Using a component in a page
//!
//! Build the component in Rust and put it in a field of the page's template
//! struct. Components are marked HTML-safe ([`askama::filters::HtmlSafe`]), so
//! `{{ field }}` renders their markup without escaping it a second time:
//!
//! ```
//! use askama::Template;
//! use hearth_web::components::{Button, Input, Label};
//!
//! #[derive(Template)]
//! #[template(
//!     source = r#"<form method="post">{{ name }}{{ save }}</form>"#,
//!     ext = "html"
//! )]
//! struct Page {
//!     name: Input,
//!     save: Button,
//! }
//!
//! let page = Page {
//!     name: Input {
//!         name: "full-name".into(),
//!         label: Label::text("Full name"),
//!         value: Some("Ann <Example>".into()),
//!         ..Input::default()
//!     },
//!     save: Button::text("Save"),
//! };
//! let html = page.render().expect("renders");
//! assert!(html.contains(r#"value="Ann &#60;Example&#62;""#));
//! assert!(html.contains(r#"<button type="submit" class="govuk-button""#));
//! ```
//!
//! A component can also be rendered on its own with
//! [`Template::render`](askama::Template::render).

mod back_link;
mod button;
mod checkboxes;
mod common;
mod date_input;
mod error_message;
mod error_summary;
mod fieldset;
mod hint;
mod input;
mod inset_text;
mod label;
mod notification_banner;
mod pagination;
mod phase_banner;
mod radios;
mod select;
mod service_navigation;
mod skip_link;
mod summary_list;
mod table;
mod tag;
mod textarea;
mod warning_text;

pub use back_link::BackLink;
pub use button::Button;
pub use checkboxes::{CheckboxItem, Checkboxes, Conditional, ItemLabel};
pub use common::{Attributes, ChoicesFormGroup, FormGroup, TextOrHtml};
pub use date_input::{DateBox, DateInput, DateInputItem};
pub use error_message::ErrorMessage;
pub use error_summary::{ErrorSummary, ErrorSummaryItem};
pub use fieldset::{Fieldset, Legend};
pub use hint::Hint;
pub use input::{Affix, Input, InputWrapper};
pub use inset_text::InsetText;
pub use label::Label;
pub use notification_banner::NotificationBanner;
pub use pagination::{Pagination, PaginationItem, PaginationLink};
pub use phase_banner::PhaseBanner;
pub use radios::{RadioItem, Radios};
pub use select::{Select, SelectItem};
pub use service_navigation::{
    EndSlot, ServiceNavigation, ServiceNavigationItem, ServiceNavigationSlots,
};
pub use skip_link::SkipLink;
pub use summary_list::{
    SummaryCard, SummaryCardTitle, SummaryList, SummaryListAction, SummaryListActions,
    SummaryListCell, SummaryListRow,
};
pub use table::{Table, TableCell};
pub use tag::Tag;
pub use textarea::Textarea;
pub use warning_text::WarningText;

common::html_safe!(
    BackLink,
    Button,
    Checkboxes,
    DateInput,
    ErrorMessage,
    ErrorSummary,
    Fieldset,
    Hint,
    Input,
    InsetText,
    Label,
    NotificationBanner,
    Pagination,
    PhaseBanner,
    Radios,
    Select,
    ServiceNavigation,
    SkipLink,
    SummaryList,
    Table,
    Tag,
    Textarea,
    WarningText,
);
