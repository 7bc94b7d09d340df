//! Land linkage (增减挂钩): quota prices (A5§10), transfer amounts, the repayment reserve (A5§11), no second transfer (A5§8), the quota ledger (A5§9) and old homesteads (A5§1, A5§3, A5§5).
//!
//! Decisions:
//! - Price (A5§10): 市域内跨区县流转基准价格为每亩20万元 gives a float only for transfers
//!   across cities (跨市 … 上下浮动不超过10%). Within the city the base price applies as it
//!   is: exactly 200,000.00 yuan per mu. Across cities: 180,000.00 to 220,000.00 yuan per mu,
//!   both included (不超过 includes 10 %).
//! - Transfer amount = area × price per mu, rounded half away from zero (四舍五入) to the fen.
//! - Reserve (A5§11): 每笔不低于5% — per revenue item, at least 5 %, rounded **up** to the fen
//!   so that the reserve is never below 5 %. A reserve above the revenue itself is refused.
//! - Homesteads: a homestead is vacated only with the household's consent on record (A5§5,
//!   no forced demolition; consent is a recorded fact, not a state of its own); a vacated
//!   homestead is reclaimed to farmland, forest or grass, or restored to green only
//!   with the natural-resources certification that it cannot be reclaimed (A5§3); quota is
//!   counted only once reclamation or restoration is done (先垦后用, A5§3): a project's produced
//!   quotas never exceed the area of its finished homesteads.
//! - Ledger (A5§9): what is left of a quota is its area less every outflow (transferred out,
//!   used locally, returned on expiry, written off); the produced/received entries record the
//!   quota's own area and are not counted again.

use crate::money::{Area, Money, Percent, Rounding};

/// The base price within the city: 200,000 yuan per mu (A5§10).
pub const BASE_PRICE_PER_MU: Money = Money::from_fen(20_000_000);
/// The largest float across cities: 10 % (A5§10).
pub const MAX_FLOAT_ACROSS_CITIES: Percent = Percent::from_whole(10);
/// The lowest price per mu across cities: 180,000 yuan (A5§10).
pub const MIN_PRICE_ACROSS_CITIES: Money = Money::from_fen(18_000_000);
/// The highest price per mu across cities: 220,000 yuan (A5§10).
pub const MAX_PRICE_ACROSS_CITIES: Money = Money::from_fen(22_000_000);
/// The smallest share of each land-linkage revenue set aside for debt repayment (A5§11).
pub const MIN_RESERVE_SHARE: Percent = Percent::from_whole(5);

coded_enum! {
    /// Where a savings quota (节余指标) goes (A5§10).
    pub enum TransferScope {
        /// 市域内跨区县: another county of Tongchuan
        WithinCity => ("within_city", "市域内跨区县"),
        /// 跨市跨区县: a county of another city
        AcrossCities => ("across_cities", "跨市跨区县"),
    }
}

coded_enum! {
    /// How a government holds a quota (A5§8).
    pub enum QuotaHolding {
        /// Produced by its own reclamation: may be transferred once.
        Produced => ("produced", "本地复垦产生"),
        /// Received by a transfer: may not be transferred again.
        ReceivedByTransfer => ("received_by_transfer", "流转受让"),
    }
}

/// Why a land-linkage figure or step breaks a rule of annex 5.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum LandRuleError {
    #[error("a quota transfer within the city is priced at the base price of {base} yuan per mu, not {price} (A5§10)")]
    PriceNotBase { price: Money, base: Money },
    #[error("a quota transfer across cities is priced between {min} and {max} yuan per mu (base price ±10 %), not {price} (A5§10)")]
    PriceOutOfRange {
        price: Money,
        min: Money,
        max: Money,
    },
    #[error("the revenue must not be negative ({revenue} yuan)")]
    NegativeRevenue { revenue: Money },
    #[error("the reserve of {reserved} yuan is below 5 % of the revenue of {revenue} yuan: set aside at least {required} yuan (A5§11)")]
    ReserveTooSmall {
        revenue: Money,
        reserved: Money,
        required: Money,
    },
    #[error("the reserve of {reserved} yuan is more than the revenue of {revenue} yuan")]
    ReserveExceedsRevenue { revenue: Money, reserved: Money },
    #[error(
        "a quota received by transfer may not be transferred again (no second transfer, A5§8)"
    )]
    SecondTransferForbidden,
    #[error("the area to transfer must be more than zero mu")]
    NonPositiveArea,
    #[error(
        "{requested} mu cannot be transferred: only {available} mu of the quota is left (A5§9)"
    )]
    TransferExceedsBalance { requested: Area, available: Area },
    #[error("a transfer needs the reference of the provincial supervision platform (A5§8)")]
    MissingPlatformReference,
    #[error("a household may have one homestead only, not {count} (一户一宅, A5§1)")]
    MoreThanOneHomestead { count: u32 },
}

