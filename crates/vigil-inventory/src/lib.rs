//! Artifact → inventory. The scanner owns the walk and the file handles; each format is one
//! small [`Extractor`] registered in [`extractors::REGISTRY`], so a new format is one file plus
//! its tests.
//!
//! Findings are data, not errors: a file that cannot be read becomes a [`ScanWarning`] naming
//! the file and the reason, and the scan goes on.

pub mod extractors;
pub mod image;
pub mod license;
pub mod os_release;
mod scanner;

pub use extractors::{records_licenses, ExtractOutput, Extractor, FileInput};
pub use scanner::{
    planned_bytes, scan_paths, scan_paths_observed, NoObserver, ScanLimits, ScanObserver,
};
pub use vigil_model::{Inventory, ScanWarning};
