//! Orders runs of ASCII digits as the numbers they spell, however long: several ecosystems'
//! reference implementations use arbitrary-precision integers (Go's semver compares digit
//! strings; Elixir, Ruby and Java's `BigInteger` have no limit).

use std::cmp::Ordering;

/// Compares two strings of ASCII digits numerically. Leading zeros are ignored.
pub(super) fn cmp_decimal(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use super::*;

    #[test]
    fn digit_strings_order_as_numbers() {
        assert_eq!(cmp_decimal("9", "10"), Less);
        assert_eq!(cmp_decimal("007", "7"), Equal);
        assert_eq!(cmp_decimal("0", ""), Equal);
        assert_eq!(
            cmp_decimal(
                "999999999999999999999999999999",
                "999999999999999999999999999991"
            ),
            Greater
        );
    }
}
