//! Community life at a site: its facilities (elderly day care, convenience points …, A3§1), its
//! mass councils (议事会, 调解委员会, 道德评议会, 红白理事会, 禁毒禁赌会, A6§2.4) and its dispute
//! rooms (说事室) with the cases brought there (A6§2.2).
//!
//! Decisions on what the text leaves open:
//! - **Facilities** move `planned → open | closed`, `open → closed`, `closed → open` (reopened).
//!   An open or closed facility has the day it opened, not in the future; a planned one may
//!   carry its planned opening day. Capacity is a count of places, zero or more.
//! - **Councils**: one of each kind per site (the database's unique key); members are counted,
//!   zero or more.
//! - **Dispute cases** move `open → mediated | referred | closed`, `mediated → closed`,
//!   `referred → closed`. Every status but `open` needs the day it was reached (on or after the
//!   day the case was received, not in the future) and the outcome in words. A room takes new
//!   cases only while active, from the day it opened.

use chrono::NaiveDate;

coded_enum! {
    /// The kinds of facilities a site has.
    pub enum FacilityKind {
        ElderlyDayCare => ("elderly_day_care", "老年人日间照料中心"),
        ConveniencePoint => ("convenience_point", "便民服务点"),
        Clinic => ("clinic", "卫生室"),
        Kindergarten => ("kindergarten", "幼儿园"),
        CulturalRoom => ("cultural_room", "文化活动室"),
        CommunityFactory => ("community_factory", "社区工厂"),
        ServiceCentre => ("service_centre", "便民服务中心"),
        Other => ("other", "其他"),
    }
}

coded_enum! {
    /// Where a facility stands.
    pub enum FacilityStatus {
        Planned => ("planned", "规划中"),
        Open => ("open", "已运营"),
        Closed => ("closed", "已停用"),
    }
}

impl FacilityStatus {
    /// Whether a facility in this status may move to `next` (see the module docs).
    pub fn may_become(self, next: FacilityStatus) -> bool {
        use FacilityStatus::*;
        matches!(
            (self, next),
            (Planned, Open) | (Planned, Closed) | (Open, Closed) | (Closed, Open)
        )
    }
}

coded_enum! {
    /// The mass organisations of a site (A6§2.4).
    pub enum CouncilKind {
        DeliberationCouncil => ("deliberation_council", "居民议事会"),
        MediationCommittee => ("mediation_committee", "人民调解委员会"),
        EthicsCouncil => ("ethics_council", "道德评议会"),
        WeddingsFuneralsCouncil => ("weddings_funerals_council", "红白理事会"),
        AntiDrugGamblingCouncil => ("anti_drug_gambling_council", "禁毒禁赌会"),
    }
}

coded_enum! {
    /// Where a case brought to a dispute room (说事室) stands.
    pub enum DisputeCaseStatus {
        Open => ("open", "受理中"),
        Mediated => ("mediated", "调解成功"),
        Referred => ("referred", "已移交"),
        Closed => ("closed", "已结案"),
    }
}

impl DisputeCaseStatus {
    /// Whether a case in this status may move to `next` (see the module docs).
    pub fn may_become(self, next: DisputeCaseStatus) -> bool {
        use DisputeCaseStatus::*;
        matches!(
            (self, next),
            (Open, Mediated)
                | (Open, Referred)
                | (Open, Closed)
                | (Mediated, Closed)
                | (Referred, Closed)
        )
    }
}

/// Why a community record is refused; each names the rule broken.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CommunityRuleError {
    #[error("{day} is in the future")]
    InFuture { day: NaiveDate },
    #[error("an open or closed facility needs the day it opened")]
    OpenedWithoutDay,
    #[error("a {from} facility cannot become {to} (planned → open or closed; open → closed; closed → open)")]
    FacilityStatusChange {
        from: &'static str,
        to: &'static str,
    },
    #[error("{what} must be zero or more, got {value}")]
    Negative { what: &'static str, value: i64 },
    #[error("this dispute room is closed: it takes no new cases")]
    RoomInactive,
    #[error("the case cannot be received on {received_on}, before the room opened on {opened_on}")]
    ReceivedBeforeRoomOpened {
        opened_on: NaiveDate,
        received_on: NaiveDate,
    },
    #[error("a {from} case cannot become {to} (open → mediated, referred or closed; mediated or referred → closed)")]
    CaseStatusChange {
        from: &'static str,
        to: &'static str,
    },
    #[error("the case was received on {received_on}: it cannot be settled on {resolved_on}, before that")]
    SettledBeforeReceived {
        received_on: NaiveDate,
        resolved_on: NaiveDate,
    },
    #[error("say how the case ended (the outcome)")]
    OutcomeMissing,
}

/// Checks a facility's status and opening day on `today`.
pub fn check_facility(
    status: FacilityStatus,
    opened_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), CommunityRuleError> {
    match (status, opened_on) {
        (FacilityStatus::Planned, _) => Ok(()),
        (_, None) => Err(CommunityRuleError::OpenedWithoutDay),
        (_, Some(day)) if day > today => Err(CommunityRuleError::InFuture { day }),
        _ => Ok(()),
    }
}

/// Checks a change of a facility's status.
pub fn change_facility_status(
    from: FacilityStatus,
    to: FacilityStatus,
) -> Result<FacilityStatus, CommunityRuleError> {
    if from == to || from.may_become(to) {
        Ok(to)
    } else {
        Err(CommunityRuleError::FacilityStatusChange {
            from: from.code(),
            to: to.code(),
        })
    }
}

/// A count (capacity, members) that is zero or more.
pub fn non_negative_count(what: &'static str, value: i32) -> Result<i32, CommunityRuleError> {
    if value < 0 {
        return Err(CommunityRuleError::Negative {
            what,
            value: i64::from(value),
        });
    }
    Ok(value)
}

