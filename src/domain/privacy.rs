//! Personal data: the program never stores CPR numbers (CONTRACT.md, "Personal data").

/// Whether `text` holds a CPR-like number: 6 digits, an optional `-`, 4 digits.
pub fn contains_cpr(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| b.get(from..from + n).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    (0..b.len()).any(|i| digits(i, 6) && (digits(i + 6, 4) || (b.get(i + 6) == Some(&b'-') && digits(i + 7, 4))))
}

/// The refusal for a field that holds a CPR-like number; `what` names the field.
pub fn cpr_refusal(what: &str) -> String {
    format!(
        "{what} holds a CPR-like number (6 digits, an optional '-', 4 digits); CPR numbers are never stored. \
         Remove it and try again"
    )
}

#[cfg(test)]
mod tests {
    use super::contains_cpr;

    #[test]
    fn cpr_like_numbers_are_found_with_and_without_the_dash() {
        assert!(contains_cpr("Eksempel 010190-1234"));
        assert!(contains_cpr("Eksempel 0101901234"));
        assert!(contains_cpr("aftalt, cpr 010190-1234"));
        assert!(contains_cpr("x0101901234567"));
    }

    #[test]
    fn ids_and_short_numbers_are_not_cpr_numbers() {
        for ok in ["T004222", "P0247", "EX-K1", "tlf 86 12 34 56", "12345678", "010190-123", "2027-02-01"] {
            assert!(!contains_cpr(ok), "{ok}");
        }
    }
}
