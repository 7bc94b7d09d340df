//! Drafting the members of a household of a given make-up: ages, sexes, names, labour and work.
use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;

use crate::demo::shape::Family;
use crate::names::{given_name, surname};

/// A person before it is written: everything but the ID number and phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub relation: &'static str,
    pub male: bool,
    pub age: i32,
    pub birth_date: NaiveDate,
    pub name: String,
    pub labour_capacity: &'static str,
    pub employment_status: &'static str,
}

/// Special cases a household may ask for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tweaks {
    /// Labour but nobody employed (A2§1).
    pub zero_employment: bool,
    /// The head has only partial capacity (illness or disability).
    pub partial_capacity_head: bool,
    /// Force the head's age (for the oldest person of the demo).
    pub head_age: Option<i32>,
    /// Make the youngest grandchild or child a baby under one.
    pub with_infant: bool,
}

/// A birth date on which the person is exactly `age` on `as_of`.
pub(crate) fn birth_date_for_age<R: Rng>(rng: &mut R, as_of: NaiveDate, age: i32) -> NaiveDate {
    let latest = years_before(as_of, age);
    let earliest = years_before(as_of, age + 1) + Duration::days(1);
    let span = (latest - earliest).num_days().max(0);
    earliest + Duration::days(rng.gen_range(0..=span))
}

fn years_before(date: NaiveDate, years: i32) -> NaiveDate {
    let year = date.year() - years;
    date.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .unwrap_or(date)
}

fn between<R: Rng>(rng: &mut R, low: i32, high: i32) -> i32 {
    if high <= low {
        low
    } else {
        rng.gen_range(low..=high)
    }
}

struct Draft {
    relation: &'static str,
    male: bool,
    age: i32,
    surname: &'static str,
}

/// Drafts the members of a household, head first.
pub(crate) fn draft_household<R: Rng>(
    rng: &mut R,
    family: Family,
    as_of: NaiveDate,
    tweaks: Tweaks,
) -> Vec<Member> {
    let family_name = surname(rng);
    let mut drafts: Vec<Draft> = Vec::with_capacity(family.size() as usize);
    let person = |relation, male, age, surname| Draft {
        relation,
        male,
        age,
        surname,
    };
    match family {
        Family::LivingAlone => {
            let age = tweaks.head_age.unwrap_or_else(|| between(rng, 74, 89));
            let male = rng.gen_bool(0.4);
            drafts.push(person("head", male, age, family_name));
        }
        Family::ElderlyCouple => {
            let age = tweaks.head_age.unwrap_or_else(|| between(rng, 63, 80));
            drafts.push(person("head", true, age, family_name));
            let spouse_age = between(rng, age - 4, age + 1);
            drafts.push(person("spouse", false, spouse_age, surname(rng)));
        }
        Family::SingleParent => {
            let age = between(rng, 29, 44);
            drafts.push(person("head", false, age, family_name));
            let child_age = between(rng, 2, (age - 20).min(14));
            drafts.push(person("child", rng.gen_bool(0.5), child_age, surname(rng)));
        }
        Family::CoupleOneChild
        | Family::CoupleTwoChildren
        | Family::ThreeGenerationsFour
        | Family::ThreeGenerationsFive => {
            let age = between(rng, 28, 46);
            drafts.push(person("head", true, age, family_name));
            drafts.push(person(
                "spouse",
                false,
                between(rng, age - 5, age),
                surname(rng),
            ));
            let two_children = matches!(
                family,
                Family::CoupleTwoChildren | Family::ThreeGenerationsFive
            );
            let oldest = between(rng, if two_children { 3 } else { 0 }, (age - 22).min(17));
            drafts.push(person("child", rng.gen_bool(0.5), oldest, family_name));
            if two_children {
                let younger = if tweaks.with_infant {
                    0
                } else {
                    between(rng, 0, oldest - 2)
                };
                drafts.push(person("child", rng.gen_bool(0.5), younger, family_name));
            }
            match family {
                Family::ThreeGenerationsFour => {
                    let mother = between(rng, age + 21, (age + 32).min(88));
                    drafts.push(person("parent", false, mother, surname(rng)));
                }
                Family::ThreeGenerationsFive => {
                    let father = between(rng, age + 23, (age + 33).min(86));
                    drafts.push(person("parent", true, father, family_name));
                }
                _ => {}
            }
        }
        Family::ExtendedSix => {
            let age = between(rng, 58, 68);
            drafts.push(person("head", true, age, family_name));
            drafts.push(person(
                "spouse",
                false,
                between(rng, age - 4, age),
                surname(rng),
            ));
            let son = between(rng, 30, (age - 22).min(40));
            drafts.push(person("child", true, son, family_name));
            drafts.push(person(
                "child_in_law",
                false,
                between(rng, son - 4, son + 1),
                surname(rng),
            ));
            let elder = between(rng, 2, (son - 22).min(10));
            drafts.push(person("grandchild", rng.gen_bool(0.5), elder, family_name));
            let younger = if tweaks.with_infant {
                0
            } else {
                between(rng, 0, elder - 1)
            };
            drafts.push(person(
                "grandchild",
                rng.gen_bool(0.5),
                younger,
                family_name,
            ));
        }
    }

    let mut members: Vec<Member> = drafts
        .into_iter()
        .map(|draft| {
            let birth_date = birth_date_for_age(rng, as_of, draft.age);
            let given = given_name(rng, draft.male, birth_date.year());
            Member {
                relation: draft.relation,
                male: draft.male,
                age: draft.age,
                birth_date,
                name: format!("{}{}", draft.surname, given),
                labour_capacity: capacity_for_age(draft.age),
                employment_status: "not_in_labour_force",
            }
        })
        .collect();
    if tweaks.partial_capacity_head {
        if let Some(head) = members.first_mut() {
            if head.labour_capacity == "full" {
                head.labour_capacity = "partial";
            }
        }
    }
    assign_work(rng, &mut members, tweaks.zero_employment);
    members
}

