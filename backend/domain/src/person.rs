//! People in a relocated household: sex, relation to the head, labour capacity, employment, age bands.
//!
//! Age bands are by completed years (`age_on`):
//! preschool 0–5, compulsory school 6–15 (nine years of compulsory education from age 6,
//! A3§2), working age 16–59 (the legal minimum working age is 16), elderly 60 and over.

use chrono::{Datelike, NaiveDate};

coded_enum! {
    /// 性别, as the ID number's 17th digit gives it.
    pub enum Sex {
        Male => ("M", "男"),
        Female => ("F", "女"),
    }
}

coded_enum! {
    /// Relation to the head of the household (与户主关系).
    pub enum FamilyRelation {
        Head => ("head", "户主"),
        Spouse => ("spouse", "配偶"),
        Child => ("child", "子女"),
        ChildInLaw => ("child_in_law", "儿媳/女婿"),
        Grandchild => ("grandchild", "孙子女"),
        Parent => ("parent", "父母"),
        Grandparent => ("grandparent", "祖父母"),
        Sibling => ("sibling", "兄弟姐妹"),
        Other => ("other", "其他"),
    }
}

coded_enum! {
    /// 劳动能力. Full and partial capacity both count as labour (A2§1).
    pub enum LabourCapacity {
        Full => ("full", "有劳动能力"),
        Partial => ("partial", "弱劳动能力"),
        None => ("none", "无劳动能力"),
    }
}

impl LabourCapacity {
    /// Whether the person counts as labour for the employment floor (A2§1).
    pub fn has_labour(self) -> bool {
        matches!(self, LabourCapacity::Full | LabourCapacity::Partial)
    }
}

coded_enum! {
    /// 就业状态.
    pub enum EmploymentStatus {
        Employed => ("employed", "已就业"),
        Unemployed => ("unemployed", "未就业"),
        NotInLabourForce => ("not_in_labour_force", "非劳动力"),
    }
}

coded_enum! {
    /// Age band by completed years (see the module docs for the bounds).
    pub enum AgeBand {
        /// 0–5
        Preschool => ("preschool", "学龄前"),
        /// 6–15
        CompulsorySchool => ("compulsory_school", "义务教育阶段"),
        /// 16–59
        WorkingAge => ("working_age", "劳动年龄"),
        /// 60 and over
        Elderly => ("elderly", "老年"),
    }
}

impl AgeBand {
    /// The band of someone aged `age` completed years.
    pub fn of(age: u32) -> AgeBand {
        match age {
            0..=5 => AgeBand::Preschool,
            6..=15 => AgeBand::CompulsorySchool,
            16..=59 => AgeBand::WorkingAge,
            _ => AgeBand::Elderly,
        }
    }

    /// The youngest age in the band.
    pub fn min_age(self) -> u32 {
        match self {
            AgeBand::Preschool => 0,
            AgeBand::CompulsorySchool => 6,
            AgeBand::WorkingAge => 16,
            AgeBand::Elderly => 60,
        }
    }

    /// The oldest age in the band, `None` for the open-ended elderly band.
    pub fn max_age(self) -> Option<u32> {
        match self {
            AgeBand::Preschool => Some(5),
            AgeBand::CompulsorySchool => Some(15),
            AgeBand::WorkingAge => Some(59),
            AgeBand::Elderly => None,
        }
    }

    /// Birth dates `(earliest, latest)`, both inclusive, of the people in this band on `today`;
    /// `None` means unbounded. Consistent with [`age_on`]: `b` is in the range exactly when
    /// `AgeBand::of(age_on(b, today)) == self` (for `b <= today`).
    pub fn birth_date_range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let latest = latest_birth_date_for_age(today, self.min_age());
        let earliest = self
            .max_age()
            .and_then(|max| latest_birth_date_for_age(today, max + 1))
            .and_then(|date| date.succ_opt());
        (earliest, latest)
    }
}

/// The latest birth date of someone at least `age` completed years old on `today`.
///
/// That is `today` moved back `age` years; a 29 February `today` moved into a common
/// year becomes 28 February (someone born 29 Feb of a leap year ages on 1 March in
/// common years, so someone born 28 Feb is the last one already `age` years old).
fn latest_birth_date_for_age(today: NaiveDate, age: u32) -> Option<NaiveDate> {
    let year = today.year().checked_sub(i32::try_from(age).ok()?)?;
    NaiveDate::from_ymd_opt(year, today.month(), today.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, today.month(), today.day() - 1))
}

