//! Accounts: signing in, passwords, administration of organisations, teams and users, and
//! the API tokens each user makes for themselves, and single sign-on with organisations'
//! identity providers.

pub mod admin;
pub mod api_tokens;
pub mod auth;
pub mod drafts;
pub mod passkeys;
pub(crate) mod password;
pub mod password_reset;
pub mod second_factor;
pub mod single_sign_on;
