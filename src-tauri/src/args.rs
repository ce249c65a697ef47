//! The desktop app's command line: `vigil-desktop [--tray] [--data-dir DIR]`.

use std::{ffi::OsString, path::PathBuf};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// `--data-dir DIR` or `--data-dir=DIR`; otherwise the engine decides (env, then default).
    pub data_dir: Option<PathBuf>,
    /// `--tray`: start the agent and the tray without opening the window (how autostart at
    /// login launches it).
    pub tray: bool,
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

pub const TRAY: &str = "--tray";

/// The arguments autostart launches with: `--tray`, and the data dir when one was given, so
/// that login opens the same workspace. Written for a desktop entry's `Exec` line, which
/// splits at spaces unless an argument is quoted.
pub fn autostart_args(data_dir: Option<&std::path::Path>) -> Vec<String> {
    let mut args = vec![TRAY.to_string()];
    if let Some(dir) = data_dir {
        args.push(exec_quoted(&format!("--data-dir={}", dir.display())));
    }
    args
}

/// An argument as the Desktop Entry spec wants it on an `Exec` line: in double quotes with
/// `"`, `` ` ``, `$` and `\` escaped (and `%` doubled) when it holds anything but plain characters.
fn exec_quoted(arg: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_=./:@+,".contains(c);
    if arg.chars().all(plain) {
        return arg.to_string();
    }
    let mut quoted = String::from('"');
    for c in arg.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        } else if c == '%' {
            // A lone % starts a field code (%f, %u…).
            quoted.push('%');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Args, ArgsError> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == TRAY {
            parsed.tray = true;
        } else if text == "--data-dir" {
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
    fn tray_starts_without_the_window() {
        assert!(!parse(os(&[])).unwrap().tray);
        let parsed = parse(os(&["--tray", "--data-dir", "/d"])).unwrap();
        assert!(parsed.tray);
        assert_eq!(parsed.data_dir, Some(PathBuf::from("/d")));
        assert!(parse(os(&["--data-dir=/d", "--tray"])).unwrap().tray);
        // Only the exact flag: a look-alike is reported, not taken.
        let lookalike = parse(os(&["--tray=yes"])).unwrap();
        assert!(!lookalike.tray);
        assert_eq!(lookalike.ignored, os(&["--tray=yes"]));
    }

    #[test]
    fn autostart_names_the_data_dir_quoted_for_a_desktop_entry() {
        assert_eq!(autostart_args(None), ["--tray"]);
        assert_eq!(
            autostart_args(Some(std::path::Path::new("/home/a/vigil"))),
            ["--tray", "--data-dir=/home/a/vigil"]
        );
        assert_eq!(
            autostart_args(Some(std::path::Path::new("/home/a/my $work"))),
            ["--tray", "\"--data-dir=/home/a/my \\$work\""]
        );
        // What autostart launches parses back to the same folder.
        let parsed = parse(os(&["--tray", "--data-dir=/home/a/vigil"])).unwrap();
        assert_eq!(parsed.data_dir, Some(PathBuf::from("/home/a/vigil")));
    }

    #[test]
    fn unknown_arguments_are_kept_aside() {
        let parsed = parse(os(&["--hidden", "--data-dir", "/d", "file.txt"])).unwrap();
        assert_eq!(parsed.data_dir, Some(PathBuf::from("/d")));
        assert_eq!(parsed.ignored, os(&["--hidden", "file.txt"]));
    }
}
