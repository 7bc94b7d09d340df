//! Login lockout (等保2.0): after five consecutive failures the account is locked for 15 minutes.
use chrono::{DateTime, Duration, Utc};

/// Consecutive failures that lock an account (等保2.0 asks for a limit; 5 is the common one).
pub const MAX_FAILED_LOGINS: u32 = 5;
/// How long a lock lasts: long enough to make guessing hopeless (at most 20 guesses an hour),
/// short enough that a user who mistyped need not call the security administrator, who can
/// also unlock at once.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Whether an account locked until `locked_until` is still locked at `now` (the lock ends at
/// that instant).
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
    fn failures_below_the_limit_only_count() {
        let mut count = 0;
        for expected in 1..MAX_FAILED_LOGINS {
            let (next, until) = after_failure(count, now());
            assert_eq!((next, until), (expected, None));
            count = next;
        }
        assert_eq!(count, 4);
    }

    #[test]
    fn after_a_lock_expires_five_more_failures_are_needed() {
        let (count, until) = after_failure(4, now());
        let after_lock = until.unwrap();
        assert!(!is_locked(until, after_lock));
        assert_eq!(after_failure(count, after_lock), (1, None));
    }

    #[test]
    fn an_absurd_counter_still_locks_without_overflowing() {
        let (count, until) = after_failure(u32::MAX, now());
        assert_eq!(count, 0);
        assert!(is_locked(until, now()));
    }

    #[test]
    fn a_lock_ends_exactly_when_it_says() {
        let until = now() + Duration::minutes(15);
        assert!(is_locked(Some(until), until - Duration::seconds(1)));
        assert!(!is_locked(Some(until), until));
        assert!(!is_locked(None, now()));
    }
}
