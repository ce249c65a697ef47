//! Waivers: accepted violations. A waived violation is still reported, marked, but neither
//! counts nor fails a gate; when the waiver expires it is active again.

use serde::{Deserialize, Serialize};
use vigil_model::PackageRef;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverScope {
    Application(String),
    Organization(String),
    Everywhere,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub id: i64,
    pub scope: WaiverScope,
    /// A purl: with its version it waives that version; `all_versions` waives every version
    /// of the package (the version, if given, is then ignored).
    pub component: String,
    pub all_versions: bool,
    /// `None`: every policy.
    pub policy: Option<String>,
    /// Only violations that this advisory (by id or alias) takes part in.
    pub advisory: Option<String>,
    pub reason: String,
    /// The last day the waiver holds.
    pub expires: chrono::NaiveDate,
    pub created_at: String,
    pub created_by: String,
}

impl Waiver {
    /// Whether the waiver still holds on `today` (it holds through its expiry day).
    pub fn in_force(&self, today: chrono::NaiveDate) -> bool {
        today <= self.expires
    }

    /// Whether the waiver's scope covers the application: its name (ignoring case), its
    /// organization, or everywhere.
    pub fn applies_to(&self, context: &crate::EvaluationContext) -> bool {
        match &self.scope {
            WaiverScope::Application(name) => {
                name.trim().to_lowercase() == context.application.trim().to_lowercase()
            }
            WaiverScope::Organization(org) => context.organization.as_deref() == Some(org.as_str()),
            WaiverScope::Everywhere => true,
        }
    }

    /// Whether the waiver names this policy (or every policy).
    pub fn covers_policy(&self, policy: &str) -> bool {
        self.policy.as_deref().is_none_or(|name| name == policy)
    }

    /// Whether the waiver's component covers a component's identity (its purl, or
    /// `name@version` for an entry without one). Purls compare parsed, so qualifier order and
    /// the spelling of the name (`Django`/`django`) do not matter, and versions compare in the
    /// ecosystem's order (Maven's `1` is `1.0`). With `all_versions` any version of the package
    /// is covered; without it, a waiver whose purl has no version covers nothing (it would
    /// otherwise silently waive every version).
    pub fn covers_component(&self, purl: &str) -> bool {
        let waived = PackageRef::parse_purl(self.component.trim()).ok();
        let component = PackageRef::parse_purl(purl.trim()).ok();
        self.covers_parsed(waived.as_ref(), purl, component.as_ref())
    }

    /// [`Self::covers_component`] with both purls already parsed (`None`: not a purl Vigil
    /// reads), so that evaluation parses each once.
    pub(crate) fn covers_parsed(
        &self,
        waived: Option<&PackageRef>,
        purl: &str,
        component: Option<&PackageRef>,
    ) -> bool {
        let purl = purl.trim();
        match (waived, component) {
            (Some(waived), Some(component)) => {
                if waived.ecosystem != component.ecosystem
                    || waived.name != component.name && waived.key() != component.key()
                {
                    return false;
                }
                if waived.release.is_some() && waived.release != component.release {
                    return false;
                }
                if self.all_versions {
                    return true;
                }
                match (&waived.version, &component.version) {
                    (Some(a), Some(b)) => {
                        a == b
                            || vigil_advisories::version::compare(waived.ecosystem, a, b)
                                .is_ok_and(|order| order == std::cmp::Ordering::Equal)
                    }
                    _ => false,
                }
            }
            _ => {
                let waived = self.component.trim();
                if self.all_versions {
                    without_version(waived) == without_version(purl)
                } else {
                    waived == purl
                }
            }
        }
    }

    /// How a violation shows that this waiver covers it.
    pub fn mark(&self) -> crate::WaiverMark {
        crate::WaiverMark {
            id: self.id,
            reason: self.reason.clone(),
            expires: self.expires.format("%Y-%m-%d").to_string(),
        }
    }
}

/// `pkg:x/y@1.0?a=b` → `pkg:x/y`, `name@1.0` → `name`.
fn without_version(id: &str) -> &str {
    let id = id.split(['?', '#']).next().unwrap_or(id);
    match id.rsplit_once('@') {
        // `pkg:npm/%40scope/name` has no literal `@`; `@scope/name@1` splits at the last one.
        Some((name, _)) if !name.is_empty() && !name.ends_with('/') => name,
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::EvaluationContext;

    fn waiver(component: &str, all_versions: bool) -> Waiver {
        Waiver {
            id: 1,
            scope: WaiverScope::Everywhere,
            component: component.into(),
            all_versions,
            policy: None,
            advisory: None,
            reason: "accepted".into(),
            expires: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            created_at: "2026-10-01T00:00:00Z".into(),
            created_by: "alice".into(),
        }
    }

    fn context(app: &str, org: Option<&str>) -> EvaluationContext {
        EvaluationContext {
            application: app.into(),
            organization: org.map(str::to_string),
            categories: vec![],
            today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        }
    }

    #[test]
    fn in_force_through_the_expiry_day() {
        let w = waiver("pkg:npm/a@1.0.0", false);
        assert!(w.in_force(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
        assert!(!w.in_force(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()));
    }

    #[test]
    fn scopes() {
        let mut w = waiver("pkg:npm/a@1.0.0", false);
        w.scope = WaiverScope::Application("Shop".into());
        assert!(w.applies_to(&context("shop", None)));
        assert!(!w.applies_to(&context("shop-admin", None)));
        w.scope = WaiverScope::Organization("acme".into());
        assert!(w.applies_to(&context("x", Some("acme"))));
        assert!(!w.applies_to(&context("x", Some("other"))));
        assert!(!w.applies_to(&context("x", None)));
        w.scope = WaiverScope::Everywhere;
        assert!(w.applies_to(&context("x", None)));
    }

    #[test]
    fn components_compare_parsed() {
        let exact = waiver(
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            false,
        );
        assert!(exact.covers_component("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"));
        assert!(!exact.covers_component("pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0"));
        assert!(!exact.covers_component("pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1"));
        let pypi = waiver("pkg:pypi/Django@4.2.0", false);
        assert!(pypi.covers_component("pkg:pypi/django@4.2.0"));
        let quals = waiver(
            "pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12",
            false,
        );
        assert!(quals.covers_component("pkg:deb/debian/curl@7.88.1-10?distro=debian-12&arch=amd64"));
        assert!(!quals.covers_component("pkg:deb/debian/curl@7.88.1-10?distro=debian-11"));
        let all = waiver("pkg:npm/%40babel/core", true);
        assert!(all.covers_component("pkg:npm/%40babel/core@7.0.0"));
        assert!(!all.covers_component("pkg:npm/%40babel/cli@7.0.0"));
        // A versionless purl without all_versions covers nothing.
        assert!(!waiver("pkg:npm/left-pad", false).covers_component("pkg:npm/left-pad@1.0.0"));
        // Entries without a purl compare as written.
        assert!(waiver("vendored-lib@1.2", false).covers_component("vendored-lib@1.2"));
        assert!(!waiver("vendored-lib@1.2", false).covers_component("vendored-lib@1.3"));
        assert!(waiver("vendored-lib", true).covers_component("vendored-lib@1.3"));
        assert!(waiver("not a purl", false).covers_component("not a purl"));
    }

    #[test]
    fn policies() {
        let mut w = waiver("pkg:npm/a@1.0.0", false);
        assert!(w.covers_policy("Security-High"));
        w.policy = Some("Security-High".into());
        assert!(w.covers_policy("Security-High"));
        assert!(!w.covers_policy("Security-Critical"));
        assert_eq!(w.mark().expires, "2026-12-31");
    }
}
