//! Evaluation. (Being written: the signature is the interface.)

use crate::{ComponentFacts, EvaluationContext, LicenseGroups, Policy, Violation, Waiver};

/// Evaluates components against the enabled policies whose scope covers the application.
/// Output is sorted by identity (policy, purl, condition key).
pub fn evaluate(
    _policies: &[Policy],
    _groups: &LicenseGroups,
    _components: &[ComponentFacts],
    _waivers: &[Waiver],
    _context: &EvaluationContext,
) -> Vec<Violation> {
    todo!("evaluation")
}
