//! NuGet: NuGet.Versioning (https://learn.microsoft.com/nuget/concepts/package-versioning;
//! `NuGetVersion.TryParse` and `VersionComparer` with `VersionComparison.Default` in
//! NuGet/NuGet.Client). Written by hand because no Rust crate implements it:
//!
//! - one to four numeric parts, each a `System.Version` component (0 to 2147483647, leading
//!   zeros allowed: `1.01` = `1.1`), missing parts are 0 (`1.0` = `1.0.0.0`);
//! - release labels after the first `-`, dot-separated `[0-9A-Za-z-]+`, numeric ones without a
//!   leading zero; a label is numeric when `int.TryParse` reads it, and compares as a number,
//!   before any alphanumeric label; alphanumeric labels compare case-insensitively
//!   (`StringComparer.OrdinalIgnoreCase`); a release sorts after its pre-releases;
//! - build metadata after `+` is validated and then ignored.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct NuGetVersion {
    numbers: [i32; 4],
    labels: Vec<String>,
}

impl NuGetVersion {
    pub(super) fn parse(text: &str) -> Result<NuGetVersion, String> {
        let text = text.trim();
        // `ParseSections`: the version up to the first `-` or `+`, labels up to the next `+`.
        let (rest, metadata) = match text.split_once('+') {
            Some((rest, metadata)) => (rest, Some(metadata)),
            None => (text, None),
        };
        let (version, labels) = match rest.split_once('-') {
            Some((version, labels)) => (version, Some(labels)),
            None => (rest, None),
        };
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() > 4 {
            return Err("more than four numeric parts".into());
        }
        let mut numbers = [0i32; 4];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("{part:?} is not a number"));
            }
            *slot = part
                .parse::<i32>()
                .map_err(|_| format!("{part} is larger than 2147483647"))?;
        }
        let labels: Vec<String> = match labels {
            Some(labels) => labels.split('.').map(str::to_string).collect(),
            None => Vec::new(),
        };
        if let Some(label) = labels.iter().find(|label| !is_valid_part(label, false)) {
            return Err(format!("invalid release label {label:?}"));
        }
        if let Some(metadata) = metadata {
            if let Some(part) = metadata.split('.').find(|part| !is_valid_part(part, true)) {
                return Err(format!("invalid build metadata {part:?}"));
            }
        }
        Ok(NuGetVersion { numbers, labels })
    }
}

/// `IsValidPart`: non-empty, `[0-9A-Za-z-]`, and no leading zero on a number unless allowed.
fn is_valid_part(part: &str, allow_leading_zeros: bool) -> bool {
    let bytes = part.as_bytes();
    if bytes.is_empty()
        || !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        return false;
    }
    allow_leading_zeros
        || !(bytes.len() > 1 && bytes[0] == b'0' && bytes[1..].iter().all(u8::is_ascii_digit))
}

/// `CompareRelease`: numbers (as `int.TryParse` reads them) numerically and before words;
/// words case-insensitively.
fn compare_label(a: &str, b: &str) -> Ordering {
    match (a.parse::<i32>(), b.parse::<i32>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b.bytes().map(|c| c.to_ascii_uppercase())),
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.labels.iter().zip(&other.labels) {
                        let order = compare_label(a, b);
                        if order != Ordering::Equal {
                            return order;
                        }
                    }
                    self.labels.len().cmp(&other.labels.len())
                }
            }
        })
    }
}
super::order_from_cmp!(NuGetVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn nuget_orders_like_nuget_versioning() {
        assert_order(
            Ecosystem::NuGet,
            &[
                ("1.0", Equal, "1.0.0.0"),
                ("1", Equal, "1.0.0"),
                ("1.01", Equal, "1.1"),
                ("1.0.0-BETA", Equal, "1.0.0-beta"),
                ("1.0.0+build", Equal, "1.0.0"),
                ("1.0.0-beta.2", Less, "1.0.0-beta.10"),
                ("1.0.0-2", Less, "1.0.0-alpha"),
                ("1.0.0-beta", Less, "1.0.0"),
                ("1.0.0.1-alpha", Greater, "1.0.0"),
                ("13.0.1", Greater, "12.0.3"),
            ],
        );
    }

    #[test]
    fn versions_nuget_rejects_are_errors() {
        assert_invalid(
            Ecosystem::NuGet,
            &[
                "v1.0.0",
                "1.0.0.0.0",
                "1.0.0-01",
                "1.0.0-beta..1",
                "1.0.0+",
                "2147483648.0",
                "1.0.0-bêta",
                "a.b",
            ],
        );
    }
}
