//! A seeded demo Hearth and its staff, signed in through the app's own use cases.

use chrono::{DateTime, Datelike, Utc};
use hearth_app::information_rights::{SarForm, SarReview};
use hearth_app::{Actor, Hearth, Origin, Policies, Store};
use hearth_domain::ids::PersonId;
use std::sync::{Arc, Mutex};

/// Every demo account's password.
pub const PASSWORD: &str = "correct horse battery";

/// The time a test's Hearth reads, which the test moves on.
pub type Clock = Arc<Mutex<DateTime<Utc>>>;

/// A Hearth on the real clock, with the demo partnership seeded.
pub async fn hearth(store: Store) -> Hearth {
    let h = Hearth::new(store, Policies::default());
    h.seed_demo(PASSWORD).await.expect("seed the demo");
    h
}

/// A Hearth on the real clock whose messages link to `public_url`, with the demo seeded.
pub async fn hearth_linking_to(store: Store, public_url: &str) -> Hearth {
    let mut policies = Policies::default();
    policies.messages.public_url = public_url.into();
    policies.messages.email_delivered = true;
    let h = Hearth::new(store, policies);
    h.seed_demo(PASSWORD).await.expect("seed the demo");
    h
}

/// How many audit events of one action (its code) there are.
pub async fn audited(store: &Store, action: &str) -> i64 {
    let mut conn = store.read().await.expect("a connection");
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .expect("the count")
}

/// A Hearth whose clock stands still until the test moves it, with the demo seeded.
pub async fn hearth_with_clock(store: Store) -> (Hearth, Clock) {
    let now: Clock = Arc::new(Mutex::new(Utc::now()));
    let clock = now.clone();
    let h = Hearth::with_clock(
        store,
        Policies::default(),
        Arc::new(move || *clock.lock().expect("clock lock")),
    );
    h.seed_demo(PASSWORD).await.expect("seed the demo");
    (h, now)
}

/// A demo account signed in from nowhere in particular.
pub async fn actor(h: &Hearth, email: &str) -> Actor {
    actor_from(h, email, Origin::default()).await
}

/// A demo account signed in from `origin`.
pub async fn actor_from(h: &Hearth, email: &str, origin: Origin) -> Actor {
    h.sign_in(email, PASSWORD, origin)
        .await
        .unwrap_or_else(|e| panic!("sign in as {email}: {e:?}"))
        .actor
}

/// A date of birth `years` ago as a form takes it (dd/mm/yyyy); the day kept under 29 so that
/// it exists in every month.
pub fn years_ago(years: i32) -> String {
    use chrono::Datelike;
    let today = Utc::now().date_naive();
    format!(
        "{:02}/{:02}/{}",
        today.day().min(28),
        today.month(),
        today.year() - years
    )
}

/// What a subject access request about `person`, asked for by `requested_by` and logged today
/// by the demo data protection officer, gathers.
pub async fn subject_access(h: &Hearth, person: PersonId, requested_by: &str) -> SarReview {
    let dpo = actor(h, "dpo@demo.hearth.test").await;
    let today = h.now().date_naive();
    let id = h
        .log_subject_access(
            &dpo,
            &SarForm {
                person: person.to_string(),
                requested_by: requested_by.into(),
                identity_checked: "Passport seen".into(),
                received_day: today.day().to_string(),
                received_month: today.month().to_string(),
                received_year: today.year().to_string(),
                ..SarForm::default()
            },
        )
        .await
        .expect("log the subject access request");
    h.subject_access(&dpo, id)
        .await
        .expect("gather the subject access request")
}

/// Gives `who` a confirmed second factor (as if they had set up an app), for tests of what
/// happens when it is lost or reset.
pub async fn confirmed_second_factor(h: &Hearth, store: &Store, who: &Actor) {
    h.begin_second_factor(who)
        .await
        .expect("begin a second factor");
    let mut tx = store.write().await.expect("a write");
    sqlx::query("UPDATE user_totp SET confirmed_at = '2026-01-01T00:00:00Z' WHERE user_id = $1")
        .bind(who.user_id.to_string())
        .execute(&mut *tx)
        .await
        .expect("confirm the second factor");
    Store::commit(tx).await.expect("commit");
}