/// Completed years of age on `on` (0 if `on` is before `birth`).
///
/// Someone born on 29 February completes a year on 1 March in common years
/// (their birthday has not yet come on 28 February).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on <= birth {
        return 0;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn age_counts_completed_years() {
        assert_eq!(age_on(date(1980, 6, 15), date(2024, 6, 14)), 43);
        assert_eq!(age_on(date(1980, 6, 15), date(2024, 6, 15)), 44);
        assert_eq!(age_on(date(1980, 6, 15), date(2024, 6, 16)), 44);
    }

    #[test]
    fn age_is_zero_before_birth_and_on_the_birth_day() {
        assert_eq!(age_on(date(2024, 6, 15), date(2024, 6, 1)), 0);
        assert_eq!(age_on(date(2024, 6, 15), date(2024, 6, 15)), 0);
    }

    #[test]
    fn a_29_february_birthday_completes_the_year_on_1_march_in_common_years() {
        let birth = date(2000, 2, 29);
        assert_eq!(age_on(birth, date(2023, 2, 28)), 22);
        assert_eq!(age_on(birth, date(2023, 3, 1)), 23);
        assert_eq!(age_on(birth, date(2024, 2, 28)), 23);
        assert_eq!(age_on(birth, date(2024, 2, 29)), 24);
    }

    #[test]
    fn age_bands_have_the_documented_boundaries() {
        let expected = [
            (0, AgeBand::Preschool),
            (5, AgeBand::Preschool),
            (6, AgeBand::CompulsorySchool),
            (15, AgeBand::CompulsorySchool),
            (16, AgeBand::WorkingAge),
            (59, AgeBand::WorkingAge),
            (60, AgeBand::Elderly),
            (120, AgeBand::Elderly),
        ];
        for (age, band) in expected {
            assert_eq!(AgeBand::of(age), band, "age {age}");
        }
    }

    #[test]
    fn birth_date_range_of_compulsory_school_on_an_ordinary_day() {
        let (earliest, latest) = AgeBand::CompulsorySchool.birth_date_range(date(2024, 9, 1));
        assert_eq!(earliest, Some(date(2008, 9, 2)));
        assert_eq!(latest, Some(date(2018, 9, 1)));
    }

    #[test]
    fn birth_date_range_is_open_ended_for_the_elderly_and_ends_today_for_preschool() {
        let today = date(2024, 9, 1);
        assert_eq!(
            AgeBand::Elderly.birth_date_range(today),
            (None, Some(date(1964, 9, 1)))
        );
        assert_eq!(
            AgeBand::Preschool.birth_date_range(today),
            (Some(date(2018, 9, 2)), Some(today))
        );
    }

    #[test]
    fn birth_date_range_agrees_with_age_on_for_every_birth_date_around_leap_days() {
        let todays = [
            date(2024, 2, 28),
            date(2024, 2, 29),
            date(2024, 3, 1),
            date(2023, 2, 28),
            date(2023, 3, 1),
            date(2025, 12, 31),
            date(2026, 1, 1),
        ];
        for today in todays {
            for band in AgeBand::ALL {
                let (earliest, latest) = band.birth_date_range(today);
                let mut birth = date(1940, 1, 1);
                while birth <= today {
                    let in_range =
                        earliest.is_none_or(|e| birth >= e) && latest.is_none_or(|l| birth <= l);
                    let in_band = AgeBand::of(age_on(birth, today)) == *band;
                    assert_eq!(
                        in_range, in_band,
                        "band {band:?}, today {today}, birth {birth}"
                    );
                    birth = birth.succ_opt().unwrap();
                }
            }
        }
    }

    #[test]
    fn only_full_and_partial_capacity_count_as_labour() {
        assert!(LabourCapacity::Full.has_labour());
        assert!(LabourCapacity::Partial.has_labour());
        assert!(!LabourCapacity::None.has_labour());
    }

    #[test]
    fn codes_match_the_stored_values() {
        assert_eq!(Sex::Male.code(), "M");
        assert_eq!(Sex::from_code("F"), Some(Sex::Female));
        assert_eq!(FamilyRelation::ChildInLaw.code(), "child_in_law");
        assert_eq!(FamilyRelation::ChildInLaw.label_zh(), "儿媳/女婿");
        assert_eq!(
            EmploymentStatus::NotInLabourForce.code(),
            "not_in_labour_force"
        );
        assert_eq!(
            LabourCapacity::from_code("none"),
            Some(LabourCapacity::None)
        );
    }
}
