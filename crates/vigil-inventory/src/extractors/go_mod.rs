//! Go's `go.mod` (https://go.dev/ref/mod#go-mod-file).
//!
//! The grammar is line-based: a directive (`module`, `go`, `toolchain`, `require`, `replace`,
//! `exclude`, `retract`, `godebug`, `tool`, `ignore`) either on one line or as a block
//! `directive ( … )`, `//` comments, and module paths that may be quoted. Since Go 1.17 the
//! file lists every module in the build (https://go.dev/ref/mod#graph-pruning), those needed
//! only by dependencies marked `// indirect`.
//!
//! - `require path version` → a component, transitive when `// indirect`, else direct.
//! - `replace old [version] => new version` replaces the module (that version only, when the
//!   left side names one; that replacement wins over one for every version) by the other module: the build uses the replacement, so it is the
//!   replacement that is recorded. `replace old => ../local/dir` builds the module from a
//!   folder, which is no published version: a warning, never a component.
//! - `exclude` and `retract` say which versions are not used; they add nothing.
//! - The `module` line is the project itself, not a dependency.
//! - A `go` line older than 1.17 means the file lists only what the module needs itself (the
//!   rest is in go.sum, which Vigil does not read): a warning says the inventory is partial.
//! - `toolchain goX.Y.Z`, else `go X.Y[.Z]`, becomes `stdlib` at that version, as osv-scanner
//!   and osv-scalibr record it: Go advisories for the standard library are filed under the
//!   module `stdlib` (https://go.dev/security/vuln/database#module), and since Go 1.21 the go
//!   command refuses to build with a toolchain older than these lines name
//!   (https://go.dev/doc/toolchain), so the standard library that builds this module is at
//!   least that version. The version is a lower bound: advisories fixed before it cannot
//!   apply, later ones may.

use std::path::Path;

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct GoMod;

const DIRECTIVES: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "require",
    "replace",
    "exclude",
    "retract",
    "godebug",
    "tool",
    "ignore",
];

impl Extractor for GoMod {
    fn name(&self) -> &'static str {
        "go/go-mod"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "go.mod"
    }

    /// Every line that is not blank or a comment starts with a directive, or sits inside a
    /// block; at least one is `module`, `require` or `go`.
    fn sniff(&self, head: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(head) else {
            return false;
        };
        let mut in_block = false;
        let mut key_directive = false;
        for line in text.lines().map(strip_comment).map(str::trim) {
            if line.is_empty() {
                continue;
            }
            if in_block {
                in_block = line != ")";
                continue;
            }
            let first = line.split_whitespace().next().unwrap_or("");
            let first = first.strip_suffix('(').unwrap_or(first);
            if !DIRECTIVES.contains(&first) {
                return false;
            }
            key_directive |= matches!(first, "module" | "require" | "go");
            in_block = line.ends_with('(');
        }
        key_directive
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = std::str::from_utf8(input.bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
        let mut out = ExtractOutput::default();
        let mut requires: Vec<Require> = Vec::new();
        let mut replaces: Vec<Replace> = Vec::new();
        let mut go_version = None;
        let mut toolchain = None;
        let mut block: Option<String> = None;
        let mut saw_directive = false;
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let comment = raw.split_once("//").map(|(_, c)| c.trim());
            let line = strip_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            let (directive, rest) = match &block {
                Some(_) if line == ")" => {
                    block = None;
                    continue;
                }
                Some(directive) => (directive.clone(), line),
                None => {
                    let (first, rest) = line
                        .split_once(|c: char| c.is_whitespace() || c == '(')
                        .map(|(f, _)| (f, line[f.len()..].trim()))
                        .unwrap_or((line, ""));
                    if !DIRECTIVES.contains(&first) {
                        out.warnings.push(format!(
                            "line {line_no}: unknown directive {first:?}; ignored"
                        ));
                        continue;
                    }
                    saw_directive = true;
                    if rest == "(" {
                        block = Some(first.to_string());
                        continue;
                    }
                    (first.to_string(), rest)
                }
            };
            let words = match tokens(rest) {
                Ok(words) => words,
                Err(e) => {
                    out.warnings.push(format!("line {line_no}: {e}"));
                    continue;
                }
            };
            match directive.as_str() {
                "go" => go_version = words.first().cloned(),
                "toolchain" => toolchain = words.first().cloned(),
                "require" => match words.as_slice() {
                    [path, version] => requires.push(Require {
                        path: path.clone(),
                        version: version.clone(),
                        indirect: comment.is_some_and(|c| {
                            c.split(';').any(|part| part.trim() == "indirect")
                        }),
                        line: line_no,
                    }),
                    _ => out.warnings.push(format!(
                        "line {line_no}: a require needs a module path and a version: {rest:?}"
                    )),
                },
                "replace" => match parse_replace(&words) {
                    Some(replace) => replaces.push(replace),
                    None => out.warnings.push(format!(
                        "line {line_no}: not a replacement (old [version] => new [version]): {rest:?}"
                    )),
                },
                // module, exclude, retract, godebug, tool, ignore add no dependency.
                _ => {}
            }
        }
        if block.is_some() {
            out.warnings
                .push("the file ends inside a ( … ) block".to_string());
        }
        if !saw_directive {
            return Err("not a go.mod: no directive found".into());
        }
        let evidence = Evidence(input.path.display().to_string());
        for require in requires {
            // A replacement of this version wins over one of every version, as in the go
            // command (`modload.Replacement`).
            let replaces_path = |r: &&Replace| r.old_path == require.path;
            let replacement = replaces
                .iter()
                .filter(replaces_path)
                .find(|r| r.old_version.as_deref() == Some(require.version.as_str()))
                .or_else(|| {
                    replaces
                        .iter()
                        .filter(replaces_path)
                        .find(|r| r.old_version.is_none())
                });
            let (path, version) = match replacement {
                Some(Replace {
                    new_path,
                    new_version: Some(version),
                    ..
                }) => (new_path.clone(), version.clone()),
                Some(Replace {
                    new_path,
                    new_version: None,
                    ..
                }) => {
                    out.warnings.push(format!(
                        "line {}: {} {} is replaced by the folder {new_path}, not a published module; not recorded",
                        require.line, require.path, require.version
                    ));
                    continue;
                }
                None => (require.path, require.version),
            };
            let scope = if require.indirect {
                Scope::Transitive
            } else {
                Scope::Direct
            };
            out.components.push(Component::new(
                PackageRef::new(Ecosystem::Go, path, Some(version)),
                scope,
                evidence.clone(),
            ));
        }
        if let Some(go) = go_version.as_deref().filter(|v| before_graph_pruning(v)) {
            out.warnings.push(format!(
                "go {go} predates Go 1.17: go.mod lists only the direct dependencies; the indirect ones are not in this inventory"
            ));
        }
        let stdlib = toolchain
            .as_deref()
            // `go1.21.1-custom`: a suffix names a custom build of that release.
            .and_then(|t| t.split('-').next())
            .and_then(|t| t.strip_prefix("go"))
            // `toolchain default` names no version; fall back to the go line.
            .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            .map(str::to_string)
            .or(go_version);
        if let Some(version) = stdlib {
            out.components.push(Component::new(
                PackageRef::new(Ecosystem::Go, "stdlib", Some(version)),
                Scope::Direct,
                evidence,
            ));
        }
        Ok(out)
    }
}

