//! Who works here: organisations, teams, user accounts and their roles, role changes waiting
//! for a second administrator, sessions, API tokens, sign-in throttling and password reset
//! links, second factors, and single sign-on through organisations' identity providers.

pub mod api_tokens;
pub mod drafts;
pub mod organisations;
pub mod passkeys;
pub mod password_resets;
pub mod role_changes;
pub mod second_factor;
pub mod sessions;
pub mod single_sign_on;
pub mod teams;
pub mod throttle;
pub mod users;
