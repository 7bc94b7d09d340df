//! Exact money (fen), land areas (0.0001 mu) and percentages (basis points): integers, never floats.
//!
//! Text forms are strict so that nothing is silently rounded: an optional leading `-`
//! (money only), digits, and optionally `.` with 1 to the allowed number of decimals
//! (`12345678901234.56`). No `+`, no exponent, no thousands separators, no leading `.`.

use std::fmt;

use rust_decimal::Decimal;

/// How a division that does not come out exact is rounded to the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// 四舍五入: to the nearest unit, halves away from zero (2.5 → 3, −2.5 → −3).
    HalfAwayFromZero,
    /// Towards positive infinity (2.1 → 3, −2.9 → −2). "At least" amounts use this.
    Ceiling,
    /// Towards negative infinity (2.9 → 2).
    Floor,
}

/// `numerator / denominator` rounded to an integer; `None` when the denominator is zero.
pub(crate) fn divide_rounded(
    numerator: i128,
    denominator: i128,
    rounding: Rounding,
) -> Option<i128> {
    if denominator == 0 {
        return None;
    }
    let (numerator, denominator) = if denominator < 0 {
        (numerator.checked_neg()?, denominator.checked_neg()?)
    } else {
        (numerator, denominator)
    };
    let floor = numerator.div_euclid(denominator);
    let remainder = numerator.rem_euclid(denominator);
    let rounded = match rounding {
        Rounding::Floor => floor,
        Rounding::Ceiling if remainder > 0 => floor + 1,
        Rounding::Ceiling => floor,
        Rounding::HalfAwayFromZero => {
            let twice = remainder * 2;
            if (numerator >= 0 && twice >= denominator) || (numerator < 0 && twice > denominator) {
                floor + 1
            } else {
                floor
            }
        }
    };
    Some(rounded)
}

/// Why a text is not an amount, an area or a percentage.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("the {what} is empty")]
    Empty { what: &'static str },
    #[error("{input:?} is not a valid {what}: use digits with at most {max_decimals} decimal places, e.g. {example}")]
    Malformed {
        what: &'static str,
        input: String,
        max_decimals: u32,
        example: &'static str,
    },
    #[error("{input:?} has too many decimal places; at most {max_decimals} are allowed ({what})")]
    TooManyDecimals {
        what: &'static str,
        input: String,
        max_decimals: u32,
    },
    #[error("{input:?} is negative; it must be zero or more ({what})")]
    Negative { what: &'static str, input: String },
    #[error("{input:?} is too large ({what})")]
    TooLarge { what: &'static str, input: String },
}

struct FixedFormat {
    what: &'static str,
    decimals: u32,
    allow_negative: bool,
    example: &'static str,
}

const MONEY_FORMAT: FixedFormat = FixedFormat {
    what: "amount of money in yuan",
    decimals: 2,
    allow_negative: true,
    example: "12345.67",
};
const AREA_FORMAT: FixedFormat = FixedFormat {
    what: "area in mu",
    decimals: 4,
    allow_negative: false,
    example: "1.2345",
};
const PERCENT_FORMAT: FixedFormat = FixedFormat {
    what: "percentage",
    decimals: 2,
    allow_negative: false,
    example: "30.00",
};

/// Parses strict fixed-point text into an integer count of the smallest unit.
fn parse_fixed(input: &str, format: &FixedFormat) -> Result<i64, AmountError> {
    let text = input.trim();
    let malformed = || AmountError::Malformed {
        what: format.what,
        input: input.to_string(),
        max_decimals: format.decimals,
        example: format.example,
    };
    if text.is_empty() {
        return Err(AmountError::Empty { what: format.what });
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(malformed());
    }
    let fraction = fraction.unwrap_or("");
    if fraction.len() > format.decimals as usize {
        return Err(AmountError::TooManyDecimals {
            what: format.what,
            input: input.to_string(),
            max_decimals: format.decimals,
        });
    }
    let too_large = || AmountError::TooLarge {
        what: format.what,
        input: input.to_string(),
    };
    let padded = format!(
        "{whole}{fraction:0<width$}",
        width = format.decimals as usize
    );
    let magnitude: i128 = padded.trim_start_matches('0').parse().or_else(|_| {
        if padded.bytes().all(|b| b == b'0') {
            Ok(0)
        } else {
            Err(too_large())
        }
    })?;
    if negative && magnitude != 0 && !format.allow_negative {
        return Err(AmountError::Negative {
            what: format.what,
            input: input.to_string(),
        });
    }
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).map_err(|_| too_large())
}

/// Formats an integer count of `10^-decimals` units as fixed-point text.
fn format_fixed(value: i64, decimals: u32, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
    let scale = 10u64.pow(decimals);
    let magnitude = value.unsigned_abs();
    let sign = if value < 0 { "-" } else { "" };
    write!(
        formatter,
        "{sign}{}.{:0width$}",
        magnitude / scale,
        magnitude % scale,
        width = decimals as usize
    )
}

/// An exact amount of money in fen (分, 0.01 yuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Money {
    fen: i64,
}

