//! OSV advisories: the record format, reading OSV dumps, each ecosystem's version order and
//! the matching of one package version against a record's `affected[]` entries.
//!
//! This crate does no database work and keeps no global state; `vigil-store` persists what it
//! reads and `vigil-engine` wires the two together.

pub mod feeds;
pub mod matching;
pub mod osv;
pub mod package_index;
pub mod severity;
pub mod source;
pub mod version;

pub use matching::{affected_entries_for, affects, MatchError, PreparedAffected, QueryVersion};
pub use osv::{Affected, Event, OsvPackage, OsvRecord, Range};
pub use package_index::PackageIndex;
pub use severity::{assess, Rating, Severity, SeverityEntry};
pub use source::{read_source, RecordError, SourceError, SourceLimits, SourceRecord, SourceStats};
pub use version::{compare, Version, VersionError};
