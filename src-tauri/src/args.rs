//! The desktop app's command line: `vigil-desktop [--data-dir DIR]`.

use std::{ffi::OsString, path::PathBuf};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// `--data-dir DIR` or `--data-dir=DIR`; otherwise the engine decides (env, then default).
    pub data_dir: Option<PathBuf>,
    /// Arguments this version does not know; reported, not fatal (desktop launchers add some).
    pub ignored: Vec<OsString>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ArgsError(pub String);

impl std::fmt::Display for ArgsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Args, ArgsError> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--data-dir" {
            let value = args
                .next()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| ArgsError("--data-dir needs a folder".into()))?;
            parsed.data_dir = Some(PathBuf::from(value));
        } else if let Some(value) = text.strip_prefix("--data-dir=") {
            if value.is_empty() {
                return Err(ArgsError("--data-dir needs a folder".into()));
            }
            parsed.data_dir = Some(PathBuf::from(value));
        } else {
            parsed.ignored.push(arg);
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn data_dir_in_both_spellings_and_the_last_one_wins() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&[], None),
            (&["--data-dir", "/tmp/v"], Some("/tmp/v")),
            (&["--data-dir=/tmp/w"], Some("/tmp/w")),
            (&["--data-dir", "/a", "--data-dir=/b"], Some("/b")),
            (&["--data-dir", "with space/x"], Some("with space/x")),
        ];
        for (input, expected) in cases {
            let parsed = parse(os(input)).unwrap();
            assert_eq!(parsed.data_dir, expected.map(PathBuf::from), "{input:?}");
        }
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        assert!(parse(os(&["--data-dir"])).is_err());
        assert!(parse(os(&["--data-dir="])).is_err());
        assert!(parse(os(&["--data-dir", ""])).is_err());
    }

    #[test]
    fn unknown_arguments_are_kept_aside() {
        let parsed = parse(os(&["--hidden", "--data-dir", "/d", "file.txt"])).unwrap();
        assert_eq!(parsed.data_dir, Some(PathBuf::from("/d")));
        assert_eq!(parsed.ignored, os(&["--hidden", "file.txt"]));
    }
}
