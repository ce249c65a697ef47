//! YAML for the lockfiles written in it: `pnpm-lock.yaml`, yarn berry's `yarn.lock` and
//! `pubspec.lock`, read with `serde-saphyr` (pure Rust, no `unsafe`, made for untrusted input).
//!
//! pnpm, yarn and pub write these files from their own data structures with plain block YAML;
//! none of them ever emits an anchor (`&a`) or an alias (`*a`). An alias is the only way a YAML
//! file can make its reader build more than the file holds (the "billion laughs" of YAML), so a
//! lockfile that has one was not written by its tool and is refused outright rather than
//! expanded within some budget. With no aliases, every parser event costs at least one input
//! byte, so the node and event budgets are the input's size: memory stays proportional to the
//! file, whose size the scanner already limits. Nesting is capped far above the deepest real
//! lockfile (pnpm's `importers → . → dependencies → name → version` is five levels).

use serde::de::DeserializeOwned;
use serde_saphyr::{options::DuplicateKeyPolicy, Budget, Options};

/// Real lockfiles nest at most about six mappings deep.
pub(super) const MAX_DEPTH: usize = 32;

/// Parses a lockfile of one document, or says in one line why it cannot be read.
pub(super) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
    serde_saphyr::from_str_with_options(text, options(text, 1)).map_err(one_line)
}

/// Parses every document of a lockfile that may hold several (pnpm 10 puts the package
/// manager's own "env" lockfile before the project's, separated by `---`).
pub(super) fn parse_all<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
    serde_saphyr::from_multiple_with_options(text, options(text, MAX_DOCUMENTS)).map_err(one_line)
}

/// More documents than any tool writes.
const MAX_DOCUMENTS: usize = 8;

fn options(text: &str, documents: usize) -> Options {
    let mut budget = Budget::default();
    budget.max_aliases = 0;
    budget.max_anchors = 0;
    budget.max_depth = MAX_DEPTH;
    budget.max_events = text.len().saturating_add(1024);
    budget.max_nodes = text.len().saturating_add(1024);
    budget.max_total_scalar_bytes = text.len().saturating_add(1024);
    budget.max_documents = documents;
    let mut options = Options::default();
    options.budget = Some(budget);
    // A key written twice is a hand edit or an attack; either way the file is not trusted.
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    options
}

fn one_line(error: serde_saphyr::Error) -> String {
    let message = error.to_string();
    let first = message.lines().next().unwrap_or("").trim().to_string();
    format!("not valid YAML: {first}")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    type Doc = BTreeMap<String, serde::de::IgnoredAny>;

    #[test]
    fn plain_scalars_read_as_written() {
        #[derive(serde::Deserialize)]
        struct V {
            a: String,
            b: String,
            c: Option<String>,
        }
        let v: V = parse(b"a: 1.10\nb: 4.17.21\nc:\n").unwrap();
        assert_eq!((v.a.as_str(), v.b.as_str(), v.c), ("1.10", "4.17.21", None));
    }

    #[test]
    fn a_billion_laughs_is_refused_before_it_grows() {
        // Ten levels of ten aliases each would be 10^10 strings if expanded.
        let mut yaml = String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let list = [prev.as_str(); 10].join(",");
            yaml.push_str(&format!("a{i}: &a{i} [{list}]\n"));
        }
        let err = parse::<Doc>(yaml.as_bytes()).unwrap_err();
        assert!(err.starts_with("not valid YAML"), "{err}");
        // Even a single harmless alias is refused: no lockfile tool writes one.
        let err = parse::<Doc>(b"a: &x 1\nb: *x\n").unwrap_err();
        assert!(err.starts_with("not valid YAML"), "{err}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for (open, close) in [("[", "]"), ("{a: ", "}")] {
            let yaml = format!("x: {}1{}\n", open.repeat(100_000), close.repeat(100_000));
            let err = parse::<Doc>(yaml.as_bytes()).unwrap_err();
            assert!(err.starts_with("not valid YAML"), "{err}");
        }
        let mut block = String::new();
        for depth in 0..10_000 {
            block.push_str(&" ".repeat(depth));
            block.push_str("k:\n");
        }
        let err = parse::<Doc>(block.as_bytes()).unwrap_err();
        assert!(err.starts_with("not valid YAML"), "{err}");
    }

    #[test]
    fn several_documents_only_where_asked_for() {
        let two = b"---\na: 1\n---\na: 2\n";
        assert_eq!(parse_all::<Doc>(two).unwrap().len(), 2);
        assert!(parse::<Doc>(two).unwrap_err().starts_with("not valid YAML"));
        let many = "---\na: 1\n".repeat(MAX_DOCUMENTS + 1);
        assert!(parse_all::<Doc>(many.as_bytes())
            .unwrap_err()
            .starts_with("not valid YAML"));
    }

    #[test]
    fn malformed_and_non_utf8_input_say_why() {
        assert!(parse::<Doc>(b"a: [1, 2\n")
            .unwrap_err()
            .starts_with("not valid YAML"));
        assert!(parse::<Doc>(b"a: 1\na: 2\n")
            .unwrap_err()
            .starts_with("not valid YAML"));
        assert!(parse::<Doc>(b"a: \xff\n")
            .unwrap_err()
            .starts_with("not UTF-8"));
    }
}
