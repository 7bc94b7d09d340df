//! Rate limits per principal, per service client, per sign-in name and per client id at the
//! token endpoint, so that neither a runaway client nor a password-guessing script can flood
//! the server (the lockout in the database is the cross-instance guard; these limits are per
//! instance: behind a load balancer of N instances a client gets up to N times its limit).
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Sign-in attempts per username per minute (beyond it: RATE_LIMITED before any check).
pub const LOGINS_PER_MINUTE: u32 = 10;
/// Token requests per client id per minute (each costs an argon2 verification).
pub const TOKEN_REQUESTS_PER_MINUTE: u32 = 20;

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

/// One client's budget, remade when its limit changes.
struct ClientBudget {
    per_minute: u32,
    limiter: DefaultDirectRateLimiter,
}

pub struct RateLimits {
    requests: DefaultKeyedRateLimiter<i64>,
    logins: DefaultKeyedRateLimiter<String>,
    token_requests: DefaultKeyedRateLimiter<String>,
    clients: Mutex<HashMap<i64, ClientBudget>>,
}

impl RateLimits {
    pub fn new(requests_per_minute: u32) -> RateLimits {
        RateLimits {
            requests: RateLimiter::keyed(per_minute(requests_per_minute)),
            logins: RateLimiter::keyed(per_minute(LOGINS_PER_MINUTE)),
            token_requests: RateLimiter::keyed(per_minute(TOKEN_REQUESTS_PER_MINUTE)),
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the service client (by row id) may make another call now, under its own
    /// per-minute limit (which the security administrator may change at any time).
    pub fn allow_client_request(&self, client_id: i64, limit_per_minute: u32) -> bool {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let budget = clients.entry(client_id).or_insert_with(|| ClientBudget {
            per_minute: limit_per_minute,
            limiter: RateLimiter::direct(per_minute(limit_per_minute)),
        });
        if budget.per_minute != limit_per_minute {
            *budget = ClientBudget {
                per_minute: limit_per_minute,
                limiter: RateLimiter::direct(per_minute(limit_per_minute)),
            };
        }
        budget.limiter.check().is_ok()
    }

    /// Whether another token request for this client id may be checked now.
    pub fn allow_token_request(&self, client_id: &str) -> bool {
        let key: String = client_id.chars().take(64).collect();
        self.token_requests.check_key(&key).is_ok()
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
    fn each_client_has_its_own_limit_which_may_change() {
        let limits = RateLimits::new(600);
        assert!((0..3).all(|_| limits.allow_client_request(1, 3)));
        assert!(!limits.allow_client_request(1, 3));
        assert!(limits.allow_client_request(2, 3), "another client");
        assert!(
            limits.allow_client_request(1, 5),
            "a new limit starts a new budget"
        );
    }

    #[test]
    fn token_requests_are_limited_per_client_id() {
        let limits = RateLimits::new(600);
        assert!((0..TOKEN_REQUESTS_PER_MINUTE).all(|_| limits.allow_token_request("svc_a")));
        assert!(!limits.allow_token_request("svc_a"));
        assert!(limits.allow_token_request("svc_b"));
    }

    #[test]
    fn requests_are_limited_per_user() {
        let limits = RateLimits::new(3);
        assert!((0..3).all(|_| limits.allow_request(1)));
        assert!(!limits.allow_request(1));
        assert!(limits.allow_request(2));
    }
}
