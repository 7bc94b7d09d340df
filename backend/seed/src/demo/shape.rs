//! The documented shape of the demo data set, so that tests and screens can rely on it.
//!
//! 45 households and 140 persons (A4§2.2) split 27/84 at 黄堡新镇区集中安置点 (`HB-XZQ`) and
//! 18/56 at 王家河幸福居集中安置点 (`WJH-XFJ`); the seed does not give the split, so it is ours.
//! Household codes are `HB-001`…`HB-027` and `WJH-001`…`WJH-018`, in the order of
//! [`HB_FAMILIES`] and [`WJH_FAMILIES`]. Every person, name, ID number and phone number is
//! fictitious (names are drawn from lists of common surnames and given names; phone numbers
//! have the form `1xx0000nnnn`).
//!
//! Ages are exact on [`demo_as_of`]. Labour capacity follows age: under 18 and 70 or older
//! `none`, 18–59 `full` (heads listed in [`PARTIAL_CAPACITY_HEADS`] are `partial`), 60–69
//! `partial`. Everybody without capacity is `not_in_labour_force`. Every household with
//! labour capacity has at least one `employed` member, except the zero-employment households
//! ([`ZERO_EMPLOYMENT_HOUSEHOLDS`], A2§1), whose members with capacity are all `unemployed`.
use chrono::NaiveDate;

/// The ChaCha seed of the demo data: the same rows on every run.
pub const DEMO_SEED: u64 = 610_202;
/// Number of demo households (A4§2.2: 45户).
pub const DEMO_HOUSEHOLDS: u32 = 45;
/// Number of demo persons (A4§2.2: 140人).
pub const DEMO_PERSONS: u32 = 140;

/// The date on which demo ages are exact.
pub fn demo_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or(NaiveDate::MIN)
}

/// The demo population of one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSite {
    /// `site.code` of the reference site.
    pub site_code: &'static str,
    /// Prefix of household codes (`HB` → `HB-001`).
    pub household_prefix: &'static str,
    pub households: u32,
    pub persons: u32,
}

pub const DEMO_SITES: [DemoSite; 2] = [
    DemoSite {
        site_code: "HB-XZQ",
        household_prefix: "HB",
        households: 27,
        persons: 84,
    },
    DemoSite {
        site_code: "WJH-XFJ",
        household_prefix: "WJH",
        households: 18,
        persons: 56,
    },
];

/// The make-up of a household; relations are relative to the head (户主).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// One person of 74 or older living alone (candidates for 特困 support).
    LivingAlone,
    /// Head (63–80) and spouse.
    ElderlyCouple,
    /// A mother (29–44) and one child.
    SingleParent,
    /// Head, spouse and one child.
    CoupleOneChild,
    /// Head, spouse and two children.
    CoupleTwoChildren,
    /// Head, spouse, one child and the head's mother.
    ThreeGenerationsFour,
    /// Head, spouse, two children and the head's father.
    ThreeGenerationsFive,
    /// Head (58–68), spouse, their son, daughter-in-law and two grandchildren.
    ExtendedSix,
}

impl Family {
    /// Number of persons in a household of this make-up.
    pub const fn size(self) -> u32 {
        match self {
            Family::LivingAlone => 1,
            Family::ElderlyCouple | Family::SingleParent => 2,
            Family::CoupleOneChild => 3,
            Family::CoupleTwoChildren | Family::ThreeGenerationsFour => 4,
            Family::ThreeGenerationsFive => 5,
            Family::ExtendedSix => 6,
        }
    }
}

use Family::*;

/// 黄堡新镇区集中安置点: `HB-001`… in this order (27 households, 84 persons).
pub const HB_FAMILIES: [Family; 27] = [
    CoupleTwoChildren,    // HB-001
    LivingAlone,          // HB-002: the oldest person (85+), 特困
    CoupleOneChild,       // HB-003
    CoupleTwoChildren,    // HB-004: zero-employment
    ElderlyCouple,        // HB-005
    ThreeGenerationsFour, // HB-006
    SingleParent,         // HB-007
    CoupleOneChild,       // HB-008: head with partial capacity, 低保
    ThreeGenerationsFive, // HB-009
    CoupleTwoChildren,    // HB-010
    ElderlyCouple,        // HB-011
    CoupleOneChild,       // HB-012: zero-employment
    LivingAlone,          // HB-013
    CoupleTwoChildren,    // HB-014
    ExtendedSix,          // HB-015
    ElderlyCouple,        // HB-016
    CoupleOneChild,       // HB-017
    ThreeGenerationsFour, // HB-018
    SingleParent,         // HB-019
    CoupleTwoChildren,    // HB-020
    CoupleOneChild,       // HB-021
    ElderlyCouple,        // HB-022
    ThreeGenerationsFour, // HB-023
    LivingAlone,          // HB-024
    ThreeGenerationsFive, // HB-025
    CoupleOneChild,       // HB-026
    CoupleOneChild,       // HB-027
];

/// 王家河幸福居集中安置点: `WJH-001`… in this order (18 households, 56 persons).
pub const WJH_FAMILIES: [Family; 18] = [
    CoupleTwoChildren,    // WJH-001
    ElderlyCouple,        // WJH-002
    CoupleOneChild,       // WJH-003
    ThreeGenerationsFive, // WJH-004
    CoupleOneChild,       // WJH-005: zero-employment
    LivingAlone,          // WJH-006
    SingleParent,         // WJH-007
    CoupleTwoChildren,    // WJH-008
    ElderlyCouple,        // WJH-009
    ThreeGenerationsFour, // WJH-010
    CoupleOneChild,       // WJH-011
    ExtendedSix,          // WJH-012: the youngest person (an infant)
    SingleParent,         // WJH-013
    CoupleTwoChildren,    // WJH-014
    LivingAlone,          // WJH-015
    CoupleOneChild,       // WJH-016
    ThreeGenerationsFive, // WJH-017
    ElderlyCouple,        // WJH-018
];

/// The families of a demo site, by household prefix.
pub fn families_of(site: &DemoSite) -> &'static [Family] {
    if site.household_prefix == "HB" {
        &HB_FAMILIES
    } else {
        &WJH_FAMILIES
    }
}

/// The code of the `number`-th (1-based) household of a site.
pub fn household_code(prefix: &str, number: usize) -> String {
    format!("{prefix}-{number:03}")
}

/// Households with labour capacity and nobody employed (A2§1), each with job pushes.
pub const ZERO_EMPLOYMENT_HOUSEHOLDS: &[&str] = &["HB-004", "HB-012", "WJH-005"];
/// Households whose head has only partial labour capacity (illness or disability).
pub const PARTIAL_CAPACITY_HEADS: &[&str] = &["HB-008"];
/// The household of the oldest person (aged 87).
pub const OLDEST_PERSON_HOUSEHOLD: &str = "HB-002";
/// The household of the youngest person (a baby under one year).
pub const INFANT_HOUSEHOLD: &str = "WJH-012";
/// Households relocated alongside without being registered as poor (同步搬迁).
pub const NOT_REGISTERED_POOR_HOUSEHOLDS: &[&str] = &["HB-026", "WJH-016"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_add_up_to_the_seed_totals() {
        let mut households = 0;
        let mut persons = 0;
        for site in DEMO_SITES {
            let families = families_of(&site);
            assert_eq!(families.len() as u32, site.households);
            assert_eq!(families.iter().map(|f| f.size()).sum::<u32>(), site.persons);
            households += site.households;
            persons += site.persons;
        }
        assert_eq!(households, DEMO_HOUSEHOLDS);
        assert_eq!(persons, DEMO_PERSONS);
    }
}
