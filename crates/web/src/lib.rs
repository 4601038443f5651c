//! The web layer: axum routes, extractors, forms, CSRF, security headers and templates.
//! Handlers are thin: they parse input, call an `app` use case and render the result.

pub mod components;