/// Labour capacity by age: children and students under 18 and people of 70 or older have none,
/// 18–59 full, 60–69 partial.
pub(crate) fn capacity_for_age(age: i32) -> &'static str {
    match age {
        ..=17 => "none",
        18..=59 => "full",
        60..=69 => "partial",
        _ => "none",
    }
}

/// Employment consistent with capacity; every household with labour has somebody employed
/// unless it is a zero-employment household, where everybody able to work is unemployed.
fn assign_work<R: Rng>(rng: &mut R, members: &mut [Member], zero_employment: bool) {
    for member in members.iter_mut() {
        member.employment_status = match (member.labour_capacity, zero_employment) {
            ("none", _) => "not_in_labour_force",
            (_, true) => "unemployed",
            ("full", false) if rng.gen_bool(0.7) => "employed",
            ("full", false) => "unemployed",
            (_, false) if rng.gen_bool(0.3) => "employed",
            _ => "not_in_labour_force",
        };
    }
    if zero_employment {
        return;
    }
    let has_labour = members.iter().any(|m| m.labour_capacity != "none");
    let anybody_employed = members.iter().any(|m| m.employment_status == "employed");
    if has_labour && !anybody_employed {
        let pick = members
            .iter()
            .position(|m| m.labour_capacity == "full")
            .or_else(|| members.iter().position(|m| m.labour_capacity == "partial"));
        if let Some(index) = pick {
            members[index].employment_status = "employed";
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn birth_date_gives_the_exact_age_on_the_reference_date() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        for age in [0, 1, 17, 18, 59, 60, 87] {
            for _ in 0..50 {
                let born = birth_date_for_age(&mut rng, as_of, age);
                assert_eq!(as_of.years_since(born), Some(age as u32), "{born}");
            }
        }
    }

    #[test]
    fn zero_employment_household_has_labour_and_nobody_employed() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        let tweaks = Tweaks {
            zero_employment: true,
            ..Tweaks::default()
        };
        let members = draft_household(&mut rng, Family::CoupleTwoChildren, as_of, tweaks);
        assert!(members.iter().any(|m| m.labour_capacity == "full"));
        assert!(members.iter().all(|m| m.employment_status != "employed"));
    }
}
