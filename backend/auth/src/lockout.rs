//! Login lockout (等保2.0): after five consecutive failures the account is locked for 15 minutes.
use chrono::{DateTime, Duration, Utc};

pub const MAX_FAILED_LOGINS: u32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

pub fn is_locked(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    locked_until.is_some_and(|until| now < until)
}

/// The failure count after one more failure, and the lock it brings once it reaches the limit
/// (the count starts again after a lock).
pub fn after_failure(failed_count: u32, now: DateTime<Utc>) -> (u32, Option<DateTime<Utc>>) {
    let failed = failed_count.saturating_add(1);
    if failed >= MAX_FAILED_LOGINS {
        (0, Some(now + Duration::minutes(LOCKOUT_MINUTES)))
    } else {
        (failed, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
    }

    #[test]
    fn the_fifth_failure_locks_and_the_fourth_does_not() {
        assert_eq!(after_failure(3, now()), (4, None));
        let (count, until) = after_failure(4, now());
        assert_eq!(count, 0);
        assert_eq!(until, Some(now() + Duration::minutes(15)));
    }

    #[test]
    fn a_lock_ends_exactly_when_it_says() {
        let until = now() + Duration::minutes(15);
        assert!(is_locked(Some(until), until - Duration::seconds(1)));
        assert!(!is_locked(Some(until), until));
        assert!(!is_locked(None, now()));
    }
}
