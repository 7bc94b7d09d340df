//! Basic public services per relocated person: insurance coverage (A3§4), schooling (A3§2), family doctors (A3§3) and household registration (A3§5).
//!
//! Decisions on applicability (应保尽保: everyone who qualifies):
//! - Basic medical insurance and serious-illness insurance apply to everyone, newborns
//!   included (resident medical insurance has no age limit; serious-illness insurance rides
//!   on it but is recorded separately because A3§4 names it).
//! - Pension insurance applies from 16 to everyone not in school (城乡居民养老保险 covers
//!   residents aged 16 and over who are not students); people over 60 drawing a pension
//!   count as enrolled.
//! - Schooling: a child aged 6–15 (the compulsory-school age band) who is not enrolled and
//!   has not completed the nine years is a dropout alert (不因搬迁而辍学, A3§2).
//! - Family doctor: everyone should have a signed contract (全面落实家庭医生签约服务, A3§3).
//! - Household registration: transfer is voluntary (群众自愿, A3§5); a person is covered when
//!   the 户籍 has moved to the new place or a residence permit is held, and a gap only when neither.
//! - 先诊疗后付费 applies to relocated poor people admitted as in-patients in designated
//!   hospitals of the district (A3§3).

use crate::person::AgeBand;

/// The age from which pension insurance applies (A3§4).
pub const PENSION_MIN_AGE: u32 = 16;

coded_enum! {
    /// The insurances every relocated person should have as applicable (A3§4).
    pub enum InsuranceKind {
        BasicMedical => ("basic_medical", "基本医疗保险"),
        SeriousIllness => ("serious_illness", "大病保险"),
        Pension => ("pension", "养老保险"),
    }
}

coded_enum! {
    /// Where a relocated person's household registration stands (A3§5).
    pub enum RegistrationStatus {
        /// 户籍 moved to the resettlement place.
        Transferred => ("transferred", "已迁入户籍"),
        /// 户籍 kept at the origin, residence permit held.
        ResidencePermit => ("residence_permit", "办理居住证"),
        /// 户籍 kept at the origin and no residence permit yet.
        KeptAtOrigin => ("kept_at_origin", "户籍未迁移且未办居住证"),
    }
}

coded_enum! {
    /// Social-assistance programmes (A3§4).
    pub enum SafetyNetProgramme {
        /// 农村低保
        SubsistenceAllowance => ("subsistence_allowance", "农村低保"),
        /// 特困人员救助供养
        DestituteSupport => ("destitute_support", "特困人员救助供养"),
        /// 临时救助
        TemporaryAssistance => ("temporary_assistance", "临时救助"),
    }
}

/// The facts about one relocated person that the service checks need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonServiceFacts {
    /// Completed years (see `person::age_on`).
    pub age: u32,
    /// Enrolled in a school (including 送教上门 home schooling).
    pub in_school: bool,
    /// Has completed the nine years of compulsory education.
    pub completed_compulsory_education: bool,
    pub basic_medical_insured: bool,
    pub serious_illness_insured: bool,
    /// Enrolled in (or drawing) resident or employee pension insurance.
    pub pension_insured: bool,
    pub family_doctor_contract: bool,
    pub registration: RegistrationStatus,
}

/// Something a relocated person is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceGap {
    /// Not enrolled in an insurance that applies (A3§4).
    Insurance(InsuranceKind),
    /// A child of compulsory-school age out of school (A3§2).
    SchoolDropout,
    /// No family-doctor contract (A3§3).
    NoFamilyDoctor,
    /// Neither 户籍 transferred nor residence permit (A3§5).
    NoRegistrationOrResidencePermit,
}

impl ServiceGap {
    pub fn code(self) -> &'static str {
        match self {
            ServiceGap::Insurance(InsuranceKind::BasicMedical) => "missing_basic_medical",
            ServiceGap::Insurance(InsuranceKind::SeriousIllness) => "missing_serious_illness",
            ServiceGap::Insurance(InsuranceKind::Pension) => "missing_pension",
            ServiceGap::SchoolDropout => "school_dropout",
            ServiceGap::NoFamilyDoctor => "no_family_doctor",
            ServiceGap::NoRegistrationOrResidencePermit => "no_registration_or_residence_permit",
        }
    }

    pub fn clause(self) -> &'static str {
        match self {
            ServiceGap::Insurance(_) => "A3§4",
            ServiceGap::SchoolDropout => "A3§2",
            ServiceGap::NoFamilyDoctor => "A3§3",
            ServiceGap::NoRegistrationOrResidencePermit => "A3§5",
        }
    }
}

