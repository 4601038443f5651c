//! Our own implementations of the GOV.UK Design System components we use.
