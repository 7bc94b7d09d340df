//! Rate limits per principal and per sign-in name, so that neither a runaway client nor a
//! password-guessing script can flood the server (the lockout in the database is the
//! cross-instance guard; these limits are per instance).
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Sign-in attempts per username per minute (beyond it: RATE_LIMITED before any check).
pub const LOGINS_PER_MINUTE: u32 = 10;

pub struct RateLimits {
    requests: DefaultKeyedRateLimiter<i64>,
    logins: DefaultKeyedRateLimiter<String>,
}

impl RateLimits {
    pub fn new(requests_per_minute: u32) -> RateLimits {
        let per_minute =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        RateLimits {
            requests: RateLimiter::keyed(per_minute(requests_per_minute)),
            logins: RateLimiter::keyed(per_minute(LOGINS_PER_MINUTE)),
        }
    }

    /// Whether the user may make another request now.
    pub fn allow_request(&self, user_id: i64) -> bool {
        self.requests.check_key(&user_id).is_ok()
    }

    /// Whether another sign-in attempt for this name may be checked now.
    pub fn allow_login(&self, username: &str) -> bool {
        self.logins
            .check_key(&username.trim().to_lowercase())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_login_attempt_within_a_minute_is_refused() {
        let limits = RateLimits::new(600);
        for _ in 0..LOGINS_PER_MINUTE {
            assert!(limits.allow_login("Zhang"));
        }
        assert!(
            !limits.allow_login("zhang "),
            "names are compared case-insensitively"
        );
        assert!(limits.allow_login("li"), "another name has its own budget");
    }

    #[test]
    fn requests_are_limited_per_user() {
        let limits = RateLimits::new(3);
        assert!((0..3).all(|_| limits.allow_request(1)));
        assert!(!limits.allow_request(1));
        assert!(limits.allow_request(2));
    }
}