/// `1.16`, `1.12.3`: older than 1.17, when go.mod started listing every module in the build.
fn before_graph_pruning(go: &str) -> bool {
    let mut parts = go.split('.').map(|p| p.parse::<u64>().ok());
    matches!(
        (parts.next().flatten(), parts.next().flatten()),
        (Some(1), Some(minor)) if minor < 17
    )
}

struct Require {
    path: String,
    version: String,
    indirect: bool,
    line: usize,
}

struct Replace {
    old_path: String,
    old_version: Option<String>,
    new_path: String,
    /// `None` for a local folder.
    new_version: Option<String>,
}

fn parse_replace(words: &[String]) -> Option<Replace> {
    let arrow = words.iter().position(|w| w == "=>")?;
    let (old, new) = (&words[..arrow], &words[arrow + 1..]);
    let (old_path, old_version) = match old {
        [path] => (path.clone(), None),
        [path, version] => (path.clone(), Some(version.clone())),
        _ => return None,
    };
    let (new_path, new_version) = match new {
        [path] => (path.clone(), None),
        [path, version] => (path.clone(), Some(version.clone())),
        _ => return None,
    };
    Some(Replace {
        old_path,
        old_version,
        new_path,
        new_version,
    })
}

/// The line without its `//` comment (a `//` inside a quoted path does not occur: module
/// paths cannot contain `/` twice in a row).
fn strip_comment(line: &str) -> &str {
    line.split_once("//").map_or(line, |(code, _)| code)
}

