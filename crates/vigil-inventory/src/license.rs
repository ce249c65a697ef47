//! Declared license text → SPDX expression, keeping the text as written.
//!
//! Artifacts spell licenses every way: `MIT`, `Apache-2.0 OR MIT`, `MIT/Apache-2.0`,
//! `Apache License, Version 2.0`, `GPLv2+`, a URL. The `spdx` crate parses expressions and
//! knows the common imprecise names; what it does not know (the long names and URLs Maven
//! poms and Python metadata carry) is a short table here. Text that still does not resolve keeps
//! `expression: None`, so that a policy can say "not a valid SPDX expression" rather than guess.

use vigil_model::License;

/// The declared license of a component, or `None` when the artifact says nothing
/// (empty, `UNKNOWN`, `NOASSERTION`).
pub fn declared(raw: &str) -> Option<License> {
    let raw = raw.trim();
    if raw.is_empty()
        || ["UNKNOWN", "NOASSERTION", "NONE"]
            .iter()
            .any(|n| raw.eq_ignore_ascii_case(n))
    {
        return None;
    }
    Some(License {
        expression: to_spdx(raw),
        raw: raw.to_string(),
    })
}

/// Several declared licenses of one component (Maven's `<licenses>`, PyPI classifiers): the
/// component may be used under any of them, so they join with `OR`.
pub fn declared_any<'a>(raws: impl IntoIterator<Item = &'a str>) -> Option<License> {
    let licenses: Vec<License> = raws.into_iter().filter_map(declared).collect();
    match licenses.len() {
        0 => None,
        1 => licenses.into_iter().next(),
        _ => {
            let raw = licenses
                .iter()
                .map(|l| l.raw.as_str())
                .collect::<Vec<_>>()
                .join(" OR ");
            let expression = licenses
                .iter()
                .map(|l| {
                    l.expression.as_ref().map(|e| {
                        if e.contains(' ') {
                            format!("({e})")
                        } else {
                            e.clone()
                        }
                    })
                })
                .collect::<Option<Vec<_>>>()
                .map(|parts| parts.join(" OR "));
            Some(License { expression, raw })
        }
    }
}

fn to_spdx(raw: &str) -> Option<String> {
    if spdx::Expression::parse(raw).is_ok() {
        return Some(raw.to_string());
    }
    if let Some(known) = well_known(raw) {
        return Some(known.to_string());
    }
    if let Ok(Some(canonical)) = spdx::Expression::canonicalize(raw) {
        if spdx::Expression::parse(&canonical).is_ok() {
            return Some(canonical);
        }
    }
    // A whole-text imprecise name ("simplified bsd license"), only when all of it was consumed.
    let (id, consumed) = spdx::imprecise_license_id(raw)?;
    (consumed == raw.len()).then(|| id.name.to_string())
}

/// Long names and URLs that Maven, PyPI and NuGet metadata use for the common licenses.
fn well_known(raw: &str) -> Option<&'static str> {
    let key: String = raw
        .trim_end_matches(['/', '.'])
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let key = key
        .trim_end_matches(".txt")
        .trim_end_matches(".html")
        .trim_end_matches(".php");
    const TABLE: &[(&str, &str)] = &[
        ("apache license, version 2.0", "Apache-2.0"),
        ("the apache license, version 2.0", "Apache-2.0"),
        ("apache software license, version 2.0", "Apache-2.0"),
        ("the apache software license, version 2.0", "Apache-2.0"),
        ("apache license 2.0", "Apache-2.0"),
        ("apache 2.0", "Apache-2.0"),
        ("apache 2", "Apache-2.0"),
        ("apache-2", "Apache-2.0"),
        ("asl 2.0", "Apache-2.0"),
        ("apache.org/licenses/license-2.0", "Apache-2.0"),
        ("opensource.org/licenses/apache-2.0", "Apache-2.0"),
        ("mit license", "MIT"),
        ("the mit license", "MIT"),
        ("the mit license (mit)", "MIT"),
        ("opensource.org/licenses/mit", "MIT"),
        ("opensource.org/licenses/mit-license", "MIT"),
        ("bsd 3-clause license", "BSD-3-Clause"),
        ("the bsd 3-clause license", "BSD-3-Clause"),
        ("new bsd license", "BSD-3-Clause"),
        ("revised bsd license", "BSD-3-Clause"),
        ("opensource.org/licenses/bsd-3-clause", "BSD-3-Clause"),
        ("bsd 2-clause license", "BSD-2-Clause"),
        ("simplified bsd license", "BSD-2-Clause"),
        ("opensource.org/licenses/bsd-2-clause", "BSD-2-Clause"),
        ("eclipse public license - v 1.0", "EPL-1.0"),
        ("eclipse public license 1.0", "EPL-1.0"),
        ("eclipse.org/legal/epl-v10", "EPL-1.0"),
        ("eclipse public license - v 2.0", "EPL-2.0"),
        ("eclipse public license 2.0", "EPL-2.0"),
        ("eclipse.org/legal/epl-2.0", "EPL-2.0"),
        ("gnu general public license v2", "GPL-2.0-only"),
        ("gnu general public license, version 2", "GPL-2.0-only"),
        ("gnu general public license v3", "GPL-3.0-only"),
        ("gnu general public license, version 3", "GPL-3.0-only"),
        ("gnu lesser general public license", "LGPL-2.1-or-later"),
        (
            "gnu lesser general public license, version 2.1",
            "LGPL-2.1-only",
        ),
        ("gnu lesser general public license v3", "LGPL-3.0-only"),
        ("mozilla public license 2.0", "MPL-2.0"),
        ("mozilla public license, version 2.0", "MPL-2.0"),
        ("mozilla.org/mpl/2.0", "MPL-2.0"),
        ("isc license", "ISC"),
        ("the unlicense", "Unlicense"),
        ("public domain", "LicenseRef-public-domain"),
        ("python software foundation license", "PSF-2.0"),
        (
            "common development and distribution license 1.0",
            "CDDL-1.0",
        ),
        (
            "cddl + gplv2 with classpath exception",
            "CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0",
        ),
    ];
    TABLE
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, spdx)| *spdx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expression(raw: &str) -> Option<String> {
        declared(raw).and_then(|l| l.expression)
    }

    #[test]
    fn spdx_expressions_names_and_urls_normalise_and_the_raw_text_is_kept() {
        assert_eq!(
            expression("MIT OR Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            expression("MIT/Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            expression("The Apache Software License, Version 2.0").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            expression("https://www.apache.org/licenses/LICENSE-2.0.txt").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            expression("http://www.opensource.org/licenses/mit-license.php").as_deref(),
            Some("MIT")
        );
        assert_eq!(expression("GPLv2+").as_deref(), Some("GPL-2.0-or-later"));
        let odd = declared("Proprietary, see LICENSE.md").unwrap();
        assert_eq!(odd.expression, None, "never guessed");
        assert_eq!(odd.raw, "Proprietary, see LICENSE.md");
        assert_eq!(declared("  "), None);
        assert_eq!(declared("NOASSERTION"), None);
    }

    #[test]
    fn several_declared_licenses_join_with_or() {
        let license = declared_any(["MIT", "Apache License, Version 2.0"]).unwrap();
        assert_eq!(license.expression.as_deref(), Some("MIT OR Apache-2.0"));
        let license = declared_any(["MIT", "Home-made"]).unwrap();
        assert_eq!(
            license.expression, None,
            "one unknown part makes the whole unknown"
        );
        assert_eq!(license.raw, "MIT OR Home-made");
    }
}
