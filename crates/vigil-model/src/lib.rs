//! The words of `PRODUCT.md` as types. Nothing here does IO; every other crate may depend on it.

mod component;
mod ecosystem;
mod purl;
pub mod release;
mod stage;

pub use component::{
    Component, Evidence, Hash, HashAlgorithm, Identification, Inventory, License, ScanWarning,
    Scope, UnidentifiedComponent,
};
pub use ecosystem::Ecosystem;
pub use purl::{PackageRef, PurlError};
pub use stage::{Stage, StageError};