impl Money {
    pub const ZERO: Money = Money { fen: 0 };

    pub const fn from_fen(fen: i64) -> Money {
        Money { fen }
    }

    /// Whole yuan; `None` if it overflows.
    pub fn from_yuan(yuan: i64) -> Option<Money> {
        yuan.checked_mul(100).map(Money::from_fen)
    }

    pub const fn fen(self) -> i64 {
        self.fen
    }

    /// Parses yuan with at most 2 decimals: `"12345678901234.56"`, `"-3.5"`, `"200000"`.
    pub fn parse(input: &str) -> Result<Money, AmountError> {
        parse_fixed(input, &MONEY_FORMAT).map(Money::from_fen)
    }

    /// The amount in yuan as an exact decimal with 2 decimal places.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.fen, 2)
    }

    /// An exact decimal amount of yuan; refused if it has fractions of a fen or is too large.
    pub fn from_decimal(yuan: Decimal) -> Result<Money, AmountError> {
        if yuan.round_dp(2) != yuan {
            return Err(AmountError::TooManyDecimals {
                what: MONEY_FORMAT.what,
                input: yuan.to_string(),
                max_decimals: 2,
            });
        }
        let mut rescaled = yuan;
        rescaled.rescale(2);
        i64::try_from(rescaled.mantissa())
            .map(Money::from_fen)
            .map_err(|_| AmountError::TooLarge {
                what: MONEY_FORMAT.what,
                input: yuan.to_string(),
            })
    }

    pub fn is_negative(self) -> bool {
        self.fen < 0
    }

    pub fn is_positive(self) -> bool {
        self.fen > 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.fen.checked_add(other.fen).map(Money::from_fen)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.fen.checked_sub(other.fen).map(Money::from_fen)
    }

    /// The amount times a whole number (e.g. persons × days × daily rate).
    pub fn checked_mul(self, factor: i64) -> Option<Money> {
        self.fen.checked_mul(factor).map(Money::from_fen)
    }

    /// The amount times `numerator / denominator`, rounded to the fen; `None` on a zero
    /// denominator or overflow.
    pub fn checked_mul_ratio(
        self,
        numerator: i64,
        denominator: i64,
        rounding: Rounding,
    ) -> Option<Money> {
        let product = i128::from(self.fen) * i128::from(numerator);
        let fen = divide_rounded(product, i128::from(denominator), rounding)?;
        i64::try_from(fen).ok().map(Money::from_fen)
    }

    /// The given percentage of the amount, rounded to the fen.
    pub fn checked_percent(self, percent: Percent, rounding: Rounding) -> Option<Money> {
        self.checked_mul_ratio(
            percent.basis_points(),
            Percent::ONE_HUNDRED.basis_points(),
            rounding,
        )
    }

    /// The sum of amounts; `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, Money::checked_add)
    }
}

