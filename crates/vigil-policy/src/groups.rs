use crate::LicenseGroups;

/// The license threat groups Vigil starts with.
pub fn default_license_groups() -> LicenseGroups {
    todo!("license groups")
}
