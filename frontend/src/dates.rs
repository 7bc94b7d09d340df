//! Calendar days (`2026-12-01`, the API's `NaiveDate`) and instants (RFC 3339) as the pages show
//! them: in China Standard Time, like the server's "today".

use leptos::web_sys::js_sys::Date;

const DAY_MS: f64 = 86_400_000.0;
/// China Standard Time is UTC+8 all year.
const CHINA_OFFSET_MS: f64 = 8.0 * 3_600_000.0;

/// Milliseconds since the epoch of a `YYYY-MM-DD` day at midnight UTC, if it is one.
fn day_ms(day: &str) -> Option<f64> {
    let mut parts = day.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let date: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&date) {
        return None;
    }
    let ms = Date::utc(f64::from(year), f64::from(month - 1)) + f64::from(date - 1) * DAY_MS;
    ms.is_finite().then_some(ms)
}

fn day_of_ms(ms: f64) -> String {
    let date = Date::new(&ms.into());
    format!(
        "{:04}-{:02}-{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date()
    )
}

/// `day` moved by `days` (negative: earlier); `None` when `day` is not a date.
pub fn add_days(day: &str, days: i64) -> Option<String> {
    let ms = day_ms(day)?;
    Some(day_of_ms(ms + days as f64 * DAY_MS))
}

/// Today in China, as the server counts it.
pub fn today_in_china() -> String {
    day_of_ms(Date::now() + CHINA_OFFSET_MS)
}

/// Whether `day` is a calendar day the API takes.
pub fn is_day(day: &str) -> bool {
    day.len() == 10 && day_ms(day).is_some()
}

/// An RFC 3339 instant as `2026-12-01 20:38` in China Standard Time (or as given, if it is
/// not one).
pub fn format_instant(instant: &str) -> String {
    let ms = Date::parse(instant);
    if !ms.is_finite() {
        return instant.to_owned();
    }
    let date = Date::new(&(ms + CHINA_OFFSET_MS).into());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date(),
        date.get_utc_hours(),
        date.get_utc_minutes()
    )
}

/// A file size as 1.2 MB / 35 KB.
pub fn format_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        // Tenths of a MiB, in integers (no float formatting code in the wasm).
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else if bytes >= 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{bytes} B")
    }
}
