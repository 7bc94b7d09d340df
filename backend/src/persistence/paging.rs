//! Keyset paging: validated Relay arguments (`first`/`last`, at most 100) and opaque cursors.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::ApiError;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// A validated page request: which way, how many, from where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub direction: PageDirection,
    pub size: u64,
    /// The cursor to start after (forward) or before (backward).
    pub cursor: Option<Cursor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageDirection {
    Forward,
    Backward,
}

/// A keyset position: the value of the sort column (as text) and the row id as tie-breaker.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cursor {
    pub sort: String,
    pub key: Option<String>,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let key = self.key.as_deref().unwrap_or("");
        URL_SAFE_NO_PAD.encode(format!("{}\u{1f}{}\u{1f}{}", self.sort, self.id, key))
    }

    pub fn decode(field: &str, text: &str, sort: &str) -> Result<Cursor, ApiError> {
        let invalid = || {
            ApiError::invalid(
                field,
                "this cursor was not issued by this list in this order; start again without it",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| invalid())?;
        let decoded = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = decoded.splitn(3, '\u{1f}');
        let (Some(cursor_sort), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        if cursor_sort != sort {
            return Err(invalid());
        }
        let id = id.parse().map_err(|_| invalid())?;
        let key = (!key.is_empty() || sort != "ID").then(|| key.to_string());
        Ok(Cursor {
            sort: sort.to_string(),
            key,
            id,
        })
    }
}

impl PageRequest {
    /// Validates Relay arguments for a list sorted by `sort` (the order's name, baked into cursors).
    pub fn from_arguments(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        sort: &str,
    ) -> Result<PageRequest, ApiError> {
        let size = |field: &str, value: i32| -> Result<u64, ApiError> {
            if value < 0 || value as u64 > MAX_PAGE_SIZE {
                return Err(ApiError::invalid(
                    field,
                    format!("must be between 0 and {MAX_PAGE_SIZE}, got {value}"),
                ));
            }
            Ok(value as u64)
        };
        match (first, last) {
            (Some(first), None) => {
                if before.is_some() {
                    return Err(ApiError::invalid(
                        "before",
                        "use `before` with `last`, or `after` with `first`",
                    ));
                }
                Ok(PageRequest {
                    direction: PageDirection::Forward,
                    size: size("first", first)?,
                    cursor: after
                        .map(|text| Cursor::decode("after", &text, sort))
                        .transpose()?,
                })
            }
            (None, Some(last)) => {
                if after.is_some() {
                    return Err(ApiError::invalid(
                        "after",
                        "use `after` with `first`, or `before` with `last`",
                    ));
                }
                Ok(PageRequest {
                    direction: PageDirection::Backward,
                    size: size("last", last)?,
                    cursor: before
                        .map(|text| Cursor::decode("before", &text, sort))
                        .transpose()?,
                })
            }
            (None, None) => Err(ApiError::invalid(
                "first",
                format!(
                    "give `first` or `last` (at most {MAX_PAGE_SIZE}) to page through this list"
                ),
            )),
            (Some(_), Some(_)) => Err(ApiError::invalid(
                "last",
                "give either `first` or `last`, not both",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_or_last_is_required_and_capped_at_100() {
        assert!(PageRequest::from_arguments(None, None, None, None, "ID").is_err());
        assert!(PageRequest::from_arguments(Some(101), None, None, None, "ID").is_err());
        assert!(PageRequest::from_arguments(Some(-1), None, None, None, "ID").is_err());
        assert!(PageRequest::from_arguments(Some(1), None, Some(1), None, "ID").is_err());
        let page = PageRequest::from_arguments(Some(100), None, None, None, "ID").unwrap();
        assert_eq!(page.size, 100);
        let page = PageRequest::from_arguments(None, None, Some(0), None, "ID").unwrap();
        assert_eq!(page.direction, PageDirection::Backward);
    }

    #[test]
    fn cursors_round_trip_and_belong_to_their_order() {
        let cursor = Cursor {
            sort: "NAME".into(),
            key: Some("王小明".into()),
            id: 7,
        };
        let text = cursor.encode();
        let page =
            PageRequest::from_arguments(Some(5), Some(text.clone()), None, None, "NAME").unwrap();
        assert_eq!(page.cursor, Some(cursor));
        assert!(PageRequest::from_arguments(Some(5), Some(text), None, None, "ID").is_err());
        assert!(
            PageRequest::from_arguments(Some(5), Some("garbage".into()), None, None, "ID").is_err()
        );
    }
}
