//! How a column's value reads, the same in the web page and in the spreadsheet.

use serde_json::Value;

use crate::{Column, Format};

/// The text of `column` in `row`. A list met on the path shows its items joined by 、; a
/// missing or `null` value shows as an empty string.
pub fn display(row: &Value, column: &Column) -> String {
    let mut values = Vec::new();
    collect(
        row,
        &column.path.split('.').collect::<Vec<_>>(),
        &mut values,
    );
    values
        .into_iter()
        .map(|value| one(value, column.format))
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

fn collect<'a>(value: &'a Value, path: &[&str], into: &mut Vec<&'a Value>) {
    match (value, path.split_first()) {
        (Value::Array(items), _) => {
            for item in items {
                collect(item, path, into);
            }
        }
        (_, None) => into.push(value),
        (Value::Object(object), Some((step, rest))) => {
            if let Some(child) = object.get(*step) {
                collect(child, rest, into);
            }
        }
        _ => {}
    }
}

fn one(value: &Value, format: Format) -> String {
    let text = match value {
        Value::Null => return String::new(),
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        other => other.to_string(),
    };
    match format {
        Format::Text | Format::Integer | Format::Date => text,
        Format::DateTime => china_minute(&text).unwrap_or(text),
        Format::Yuan => format!("¥{text}"),
        Format::Mu => format!("{text} 亩"),
        Format::Percent => format!("{text}%"),
        Format::BasisPoints => value
            .as_i64()
            .map_or(text, |points| format!("{}%", unscaled(points, 2))),
        Format::Fen => value
            .as_i64()
            .map_or(text, |fen| format!("¥{}", unscaled(fen, 2))),
        Format::TenThousandthMu => value
            .as_i64()
            .map_or(text, |area| format!("{} 亩", unscaled(area, 4))),
        Format::YesNo => match value {
            Value::Bool(true) => "是".to_owned(),
            Value::Bool(false) => "否".to_owned(),
            _ => text,
        },
        Format::Choice(labels) => labels
            .iter()
            .find(|(code, _)| *code == text)
            .map_or(text, |(_, label)| (*label).to_owned()),
    }
}

/// A whole number of a smallest unit as the decimal of the larger (150050, 2 → `1500.50`).
fn unscaled(value: i64, places: u32) -> String {
    let unit = 10_u64.pow(places);
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        magnitude / unit,
        magnitude % unit,
        width = places as usize
    )
}

/// An RFC 3339 instant (`2026-11-28T03:04:05.123Z`, `…+00:00`) as `2026-11-28 11:04` in China
/// Standard Time (UTC+8); `None` when it is not one.
fn china_minute(instant: &str) -> Option<String> {
    let bytes = instant.as_bytes();
    let number = |from: usize, to: usize| -> Option<i64> { instant.get(from..to)?.parse().ok() };
    if bytes.len() < 16 || bytes.get(10).is_none_or(|b| *b != b'T' && *b != b' ') {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute) = (number(11, 13)?, number(14, 16)?);
    // The offset: `Z` or `±HH:MM` at the end.
    let offset_minutes = if instant.ends_with('Z') || instant.ends_with('z') {
        0
    } else {
        let tail = instant.get(instant.len().checked_sub(6)?..)?;
        let sign = match tail.as_bytes().first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours: i64 = tail.get(1..3)?.parse().ok()?;
        let minutes: i64 = tail.get(4..6)?.parse().ok()?;
        sign * (hours * 60 + minutes)
    };
    let utc_minutes =
        days_from_civil(year, month, day) * 1440 + hour * 60 + minute - offset_minutes;
    let china = utc_minutes + 8 * 60;
    let (days, in_day) = (china.div_euclid(1440), china.rem_euclid(1440));
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        in_day / 60,
        in_day % 60
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STATES: &[(&str, &str)] = &[("OPEN", "未解决"), ("RESOLVED", "已解决")];

    fn column(path: &'static str, format: Format) -> Column {
        Column {
            header: "h",
            path,
            format,
        }
    }

    #[test]
    fn formats_each_kind() {
        let row = json!({
            "wage": "2200.00", "area": "1.5000", "rate": "66.67", "ok": true, "no": false,
            "state": "OPEN", "odd": "LATER", "count": 3, "missing": null
        });
        assert_eq!(display(&row, &column("wage", Format::Yuan)), "¥2200.00");
        assert_eq!(display(&row, &column("area", Format::Mu)), "1.5000 亩");
        assert_eq!(display(&row, &column("rate", Format::Percent)), "66.67%");
        assert_eq!(display(&row, &column("ok", Format::YesNo)), "是");
        assert_eq!(display(&row, &column("no", Format::YesNo)), "否");
        assert_eq!(
            display(&row, &column("state", Format::Choice(STATES))),
            "未解决"
        );
        assert_eq!(
            display(&row, &column("odd", Format::Choice(STATES))),
            "LATER"
        );
        assert_eq!(display(&row, &column("count", Format::Integer)), "3");
        let amounts = json!({"fen": 150_050, "cents": -5, "area": 15_000, "tiny": 1});
        assert_eq!(display(&amounts, &column("fen", Format::Fen)), "¥1500.50");
        assert_eq!(display(&amounts, &column("cents", Format::Fen)), "¥-0.05");
        assert_eq!(
            display(&amounts, &column("area", Format::TenThousandthMu)),
            "1.5000 亩"
        );
        assert_eq!(
            display(&amounts, &column("tiny", Format::TenThousandthMu)),
            "0.0001 亩"
        );
        assert_eq!(display(&row, &column("missing", Format::Yuan)), "");
        assert_eq!(display(&row, &column("absent.deeper", Format::Text)), "");
    }

    #[test]
    fn joins_the_items_of_lists_on_the_path() {
        let row = json!({"members": [{"name": "张三"}, {"name": null}, {"name": "李四"}]});
        assert_eq!(
            display(&row, &column("members.name", Format::Text)),
            "张三、李四"
        );
    }

    #[test]
    fn instants_read_in_china_standard_time() {
        let at =
            |instant: &str| display(&json!({ "at": instant }), &column("at", Format::DateTime));
        assert_eq!(at("2026-11-28T03:04:05.123456Z"), "2026-11-28 11:04");
        // Past midnight in China, still the day before in UTC; and over a year's end.
        assert_eq!(at("2026-11-28T16:30:00+00:00"), "2026-11-29 00:30");
        assert_eq!(at("2026-12-31T16:00:00Z"), "2027-01-01 00:00");
        assert_eq!(at("2024-02-28T20:00:00-02:00"), "2024-02-29 06:00");
        assert_eq!(at("not a time"), "not a time");
    }
}
