//! Industry support of annex 1: the business entities that drive poverty reduction (带贫主体),
//! the "3+X" industries, benefit linkages (利益联结) with relocated households and whether they
//! are honoured on time (按期履责履约, A1§2), and the "五进" sales channels (A1§4).
//!
//! Decisions on what the text leaves open:
//! - A linkage's agreement is **overdue** when a payment or service it owes fell due before
//!   today and has been neither honoured nor waived. The due day itself is still on time
//!   (honoured on the due date is on time); the day after, it is overdue. A due date the
//!   linkage announces (`next_due_on`) with no fulfilment record for that day counts as an
//!   unhonoured due: nothing shows it was honoured.
//! - Only active linkages raise the alert: an ended or terminated agreement is followed up
//!   outside the linkage (the record stays, with its dues).
//! - A due honoured after its date is *late*: the linkage is no longer overdue, but its
//!   record of honouring stays "late" so that the entity's history shows it.

use chrono::NaiveDate;

coded_enum! {
    /// The kinds of business entities that drive poverty reduction (A1§2).
    pub enum BusinessEntityKind {
        Cooperative => ("cooperative", "农民专业合作社"),
        FamilyFarm => ("family_farm", "家庭农场"),
        LeadingEnterprise => ("leading_enterprise", "龙头企业"),
        ServiceOrganisation => ("service_organisation", "社会化服务组织"),
        VillageCollective => ("village_collective", "村集体经济组织"),
    }
}

coded_enum! {
    /// The forms of benefit linkage of A1§2 and A1§6, with order farming of A1§3.
    pub enum BenefitLinkageKind {
        LandShares => ("land_shares", "土地入股"),
        LandTransfer => ("land_transfer", "土地流转"),
        CapitalShares => ("capital_shares", "资金入股"),
        JointFarming => ("joint_farming", "合作种养"),
        Processing => ("processing", "来料加工"),
        LeaseBack => ("lease_back", "反租倒包"),
        WageWork => ("wage_work", "劳动务工"),
        Dividends => ("dividends", "入股分红"),
        TechnicalService => ("technical_service", "技术服务"),
        CustodialBreeding => ("custodial_breeding", "代养"),
        Trusteeship => ("trusteeship", "托管"),
        OrderFarming => ("order_farming", "订单农业"),
    }
}

impl BenefitLinkageKind {
    /// Kinds in which the household puts in land, whose area is recorded (A1§2).
    pub fn puts_in_land(self) -> bool {
        matches!(
            self,
            BenefitLinkageKind::LandShares
                | BenefitLinkageKind::LandTransfer
                | BenefitLinkageKind::LeaseBack
        )
    }

    /// Kinds in which the household puts in capital, whose amount is recorded (A1§2).
    pub fn puts_in_capital(self) -> bool {
        matches!(self, BenefitLinkageKind::CapitalShares)
    }
}

coded_enum! {
    /// "3+X" (A1§1): the three leading industries and the featured X.
    pub enum IndustryCategory {
        Leading => ("leading", "主导产业"),
        Featured => ("featured", "特色产业"),
    }
}

coded_enum! {
    /// The "五进" consumption channels (A1§4): agencies, communities, schools, supermarkets, canteens.
    pub enum FiveChannel {
        Agency => ("agency", "进机关"),
        Community => ("community", "进社区"),
        School => ("school", "进学校"),
        Supermarket => ("supermarket", "进超市"),
        Canteen => ("canteen", "进食堂"),
    }
}

coded_enum! {
    /// How one due payment or service of a linkage stands.
    pub enum FulfilmentStatus {
        /// Not yet honoured (overdue once its date has passed).
        Due => ("due", "待兑付"),
        OnTime => ("on_time", "按期兑付"),
        Late => ("late", "逾期兑付"),
        /// Declared not honoured (违约) by the agriculture bureau.
        Defaulted => ("defaulted", "违约"),
        /// Released by agreement of the household.
        Waived => ("waived", "免除"),
    }
}

