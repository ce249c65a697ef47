//! Two versions in an ecosystem's order (`vigil version compare`). Needs no workspace.

use std::cmp::Ordering;

use vigil_model::Ecosystem;

use crate::{Engine, EngineError};

impl Engine {
    /// Orders two versions as `ecosystem` does. `ecosystem` is an OSV ecosystem name; a
    /// `:suffix` (`Debian:12`) is allowed, the base name decides. An unknown ecosystem, or a
    /// version the ecosystem rejects, is [`EngineError::InvalidInput`] naming it.
    pub fn compare_versions(ecosystem: &str, a: &str, b: &str) -> Result<Ordering, EngineError> {
        let ecosystem = Engine::version_ecosystem(ecosystem)?;
        vigil_advisories::compare(ecosystem, a, b)
            .map_err(|e| EngineError::InvalidInput(e.to_string()))
    }

    /// The ecosystem an OSV ecosystem name stands for, or an error listing the ones Vigil
    /// orders versions of.
    pub fn version_ecosystem(name: &str) -> Result<Ecosystem, EngineError> {
        Ecosystem::from_osv(name).ok_or_else(|| {
            let known: Vec<&str> = Ecosystem::ALL.iter().map(|eco| eco.osv_name()).collect();
            EngineError::InvalidInput(format!(
                "unknown ecosystem {name:?}; Vigil knows {}",
                known.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use super::*;

    #[test]
    fn versions_compare_in_the_named_ecosystems_order() {
        assert_eq!(
            Engine::compare_versions("Maven", "1.0", "1.0.0").unwrap(),
            Equal
        );
        assert_eq!(
            Engine::compare_versions("npm", "1.0.0-rc.1", "1.0.0").unwrap(),
            Less
        );
        assert_eq!(
            Engine::compare_versions("Debian:12", "1:1.0", "2.0").unwrap(),
            Greater
        );
        assert_eq!(
            Engine::compare_versions("Red Hat", "1.0~rc1", "1.0").unwrap(),
            Less
        );
    }

    #[test]
    fn unknown_ecosystems_and_invalid_versions_are_invalid_input_naming_them() {
        let err = Engine::compare_versions("CRAN", "1.0", "1.1").unwrap_err();
        assert!(matches!(err, EngineError::InvalidInput(_)), "{err}");
        assert!(
            err.to_string().contains("\"CRAN\"") && err.to_string().contains("Rocky Linux"),
            "{err}"
        );
        let err = Engine::compare_versions("npm", "1.0", "1.0.0").unwrap_err();
        assert!(matches!(err, EngineError::InvalidInput(_)), "{err}");
        assert!(
            err.to_string().contains("\"1.0\"") && err.to_string().contains("npm"),
            "{err}"
        );
    }
}