/// Checks a quota price per mu against its scope (A5§10): within the city exactly the base
/// price, across cities the base price ±10 % inclusive.
pub fn validate_quota_price(
    scope: TransferScope,
    price_per_mu: Money,
) -> Result<(), LandRuleError> {
    match scope {
        TransferScope::WithinCity if price_per_mu != BASE_PRICE_PER_MU => {
            Err(LandRuleError::PriceNotBase {
                price: price_per_mu,
                base: BASE_PRICE_PER_MU,
            })
        }
        TransferScope::AcrossCities
            if !(MIN_PRICE_ACROSS_CITIES..=MAX_PRICE_ACROSS_CITIES).contains(&price_per_mu) =>
        {
            Err(LandRuleError::PriceOutOfRange {
                price: price_per_mu,
                min: MIN_PRICE_ACROSS_CITIES,
                max: MAX_PRICE_ACROSS_CITIES,
            })
        }
        _ => Ok(()),
    }
}

/// Area × price per mu, rounded half away from zero to the fen; `None` on overflow.
pub fn checked_quota_transfer_amount(area: Area, price_per_mu: Money) -> Option<Money> {
    price_per_mu.checked_mul_ratio(area.ten_thousandths(), 10_000, Rounding::HalfAwayFromZero)
}

/// Area × price per mu, rounded half away from zero (四舍五入) to the fen. Exact for any
/// realistic input; saturates at the largest amount should it overflow.
pub fn quota_transfer_amount(area: Area, price_per_mu: Money) -> Money {
    checked_quota_transfer_amount(area, price_per_mu).unwrap_or(Money::from_fen(i64::MAX))
}

/// The smallest repayment reserve for one revenue item: 5 % rounded up to the fen (A5§11).
/// A revenue of zero or less needs no reserve.
pub fn required_reserve(revenue: Money) -> Money {
    if !revenue.is_positive() {
        return Money::ZERO;
    }
    revenue
        .checked_percent(MIN_RESERVE_SHARE, Rounding::Ceiling)
        .unwrap_or(revenue)
}

/// Checks the reserve set aside from one revenue item (A5§11): at least 5 %, at most the revenue.
pub fn validate_reserve(revenue: Money, reserved: Money) -> Result<(), LandRuleError> {
    if revenue.is_negative() {
        return Err(LandRuleError::NegativeRevenue { revenue });
    }
    let required = required_reserve(revenue);
    if reserved < required {
        return Err(LandRuleError::ReserveTooSmall {
            revenue,
            reserved,
            required,
        });
    }
    if reserved > revenue {
        return Err(LandRuleError::ReserveExceedsRevenue { revenue, reserved });
    }
    Ok(())
}

/// Whether a held quota may be transferred: a received quota may not be transferred again (A5§8).
pub fn can_transfer(holding: QuotaHolding) -> Result<(), LandRuleError> {
    match holding {
        QuotaHolding::Produced => Ok(()),
        QuotaHolding::ReceivedByTransfer => Err(LandRuleError::SecondTransferForbidden),
    }
}

/// The quota left in the ledger: produced minus transferred (A5§9). `None` on overflow.
pub fn remaining_quota(produced: Area, transferred: &[Area]) -> Option<Area> {
    transferred
        .iter()
        .try_fold(produced, |left, area| left.checked_sub(*area))
}