coded_enum! {
    /// Whether a linkage's entity honours the agreement on time (按期履责履约, A1§2).
    pub enum HonouredStatus {
        /// Nothing has fallen due yet.
        Pending => ("pending", "尚未到期"),
        OnTime => ("on_time", "按期履约"),
        Late => ("late", "逾期"),
        Defaulted => ("defaulted", "违约"),
    }
}

/// One due payment or service of a linkage, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub due_on: NaiveDate,
    pub fulfilled_on: Option<NaiveDate>,
    /// Waived or declared defaulted: no longer expected to be honoured.
    pub status: FulfilmentStatus,
}

impl Due {
    /// Past its date and neither honoured nor waived (A1§2). Defaulted dues stay overdue:
    /// the household is still owed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.fulfilled_on.is_none()
            && self.status != FulfilmentStatus::Waived
            && today > self.due_on
    }
}

/// The status of a due once honoured on `fulfilled_on` (A1§2): on or before the date is on time.
pub fn fulfilment_status(due_on: NaiveDate, fulfilled_on: NaiveDate) -> FulfilmentStatus {
    if fulfilled_on <= due_on {
        FulfilmentStatus::OnTime
    } else {
        FulfilmentStatus::Late
    }
}

/// A linkage's agreement is overdue — an alert — when it is active and a due payment or
/// service was not honoured by its date (A1§2 按期履责履约). See the module docs.
pub fn linkage_overdue(
    active: bool,
    next_due_on: Option<NaiveDate>,
    dues: &[Due],
    today: NaiveDate,
) -> bool {
    if !active {
        return false;
    }
    let recorded_due_overdue = dues.iter().any(|due| due.is_overdue(today));
    let announced_due_unrecorded = next_due_on.is_some_and(|next| {
        today > next
            && !dues
                .iter()
                .any(|due| due.due_on == next && due.fulfilled_on.is_some())
            && !dues
                .iter()
                .any(|due| due.due_on == next && due.status == FulfilmentStatus::Waived)
    });
    recorded_due_overdue || announced_due_unrecorded
}

