//! Elixir's `mix.lock`: an Elixir map literal written by `Mix.Dep.Lock`
//! (https://hexdocs.pm/mix/Mix.Tasks.Deps.html), one entry per dependency:
//!
//! ```text
//! %{
//!   "plug": {:hex, :plug, "1.11.1", "<inner sha256>", [:mix], [deps...], "hexpm", "<outer sha256>"},
//!   "foo": {:git, "https://github.com/org/foo.git", "<sha>", [branch: "main"]},
//! }
//! ```
//!
//! A `:hex` tuple names the Hex package (its second element: the map key is the application,
//! which may differ), the version, and, since Hex 0.21, the repository and the outer checksum:
//! the SHA-256 of the release tarball as hex.pm publishes it, recorded as the hash (the inner
//! checksum covers only the tarball's contents). Older files have no repository; they predate
//! private repositories, so the package is from hex.pm. A package from another repository
//! (`hexpm:acme` is organisation acme's private namespace) is not the hex.pm package of that
//! name and is a warning. `:git` and `:path` dependencies are warnings.
//!
//! The file is read by a small parser for the literal terms Mix writes (maps, tuples, lists,
//! strings, atoms, keywords, numbers and booleans); it evaluates nothing, and its nesting is
//! bounded. The lockfile does not say which dependencies are direct or dev-only.

use std::path::Path;

