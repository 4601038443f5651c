//! The rules of signing in: how long a session lasts, and when repeated failures lock an
//! account or throttle an address.

use chrono::{DateTime, Duration, Utc};

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

/// When failures lock an account and throttle an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Consecutive failures on one account that lock it.
    pub max_failures: u32,
    /// How long the lock lasts.
    pub lock_for: Duration,
    /// Failures from one address, across any accounts, within `window` that throttle it.
    pub max_failures_per_address: u32,
    pub window: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lock_for: Duration::minutes(15),
            max_failures_per_address: 20,
            window: Duration::minutes(15),
        }
    }
}

impl LockoutPolicy {
    /// After one more failure on an account that had `failures` before, lock it until when?
    pub fn lock_after_failure(
        &self,
        failures_before: u32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        (failures_before + 1 >= self.max_failures).then(|| now + self.lock_for)
    }

    pub fn is_locked(&self, locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        locked_until.is_some_and(|until| until > now)
    }

    pub fn address_throttled(&self, recent_failures_from_address: u32) -> bool {
        recent_failures_from_address >= self.max_failures_per_address
    }
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
    fn the_fifth_failure_locks_for_fifteen_minutes() {
        let p = LockoutPolicy::default();
        assert_eq!(p.lock_after_failure(3, t(0)), None);
        assert_eq!(p.lock_after_failure(4, t(0)), Some(t(15)));
        assert!(p.is_locked(Some(t(15)), t(14)));
        assert!(!p.is_locked(Some(t(15)), t(15)));
        assert!(!p.is_locked(None, t(0)));
    }

    #[test]
    fn an_address_with_many_failures_is_throttled() {
        let p = LockoutPolicy::default();
        assert!(!p.address_throttled(19));
        assert!(p.address_throttled(20));
    }
}