/// The linkage's record of honouring (A1§2): defaulted if any due was declared defaulted,
/// late if any due was honoured late or is overdue, on time if dues were honoured and all on
/// time, pending if nothing has fallen due.
pub fn honoured_status(dues: &[Due], today: NaiveDate) -> HonouredStatus {
    if dues
        .iter()
        .any(|due| due.status == FulfilmentStatus::Defaulted)
    {
        return HonouredStatus::Defaulted;
    }
    let late = dues.iter().any(|due| {
        due.is_overdue(today)
            || due
                .fulfilled_on
                .is_some_and(|on| fulfilment_status(due.due_on, on) == FulfilmentStatus::Late)
    });
    if late {
        HonouredStatus::Late
    } else if dues.iter().any(|due| due.fulfilled_on.is_some()) {
        HonouredStatus::OnTime
    } else {
        HonouredStatus::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn due(due_on: NaiveDate, fulfilled_on: Option<NaiveDate>) -> Due {
        Due {
            due_on,
            fulfilled_on,
            status: match fulfilled_on {
                Some(on) => fulfilment_status(due_on, on),
                None => FulfilmentStatus::Due,
            },
        }
    }

    #[test]
    fn an_unhonoured_due_is_overdue_from_the_day_after_its_date() {
        // A1§2: 按期履责履约 — the due day itself is still on time.
        let dues = [due(day(10, 31), None)];
        assert!(!linkage_overdue(true, None, &dues, day(10, 30)));
        assert!(!linkage_overdue(true, None, &dues, day(10, 31)));
        assert!(linkage_overdue(true, None, &dues, day(11, 1)));
        assert!(linkage_overdue(true, None, &dues, day(11, 28)));
    }

    #[test]
    fn honouring_or_waiving_the_due_ends_the_alert() {
        // A1§2
        let late = [due(day(10, 31), Some(day(11, 20)))];
        assert!(!linkage_overdue(true, None, &late, day(11, 28)));
        let waived = [Due {
            due_on: day(10, 31),
            fulfilled_on: None,
            status: FulfilmentStatus::Waived,
        }];
        assert!(!linkage_overdue(
            true,
            Some(day(10, 31)),
            &waived,
            day(11, 28)
        ));
        let defaulted = [Due {
            due_on: day(10, 31),
            fulfilled_on: None,
            status: FulfilmentStatus::Defaulted,
        }];
        assert!(linkage_overdue(true, None, &defaulted, day(11, 28)));
    }

    #[test]
    fn an_announced_due_date_without_a_record_of_honouring_is_overdue() {
        // A1§2: nothing shows the due of next_due_on was honoured.
        assert!(!linkage_overdue(true, Some(day(10, 31)), &[], day(10, 31)));
        assert!(linkage_overdue(true, Some(day(10, 31)), &[], day(11, 1)));
        let honoured = [due(day(10, 31), Some(day(10, 30)))];
        assert!(!linkage_overdue(
            true,
            Some(day(10, 31)),
            &honoured,
            day(11, 1)
        ));
        assert!(!linkage_overdue(true, Some(day(12, 31)), &[], day(11, 28)));
    }

    #[test]
    fn ended_linkages_raise_no_alert() {
        // A1§2: the alert follows active agreements.
        let dues = [due(day(10, 31), None)];
        assert!(!linkage_overdue(
            false,
            Some(day(10, 31)),
            &dues,
            day(11, 28)
        ));
    }

    #[test]
    fn the_record_of_honouring_keeps_a_late_payment() {
        // A1§2
        let today = day(11, 28);
        assert_eq!(honoured_status(&[], today), HonouredStatus::Pending);
        assert_eq!(
            honoured_status(&[due(day(12, 31), None)], today),
            HonouredStatus::Pending
        );
        assert_eq!(
            honoured_status(&[due(day(1, 31), Some(day(1, 31)))], today),
            HonouredStatus::OnTime
        );
        assert_eq!(
            honoured_status(
                &[due(day(1, 31), Some(day(1, 31))), due(day(10, 31), None)],
                today
            ),
            HonouredStatus::Late
        );
        assert_eq!(
            honoured_status(&[due(day(10, 31), Some(day(11, 2)))], today),
            HonouredStatus::Late
        );
        let defaulted = Due {
            due_on: day(10, 31),
            fulfilled_on: None,
            status: FulfilmentStatus::Defaulted,
        };
        assert_eq!(
            honoured_status(&[defaulted], today),
            HonouredStatus::Defaulted
        );
    }

    #[test]
    fn a_due_honoured_on_its_date_is_on_time_and_a_day_later_is_late() {
        // A1§2
        assert_eq!(
            fulfilment_status(day(10, 31), day(10, 31)),
            FulfilmentStatus::OnTime
        );
        assert_eq!(
            fulfilment_status(day(10, 31), day(11, 1)),
            FulfilmentStatus::Late
        );
    }

    #[test]
    fn all_eleven_listed_linkage_kinds_and_order_farming_are_there() {
        // A1§2, A1§6: 土地入股、土地流转、资金入股、合作种养、来料加工、反租倒包、劳动务工、
        // 入股分红、技术服务、代养、托管; A1§3 订单农业.
        assert_eq!(BenefitLinkageKind::ALL.len(), 12);
        assert_eq!(BenefitLinkageKind::LeaseBack.label_zh(), "反租倒包");
        assert!(BenefitLinkageKind::LandShares.puts_in_land());
        assert!(!BenefitLinkageKind::WageWork.puts_in_land());
        assert!(BenefitLinkageKind::CapitalShares.puts_in_capital());
        assert_eq!(FiveChannel::ALL.len(), 5);
        assert_eq!(BusinessEntityKind::ALL.len(), 5);
    }

    #[test]
    fn the_annex_1_codes_round_trip() {
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
            BusinessEntityKind,
            BenefitLinkageKind,
            IndustryCategory,
            FiveChannel,
            FulfilmentStatus,
            HonouredStatus
        );
    }
}
