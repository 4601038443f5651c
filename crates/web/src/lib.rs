//! The web layer: axum routes, extractors, forms, CSRF, security headers and templates.
//! Handlers are thin: they parse input, call an `app` use case and render the result.

mod admission;
mod api;
mod assets;
pub mod components;
mod dates;
mod download;
mod error;
mod fields;
mod form;
mod i18n;
mod markdown;
mod metrics;
mod openreferral;
mod pages;
mod rate_limit;
mod request_log;
mod security;
mod session;
mod shell;
mod state;

pub use shell::remember_partnership;

pub use metrics::install_metrics;
pub use rate_limit::RateLimitSettings;
pub use state::{AppState, WebSettings};

use axum::routing::{get, post};
use axum::Router;

/// Every route of the application, with its middleware.
pub fn router(state: AppState) -> Router {
    use pages::{
        account, admin, directory, episodes, home, ops, passkeys, people, person_details, requests,
        second_factor, service_requests, sign_in,
    };
    let pages = Router::new()
        .route("/", get(home::show))
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route(
            "/sign-in/code",
            get(second_factor::code_form).post(second_factor::check_code),
        )
        .route(
            "/account/two-factor",
            get(second_factor::enrol_form).post(second_factor::enrol),
        )
        // Passkeys (ADR 0051): under the second factor's pages, which a held session may open.
        .route(
            "/account/two-factor/passkeys/options",
            post(passkeys::registration_options),
        )
        .route("/account/two-factor/passkeys", post(passkeys::register))
        .route(
            "/account/two-factor/passkeys/{id}/remove",
            get(passkeys::remove_form).post(passkeys::remove),
        )
        .route(
            "/sign-in/code/passkey/options",
            post(passkeys::sign_in_options),
        )
        .route("/sign-in/code/passkey", post(passkeys::sign_in))
        .route("/sign-in/provider/{id}", get(sign_in::provider))
        .route(
            "/sign-in/provider/callback",
            get(sign_in::provider_callback),
        )
        .route("/drafts/{token}", get(pages::drafts::show))
        .route(
            "/account/password",
            get(account::password_form).post(account::change_password),
        )
        // A reset link is used signed out, but its form takes the CSRF token every visitor has.
        .route(
            "/reset-password/{token}",
            get(account::reset_form).post(account::reset),
        )
        .route(
            "/account/messages",
            get(account::messages_form).post(account::save_messages),
        )
        .route(
            "/account/tokens",
            get(account::tokens).post(account::create_token),
        )
        .route(
            "/account/tokens/{token}/revoke",
            post(account::revoke_token),
        )
        .route("/people", get(people::search_form))
        .route("/people/search", post(people::search))
        .route("/people/new", post(people::create))
        .route("/people/{id}/consents", post(people::record_consent))
        .route(
            "/people/{id}/households/leave",
            post(people::leave_household),
        )
        .route("/people/{id}/households/join", post(people::join_household))
        .route(
            "/people/{id}/consents/{consent}/withdraw",
            post(people::withdraw_consent),
        )
        .route("/people/{id}/duplicates", get(people::duplicates))
        .route(
            "/people/{id}/change/{page}",
            get(person_details::change_form).post(person_details::change),
        )
        .route("/people/{id}/break-glass", post(people::break_glass))
        .route("/people/{id}/merge", post(people::merge))
        .route("/people/merges/{merge}/undo", post(people::undo_merge))
        .route(
            "/people/{id}",
            get(people::show).post(people::show_with_reason),
        )
        .route(
            "/requests/new",
            get(requests::new_form).post(requests::create),
        )
        .route("/requests/{id}", get(requests::show).post(requests::update))
        .route("/requests/{id}/assign", post(requests::assign))
        .route("/requests/{id}/confirm", post(requests::confirm))
        .route(
            "/requests/{id}/decide",
            get(requests::decide_form).post(requests::decide),
        )
        .route("/front-door", get(requests::queue))
        .route("/team", get(pages::team::show))
        .route("/directory", get(directory::desk))
        .route(
            "/directory/services/new",
            get(directory::new_form).post(directory::create),
        )
        .route(
            "/directory/services/{id}",
            get(directory::edit_form).post(directory::update),
        )
        .route("/directory/services/{id}/confirm", post(directory::confirm))
        .route(
            "/directory/changes/{id}",
            get(directory::review).post(directory::decide),
        )
        .route(
            "/people/{id}/service-requests",
            get(service_requests::new_form).post(service_requests::create),
        )
        .route("/service-requests", get(service_requests::inbox))
        .route(
            "/service-requests/{id}",
            get(service_requests::show).post(service_requests::answer),
        )
        .merge(admin::routes())
        .merge(pages::training::routes())
        .merge(pages::information_rights::routes())
        .merge(episodes::routes())
        .merge(pages::documents::routes(&state))
        .merge(pages::plans::routes())
        .merge(pages::practice::routes())
        .merge(pages::places::routes())
        .merge(pages::hubs::routes())
        .merge(pages::reports::routes())
        // The family's feedback page needs no sign-in, but its form takes the CSRF token the
        // session layer gives every visitor.
        .merge(pages::feedback::routes())
        // The SMS gateway's delivery reports: no session, the token in the address is the
        // proof (ADR 0049).
        .merge(pages::texts::routes())
        .merge(pages::family_asks::routes())
        .merge(pages::family_asks::front_door::routes())
        // The family's own page (ADR 0045): a family session in its own cookie, forms with
        // the CSRF token the session layer gives every visitor.
        .merge(pages::own::routes())
        .merge(pages::voice::routes())
        .merge(pages::returns::routes())
        .merge(pages::quality::routes())
        .merge(pages::care::routes())
        .merge(pages::identification::routes(&state))
        .merge(pages::programme::routes())
        // An address that leads nowhere: inside the session layer, so a signed-in user keeps
        // their header and menu on the "Page not found" page.
        .fallback(error::not_found)
        // Inside the session layer, so it knows who is asking.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::layer,
        ));
    // The family-facing directory and the Open Referral API need no session: nobody signs in.
    let public = Router::new()
        .route("/find", get(pages::find::search))
        .route("/find/services/{id}", get(pages::find::service))
        .merge(pages::site_pages::routes())
        .merge(openreferral::routes());
    let app = Router::new()
        .merge(pages)
        .merge(public)
        .merge(api::routes(state.clone()))
        // Everything above waits for a turn; what follows reports on the server or serves
        // static files, and must answer even when it is overloaded.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admission::layer,
        ))
        // Around every refusal a family can meet (a limit, the CSRF check, a busy server), so
        // on their pages it is said in their language.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::family_refusals::layer,
        ))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/assets/{file}", get(assets::serve))
        // No favicon: govuk-frontend's are the crown. Answer quietly instead of a 404 page.
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        );
    let app = request_log::around(app.layer(axum::middleware::from_fn(metrics::layer)).layer(
        axum::middleware::from_fn_with_state(state.clone(), security::headers),
    ));
    app.with_state(state)
}

/// `/metrics` alone, for a listen address only the monitoring can reach (`metrics_listen`).
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(pages::ops::exposition))
        .with_state(state)
}
