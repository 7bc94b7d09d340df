//! Dotted paths into JSON: reading a row's value, building nested variables and inputs.

use serde_json::{Map, Value};

use crate::Input;

/// The JSON value of a control's text: numbers for [`Input::Integer`] and [`Input::Year`],
/// booleans for [`Input::Checkbox`], strings otherwise; wrapped in a list when the variable or
/// field is list-typed. `Err` holds what is wrong, in Chinese.
pub fn typed_value(input: &Input, text: &str, list: bool) -> Result<Value, String> {
    let text = text.trim();
    let value = match input {
        Input::Integer | Input::Year => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "请填写整数".to_owned())?,
        Input::Checkbox => Value::Bool(text == "true"),
        Input::Decimal => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            let mut parts = digits.splitn(2, '.');
            let whole = parts.next().unwrap_or_default();
            let fraction = parts.next().unwrap_or("0");
            let numeric = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
            if !numeric(whole) || !numeric(fraction) {
                return Err("请填写数字，如 2200 或 0.05".to_owned());
            }
            Value::from(text)
        }
        Input::Fen => {
            Value::from(scaled(text, 2).ok_or("请填写金额（元），最多两位小数，如 1500.50")?)
        }
        Input::TenThousandthMu => {
            Value::from(scaled(text, 4).ok_or("请填写面积（亩），最多四位小数，如 1.5")?)
        }
        _ => Value::from(text),
    };
    Ok(if list {
        Value::Array(vec![value])
    } else {
        value
    })
}

/// A decimal with at most `places` decimals as a whole number of its smallest unit
/// (`"1500.5"`, 2 → 150050); `None` when it is not one or does not fit.
pub(crate) fn scaled(text: &str, places: u32) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if fraction.len() > places as usize || (digits.contains('.') && fraction.is_empty()) {
        return None;
    }
    let unit = 10_i64.checked_pow(places)?;
    let mut padded = fraction.to_owned();
    while padded.len() < places as usize {
        padded.push('0');
    }
    let fraction: i64 = if padded.is_empty() {
        0
    } else {
        padded.parse().ok()?
    };
    let value = whole
        .parse::<i64>()
        .ok()?
        .checked_mul(unit)?
        .checked_add(fraction)?;
    Some(if negative { -value } else { value })
}

/// Whether the query declares `$name` with a list type (`$status: [JobPostingStatus!]`).
pub fn declares_list(query: &str, name: &str) -> bool {
    let declaration = format!("${name}:");
    query.find(&declaration).is_some_and(|at| {
        query[at + declaration.len()..]
            .trim_start()
            .starts_with('[')
    })
}

/// The value at a dotted path (`household.site.name`); `None` when a step is missing, `null`
/// or not an object. Lists are not walked (see [`crate::display`] for columns).
pub fn value_at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |value, step| value.get(step))
        .filter(|value| !value.is_null())
}

/// Sets `value` at a dotted path of `object`, creating the objects on the way
/// (`filter.townId` → `{"filter": {"townId": …}}`). A step that holds something else than an
/// object is replaced.
pub fn insert_at(object: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            object.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = object
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(child) = child {
                insert_at(child, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_nested_values_and_treats_null_as_missing() {
        let row = json!({"household": {"site": {"name": "黄堡安置点"}, "code": null}});
        assert_eq!(
            value_at(&row, "household.site.name"),
            Some(&json!("黄堡安置点"))
        );
        assert_eq!(value_at(&row, "household.code"), None);
        assert_eq!(value_at(&row, "household.flat"), None);
        assert_eq!(value_at(&row, "missing.deeper"), None);
    }

    #[test]
    fn types_values_by_control() {
        assert_eq!(typed_value(&Input::Integer, " 12 ", false), Ok(json!(12)));
        assert!(typed_value(&Input::Integer, "12.5", false).is_err());
        assert_eq!(typed_value(&Input::Year, "2026", false), Ok(json!(2026)));
        assert_eq!(
            typed_value(&Input::Checkbox, "true", false),
            Ok(json!(true))
        );
        assert_eq!(
            typed_value(&Input::Decimal, "2200.50", false),
            Ok(json!("2200.50"))
        );
        assert_eq!(typed_value(&Input::Decimal, "-3", false), Ok(json!("-3")));
        assert!(typed_value(&Input::Decimal, "2,200", false).is_err());
        assert!(typed_value(&Input::Decimal, "1.", false).is_err());
        assert_eq!(typed_value(&Input::Text, "OPEN", true), Ok(json!(["OPEN"])));
        assert_eq!(
            typed_value(&Input::Fen, "1500.5", false),
            Ok(json!(150_050))
        );
        assert_eq!(typed_value(&Input::Fen, "0.01", false), Ok(json!(1)));
        assert_eq!(typed_value(&Input::Fen, "12", false), Ok(json!(1200)));
        assert!(typed_value(&Input::Fen, "1.005", false).is_err());
        assert!(typed_value(&Input::Fen, "99999999999999999999", false).is_err());
        assert_eq!(
            typed_value(&Input::TenThousandthMu, "1.5", false),
            Ok(json!(15_000))
        );
        assert_eq!(
            typed_value(&Input::TenThousandthMu, "0.0001", false),
            Ok(json!(1))
        );
        assert!(typed_value(&Input::TenThousandthMu, "0.00001", false).is_err());
    }

    #[test]
    fn finds_list_typed_variables() {
        let query =
            "query Q($first: Int, $status: [JobPostingStatus!], $level:JobPostingLevel) { x }";
        assert!(declares_list(query, "status"));
        assert!(!declares_list(query, "level"));
        assert!(!declares_list(query, "first"));
        assert!(!declares_list(query, "missing"));
    }

    #[test]
    fn builds_nested_objects_and_keeps_siblings() {
        let mut variables = Map::new();
        insert_at(&mut variables, "first", json!(20));
        insert_at(&mut variables, "filter.townId", json!("VG93bjox"));
        insert_at(&mut variables, "filter.open", json!(true));
        assert_eq!(
            Value::Object(variables),
            json!({"first": 20, "filter": {"townId": "VG93bjox", "open": true}})
        );
    }
}
