//! The rules of DOMAIN.md as pure types and functions: no I/O, no framework types.
//!
//! Each module owns one slice of the seed's seven annexes and names the clause
//! (`A5§10` = annex 5, section 十) next to the code that implements it. Inputs
//! become domain types once (`IdNumber::parse`, `Money::parse`, ...); inside,
//! the types guarantee validity. Money, areas and percentages are fixed-point
//! integers, never floats.

/// Declares a `Copy` enum whose variants have a stable storage code and a Chinese label,
/// with `ALL`, `code()`, `from_code()` and `label_zh()`.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => ($code:literal, $label:literal)),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and sent over the API.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The variant with this stored code, or `None` for an unknown code.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The Chinese label used in the seed's documents.
            pub fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }
    };
}

pub mod alerts;
pub mod assessment;
pub mod calendar;
pub mod community;
pub mod division;
pub mod employment;
pub mod entrepreneurship;
pub mod evidence;
pub mod governance;
pub mod health;
pub mod id_number;
pub mod import;
pub mod industry;
pub mod land;
pub mod money;
pub mod party;
pub mod person;
pub mod phone;
pub mod responsibility;
pub mod services;
pub mod supervision;
pub mod text;
pub mod training;

#[cfg(test)]
mod coded_enum_tests {
    /// Every coded enum: codes are unique, round-trip, and labels are non-empty.
    macro_rules! assert_codes_round_trip {
        ($($ty:ty),+ $(,)?) => {
            $(
                let mut seen = std::collections::HashSet::new();
                for value in <$ty>::ALL {
                    assert!(seen.insert(value.code()), "duplicate code {}", value.code());
                    assert_eq!(<$ty>::from_code(value.code()), Some(*value));
                    assert!(!value.label_zh().is_empty());
                }
                assert_eq!(<$ty>::from_code("no_such_code"), None);
            )+
        };
    }

    #[test]
    fn every_coded_enum_round_trips_its_codes() {
        use crate::*;
        assert_codes_round_trip!(
            person::Sex,
            person::FamilyRelation,
            person::LabourCapacity,
            person::EmploymentStatus,
            person::AgeBand,
            governance::SiteAreaType,
            governance::GovernanceUnitKind,
            party::PartyMemberStatus,
            party::PartyOrganisationKind,
            employment::EmploymentType,
            training::ClassHourCategory,
            land::TransferScope,
            land::QuotaHolding,
            land::HomesteadStatus,
            responsibility::AssignmentRole,
            responsibility::TaskStatus,
            services::InsuranceKind,
            services::RegistrationStatus,
            services::SafetyNetProgramme,
            supervision::SupervisionMeasure,
            supervision::SupervisionFinding,
            supervision::Consequence,
            entrepreneurship::GuaranteedLoanStatus,
            health::FollowUpMethod,
            community::FacilityKind,
            community::FacilityStatus,
            community::CouncilKind,
            community::DisputeCaseStatus,
        );
    }
}
