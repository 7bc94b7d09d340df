//! The date the district lives in (China Standard Time, UTC+8), for ages and deadlines.
use chrono::{FixedOffset, NaiveDate, Utc};

const CHINA_STANDARD_TIME_OFFSET_SECONDS: i32 = 8 * 3600;

/// Today's date in China Standard Time.
pub fn today_in_china() -> NaiveDate {
    match FixedOffset::east_opt(CHINA_STANDARD_TIME_OFFSET_SECONDS) {
        Some(china) => Utc::now().with_timezone(&china).date_naive(),
        None => Utc::now().date_naive(),
    }
}
