//! Applications as monitoring sees them: profiles (organization, contacts, tier, exposure,
//! hosting, users, status, what monitoring watches), the organization tree, CSV import.

use std::path::Path;

use crate::{api, Engine, EngineError};

fn not_built(what: &str) -> EngineError {
    EngineError::InvalidInput(format!("{what} is not built yet"))
}

impl Engine {
    /// One application's profile.
    pub fn application_profile(&self, _name: &str) -> Result<api::ApplicationProfile, EngineError> {
        Err(not_built("application profiles"))
    }

    /// Changes an application (creating it when new); returns its profile.
    pub fn update_application(
        &self,
        _name: &str,
        _update: &api::ApplicationUpdate,
    ) -> Result<api::ApplicationProfile, EngineError> {
        Err(not_built("editing applications"))
    }

    /// Creates or updates applications from a CSV file with a header row: all rows or none.
    pub fn import_applications_csv(&self, _path: &Path) -> Result<api::AppsImportReport, EngineError> {
        Err(not_built("importing applications"))
    }

    /// The scans of an application, newest first.
    pub fn application_scans(&self, _name: &str) -> Result<Vec<api::ScanSummary>, EngineError> {
        Err(not_built("the scans list"))
    }

    /// The organization tree, parents before children.
    pub fn organizations(&self) -> Result<Vec<api::OrganizationDto>, EngineError> {
        Err(not_built("organizations"))
    }

    /// Creates or changes an organization (`parent` `None`: under the root, or unchanged).
    pub fn save_organization(
        &self,
        _name: &str,
        _parent: Option<&str>,
        _monitoring_on: Option<bool>,
    ) -> Result<api::OrganizationDto, EngineError> {
        Err(not_built("organizations"))
    }
}
