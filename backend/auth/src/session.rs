//! Session timeouts (等保2.0): idle after 30 minutes without activity, absolute after 8 hours.
use chrono::{DateTime, Duration, Utc};

pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 8;

/// Why a session ended by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    Idle,
    Absolute,
}

/// Whether a session created at `created_at` and last used at `last_used_at` has ended by
/// `now`; the absolute limit wins when both apply. Each ends at its instant exactly.
pub fn session_expired(
    created_at: DateTime<Utc>,
    last_used_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<SessionEnd> {
    if now >= created_at + Duration::hours(ABSOLUTE_TIMEOUT_HOURS) {
        Some(SessionEnd::Absolute)
    } else if now >= last_used_at + Duration::minutes(IDLE_TIMEOUT_MINUTES) {
        Some(SessionEnd::Idle)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 8, 0, 0).unwrap()
    }

    #[test]
    fn thirty_idle_minutes_end_a_session_and_twenty_nine_do_not() {
        let later = start() + Duration::minutes(29);
        assert_eq!(session_expired(start(), start(), later), None);
        let later = start() + Duration::minutes(30);
        assert_eq!(
            session_expired(start(), start(), later),
            Some(SessionEnd::Idle)
        );
    }

    #[test]
    fn idleness_is_measured_from_the_last_use() {
        let used = start() + Duration::hours(2);
        let now = used + Duration::minutes(29);
        assert_eq!(session_expired(start(), used, now), None);
        assert_eq!(
            session_expired(start(), used, used + Duration::minutes(30)),
            Some(SessionEnd::Idle)
        );
    }

    #[test]
    fn an_active_session_still_ends_after_eight_hours() {
        let now = start() + Duration::hours(8);
        let just_used = now - Duration::minutes(1);
        assert_eq!(
            session_expired(start(), just_used, now),
            Some(SessionEnd::Absolute)
        );
        let before = now - Duration::seconds(1);
        assert_eq!(session_expired(start(), just_used, before), None);
    }
}
