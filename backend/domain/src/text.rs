//! Free text from users: person names and single-line fields, trimmed and free of control characters.
//!
//! Lengths count Unicode scalar values (`char`s), so a Chinese character counts as one.
//! Control characters (Unicode category Cc: NUL, line breaks, tabs, escape ...) are refused
//! after trimming; a trailing line break pasted with the text is simply trimmed away.

/// The longest person name accepted.
pub const PERSON_NAME_MAX_CHARS: usize = 40;

/// Why a text was refused. Every variant names the field.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    #[error("{field} must not be empty")]
    Empty { field: String },
    #[error("{field} is {found} characters long; at most {max} are allowed")]
    TooLong {
        field: String,
        max: usize,
        found: usize,
    },
    #[error("{field} contains a control character (such as a line break, tab or NUL); remove it")]
    ControlCharacter { field: String },
}

/// A person's name: 1–40 characters, no control characters, inner whitespace runs collapsed
/// to one space (so `"阿卜杜 热合曼"` and `"阿卜杜\u{3000}\u{3000}热合曼"` are the same name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name: trims, refuses control characters, collapses whitespace, checks 1–40 characters.
    pub fn parse(input: &str) -> Result<PersonName, TextError> {
        let field = "name";
        let trimmed = input.trim();
        refuse_control_characters(trimmed, field)?;
        let collapsed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        check_length(&collapsed, field, PERSON_NAME_MAX_CHARS)?;
        Ok(PersonName(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A required single line of text: trimmed, not empty, no control characters, at most
/// `max_chars` characters. Inner whitespace is kept as typed. Errors name `field`.
pub fn clean_line(input: &str, field: &str, max_chars: usize) -> Result<String, TextError> {
    let trimmed = input.trim();
    refuse_control_characters(trimmed, field)?;
    check_length(trimmed, field, max_chars)?;
    Ok(trimmed.to_string())
}

/// Like [`clean_line`] for an optional field: blank input (empty or only whitespace) is `None`.
pub fn clean_optional_line(
    input: &str,
    field: &str,
    max_chars: usize,
) -> Result<Option<String>, TextError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    clean_line(input, field, max_chars).map(Some)
}

/// Several lines of text (notes, minutes): trimmed, `\r\n` and `\r` become `\n`, line breaks
/// and tabs allowed, other control characters refused, not empty, at most `max_chars`.
pub fn clean_multiline(input: &str, field: &str, max_chars: usize) -> Result<String, TextError> {
    let unified = input.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = unified.trim();
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(TextError::ControlCharacter {
            field: field.to_string(),
        });
    }
    check_length(trimmed, field, max_chars)?;
    Ok(trimmed.to_string())
}

fn refuse_control_characters(text: &str, field: &str) -> Result<(), TextError> {
    if text.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter {
            field: field.to_string(),
        });
    }
    Ok(())
}

fn check_length(text: &str, field: &str, max_chars: usize) -> Result<(), TextError> {
    if text.is_empty() {
        return Err(TextError::Empty {
            field: field.to_string(),
        });
    }
    let found = text.chars().count();
    if found > max_chars {
        return Err(TextError::TooLong {
            field: field.to_string(),
            max: max_chars,
            found,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_inner_whitespace_collapsed() {
        assert_eq!(PersonName::parse("  张三 ").unwrap().as_str(), "张三");
        assert_eq!(
            PersonName::parse("\u{3000}张三\u{3000}").unwrap().as_str(),
            "张三"
        );
        assert_eq!(
            PersonName::parse("阿卜杜 \u{3000}  热合曼")
                .unwrap()
                .as_str(),
            "阿卜杜 热合曼"
        );
        assert_eq!(PersonName::parse("王五\n").unwrap().as_str(), "王五");
    }

    #[test]
    fn a_name_of_1_and_40_characters_is_accepted_and_41_refused() {
        assert_eq!(PersonName::parse("李").unwrap().as_str(), "李");
        let forty = "张".repeat(40);
        assert_eq!(PersonName::parse(&forty).unwrap().as_str(), forty);
        let forty_one = "张".repeat(41);
        assert_eq!(
            PersonName::parse(&forty_one),
            Err(TextError::TooLong {
                field: "name".into(),
                max: 40,
                found: 41
            })
        );
    }

    #[test]
    fn an_empty_or_blank_name_is_refused() {
        assert_eq!(
            PersonName::parse(""),
            Err(TextError::Empty {
                field: "name".into()
            })
        );
        assert_eq!(
            PersonName::parse(" \u{3000} "),
            Err(TextError::Empty {
                field: "name".into()
            })
        );
    }

    #[test]
    fn control_characters_inside_a_name_are_refused() {
        for bad in ["张\0三", "张\n三", "张\t三", "张\u{1b}三", "张\u{7f}三"] {
            assert_eq!(
                PersonName::parse(bad),
                Err(TextError::ControlCharacter {
                    field: "name".into()
                }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn clean_line_names_the_field_in_its_errors() {
        let error = clean_line("ab\0c", "input.reason", 200).unwrap_err();
        assert_eq!(
            error.to_string(),
            "input.reason contains a control character (such as a line break, tab or NUL); remove it"
        );
        let error = clean_line("   ", "input.reason", 200).unwrap_err();
        assert_eq!(error.to_string(), "input.reason must not be empty");
        let error = clean_line("abcd", "input.reason", 3).unwrap_err();
        assert_eq!(
            error.to_string(),
            "input.reason is 4 characters long; at most 3 are allowed"
        );
    }

    #[test]
    fn clean_line_keeps_inner_spacing_and_accepts_the_limit() {
        assert_eq!(clean_line("  a  b ", "note", 4).unwrap(), "a  b");
        assert_eq!(clean_line("搬迁户", "note", 3).unwrap(), "搬迁户");
    }

    #[test]
    fn clean_optional_line_turns_blank_into_none() {
        assert_eq!(clean_optional_line("  ", "note", 10), Ok(None));
        assert_eq!(clean_optional_line(" x ", "note", 10), Ok(Some("x".into())));
        assert!(clean_optional_line("x\0", "note", 10).is_err());
    }

    #[test]
    fn clean_multiline_allows_line_breaks_and_tabs_only() {
        assert_eq!(
            clean_multiline("a\r\nb\r\tc\n", "minutes", 10).unwrap(),
            "a\nb\n\tc"
        );
        assert!(matches!(
            clean_multiline("a\0b", "minutes", 10),
            Err(TextError::ControlCharacter { .. })
        ));
    }
}