impl fmt::Display for Money {
    /// Yuan with exactly two decimals: `12345678901234.56`, `-0.05`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_fixed(self.fen, 2, formatter)
    }
}

/// An exact land area in units of 0.0001 mu (亩).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Area {
    ten_thousandths_mu: i64,
}

impl Area {
    pub const ZERO: Area = Area {
        ten_thousandths_mu: 0,
    };

    pub const fn from_ten_thousandths(ten_thousandths_mu: i64) -> Area {
        Area { ten_thousandths_mu }
    }

    /// Whole mu; `None` if it overflows.
    pub fn from_mu(mu: i64) -> Option<Area> {
        mu.checked_mul(10_000).map(Area::from_ten_thousandths)
    }

    pub const fn ten_thousandths(self) -> i64 {
        self.ten_thousandths_mu
    }

    /// Parses mu with at most 4 decimals, not negative: `"1.2345"`, `"30"`.
    pub fn parse(input: &str) -> Result<Area, AmountError> {
        parse_fixed(input, &AREA_FORMAT).map(Area::from_ten_thousandths)
    }

    /// The area in mu as an exact decimal with 4 decimal places.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.ten_thousandths_mu, 4)
    }

    pub fn is_positive(self) -> bool {
        self.ten_thousandths_mu > 0
    }

    pub fn checked_add(self, other: Area) -> Option<Area> {
        self.ten_thousandths_mu
            .checked_add(other.ten_thousandths_mu)
            .map(Area::from_ten_thousandths)
    }

    pub fn checked_sub(self, other: Area) -> Option<Area> {
        self.ten_thousandths_mu
            .checked_sub(other.ten_thousandths_mu)
            .map(Area::from_ten_thousandths)
    }
}

impl fmt::Display for Area {
    /// Mu with exactly four decimals: `1.2345`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_fixed(self.ten_thousandths_mu, 4, formatter)
    }
}

/// A percentage with two decimals, stored as basis points (1 % = 100 bp, 100 % = 10,000 bp).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Percent {
    basis_points: i64,
}

impl Percent {
    pub const ZERO: Percent = Percent { basis_points: 0 };
    pub const ONE_HUNDRED: Percent = Percent {
        basis_points: 10_000,
    };

    pub const fn from_basis_points(basis_points: i64) -> Percent {
        Percent { basis_points }
    }

    /// Whole percent, e.g. `Percent::from_whole(30)` is 30.00 %.
    pub const fn from_whole(percent: i64) -> Percent {
        Percent {
            basis_points: percent * 100,
        }
    }

    pub const fn basis_points(self) -> i64 {
        self.basis_points
    }

    /// Parses a percentage with at most 2 decimals and an optional trailing `%`: `"29.99"`, `"30 %"`.
    pub fn parse(input: &str) -> Result<Percent, AmountError> {
        let text = input.trim();
        let text = text
            .strip_suffix('%')
            .or_else(|| text.strip_suffix('％'))
            .unwrap_or(text);
        parse_fixed(text, &PERCENT_FORMAT).map(Percent::from_basis_points)
    }

    /// The percentage as an exact decimal number of percent (`30.00`, not `0.30`).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.basis_points, 2)
    }

    pub fn checked_add(self, other: Percent) -> Option<Percent> {
        self.basis_points
            .checked_add(other.basis_points)
            .map(Percent::from_basis_points)
    }
}

impl fmt::Display for Percent {
    /// Two decimals and a percent sign: `30.00%`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        format_fixed(self.basis_points, 2, formatter)?;
        formatter.write_str("%")
    }
}

/// An exact ratio of two counts, `part / whole` with `whole > 0` (e.g. employed / enrolled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    part: u64,
    whole: u64,
}

impl Ratio {
    /// `None` when `whole` is zero (the ratio is undefined).
    pub fn new(part: u64, whole: u64) -> Option<Ratio> {
        (whole > 0).then_some(Ratio { part, whole })
    }

    pub fn part(self) -> u64 {
        self.part
    }

