//! The rules of signing in: how long a session lasts, and how repeated failures slow down
//! further attempts on an account or from an address.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: Duration,
    /// Signed out this long after signing in, however active.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    pub fn is_expired(
        &self,
        now: DateTime<Utc>,
        created: DateTime<Utc>,
        last_seen: DateTime<Utc>,
    ) -> bool {
        now - last_seen >= self.idle || now - created >= self.absolute
    }

    /// Whether to record activity now. Writing on every request would make every page a
    /// database write; a minute's resolution is plenty against a 30-minute idle limit.
    pub fn should_touch(&self, now: DateTime<Utc>, last_seen: DateTime<Utc>) -> bool {
        now - last_seen >= Duration::minutes(1).min(self.idle / 10)
    }
}

/// How repeated sign-in failures slow further attempts down: by account and by address, with a
/// wait that doubles with each failure past a few free ones, up to a cap. Not a lock: the wait
/// ends by itself, so nobody can shut another person out for long, and unknown email addresses
/// are counted exactly like real ones so that the answers never tell which accounts exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures in a row on one account before each further one makes the next attempt wait.
    pub free_failures: u32,
    /// The same for one address, across any accounts (higher: an office shares one address).
    pub free_failures_per_address: u32,
    /// The first wait; each failure after it doubles it.
    pub first_wait: Duration,
    /// The longest wait.
    pub max_wait: Duration,
    /// Failures this long ago are forgotten: the count starts again.
    pub forget_after: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            free_failures: 5,
            free_failures_per_address: 20,
            first_wait: Duration::minutes(1),
            max_wait: Duration::minutes(15),
            forget_after: Duration::hours(1),
        }
    }
}

/// Whose failures are counted: one account (by its normalised email, whether or not it
/// exists) or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleKey {
    Account,
    Address,
}

impl ThrottleKey {
    pub fn code(self) -> &'static str {
        match self {
            ThrottleKey::Account => "account",
            ThrottleKey::Address => "address",
        }
    }

    /// What the database keeps for `value` (a normalised email or an address): its SHA-256,
    /// so the table holds no email addresses and an unknown one looks like any other.
    pub fn hash(self, value: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.code().as_bytes());
        h.update(b":");
        h.update(value.as_bytes());
        hex::encode(h.finalize())
    }
}

impl ThrottlePolicy {
    fn free(&self, key: ThrottleKey) -> u32 {
        match key {
            ThrottleKey::Account => self.free_failures,
            ThrottleKey::Address => self.free_failures_per_address,
        }
    }

    /// After `failures` in a row (this one included), how long the next attempt must wait:
    /// nothing for the free ones, then `first_wait`, doubling, up to `max_wait`.
    pub fn wait_after(&self, key: ThrottleKey, failures: u32) -> Option<Duration> {
        let past = failures.checked_sub(self.free(key))?;
        // 2^past overflows quickly; past 30 doublings any sane first wait is over the cap.
        let factor = 1i32.checked_shl(past.min(30)).unwrap_or(i32::MAX);
        let wait = self.first_wait.checked_mul(factor).unwrap_or(self.max_wait);
        Some(wait.min(self.max_wait))
    }

    /// When the next attempt may come, after `failures` in a row (this one, at `now`, included).
    pub fn blocked_until(
        &self,
        key: ThrottleKey,
        failures: u32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        self.wait_after(key, failures).map(|w| now + w)
    }

    /// Whether failures last seen at `last_failure` still count at `now`.
    pub fn remembers(&self, last_failure: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - last_failure < self.forget_after
    }
}

/// The wait a person is told about, in whole minutes (at least one).
pub fn minutes_to_wait(wait: Duration) -> i64 {
    let secs = wait.num_seconds().max(1);
    (secs + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap() + Duration::minutes(min)
    }

    #[test]
    fn sessions_expire_when_idle_or_too_old() {
        let p = SessionPolicy::default();
        assert!(!p.is_expired(t(29), t(0), t(0)));
        assert!(p.is_expired(t(30), t(0), t(0)));
        assert!(!p.is_expired(t(11 * 60), t(0), t(11 * 60 - 5)));
        assert!(p.is_expired(t(12 * 60), t(0), t(12 * 60 - 1)));
    }

    #[test]
    fn activity_is_recorded_at_most_once_a_minute() {
        let p = SessionPolicy::default();
        assert!(!p.should_touch(t(0) + Duration::seconds(30), t(0)));
        assert!(p.should_touch(t(1), t(0)));
    }

    #[test]
    fn waits_begin_after_the_free_failures_and_double_up_to_the_cap() {
        let p = ThrottlePolicy::default();
        let a = ThrottleKey::Account;
        assert_eq!(p.wait_after(a, 4), None);
        assert_eq!(p.wait_after(a, 5), Some(Duration::minutes(1)));
        assert_eq!(p.wait_after(a, 6), Some(Duration::minutes(2)));
        assert_eq!(p.wait_after(a, 8), Some(Duration::minutes(8)));
        assert_eq!(p.wait_after(a, 9), Some(Duration::minutes(15)));
        assert_eq!(p.wait_after(a, u32::MAX), Some(Duration::minutes(15)));
        assert_eq!(p.blocked_until(a, 6, t(0)), Some(t(2)));
    }

    #[test]
    fn an_address_has_more_free_failures_than_an_account() {
        let p = ThrottlePolicy::default();
        assert_eq!(p.wait_after(ThrottleKey::Address, 19), None);
        assert_eq!(
            p.wait_after(ThrottleKey::Address, 20),
            Some(Duration::minutes(1))
        );
    }

    #[test]
    fn old_failures_are_forgotten() {
        let p = ThrottlePolicy::default();
        assert!(p.remembers(t(0), t(59)));
        assert!(!p.remembers(t(0), t(60)));
    }

    #[test]
    fn keys_differ_by_kind_and_hide_the_value() {
        let account = ThrottleKey::Account.hash("sam@example.org");
        assert_eq!(account.len(), 64);
        assert!(!account.contains("sam"));
        assert_ne!(account, ThrottleKey::Address.hash("sam@example.org"));
    }

    #[test]
    fn a_wait_is_told_in_whole_minutes() {
        assert_eq!(minutes_to_wait(Duration::seconds(1)), 1);
        assert_eq!(minutes_to_wait(Duration::seconds(61)), 2);
        assert_eq!(minutes_to_wait(Duration::minutes(15)), 15);
        assert_eq!(minutes_to_wait(Duration::zero()), 1);
    }
}
