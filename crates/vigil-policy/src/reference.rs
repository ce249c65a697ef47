use crate::Policy;

/// The reference policy set installed on first run.
pub fn reference_policies() -> Vec<Policy> {
    todo!("reference set")
}