/// Checks a new transfer against the ledger (A5§8, A5§9): a produced quota, an area above zero
/// and within what is left, and the provincial platform's reference (returned trimmed).
pub fn validate_transfer(
    holding: QuotaHolding,
    requested: Area,
    available: Area,
    platform_reference: &str,
) -> Result<String, LandRuleError> {
    can_transfer(holding)?;
    if !requested.is_positive() {
        return Err(LandRuleError::NonPositiveArea);
    }
    if requested > available {
        return Err(LandRuleError::TransferExceedsBalance {
            requested,
            available,
        });
    }
    let reference = platform_reference.trim();
    if reference.is_empty() {
        return Err(LandRuleError::MissingPlatformReference);
    }
    Ok(reference.to_string())
}

/// One household, one homestead (一户一宅, A5§1): more than one is refused.
pub fn validate_homestead_count(homesteads: u32) -> Result<(), LandRuleError> {
    if homesteads > 1 {
        return Err(LandRuleError::MoreThanOneHomestead { count: homesteads });
    }
    Ok(())
}

coded_enum! {
    /// Where a relocated household's old homestead stands (A5§1, A5§3). The household's
    /// consent (A5§5) is a recorded fact, not a state: it is required to leave `Occupied`.
    pub enum HomesteadStatus {
        /// Not yet vacated.
        Occupied => ("occupied", "未腾退"),
        /// Vacated and demolished with the household's consent, awaiting reclamation.
        Vacated => ("vacated", "已拆旧腾退"),
        ReclaimedToFarmland => ("reclaimed_farmland", "已复垦为耕地"),
        ReclaimedToForest => ("reclaimed_forest", "已复垦为林地"),
        ReclaimedToGrass => ("reclaimed_grass", "已复垦为草地"),
        /// Restored to green by ecological repair, certified as not reclaimable (A5§3).
        RestoredToGreen => ("restored_green", "已生态复绿"),
    }
}

impl HomesteadStatus {
    /// Reclamation or restoration is done: the land may count towards quota (先垦后用, A5§3).
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            HomesteadStatus::ReclaimedToFarmland
                | HomesteadStatus::ReclaimedToForest
                | HomesteadStatus::ReclaimedToGrass
                | HomesteadStatus::RestoredToGreen
        )
    }
}

/// What reclaimed land becomes: 宜耕则耕、宜林则林、宜草则草 (A5§3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReclaimedUse {
    Farmland,
    Forest,
    Grass,
}

/// A step in the life of an old homestead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomesteadEvent {
    /// The homestead is vacated and demolished; `consent_recorded` says whether the
    /// household's consent is on record (A5§5: no forced demolition).
    Vacate { consent_recorded: bool },
    /// The land is reclaimed (A5§3).
    Reclaim(ReclaimedUse),
    /// The land is restored to green; `certified_not_reclaimable` is the natural-resources
    /// department's finding that it cannot be reclaimed (A5§3).
    RestoreToGreen { certified_not_reclaimable: bool },
}

/// Why a homestead step is not allowed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum HomesteadError {
    #[error("the household's consent must be recorded before its homestead is vacated; no forced demolition (A5§5)")]
    ConsentRequired,
    #[error("restoring to green needs the natural-resources department's certification that the land cannot be reclaimed (A5§3)")]
    CertificationRequired,
    #[error("a homestead in state {from} cannot take the step {event}")]
    NotAllowed {
        from: &'static str,
        event: &'static str,
    },
}

impl HomesteadEvent {
    fn code(self) -> &'static str {
        match self {
            HomesteadEvent::Vacate { .. } => "vacate",
            HomesteadEvent::Reclaim(_) => "reclaim",
            HomesteadEvent::RestoreToGreen { .. } => "restore_to_green",
        }
    }
}