/// Whether an insurance applies to a person of `age` who is or is not in school (A3§4).
pub fn insurance_applies(kind: InsuranceKind, age: u32, in_school: bool) -> bool {
    match kind {
        InsuranceKind::BasicMedical | InsuranceKind::SeriousIllness => true,
        InsuranceKind::Pension => age >= PENSION_MIN_AGE && !in_school,
    }
}

/// The insurances that apply to the person and that they lack (A3§4, 应保尽保).
pub fn insurance_gaps(facts: &PersonServiceFacts) -> Vec<InsuranceKind> {
    InsuranceKind::ALL
        .iter()
        .copied()
        .filter(|kind| insurance_applies(*kind, facts.age, facts.in_school))
        .filter(|kind| !match kind {
            InsuranceKind::BasicMedical => facts.basic_medical_insured,
            InsuranceKind::SeriousIllness => facts.serious_illness_insured,
            InsuranceKind::Pension => facts.pension_insured,
        })
        .collect()
}

/// A child of compulsory-school age (6–15) who is not in school and has not completed
/// compulsory education: no child drops out because of relocation (A3§2).
pub fn is_dropout_alert(age: u32, in_school: bool, completed_compulsory_education: bool) -> bool {
    AgeBand::of(age) == AgeBand::CompulsorySchool && !in_school && !completed_compulsory_education
}

/// Everything the person is missing, in a stable order: insurances, schooling, family
/// doctor, registration.
pub fn service_gaps(facts: &PersonServiceFacts) -> Vec<ServiceGap> {
    let mut gaps: Vec<ServiceGap> = insurance_gaps(facts)
        .into_iter()
        .map(ServiceGap::Insurance)
        .collect();
    if is_dropout_alert(
        facts.age,
        facts.in_school,
        facts.completed_compulsory_education,
    ) {
        gaps.push(ServiceGap::SchoolDropout);
    }
    if !facts.family_doctor_contract {
        gaps.push(ServiceGap::NoFamilyDoctor);
    }
    if facts.registration == RegistrationStatus::KeptAtOrigin {
        gaps.push(ServiceGap::NoRegistrationOrResidencePermit);
    }
    gaps
}

/// Whether treatment-first-pay-later (先诊疗后付费) applies: a relocated poor person admitted
/// as an in-patient in a designated hospital of the district (A3§3).
pub fn treatment_first_pay_later_applies(
    registered_poor: bool,
    in_patient: bool,
    designated_hospital: bool,
) -> bool {
    registered_poor && in_patient && designated_hospital
}

coded_enum! {
    /// How an insurance enrolment of a person for a year stands (A3§4).
    pub enum InsuranceStatus {
        Enrolled => ("enrolled", "已参保"),
        Pending => ("pending", "待参保"),
        /// Covered by another scheme (e.g. employee insurance elsewhere): no gap.
        Exempt => ("exempt", "免缴/他处参保"),
        /// The bureau's view that it does not apply; the rule decides (see [`insurance_gaps`]).
        NotApplicable => ("not_applicable", "不适用"),
        Refused => ("refused", "拒绝参保"),
    }
}

impl InsuranceStatus {
    /// Whether a recorded status covers the person (A3§4 应保尽保). Decision: enrolled and
    /// exempt (insured elsewhere) cover; pending, refused and a recorded "not applicable"
    /// do not — applicability is the rule's ([`insurance_applies`]), not the record's, so a
    /// qualifying person marked not applicable is still a gap.
    pub fn covers(self) -> bool {
        matches!(self, InsuranceStatus::Enrolled | InsuranceStatus::Exempt)
    }
}

coded_enum! {
    /// A row of the compulsory-education ledger (A3§2).
    pub enum SchoolEnrolmentStatus {
        Enrolled => ("enrolled", "在读"),
        TransferredOut => ("transferred_out", "转出"),
        DroppedOut => ("dropped_out", "辍学"),
        Graduated => ("graduated", "毕业"),
        Suspended => ("suspended", "休学"),
    }
}