use vigil_model::{Component, Ecosystem, Evidence, Hash, HashAlgorithm, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct MixLock;

/// Real lock entries nest five deep (map, tuple, deps list, dep tuple, keyword list).
const MAX_DEPTH: usize = 32;

impl Extractor for MixLock {
    fn name(&self) -> &'static str {
        "hex/mix-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "mix.lock"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.trim_start().starts_with("%{")
            && (head.contains("{:hex,") || head.contains("{:git,") || head.contains("{:path,"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = std::str::from_utf8(input.bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
        let mut parser = Parser {
            text: text.as_bytes(),
            at: 0,
        };
        let term = parser.term(0).map_err(|e| format!("not a mix.lock: {e}"))?;
        parser.skip_space();
        if parser.at < parser.text.len() {
            return Err(format!(
                "not a mix.lock: unexpected text after the map at line {}",
                parser.line()
            ));
        }
        let Term::Map(entries) = term else {
            return Err("not a mix.lock: the file is not a map (`%{...}`)".into());
        };
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        for (key, value) in entries {
            let app = match &key {
                Term::Str(s) | Term::Atom(s) => s.clone(),
                Term::Map(_) | Term::Tuple(_) | Term::List(_) | Term::Other => "?".to_string(),
            };
            read_entry(&app, &value, &evidence, &mut out);
        }
        Ok(out)
    }
}

fn read_entry(app: &str, value: &Term, evidence: &Evidence, out: &mut ExtractOutput) {
    let Term::Tuple(items) = value else {
        out.warnings
            .push(format!("{app:?}: not a dependency tuple; not read"));
        return;
    };
    match items.first() {
        Some(Term::Atom(kind)) if kind == "hex" => {}
        Some(Term::Atom(kind)) => {
            let from = match items.get(1) {
                Some(Term::Str(url)) => format!("{kind} {url}"),
                _ => kind.clone(),
            };
            out.warnings.push(format!(
                "{app:?} comes from {from}, not a package repository; not recorded"
            ));
            return;
        }
        _ => {
            out.warnings
                .push(format!("{app:?}: not a dependency tuple; not read"));
            return;
        }
    }
    let (Some(Term::Atom(name)), Some(Term::Str(version))) = (items.get(1), items.get(2)) else {
        out.warnings.push(format!(
            "{app:?}: a :hex tuple without a package name and version; not recorded"
        ));
        return;
    };
    let repo = match items.get(6) {
        Some(Term::Str(repo)) => repo.as_str(),
        _ => "hexpm",
    };
    if repo != "hexpm" {
        out.warnings.push(format!(
            "{app:?} ({name} {version}) comes from the Hex repository {repo:?}, not hex.pm; not recorded"
        ));
        return;
    }
    let mut component = Component::new(
        PackageRef::new(Ecosystem::Hex, name, Some(version.clone())),
        Scope::Unknown,
        evidence.clone(),
    );
    if let Some(Term::Str(outer)) = items.get(7) {
        if outer.len() == 64 && outer.bytes().all(|b| b.is_ascii_hexdigit()) {
            component.hashes.push(Hash {
                algorithm: HashAlgorithm::Sha256,
                value: outer.to_ascii_lowercase(),
            });
        }
    }
    out.components.push(component);
}

#[derive(Debug, PartialEq)]
enum Term {
    Map(Vec<(Term, Term)>),
    Tuple(Vec<Term>),
    List(Vec<Term>),
    Str(String),
    Atom(String),
    /// Numbers, `true`, `false`, `nil`: read but not needed.
    Other,
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn line(&self) -> usize {
        1 + self.text[..self.at.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at line {}", self.line()))
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.text.get(self.at) {
            if b.is_ascii_whitespace() {
                self.at += 1;
            } else if b == b'#' {
                while self.text.get(self.at).is_some_and(|&b| b != b'\n') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_space();
        if self.text[self.at..].starts_with(s.as_bytes()) {
            self.at += s.len();
            true
        } else {
            false
        }
    }

    fn term(&mut self, depth: usize) -> Result<Term, String> {
        if depth > MAX_DEPTH {
            return self.fail(&format!("nested deeper than {MAX_DEPTH} levels"));
        }
        match self.peek() {
            None => self.fail("the file ends where a value should be"),
            Some(b'%') => {
                if !self.eat("%{") {
                    return self.fail("`%` not followed by `{`");
                }
                let mut entries = Vec::new();
                while !self.eat("}") {
                    // `"key": value` or `key: value` (keyword syntax), or `key => value`.
                    let key = if let Some(key) = self.keyword_key()? {
                        key
                    } else {
                        let key = self.term(depth + 1)?;
                        if !self.eat("=>") {
                            return self.fail("a map key without `:` or `=>`");
                        }
                        key
                    };
                    let value = self.term(depth + 1)?;
                    entries.push((key, value));
                    if !self.eat(",") && self.peek() != Some(b'}') {
                        return self.fail("expected `,` or `}` in a map");
                    }
                }
                Ok(Term::Map(entries))
            }
            Some(b'{') => {
                self.at += 1;
                let items = self.sequence(b'}', depth)?;
                Ok(Term::Tuple(items))
            }
            Some(b'[') => {
                self.at += 1;
                let items = self.sequence(b']', depth)?;
                Ok(Term::List(items))
            }
            Some(b'"') => Ok(Term::Str(self.string()?)),
            Some(b':') => {
                self.at += 1;
                if self.text.get(self.at) == Some(&b'"') {
                    return Ok(Term::Atom(self.string()?));
                }
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b"_@?!".contains(&b))
                {
                    self.at += 1;
                }
                if start == self.at {
                    return self.fail("an empty atom");
                }
                Ok(Term::Atom(
                    String::from_utf8_lossy(&self.text[start..self.at]).into_owned(),
                ))
            }
            Some(b) if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b"_.-+".contains(&b))
                {
                    self.at += 1;
                }
                let word = &self.text[start..self.at];
                let known = matches!(word, b"true" | b"false" | b"nil")
                    || word
                        .first()
                        .is_some_and(|b| b.is_ascii_digit() || *b == b'-');
                if known {
                    Ok(Term::Other)
                } else {
                    self.at = start;
                    self.fail("an unexpected word")
                }
            }
            Some(_) => self.fail("an unexpected character"),
        }
    }

    /// Items up to `close`, where keyword pairs (`hex: :mime`) may appear (as in `[hex: :mime]`).
    fn sequence(&mut self, close: u8, depth: usize) -> Result<Vec<Term>, String> {
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(close) {
                self.at += 1;
                return Ok(items);
            }
            let item = match self.keyword_key()? {
                Some(key) => Term::Tuple(vec![key, self.term(depth + 1)?]),
                None => self.term(depth + 1)?,
            };
            items.push(item);
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b) if b == close => {}
                _ => return self.fail("expected `,` or a closing bracket"),
            }
        }
    }

    /// A keyword key (`name:` or `"name":`, followed by whitespace) if one is next.
    fn keyword_key(&mut self) -> Result<Option<Term>, String> {
        self.skip_space();
        let start = self.at;
        let name = if self.text.get(self.at) == Some(&b'"') {
            self.string()?
        } else {
            while self
                .text
                .get(self.at)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b"_?!".contains(&b))
            {
                self.at += 1;
            }
            String::from_utf8_lossy(&self.text[start..self.at]).into_owned()
        };
        let is_key = self.text.get(self.at) == Some(&b':')
            && self
                .text
                .get(self.at + 1)
                .is_some_and(|b| b.is_ascii_whitespace());
        if is_key && (self.at > start) {
            self.at += 1;
            Ok(Some(Term::Atom(name)))
        } else {
            self.at = start;
            Ok(None)
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1; // the opening quote
        let mut value = Vec::new();
        loop {
            match self.text.get(self.at) {
                None => return self.fail("a string that never ends"),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(String::from_utf8_lossy(&value).into_owned());
                }
                Some(b'\\') => {
                    match self.text.get(self.at + 1) {
                        Some(b'n') => value.push(b'\n'),
                        Some(b't') => value.push(b'\t'),
                        Some(&other) => value.push(other),
                        None => return self.fail("a string that never ends"),
                    }
                    self.at += 2;
                }
                Some(&b) => {
                    value.push(b);
                    self.at += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    fn extract(text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&MixLock, "mix.lock", text)
    }

    #[test]
    fn hex_git_path_and_private_repositories() {
        let out = extract(
            r#"%{
  "plug": {:hex, :plug, "1.11.1", "f2992bac66fdae679453c9e86134a4201f6f43a687d8ff1cd1b2862d53c80259", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}, {:plug_crypto, "~> 1.1.1 or ~> 1.2", [hex: :plug_crypto, repo: "hexpm", optional: false]}], "hexpm", "23524E4FEFBB587C11F0833B3910BFB414BF2E2534D61928E920F54E3A1B881F"},
  "app_name": {:hex, :real_name, "0.1.0", "abc", [:rebar3], []},
  "secret": {:hex, :secret, "1.0.0", "abc", [:mix], [], "hexpm:acme", "23524e4fefbb587c11f0833b3910bfb414bf2e2534d61928e920f54e3a1b881f"},
  "foo": {:git, "https://github.com/my-org/foo.git", "fc94cce7830fa4dc455024bc2a83720afe244531", [branch: "feat/my-improvement"]},
  "local": {:path, "../local", []},
}
"#,
        )
        .unwrap();
        let summary: Vec<(String, Vec<String>)> = out
            .components
            .iter()
            .map(|c| (c.purl(), c.hashes.iter().map(|h| h.value.clone()).collect()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "pkg:hex/plug@1.11.1".to_string(),
                    vec![
                        "23524e4fefbb587c11f0833b3910bfb414bf2e2534d61928e920f54e3a1b881f"
                            .to_string()
                    ]
                ),
                ("pkg:hex/real_name@0.1.0".to_string(), vec![]),
            ]
        );
        assert!(out.components.iter().all(|c| c.scope == Scope::Unknown));
        assert_eq!(out.warnings.len(), 3, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("hexpm:acme"));
        assert!(out.warnings[1].contains("git https://github.com/my-org/foo.git"));
        assert!(out.warnings[2].contains("path ../local"));
    }

    #[test]
    fn malformed_truncated_and_deep_files_are_errors_that_say_why() {
        for (text, expected) in [
            ("", "ends where a value should be"),
            ("[1, 2]", "not a map"),
            ("%{\n  \"plug\": {:hex, :plug, \"1.1", "never ends"),
            ("%{\n  \"plug\": {:hex, :plug}\n", "expected `,` or `}`"),
            ("%{\"a\": System.cmd(\"rm\")}", "unexpected word"),
            ("%{} extra", "unexpected text"),
        ] {
            let err = extract(text).unwrap_err();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
        let err =
            test_support::extract_bytes(&MixLock, "mix.lock", b"%{\"a\": {:hex, :a, \"\xff\"}}")
                .unwrap_err();
        assert!(err.contains("not UTF-8"), "{err}");
        let deep = format!("%{{\"a\": {}}}", "{".repeat(1_000_000));
        assert!(extract(&deep).unwrap_err().contains("nested deeper"));
        assert!(MixLock.sniff(b"%{\n  \"plug\": {:hex, :plug,"));
        assert!(!MixLock.sniff(b"{\"a\": 1}"));
    }
}
