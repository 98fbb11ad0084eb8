//! Free text as people type it (descriptions, notes, reasons, comments, the values of
//! an activity's text fields): line breaks are normalised to `\n` (a form post sends
//! `\r\n`), and the other control characters — NUL above all, which PostgreSQL cannot
//! store — are refused with a message, never stored and never a server error.

use super::Problem;

/// Trims `value`, normalises its line breaks and checks it: at most `max` characters,
/// no control characters other than line feed and tab. Empty is allowed (the caller
/// decides whether the field is required).
pub fn multiline(value: &str, max: usize) -> Result<String, Problem> {
    let value = value.replace("\r\n", "\n").replace('\r', "\n");
    let value = value.trim();
    if value.chars().count() > max {
        Err(Problem::TooLong)
    } else if has_control(value) {
        Err(Problem::ControlCharacters)
    } else {
        Ok(value.to_owned())
    }
}

/// True when `value` holds a control character other than line feed and tab.
pub fn has_control(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_stay_other_controls_are_refused() {
        assert_eq!(
            multiline(" a\r\nb\rc\td ", 100),
            Ok("a\nb\nc\td".to_owned())
        );
        for bad in [
            "a\0b",
            "\u{7}",
            "x\u{1b}[31m",
            "\u{7f}",
            "a\u{85}b",
            "\u{0}",
        ] {
            assert_eq!(
                multiline(bad, 100),
                Err(Problem::ControlCharacters),
                "{bad:?}"
            );
        }
        assert_eq!(multiline("ação", 4), Ok("ação".to_owned()));
        assert_eq!(multiline("ações", 4), Err(Problem::TooLong));
        assert_eq!(multiline("   ", 4), Ok(String::new()));
    }
}
