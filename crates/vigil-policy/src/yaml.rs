//! The policies-as-code file. (Being written: the signatures are the interface.)

use crate::{Policy, PolicySet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFileError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

pub fn to_yaml(_set: &PolicySet) -> String {
    todo!("yaml")
}

pub fn from_yaml(_text: &str) -> Result<PolicySet, Vec<PolicyFileError>> {
    todo!("yaml")
}

/// The checks a policies file gets after parsing, for policies edited elsewhere (the desktop
/// editor): one message per problem, naming the policy.
pub fn validate_policies(_policies: &[Policy]) -> Vec<String> {
    todo!("yaml")
}