    pub fn whole(self) -> u64 {
        self.whole
    }

    /// The ratio as a percentage rounded half away from zero to 0.01 % (2/3 → 66.67 %).
    pub fn to_percent(self) -> Percent {
        let basis_points = divide_rounded(
            i128::from(self.part) * 10_000,
            i128::from(self.whole),
            Rounding::HalfAwayFromZero,
        )
        .and_then(|bp| i64::try_from(bp).ok())
        .unwrap_or(i64::MAX);
        Percent::from_basis_points(basis_points)
    }

    /// The ratio as a decimal fraction (`0.6666…`, 28 significant digits at most).
    pub fn to_decimal(self) -> Decimal {
        Decimal::from(self.part) / Decimal::from(self.whole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_parses_and_displays_with_two_decimals() {
        assert_eq!(
            Money::parse("12345678901234.56").unwrap().fen(),
            1_234_567_890_123_456
        );
        assert_eq!(
            Money::parse("12345678901234.56").unwrap().to_string(),
            "12345678901234.56"
        );
        assert_eq!(Money::parse("200000").unwrap().fen(), 20_000_000);
        assert_eq!(Money::parse("0.5").unwrap().fen(), 50);
        assert_eq!(Money::parse("-3.05").unwrap().to_string(), "-3.05");
        assert_eq!(Money::parse("-0.00").unwrap(), Money::ZERO);
        assert_eq!(Money::parse(" 7 ").unwrap().to_string(), "7.00");
        assert_eq!(Money::from_fen(-5).to_string(), "-0.05");
        assert_eq!(
            Money::from_fen(i64::MIN).to_string(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn money_refuses_a_third_decimal_an_exponent_and_separators() {
        assert!(matches!(
            Money::parse("1.234"),
            Err(AmountError::TooManyDecimals {
                max_decimals: 2,
                ..
            })
        ));
        for bad in [
            "1e5", "1,000", "+5", ".5", "5.", "--1", "1.2.3", "１２", "abc", "- 1",
        ] {
            assert!(
                matches!(Money::parse(bad), Err(AmountError::Malformed { .. })),
                "{bad:?}"
            );
        }
        assert!(matches!(Money::parse(""), Err(AmountError::Empty { .. })));
    }

    #[test]
    fn money_refuses_amounts_beyond_the_integer_range() {
        assert_eq!(
            Money::parse("92233720368547758.07").unwrap().fen(),
            i64::MAX
        );
        assert!(matches!(
            Money::parse("92233720368547758.08"),
            Err(AmountError::TooLarge { .. })
        ));
        assert!(matches!(
            Money::parse("999999999999999999999999999999999999999999"),
            Err(AmountError::TooLarge { .. })
        ));
    }

    #[test]
    fn money_converts_to_and_from_exact_decimals() {
        let money = Money::parse("1234.5").unwrap();
        assert_eq!(money.to_decimal(), Decimal::from_str("1234.50").unwrap());
        assert_eq!(
            Money::from_decimal(Decimal::from_str("1234.5").unwrap()),
            Ok(money)
        );
        assert!(Money::from_decimal(Decimal::from_str("0.001").unwrap()).is_err());
    }

    #[test]
    fn money_arithmetic_is_checked() {
        let a = Money::from_fen(150);
        assert_eq!(
            a.checked_add(Money::from_fen(50)),
            Some(Money::from_fen(200))
        );
        assert_eq!(
            a.checked_sub(Money::from_fen(200)),
            Some(Money::from_fen(-50))
        );
        assert_eq!(
            Money::from_fen(i64::MAX).checked_add(Money::from_fen(1)),
            None
        );
        assert_eq!(a.checked_mul(3), Some(Money::from_fen(450)));
        assert_eq!(Money::checked_sum([a, a, a]), Some(Money::from_fen(450)));
    }

    #[test]
    fn ratios_round_as_asked() {
        let one_yuan = Money::from_fen(100);
        assert_eq!(
            one_yuan.checked_mul_ratio(1, 3, Rounding::HalfAwayFromZero),
            Some(Money::from_fen(33))
        );
        assert_eq!(
            one_yuan.checked_mul_ratio(1, 3, Rounding::Ceiling),
            Some(Money::from_fen(34))
        );
        assert_eq!(
            one_yuan.checked_mul_ratio(2, 3, Rounding::Floor),
            Some(Money::from_fen(66))
        );
        assert_eq!(
            Money::from_fen(5).checked_mul_ratio(1, 2, Rounding::HalfAwayFromZero),
            Some(Money::from_fen(3))
        );
        assert_eq!(
            Money::from_fen(-5).checked_mul_ratio(1, 2, Rounding::HalfAwayFromZero),
            Some(Money::from_fen(-3))
        );
        assert_eq!(
            Money::from_fen(-5).checked_mul_ratio(1, 2, Rounding::Ceiling),
            Some(Money::from_fen(-2))
        );
        assert_eq!(one_yuan.checked_mul_ratio(1, 0, Rounding::Floor), None);
        assert_eq!(
            one_yuan.checked_mul_ratio(1, -4, Rounding::HalfAwayFromZero),
            Some(Money::from_fen(-25))
        );
    }

    #[test]
    fn areas_have_four_decimals_and_are_never_negative() {
        assert_eq!(Area::parse("1.2345").unwrap().ten_thousandths(), 12_345);
        assert_eq!(Area::parse("30").unwrap().to_string(), "30.0000");
        assert_eq!(
            Area::parse("0.5").unwrap().to_decimal(),
            Decimal::from_str("0.5000").unwrap()
        );
        assert!(matches!(
            Area::parse("1.23456"),
            Err(AmountError::TooManyDecimals {
                max_decimals: 4,
                ..
            })
        ));
        assert!(matches!(
            Area::parse("-1"),
            Err(AmountError::Negative { .. })
        ));
        assert_eq!(Area::parse("-0").unwrap(), Area::ZERO);
    }

    #[test]
    fn percentages_are_basis_points() {
        assert_eq!(Percent::parse("29.99").unwrap().basis_points(), 2_999);
        assert_eq!(Percent::parse("30 %").unwrap(), Percent::from_whole(30));
        assert_eq!(Percent::parse("30％").unwrap(), Percent::from_whole(30));
        assert_eq!(Percent::from_basis_points(3_000).to_string(), "30.00%");
        assert!(Percent::parse("30.001").is_err());
        assert!(Percent::parse("-1").is_err());
    }

    #[test]
    fn ratio_to_percent_rounds_half_away_from_zero() {
        assert_eq!(
            Ratio::new(2, 3).unwrap().to_percent(),
            Percent::from_basis_points(6_667)
        );
        assert_eq!(
            Ratio::new(1, 3).unwrap().to_percent(),
            Percent::from_basis_points(3_333)
        );
        assert_eq!(
            Ratio::new(1, 8).unwrap().to_percent(),
            Percent::from_basis_points(1_250)
        );
        assert_eq!(
            Ratio::new(1, 20_000).unwrap().to_percent(),
            Percent::from_basis_points(1)
        );
        assert_eq!(Ratio::new(0, 5).unwrap().to_percent(), Percent::ZERO);
        assert_eq!(Ratio::new(5, 5).unwrap().to_percent(), Percent::ONE_HUNDRED);
        assert_eq!(Ratio::new(1, 0), None);
        assert_eq!(
            Ratio::new(1, 4).unwrap().to_decimal(),
            Decimal::from_str("0.25").unwrap()
        );
    }

    #[test]
    fn error_messages_say_what_to_type() {
        let error = Money::parse("1,000").unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"1,000\" is not a valid amount of money in yuan: use digits with at most 2 decimal places, e.g. 12345.67"
        );
        let error = Money::parse("1.234").unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"1.234\" has too many decimal places; at most 2 are allowed (amount of money in yuan)"
        );
    }
}
