//! The policies-as-code file.