coded_enum! {
    /// School stages of the ledger (A3§2).
    pub enum SchoolStage {
        Preschool => ("preschool", "学前"),
        Primary => ("primary", "小学"),
        JuniorMiddle => ("junior_middle", "初中"),
        SeniorHigh => ("senior_high", "高中"),
        Vocational => ("vocational", "中职"),
    }
}

/// One row of a child's ledger, as the schooling checks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerRow {
    pub stage: SchoolStage,
    pub status: SchoolEnrolmentStatus,
}

/// In school: some row of the ledger is currently enrolled (A3§2; a transfer closes one row
/// and opens another, so a transferred child is in school at the new school).
pub fn in_school(ledger: &[LedgerRow]) -> bool {
    ledger
        .iter()
        .any(|row| row.status == SchoolEnrolmentStatus::Enrolled)
}

/// Completed the nine years: graduated from junior middle school, or ever enrolled beyond it.
pub fn completed_compulsory_education(ledger: &[LedgerRow]) -> bool {
    ledger.iter().any(|row| {
        (row.stage == SchoolStage::JuniorMiddle && row.status == SchoolEnrolmentStatus::Graduated)
            || matches!(row.stage, SchoolStage::SeniorHigh | SchoolStage::Vocational)
    })
}

/// A family-doctor contract serves on `today` when it is active and `today` lies within
/// its term, both ends included (A3§3).
pub fn family_doctor_contract_in_force(
    active: bool,
    signed_on: chrono::NaiveDate,
    expires_on: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> bool {
    active && signed_on <= today && today <= expires_on
}

/// Social assistance is being received on `today` when approved and `today` lies within its
/// term, both ends included (A3§4).
pub fn assistance_in_force(
    approved: bool,
    starts_on: chrono::NaiveDate,
    ends_on: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> bool {
    approved && starts_on <= today && ends_on.is_none_or(|end| today <= end)
}

coded_enum! {
    /// Where an item of a site's needs list stands (A3§1 缺什么补什么).
    pub enum SiteNeedStatus {
        Identified => ("identified", "已摸排"),
        Planned => ("planned", "已列入计划"),
        InProgress => ("in_progress", "实施中"),
        Completed => ("completed", "已完成"),
        Cancelled => ("cancelled", "已取消"),
    }
}

impl SiteNeedStatus {
    /// Needs move forward (identified → planned → in progress → completed) and may skip
    /// steps; completed and cancelled are final; anything open may be cancelled.
    pub fn may_become(self, next: SiteNeedStatus) -> bool {
        use SiteNeedStatus::*;
        match (self, next) {
            (Completed | Cancelled, _) => false,
            (_, Cancelled) => true,
            (from, to) => to > from,
        }
    }
}

coded_enum! {
    /// Where a property-service fault ticket stands (A3§1: water, power, gas).
    pub enum TicketStatus {
        Open => ("open", "待受理"),
        Assigned => ("assigned", "已派单"),
        InProgress => ("in_progress", "处理中"),
        Resolved => ("resolved", "已解决"),
        Closed => ("closed", "已关闭"),
        Cancelled => ("cancelled", "已取消"),
    }
}

impl TicketStatus {
    /// Tickets move forward (open → assigned → in progress → resolved → closed) and may skip
    /// steps; a resolved ticket may be reopened to in progress when the fault returns; closed
    /// and cancelled are final; only a ticket nobody has resolved may be cancelled.
    pub fn may_become(self, next: TicketStatus) -> bool {
        use TicketStatus::*;
        match (self, next) {
            (Closed | Cancelled, _) => false,
            (Resolved, InProgress) => true,
            (Resolved, Cancelled) => false,
            (_, Cancelled) => true,
            (from, to) => to > from,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered_adult(age: u32) -> PersonServiceFacts {
        PersonServiceFacts {
            age,
            in_school: false,
            completed_compulsory_education: true,
            basic_medical_insured: true,
            serious_illness_insured: true,
            pension_insured: true,
            family_doctor_contract: true,
            registration: RegistrationStatus::Transferred,
        }
    }

    #[test]
    fn medical_and_serious_illness_insurance_apply_from_birth() {
        // A3§4: 应保尽保
        let baby = PersonServiceFacts {
            age: 0,
            basic_medical_insured: false,
            serious_illness_insured: false,
            pension_insured: false,
            completed_compulsory_education: false,
            ..covered_adult(0)
        };
        assert_eq!(
            insurance_gaps(&baby),
            vec![InsuranceKind::BasicMedical, InsuranceKind::SeriousIllness]
        );
    }

    #[test]
    fn pension_insurance_applies_from_16_unless_in_school() {
        // A3§4
        let uninsured = |age, in_school| PersonServiceFacts {
            pension_insured: false,
            in_school,
            ..covered_adult(age)
        };
        assert_eq!(insurance_gaps(&uninsured(15, false)), vec![]);
        assert_eq!(
            insurance_gaps(&uninsured(16, false)),
            vec![InsuranceKind::Pension]
        );
        assert_eq!(insurance_gaps(&uninsured(16, true)), vec![]);
        assert_eq!(insurance_gaps(&uninsured(19, true)), vec![]);
        assert_eq!(
            insurance_gaps(&uninsured(75, false)),
            vec![InsuranceKind::Pension]
        );
        assert!(insurance_gaps(&covered_adult(75)).is_empty());
    }

    #[test]
    fn a_child_of_6_to_15_out_of_school_is_a_dropout_alert() {
        // A3§2: 确保搬迁群众子女不因搬迁而辍学
        assert!(!is_dropout_alert(5, false, false));
        assert!(is_dropout_alert(6, false, false));
        assert!(is_dropout_alert(15, false, false));
        assert!(!is_dropout_alert(16, false, false));
        assert!(!is_dropout_alert(10, true, false));
        assert!(!is_dropout_alert(15, false, true));
    }

    #[test]
    fn every_gap_of_a_person_is_listed_with_its_clause() {
        // A3§2, A3§3, A3§4, A3§5
        let child = PersonServiceFacts {
            age: 12,
            in_school: false,
            completed_compulsory_education: false,
            basic_medical_insured: true,
            serious_illness_insured: false,
            pension_insured: false,
            family_doctor_contract: false,
            registration: RegistrationStatus::KeptAtOrigin,
        };
        let gaps = service_gaps(&child);
        assert_eq!(
            gaps,
            vec![
                ServiceGap::Insurance(InsuranceKind::SeriousIllness),
                ServiceGap::SchoolDropout,
                ServiceGap::NoFamilyDoctor,
                ServiceGap::NoRegistrationOrResidencePermit,
            ]
        );
        let clauses: Vec<_> = gaps.iter().map(|gap| gap.clause()).collect();
        assert_eq!(clauses, vec!["A3§4", "A3§2", "A3§3", "A3§5"]);
        assert_eq!(gaps[0].code(), "missing_serious_illness");
    }

    #[test]
    fn a_residence_permit_is_as_good_as_a_transferred_registration() {
        // A3§5: 户籍迁移自愿; 居住证 for those who keep it
        let with_permit = PersonServiceFacts {
            registration: RegistrationStatus::ResidencePermit,
            ..covered_adult(40)
        };
        assert!(service_gaps(&with_permit).is_empty());
        let pending = PersonServiceFacts {
            registration: RegistrationStatus::KeptAtOrigin,
            ..covered_adult(40)
        };
        assert_eq!(
            service_gaps(&pending),
            vec![ServiceGap::NoRegistrationOrResidencePermit]
        );
    }

    #[test]
    fn treatment_first_pay_later_needs_all_three_conditions() {
        // A3§3: 搬迁贫困人口在全区定点医院住院实行先诊疗后付费
        assert!(treatment_first_pay_later_applies(true, true, true));
        assert!(!treatment_first_pay_later_applies(false, true, true));
        assert!(!treatment_first_pay_later_applies(true, false, true));
        assert!(!treatment_first_pay_later_applies(true, true, false));
    }

    #[test]
    fn only_enrolment_or_insurance_elsewhere_covers_a_person() {
        // A3§4: 应保尽保
        assert!(InsuranceStatus::Enrolled.covers());
        assert!(InsuranceStatus::Exempt.covers());
        for status in [
            InsuranceStatus::Pending,
            InsuranceStatus::NotApplicable,
            InsuranceStatus::Refused,
        ] {
            assert!(!status.covers(), "{status:?}");
        }
    }

    #[test]
    fn a_transferred_child_is_in_school_and_junior_middle_graduates_have_completed() {
        // A3§2: 籍随人走; the nine years
        let row = |stage, status| LedgerRow { stage, status };
        let transferred = [
            row(SchoolStage::Primary, SchoolEnrolmentStatus::TransferredOut),
            row(SchoolStage::Primary, SchoolEnrolmentStatus::Enrolled),
        ];
        assert!(in_school(&transferred));
        let dropped = [row(
            SchoolStage::JuniorMiddle,
            SchoolEnrolmentStatus::DroppedOut,
        )];
        assert!(!in_school(&dropped));
        assert!(!completed_compulsory_education(&dropped));
        assert!(completed_compulsory_education(&[row(
            SchoolStage::JuniorMiddle,
            SchoolEnrolmentStatus::Graduated
        )]));
        assert!(!completed_compulsory_education(&[row(
            SchoolStage::Primary,
            SchoolEnrolmentStatus::Graduated
        )]));
        assert!(completed_compulsory_education(&[row(
            SchoolStage::Vocational,
            SchoolEnrolmentStatus::DroppedOut
        )]));
        assert!(!in_school(&[]));
    }

    #[test]
    fn a_contract_serves_from_signing_to_expiry_inclusive() {
        // A3§3: 家庭医生签约
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let (signed, expires) = (day(1, 10), day(12, 31));
        assert!(!family_doctor_contract_in_force(
            true,
            signed,
            expires,
            day(1, 9)
        ));
        assert!(family_doctor_contract_in_force(
            true,
            signed,
            expires,
            day(1, 10)
        ));
        assert!(family_doctor_contract_in_force(
            true,
            signed,
            expires,
            day(12, 31)
        ));
        assert!(!family_doctor_contract_in_force(
            true,
            signed,
            expires,
            day(12, 31).succ_opt().unwrap()
        ));
        assert!(!family_doctor_contract_in_force(
            false,
            signed,
            expires,
            day(6, 1)
        ));
    }

    #[test]
    fn assistance_is_received_while_approved_and_within_its_term() {
        // A3§4: 低保、特困
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert!(assistance_in_force(true, day(1, 1), None, day(11, 28)));
        assert!(assistance_in_force(
            true,
            day(1, 1),
            Some(day(11, 28)),
            day(11, 28)
        ));
        assert!(!assistance_in_force(
            true,
            day(1, 1),
            Some(day(11, 27)),
            day(11, 28)
        ));
        assert!(!assistance_in_force(true, day(11, 29), None, day(11, 28)));
        assert!(!assistance_in_force(false, day(1, 1), None, day(11, 28)));
    }

    #[test]
    fn needs_and_tickets_move_forward_and_final_states_stay() {
        // A3§1: 缺什么补什么; property-service tickets
        use SiteNeedStatus as N;
        assert!(N::Identified.may_become(N::Planned));
        assert!(N::Identified.may_become(N::Completed));
        assert!(N::InProgress.may_become(N::Cancelled));
        assert!(!N::Planned.may_become(N::Identified));
        assert!(!N::Planned.may_become(N::Planned));
        assert!(!N::Completed.may_become(N::Cancelled));
        assert!(!N::Cancelled.may_become(N::Planned));
        use TicketStatus as T;
        assert!(T::Open.may_become(T::Assigned));
        assert!(T::Open.may_become(T::Resolved));
        assert!(T::Resolved.may_become(T::Closed));
        assert!(T::Resolved.may_become(T::InProgress));
        assert!(!T::Resolved.may_become(T::Cancelled));
        assert!(T::Assigned.may_become(T::Cancelled));
        assert!(!T::Closed.may_become(T::InProgress));
        assert!(!T::InProgress.may_become(T::Open));
    }

    #[test]
    fn the_annex_3_codes_round_trip() {
        macro_rules! round_trip {
            ($($ty:ty),+) => { $(
                for value in <$ty>::ALL {
                    assert_eq!(<$ty>::from_code(value.code()), Some(*value));
                    assert!(!value.label_zh().is_empty());
                }
                assert_eq!(<$ty>::from_code("no_such_code"), None);
            )+ };
        }
        round_trip!(
            InsuranceStatus,
            SchoolEnrolmentStatus,
            SchoolStage,
            SiteNeedStatus,
            TicketStatus
        );
    }
}