/// Whether a dispute room takes a case received on `received_on`.
pub fn room_takes_case(
    active: bool,
    opened_on: Option<NaiveDate>,
    received_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), CommunityRuleError> {
    if received_on > today {
        return Err(CommunityRuleError::InFuture { day: received_on });
    }
    if !active {
        return Err(CommunityRuleError::RoomInactive);
    }
    if let Some(opened_on) = opened_on {
        if received_on < opened_on {
            return Err(CommunityRuleError::ReceivedBeforeRoomOpened {
                opened_on,
                received_on,
            });
        }
    }
    Ok(())
}

/// Settles a dispute case (see the module docs): the new status, reached on `resolved_on` with
/// `outcome` (already trimmed).
pub fn settle_dispute_case(
    from: DisputeCaseStatus,
    to: DisputeCaseStatus,
    received_on: NaiveDate,
    resolved_on: NaiveDate,
    outcome: &str,
    today: NaiveDate,
) -> Result<DisputeCaseStatus, CommunityRuleError> {
    if !from.may_become(to) {
        return Err(CommunityRuleError::CaseStatusChange {
            from: from.code(),
            to: to.code(),
        });
    }
    if resolved_on > today {
        return Err(CommunityRuleError::InFuture { day: resolved_on });
    }
    if resolved_on < received_on {
        return Err(CommunityRuleError::SettledBeforeReceived {
            received_on,
            resolved_on,
        });
    }
    if outcome.trim().is_empty() {
        return Err(CommunityRuleError::OutcomeMissing);
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_open_facility_has_opened_by_today() {
        // A3§1: elderly day care, convenience points
        let today = date(2026, 11, 28);
        use FacilityStatus::*;
        assert_eq!(check_facility(Planned, None, today), Ok(()));
        assert_eq!(
            check_facility(Planned, Some(date(2027, 3, 1)), today),
            Ok(())
        );
        assert_eq!(check_facility(Open, Some(today), today), Ok(()));
        assert_eq!(
            check_facility(Open, None, today),
            Err(CommunityRuleError::OpenedWithoutDay)
        );
        assert_eq!(
            check_facility(Closed, Some(date(2026, 11, 29)), today),
            Err(CommunityRuleError::InFuture {
                day: date(2026, 11, 29)
            })
        );
    }

    #[test]
    fn facilities_open_close_and_reopen() {
        use FacilityStatus::*;
        for (from, to, ok) in [
            (Planned, Open, true),
            (Planned, Closed, true),
            (Open, Closed, true),
            (Closed, Open, true),
            (Open, Planned, false),
            (Closed, Planned, false),
            (Open, Open, true),
        ] {
            assert_eq!(
                change_facility_status(from, to).is_ok(),
                ok,
                "{from:?} → {to:?}"
            );
        }
        assert_eq!(non_negative_count("capacity", 0), Ok(0));
        assert!(non_negative_count("capacity", -1).is_err());
    }

    #[test]
    fn the_five_councils_of_a6_2_4_have_their_codes() {
        // A6§2.4: 议事会、调解委员会、道德评议会、红白理事会、禁毒禁赌会
        assert_eq!(CouncilKind::ALL.len(), 5);
        assert_eq!(
            CouncilKind::WeddingsFuneralsCouncil.label_zh(),
            "红白理事会"
        );
        assert_eq!(
            CouncilKind::from_code("anti_drug_gambling_council"),
            Some(CouncilKind::AntiDrugGamblingCouncil)
        );
    }

    #[test]
    fn a_room_takes_cases_while_active_from_the_day_it_opened() {
        // A6§2.2: 说事室
        let today = date(2026, 11, 28);
        let opened = Some(date(2021, 4, 1));
        assert_eq!(
            room_takes_case(true, opened, date(2021, 4, 1), today),
            Ok(())
        );
        assert!(matches!(
            room_takes_case(true, opened, date(2021, 3, 31), today),
            Err(CommunityRuleError::ReceivedBeforeRoomOpened { .. })
        ));
        assert_eq!(
            room_takes_case(false, opened, today, today),
            Err(CommunityRuleError::RoomInactive)
        );
        assert!(room_takes_case(true, None, date(2026, 11, 29), today).is_err());
    }

    #[test]
    fn a_case_is_settled_once_with_a_day_and_an_outcome() {
        // A6§2.2
        use DisputeCaseStatus::*;
        let today = date(2026, 11, 28);
        let received = date(2026, 10, 12);
        assert_eq!(
            settle_dispute_case(Open, Mediated, received, received, "双方达成谅解", today),
            Ok(Mediated)
        );
        assert_eq!(
            settle_dispute_case(Mediated, Closed, received, today, "结案", today),
            Ok(Closed)
        );
        assert!(matches!(
            settle_dispute_case(Closed, Mediated, received, today, "x", today),
            Err(CommunityRuleError::CaseStatusChange { .. })
        ));
        assert!(matches!(
            settle_dispute_case(Open, Open, received, today, "x", today),
            Err(CommunityRuleError::CaseStatusChange { .. })
        ));
        assert!(matches!(
            settle_dispute_case(
                Open,
                Referred,
                received,
                date(2026, 10, 11),
                "移交司法所",
                today
            ),
            Err(CommunityRuleError::SettledBeforeReceived { .. })
        ));
        assert!(matches!(
            settle_dispute_case(Open, Referred, received, date(2026, 11, 29), "移交", today),
            Err(CommunityRuleError::InFuture { .. })
        ));
        assert_eq!(
            settle_dispute_case(Open, Closed, received, today, "  ", today),
            Err(CommunityRuleError::OutcomeMissing)
        );
    }
}
