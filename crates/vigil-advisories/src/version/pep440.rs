//! PyPI: PEP 440 (https://peps.python.org/pep-0440/) through `pep440_rs`, the parser uv uses,
//! which implements the specification's normalisation and ordering (epochs, pre-, post- and
//! dev-releases, local versions).

use std::str::FromStr;

pub(super) fn parse(text: &str) -> Result<pep440_rs::Version, String> {
    pep440_rs::Version::from_str(text.trim()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn pypi_follows_pep440() {
        assert_order(
            Ecosystem::PyPI,
            &[
                ("2.2", Equal, "2.2.0"),
                ("1.0.dev1", Less, "1.0a1"),
                ("1.0a1", Less, "1.0b1"),
                ("1.0rc1", Less, "1.0"),
                ("1.0", Less, "1.0.post1"),
                ("1!0.1", Greater, "2.0"),
                ("1.0+local", Greater, "1.0"),
                ("1.10", Greater, "1.9"),
            ],
        );
    }

    #[test]
    fn versions_pep440_rejects_are_errors() {
        assert_invalid(Ecosystem::PyPI, &["not-a-version", "0.9-eevee", "1.0..1"]);
    }
}
