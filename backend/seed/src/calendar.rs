//! The working-day calendar of 2025–2027: official PRC public holidays and make-up working days (data, not rules).
use chrono::{Duration, NaiveDate};
use sea_orm::ConnectionTrait;

use crate::sql::{date, insert_returning_id, text, ymd};

/// A holiday period or make-up working day: (first day, last day, kind, name).
type Entry = (NaiveDate, NaiveDate, &'static str, &'static str);

/// 2025: 国办发明电〔2024〕12号; 2026: the State Council notice for 2026 (国办发明电〔2025〕7号).
/// 2027's notice is not in our sources: only the statutory days of 《全国年节及纪念日放假办法》
/// (2024 revision) are listed, marked provisional, without make-up working days.
pub fn official_calendar() -> Vec<Entry> {
    let h = "holiday";
    let m = "makeup_workday";
    vec![
        (ymd(2025, 1, 1), ymd(2025, 1, 1), h, "元旦"),
        (ymd(2025, 1, 26), ymd(2025, 1, 26), m, "春节调休上班"),
        (ymd(2025, 1, 28), ymd(2025, 2, 4), h, "春节"),
        (ymd(2025, 2, 8), ymd(2025, 2, 8), m, "春节调休上班"),
        (ymd(2025, 4, 4), ymd(2025, 4, 6), h, "清明节"),
        (ymd(2025, 4, 27), ymd(2025, 4, 27), m, "劳动节调休上班"),
        (ymd(2025, 5, 1), ymd(2025, 5, 5), h, "劳动节"),
        (ymd(2025, 5, 31), ymd(2025, 6, 2), h, "端午节"),
        (
            ymd(2025, 9, 28),
            ymd(2025, 9, 28),
            m,
            "国庆节、中秋节调休上班",
        ),
        (ymd(2025, 10, 1), ymd(2025, 10, 8), h, "国庆节、中秋节"),
        (
            ymd(2025, 10, 11),
            ymd(2025, 10, 11),
            m,
            "国庆节、中秋节调休上班",
        ),
        (ymd(2026, 1, 1), ymd(2026, 1, 3), h, "元旦"),
        (ymd(2026, 1, 4), ymd(2026, 1, 4), m, "元旦调休上班"),
        (ymd(2026, 2, 14), ymd(2026, 2, 14), m, "春节调休上班"),
        (ymd(2026, 2, 15), ymd(2026, 2, 23), h, "春节"),
        (ymd(2026, 2, 28), ymd(2026, 2, 28), m, "春节调休上班"),
        (ymd(2026, 4, 4), ymd(2026, 4, 6), h, "清明节"),
        (ymd(2026, 5, 1), ymd(2026, 5, 5), h, "劳动节"),
        (ymd(2026, 5, 9), ymd(2026, 5, 9), m, "劳动节调休上班"),
        (ymd(2026, 6, 19), ymd(2026, 6, 21), h, "端午节"),
        (ymd(2026, 9, 20), ymd(2026, 9, 20), m, "国庆节调休上班"),
        (ymd(2026, 9, 25), ymd(2026, 9, 27), h, "中秋节"),
        (ymd(2026, 10, 1), ymd(2026, 10, 7), h, "国庆节"),
        (ymd(2026, 10, 10), ymd(2026, 10, 10), m, "国庆节调休上班"),
        (
            ymd(2027, 1, 1),
            ymd(2027, 1, 1),
            h,
            "元旦（法定日，调休待公布）",
        ),
        (
            ymd(2027, 2, 5),
            ymd(2027, 2, 8),
            h,
            "春节（法定日，调休待公布）",
        ),
        (
            ymd(2027, 4, 5),
            ymd(2027, 4, 5),
            h,
            "清明节（法定日，调休待公布）",
        ),
        (
            ymd(2027, 5, 1),
            ymd(2027, 5, 2),
            h,
            "劳动节（法定日，调休待公布）",
        ),
        (
            ymd(2027, 6, 9),
            ymd(2027, 6, 9),
            h,
            "端午节（法定日，调休待公布）",
        ),
        (
            ymd(2027, 9, 15),
            ymd(2027, 9, 15),
            h,
            "中秋节（法定日，调休待公布）",
        ),
        (
            ymd(2027, 10, 1),
            ymd(2027, 10, 3),
            h,
            "国庆节（法定日，调休待公布）",
        ),
    ]
}

/// Writes one `working_day_calendar` row per listed day.
pub(crate) async fn load_calendar<C: ConnectionTrait>(db: &C) -> anyhow::Result<()> {
    for (first, last, kind, name) in official_calendar() {
        let mut day = first;
        while day <= last {
            insert_returning_id(
                db,
                "working_day_calendar",
                vec![
                    ("day", date(day)),
                    ("kind", text(kind)),
                    ("name", text(name)),
                ],
            )
            .await?;
            day += Duration::days(1);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Weekday};

    use super::*;

    #[test]
    fn make_up_working_days_fall_on_weekends() {
        for (first, last, kind, _) in official_calendar() {
            assert!(first <= last);
            if kind == "makeup_workday" {
                assert!(
                    matches!(first.weekday(), Weekday::Sat | Weekday::Sun),
                    "{first}"
                );
            }
        }
    }
}
