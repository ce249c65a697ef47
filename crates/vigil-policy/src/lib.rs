//! Policies and their evaluation: inventory facts × policies × license groups × waivers →
//! violations.
//!
//! Pure: no IO, no clock, no database. The caller gathers the facts (which advisories affect
//! which component, what license it declares), hands in today's date, and stores what comes
//! out. Output is deterministic: the same input gives the same violations in the same order.

mod evaluate;
mod facts;
mod groups;
mod license;
mod model;
mod reference;
pub mod vex;
mod violation;
mod waiver;
pub mod yaml;

pub use evaluate::{evaluate, scope_covers};
pub use facts::{AdvisoryFact, ComponentFacts, EvaluationContext, LicenseFact};
pub use groups::{default_license_groups, group_of, license_groups_from_spdx_list};
pub use license::{
    satisfiable_avoiding, satisfiable_with_only, validate_allow_entry, DeclaredLicense,
    LicenseExpression, LicenseTerm,
};
pub use model::{
    Action, Condition, Constraint, LicenseGroups, Match, Policy, PolicyScope, PolicySet,
    PurlPattern, Rating, ScoreBound, StageActions, Targets, ThreatGroup,
};
pub use reference::reference_policies;
pub use violation::{ConditionHit, Violation, ViolationDetails, WaiverMark};
pub use waiver::{Waiver, WaiverScope};
pub use yaml::{from_yaml, from_yaml_bytes, to_yaml, validate_set, PolicyFileError};