/// The state after `event`, or why the step is refused (A5§1, A5§3, A5§5).
///
/// occupied → vacated (only with consent on record) → reclaimed to farmland, forest or grass,
/// or restored to green (only with the certification); finished states are final.
pub fn apply_homestead_event(
    from: HomesteadStatus,
    event: HomesteadEvent,
) -> Result<HomesteadStatus, HomesteadError> {
    use HomesteadEvent as E;
    use HomesteadStatus as S;
    match (from, event) {
        (
            S::Occupied,
            E::Vacate {
                consent_recorded: true,
            },
        ) => Ok(S::Vacated),
        (
            S::Occupied,
            E::Vacate {
                consent_recorded: false,
            },
        ) => Err(HomesteadError::ConsentRequired),
        (S::Vacated, E::Reclaim(ReclaimedUse::Farmland)) => Ok(S::ReclaimedToFarmland),
        (S::Vacated, E::Reclaim(ReclaimedUse::Forest)) => Ok(S::ReclaimedToForest),
        (S::Vacated, E::Reclaim(ReclaimedUse::Grass)) => Ok(S::ReclaimedToGrass),
        (
            S::Vacated,
            E::RestoreToGreen {
                certified_not_reclaimable: true,
            },
        ) => Ok(S::RestoredToGreen),
        (
            S::Vacated,
            E::RestoreToGreen {
                certified_not_reclaimable: false,
            },
        ) => Err(HomesteadError::CertificationRequired),
        (from, event) => Err(HomesteadError::NotAllowed {
            from: from.code(),
            event: event.code(),
        }),
    }
}

coded_enum! {
    /// A movement of a quota's area in the ledger of quota use (台账, A5§9).
    pub enum QuotaLedgerKind {
        /// The quota was produced by reclamation here (the quota's own area).
        Produced => ("produced", "复垦产生"),
        /// The quota was received by transfer (the quota's own area).
        Received => ("received", "流转调入"),
        /// Part of the quota went to a buyer through the provincial platform.
        TransferredOut => ("transferred_out", "流转调出"),
        /// Part of the quota was used for construction land here.
        UsedLocally => ("used_locally", "本地使用"),
        /// Part of the quota was returned when it expired.
        ReturnedExpired => ("returned_expired", "到期收回"),
        /// Part of the quota was written off.
        Cancelled => ("cancelled", "核销"),
    }
}

impl QuotaLedgerKind {
    /// Whether the entry uses up part of the quota. Inflows only record the quota's own area
    /// and are not counted again.
    pub fn is_outflow(self) -> bool {
        !matches!(self, QuotaLedgerKind::Produced | QuotaLedgerKind::Received)
    }
}

/// The quota left according to the ledger: the quota's area less every outflow (A5§9).
/// `None` on overflow.
pub fn remaining_quota_in_ledger(
    quota_area: Area,
    entries: &[(QuotaLedgerKind, Area)],
) -> Option<Area> {
    let outflows: Vec<Area> = entries
        .iter()
        .filter(|(kind, _)| kind.is_outflow())
        .map(|(_, area)| *area)
        .collect();
    remaining_quota(quota_area, &outflows)
}

/// Why a quota cannot be recorded as produced by a project.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum QuotaProductionError {
    #[error("the area of a quota must be more than zero mu")]
    NonPositiveArea,
    #[error("{requested} mu cannot be confirmed as quota: the project's reclaimed or restored homesteads leave only {available} mu (reclaim first, use later, A5§3)")]
    ExceedsReclaimedLand { requested: Area, available: Area },
}

/// Checks a new produced quota against the land a project has finished reclaiming (先垦后用,
/// A5§3): the quotas of a project never exceed the area of its finished homesteads.
pub fn validate_quota_production(
    finished_area: Area,
    already_produced: Area,
    requested: Area,
) -> Result<(), QuotaProductionError> {
    if !requested.is_positive() {
        return Err(QuotaProductionError::NonPositiveArea);
    }
    let available = finished_area
        .checked_sub(already_produced)
        .filter(|left| left.ten_thousandths() > 0)
        .unwrap_or(Area::ZERO);
    if requested > available {
        return Err(QuotaProductionError::ExceedsReclaimedLand {
            requested,
            available,
        });
    }
    Ok(())
}