/// Splits on whitespace, unquoting `"…"` (the escapes `\"` and `\\`) and `` `…` ``; `=>` is
/// its own token even when written without spaces around it.
fn tokens(text: &str) -> Result<Vec<String>, String> {
    let spaced = text.replace("=>", " => ");
    let mut words = Vec::new();
    let mut chars = spaced.chars();
    let mut word: Option<String> = None;
    while let Some(c) = chars.next() {
        match c {
            '"' | '`' => {
                let mut quoted = String::new();
                loop {
                    match chars.next() {
                        None => return Err(format!("unterminated quoted string in {text:?}")),
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => quoted.extend(chars.next()),
                        Some(other) => quoted.push(other),
                    }
                }
                words.extend(word.take());
                words.push(quoted);
            }
            c if c.is_whitespace() => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes};

    fn extract(text: &str) -> ExtractOutput {
        test_support::extract(&GoMod, "go.mod", text).unwrap()
    }

    #[test]
    fn requires_single_and_block_indirect_replace_exclude_and_stdlib() {
        let out = extract(
            r#"// A module.
module example.com/app

go 1.22
toolchain go1.22.4

require github.com/a/b v1.2.3
require (
	github.com/c/d v0.1.0 // indirect
	"github.com/quoted/e" v2.0.0+incompatible // indirect; a comment
	golang.org/x/net v0.20.0
	example.com/local v1.0.0
	example.com/pinned v1.1.0
	example.com/other v1.1.0
)

exclude github.com/a/b v1.2.2
replace golang.org/x/net => github.com/fork/net v0.21.0
replace example.com/local v1.0.0 => ../local
replace example.com/pinned v9.9.9 => example.com/never v1.0.0
replace github.com/a/b v1.2.3 => github.com/a/b-fork v1.2.4
replace github.com/a/b => github.com/a/b-other v9.0.0
replace (
	example.com/other=>example.com/other2 v1.2.0
)
retract v0.9.0
"#,
        );
        assert_eq!(
            sorted_scopes(&out),
            vec![
                ("pkg:golang/example.com/other2@v1.2.0".to_string(), "direct"),
                ("pkg:golang/example.com/pinned@v1.1.0".to_string(), "direct"),
                (
                    "pkg:golang/github.com/a/b-fork@v1.2.4".to_string(),
                    "direct"
                ),
                ("pkg:golang/github.com/c/d@v0.1.0".to_string(), "transitive"),
                (
                    "pkg:golang/github.com/fork/net@v0.21.0".to_string(),
                    "direct"
                ),
                (
                    "pkg:golang/github.com/quoted/e@v2.0.0%2Bincompatible".to_string(),
                    "transitive"
                ),
                ("pkg:golang/stdlib@1.22.4".to_string(), "direct"),
            ]
        );
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(
            out.warnings[0].contains("example.com/local v1.0.0 is replaced by the folder ../local"),
            "{:?}",
            out.warnings
        );
    }

    #[test]
    fn the_go_line_gives_stdlib_when_there_is_no_toolchain_and_module_is_not_a_dependency() {
        let out = extract("module m\n\ngo 1.21.0\n");
        assert_eq!(
            sorted_scopes(&out),
            vec![("pkg:golang/stdlib@1.21.0".to_string(), "direct")]
        );
        let out = extract("module m\n");
        assert!(out.components.is_empty());
        let out = extract("module m\ngo 1.16\nrequire a.com/b v1.0.0\n");
        assert_eq!(out.components.len(), 2);
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].starts_with("go 1.16 predates Go 1.17"));
        assert!(extract("module m\ngo 1.17\n").warnings.is_empty());
        assert!(extract("module m\ngo 2.0\n").warnings.is_empty());
        let out = extract("module m\ngo 1.21\ntoolchain go1.21.1-custom\n");
        assert_eq!(
            sorted_scopes(&out),
            vec![("pkg:golang/stdlib@1.21.1".to_string(), "direct")]
        );
    }

    #[test]
    fn bad_lines_are_warnings_and_non_go_mod_is_an_error() {
        let out = extract(
            "module m\nrequire (\n  only-a-path\n  \"unterminated v1\n  ok.com/x v1.0.0\n)\nfrobnicate x\nreplace a b\nrequire (\n",
        );
        assert_eq!(
            sorted_scopes(&out),
            vec![("pkg:golang/ok.com/x@v1.0.0".to_string(), "direct")]
        );
        assert_eq!(out.warnings.len(), 5, "{:?}", out.warnings);
        assert!(out.warnings[0].starts_with("line 3:"));
        let err = test_support::extract_bytes(&GoMod, "go.mod", b"hello world\n").unwrap_err();
        assert!(err.contains("no directive"), "{err}");
    }

    #[test]
    fn sniffs_go_mod_files_only() {
        assert!(GoMod.sniff(b"module x\n\ngo 1.21\n\nrequire (\n\ta v1\n)\n"));
        assert!(GoMod.sniff(b"require (\n    golang.org/x/net v1.2.3\n)\n"));
        assert!(!GoMod.sniff(b"# comment\nfoo==1.0\n"));
        assert!(!GoMod.sniff(b"version = 3\n[[package]]\n"));
    }
}