/// How much a stored reserve falls short of 5 % of its revenue (zero when it does not, A5§11).
pub fn reserve_shortfall(revenue: Money, reserved: Money) -> Money {
    required_reserve(revenue)
        .checked_sub(reserved)
        .filter(|short| short.is_positive())
        .unwrap_or(Money::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn mu(text: &str) -> Area {
        Area::parse(text).unwrap()
    }

    #[test]
    fn within_the_city_the_price_is_exactly_200000_yuan_per_mu() {
        // A5§10
        assert_eq!(
            validate_quota_price(TransferScope::WithinCity, yuan("200000")),
            Ok(())
        );
        for price in ["199999.99", "200000.01", "180000", "220000"] {
            assert!(
                matches!(
                    validate_quota_price(TransferScope::WithinCity, yuan(price)),
                    Err(LandRuleError::PriceNotBase { .. })
                ),
                "{price}"
            );
        }
    }

    #[test]
    fn across_cities_the_price_floats_at_most_10_percent_inclusive() {
        // A5§10: 180,000–220,000 yuan per mu
        for price in ["180000", "180000.01", "200000", "219999.99", "220000"] {
            assert_eq!(
                validate_quota_price(TransferScope::AcrossCities, yuan(price)),
                Ok(()),
                "{price}"
            );
        }
        for price in ["179999.99", "220000.01", "0", "-200000"] {
            assert!(
                matches!(
                    validate_quota_price(TransferScope::AcrossCities, yuan(price)),
                    Err(LandRuleError::PriceOutOfRange { .. })
                ),
                "{price}"
            );
        }
    }

    #[test]
    fn price_errors_name_the_bounds() {
        // A5§10
        let error =
            validate_quota_price(TransferScope::AcrossCities, yuan("220000.01")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a quota transfer across cities is priced between 180000.00 and 220000.00 yuan per mu (base price ±10 %), not 220000.01 (A5§10)"
        );
        assert_eq!(
            BASE_PRICE_PER_MU.checked_percent(MAX_FLOAT_ACROSS_CITIES, Rounding::HalfAwayFromZero),
            Some(yuan("20000"))
        );
    }

    #[test]
    fn transfer_amounts_are_exact_and_rounded_half_up_to_the_fen() {
        // A5§10
        assert_eq!(
            quota_transfer_amount(mu("1"), yuan("200000")),
            yuan("200000")
        );
        assert_eq!(
            quota_transfer_amount(mu("12.3456"), yuan("200000")),
            yuan("2469120")
        );
        // 0.0001 mu × 180,000.01 = 18.000001 → 18.00; × 180,050 = 18.005 → 18.01
        assert_eq!(
            quota_transfer_amount(mu("0.0001"), yuan("180000.01")),
            yuan("18.00")
        );
        assert_eq!(
            quota_transfer_amount(mu("0.0001"), yuan("180050")),
            yuan("18.01")
        );
        assert_eq!(
            quota_transfer_amount(mu("0.0001"), yuan("180049.99")),
            yuan("18.00")
        );
        assert_eq!(
            quota_transfer_amount(Area::ZERO, yuan("200000")),
            Money::ZERO
        );
        assert_eq!(
            checked_quota_transfer_amount(Area::from_ten_thousandths(i64::MAX), yuan("220000")),
            None
        );
    }

    #[test]
    fn the_reserve_is_at_least_5_percent_rounded_up_to_the_fen() {
        // A5§11: 每笔不低于5%
        assert_eq!(required_reserve(yuan("1000000")), yuan("50000"));
        assert_eq!(required_reserve(yuan("0.01")), yuan("0.01"));
        assert_eq!(required_reserve(yuan("0.20")), yuan("0.01"));
        assert_eq!(required_reserve(yuan("0.21")), yuan("0.02"));
        assert_eq!(required_reserve(yuan("123.45")), yuan("6.18")); // 6.1725 up
        assert_eq!(required_reserve(Money::ZERO), Money::ZERO);
        assert_eq!(required_reserve(yuan("-5")), Money::ZERO);
    }

    #[test]
    fn a_reserve_one_fen_short_is_refused_with_the_amount_needed() {
        // A5§11
        assert_eq!(validate_reserve(yuan("123.45"), yuan("6.18")), Ok(()));
        assert_eq!(validate_reserve(yuan("123.45"), yuan("123.45")), Ok(()));
        let error = validate_reserve(yuan("123.45"), yuan("6.17")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the reserve of 6.17 yuan is below 5 % of the revenue of 123.45 yuan: set aside at least 6.18 yuan (A5§11)"
        );
        assert!(matches!(
            validate_reserve(yuan("100"), yuan("100.01")),
            Err(LandRuleError::ReserveExceedsRevenue { .. })
        ));
        assert!(matches!(
            validate_reserve(yuan("-1"), Money::ZERO),
            Err(LandRuleError::NegativeRevenue { .. })
        ));
        assert_eq!(validate_reserve(Money::ZERO, Money::ZERO), Ok(()));
    }

    #[test]
    fn a_received_quota_may_not_be_transferred_again() {
        // A5§8
        assert_eq!(can_transfer(QuotaHolding::Produced), Ok(()));
        assert_eq!(
            can_transfer(QuotaHolding::ReceivedByTransfer),
            Err(LandRuleError::SecondTransferForbidden)
        );
        assert_eq!(
            validate_transfer(
                QuotaHolding::ReceivedByTransfer,
                mu("1"),
                mu("10"),
                "SX-2024-001"
            ),
            Err(LandRuleError::SecondTransferForbidden)
        );
    }

    #[test]
    fn a_transfer_stays_within_the_ledger_and_carries_the_platform_reference() {
        // A5§8, A5§9
        let left = remaining_quota(mu("10"), &[mu("3.5"), mu("1.25")]).unwrap();
        assert_eq!(left, mu("5.25"));
        assert_eq!(
            validate_transfer(QuotaHolding::Produced, mu("5.25"), left, " SX-2024-001 "),
            Ok("SX-2024-001".into())
        );
        assert_eq!(
            validate_transfer(QuotaHolding::Produced, mu("5.2501"), left, "SX-2024-001"),
            Err(LandRuleError::TransferExceedsBalance {
                requested: mu("5.2501"),
                available: left
            })
        );
        assert_eq!(
            validate_transfer(QuotaHolding::Produced, Area::ZERO, left, "SX"),
            Err(LandRuleError::NonPositiveArea)
        );
        assert_eq!(
            validate_transfer(QuotaHolding::Produced, mu("1"), left, "  "),
            Err(LandRuleError::MissingPlatformReference)
        );
    }

    #[test]
    fn one_household_keeps_one_homestead_at_most() {
        // A5§1: 一户一宅
        assert_eq!(validate_homestead_count(0), Ok(()));
        assert_eq!(validate_homestead_count(1), Ok(()));
        assert_eq!(
            validate_homestead_count(2),
            Err(LandRuleError::MoreThanOneHomestead { count: 2 })
        );
    }

    #[test]
    fn a_homestead_is_vacated_only_with_consent() {
        // A5§5: no forced demolition
        use HomesteadEvent as E;
        use HomesteadStatus as S;
        assert_eq!(
            apply_homestead_event(
                S::Occupied,
                E::Vacate {
                    consent_recorded: false
                }
            ),
            Err(HomesteadError::ConsentRequired)
        );
        assert_eq!(
            apply_homestead_event(
                S::Occupied,
                E::Vacate {
                    consent_recorded: true
                }
            ),
            Ok(S::Vacated)
        );
        assert!(matches!(
            apply_homestead_event(
                S::Vacated,
                E::Vacate {
                    consent_recorded: true
                }
            ),
            Err(HomesteadError::NotAllowed {
                from: "vacated",
                event: "vacate"
            })
        ));
    }

    #[test]
    fn a_vacated_homestead_is_reclaimed_or_restored_to_green_with_certification() {
        // A5§3: 宜耕则耕、宜林则林、宜草则草; 复绿 after certification
        use HomesteadEvent as E;
        use HomesteadStatus as S;
        assert_eq!(
            apply_homestead_event(S::Vacated, E::Reclaim(ReclaimedUse::Farmland)),
            Ok(S::ReclaimedToFarmland)
        );
        assert_eq!(
            apply_homestead_event(S::Vacated, E::Reclaim(ReclaimedUse::Forest)),
            Ok(S::ReclaimedToForest)
        );
        assert_eq!(
            apply_homestead_event(S::Vacated, E::Reclaim(ReclaimedUse::Grass)),
            Ok(S::ReclaimedToGrass)
        );
        assert_eq!(
            apply_homestead_event(
                S::Vacated,
                E::RestoreToGreen {
                    certified_not_reclaimable: true
                }
            ),
            Ok(S::RestoredToGreen)
        );
        assert_eq!(
            apply_homestead_event(
                S::Vacated,
                E::RestoreToGreen {
                    certified_not_reclaimable: false
                }
            ),
            Err(HomesteadError::CertificationRequired)
        );
        assert!(apply_homestead_event(S::Occupied, E::Reclaim(ReclaimedUse::Farmland)).is_err());
        assert!(
            apply_homestead_event(S::ReclaimedToForest, E::Reclaim(ReclaimedUse::Farmland))
                .is_err()
        );
    }

    #[test]
    fn only_finished_homesteads_count_towards_quota() {
        // A5§3: 先垦后用
        let finished: Vec<_> = HomesteadStatus::ALL
            .iter()
            .filter(|s| s.is_finished())
            .collect();
        assert_eq!(finished.len(), 4);
        assert!(!HomesteadStatus::Vacated.is_finished());
        assert!(HomesteadStatus::RestoredToGreen.is_finished());
    }

    #[test]
    fn the_ledger_counts_outflows_against_the_quota() {
        // A5§9: 台账 of quota use
        use QuotaLedgerKind as K;
        let entries = [
            (K::Produced, mu("10")),
            (K::TransferredOut, mu("4")),
            (K::UsedLocally, mu("1.5")),
            (K::ReturnedExpired, mu("0.25")),
            (K::Cancelled, mu("0.25")),
        ];
        assert_eq!(remaining_quota_in_ledger(mu("10"), &entries), Some(mu("4")));
        assert_eq!(
            remaining_quota_in_ledger(mu("0.5"), &[(K::Received, mu("0.5"))]),
            Some(mu("0.5"))
        );
        assert_eq!(
            remaining_quota_in_ledger(mu("0.5"), &[(K::UsedLocally, mu("0.5"))]),
            Some(Area::ZERO)
        );
        assert!(!K::Produced.is_outflow() && !K::Received.is_outflow());
        assert!(K::TransferredOut.is_outflow());
    }

    #[test]
    fn a_project_confirms_no_more_quota_than_it_has_reclaimed() {
        // A5§3: 先垦后用
        assert_eq!(
            validate_quota_production(mu("2"), mu("1.5"), mu("0.5")),
            Ok(())
        );
        assert_eq!(
            validate_quota_production(mu("2"), mu("1.5"), mu("0.5001")),
            Err(QuotaProductionError::ExceedsReclaimedLand {
                requested: mu("0.5001"),
                available: mu("0.5")
            })
        );
        assert_eq!(
            validate_quota_production(mu("2"), mu("3"), mu("0.0001")),
            Err(QuotaProductionError::ExceedsReclaimedLand {
                requested: mu("0.0001"),
                available: Area::ZERO
            })
        );
        assert_eq!(
            validate_quota_production(mu("2"), Area::ZERO, Area::ZERO),
            Err(QuotaProductionError::NonPositiveArea)
        );
    }

    #[test]
    fn a_reserve_short_of_5_percent_shows_its_shortfall_to_the_fen() {
        // A5§11
        assert_eq!(reserve_shortfall(yuan("123.45"), yuan("6.18")), Money::ZERO);
        assert_eq!(
            reserve_shortfall(yuan("123.45"), yuan("6.17")),
            yuan("0.01")
        );
        assert_eq!(reserve_shortfall(yuan("1000"), Money::ZERO), yuan("50"));
        assert_eq!(reserve_shortfall(yuan("1000"), yuan("100")), Money::ZERO);
    }
}
