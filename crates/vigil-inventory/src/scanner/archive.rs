//! Reading archives entry by entry: zip (central directory, needs `Seek`), tar (streamed) and
//! gzip (streamed). Each entry goes back to [`Scan::visit_entry`], so nesting is recursion,
//! bounded by [`ScanLimits::max_archive_depth`](super::ScanLimits).

use std::{
    cell::Cell,
    io::{Cursor, Read, Seek},
    rc::Rc,
};

use super::{
    limits::{Compressed, Counting, Inflation, RATIO_FLOOR_BYTES},
    read_head, ArchiveKind, Frame, FrameKind, Origin, Scan, HEAD_BYTES,
};
use crate::extractors::java_archive;

/// After this many unreadable entries in a row, an archive is given up (a lying central
/// directory would otherwise yield one warning per entry it claims).
const MAX_BAD_ENTRIES_IN_A_ROW: usize = 20;

/// Why an entry name is refused: names that would escape the archive if it were extracted
/// (`../../etc/passwd`, `/etc/passwd`, `C:\x`). Vigil extracts nothing, but such a name marks
/// a hostile or broken archive, which the user should hear about.
fn hostile_name(name: &str) -> Option<&'static str> {
    let name = name.replace('\\', "/");
    let drive = matches!(name.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic())
        && matches!(name.as_bytes().get(2), None | Some(b'/'));
    if name.starts_with('/') || drive {
        Some("an absolute entry name (path traversal); skipped")
    } else if name.split('/').any(|part| part == "..") {
        Some("an entry name that climbs out of the archive with `..` (path traversal); skipped")
    } else if name.contains('\0') {
        Some("an entry name with a NUL byte; skipped")
    } else {
        None
    }
}

impl Scan<'_> {
    fn push_frame(&mut self, path: &str) {
        let name = path.rsplit('/').next().unwrap_or(path);
        let kind = if java_archive::is_java_archive(name) {
            FrameKind::Java(java_archive::JarContents::default())
        } else if name.to_ascii_lowercase().ends_with(".whl") {
            FrameKind::Wheel(Vec::new())
        } else {
            FrameKind::Plain
        };
        self.frames.push(Frame {
            path: path.to_string(),
            kind,
        });
    }

    /// Says, once per archive, that it was cancelled; `true` when it was.
    fn stop_here(&mut self, path: &str) -> bool {
        if self.is_cancelled() {
            self.warn_at(
                path,
                "the scan was cancelled; the rest of this archive was not read".into(),
            );
            return true;
        }
        false
    }

    pub(super) fn walk_zip<R: Read + Seek>(&mut self, path: &str, reader: R, origin: Origin<'_>) {
        let mut archive = match zip::ZipArchive::new(reader) {
            Ok(archive) => archive,
            Err(e) => return self.warn_at(path, format!("not a readable zip archive: {e}")),
        };
        self.push_frame(path);
        let mut count = archive.len();
        if count > self.limits.max_archive_entries {
            let message = format!(
                "{count} entries, more than the {} limit; only the first ones were read",
                self.limits.max_archive_entries
            );
            self.warn_at(path, message);
            count = self.limits.max_archive_entries;
        }
        let mut bad_in_a_row = 0;
        for i in 0..count {
            if self.stop_here(path) {
                break;
            }
            if bad_in_a_row >= MAX_BAD_ENTRIES_IN_A_ROW {
                self.warn_at(
                    path,
                    format!("{bad_in_a_row} unreadable entries in a row; the rest was not read"),
                );
                break;
            }
            let mut file = match archive.by_index(i) {
                Ok(file) => file,
                Err(e) => {
                    bad_in_a_row += 1;
                    self.warn_at(path, format!("entry {i} cannot be read: {e}"));
                    continue;
                }
            };
            bad_in_a_row = 0;
            if file.is_dir() || file.is_symlink() {
                continue;
            }
            let name = match file.name() {
                Ok(name) => name.into_owned(),
                Err(_) => {
                    let name = String::from_utf8_lossy(file.name_raw()).into_owned();
                    let message = "the entry name is not valid UTF-8; read under the name shown";
                    self.warn_at(&format!("{path}!/{name}"), message.into());
                    name
                }
            };
            let inner = format!("{path}!/{name}");
            if let Some(reason) = hostile_name(&name) {
                self.warn_at(&inner, reason.into());
                continue;
            }
            let (size, compressed) = (file.size(), file.compressed_size());
            let ratio = self.limits.max_compression_ratio;
            if size > RATIO_FLOOR_BYTES && size > compressed.max(1).saturating_mul(ratio) {
                let message = format!(
                    "declares {size} bytes inflated from {compressed} compressed, past a \
                     compression ratio of {ratio}:1; a zip bomb? not read"
                );
                self.warn_at(&inner, message);
                continue;
            }
            let mut guarded = Inflation {
                inner: &mut file,
                compressed: Compressed::Known(compressed),
                inflated: 0,
                total: Rc::clone(&self.inflated),
                limits: self.limits,
            };
            self.visit_entry(&inner, size, &mut guarded);
            self.report_now_and_then();
        }
        let frame = self.frames.pop().expect("pushed above");
        self.finish_frame(frame, &origin);
    }

    pub(super) fn walk_tar(&mut self, path: &str, reader: &mut dyn Read) {
        let mut archive = tar::Archive::new(reader);
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(e) => return self.warn_at(path, format!("not a readable tar archive: {e}")),
        };
        self.push_frame(path);
        let mut count = 0;
        for entry in entries {
            if self.stop_here(path) {
                break;
            }
            let mut entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let message = format!("the tar stream cannot be read further: {e}");
                    self.warn_at(path, message);
                    break;
                }
            };
            count += 1;
            if count > self.limits.max_archive_entries {
                let message = format!(
                    "more than {} entries; the rest was not read",
                    self.limits.max_archive_entries
                );
                self.warn_at(path, message);
                break;
            }
            // Links, folders and devices are not files; a link is never followed.
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let raw = entry.path_bytes().into_owned();
            let name = match std::str::from_utf8(&raw) {
                Ok(name) => name.to_string(),
                Err(_) => {
                    let name = String::from_utf8_lossy(&raw).into_owned();
                    let message = "the entry name is not valid UTF-8; read under the name shown";
                    self.warn_at(&format!("{path}!/{name}"), message.into());
                    name
                }
            };
            let name = name.trim_start_matches("./").to_string();
            let inner = format!("{path}!/{name}");
            if let Some(reason) = hostile_name(&name) {
                self.warn_at(&inner, reason.into());
                continue;
            }
            let size = entry.size();
            self.visit_entry(&inner, size, &mut entry);
            self.report_now_and_then();
        }
        self.frames.pop();
    }

    /// A gzip stream: a tar inside (by the name or by tar's magic) is walked as a tar under the
    /// gzip's own path (`a.tar.gz!/x`); any other content is one file named as the gzip without
    /// `.gz` (`a.json.gz!/a.json`).
    pub(super) fn walk_gzip(&mut self, path: &str, name_says_tar: bool, reader: &mut dyn Read) {
        // A gzip is a nesting level of its own: gzip quines inflate to themselves.
        self.frames.push(Frame {
            path: path.to_string(),
            kind: FrameKind::Plain,
        });
        let compressed = Rc::new(Cell::new(0));
        let mut inflating = Inflation {
            inner: flate2::read::MultiGzDecoder::new(Counting {
                inner: reader,
                count: Rc::clone(&compressed),
            }),
            compressed: Compressed::Counted(compressed),
            inflated: 0,
            total: Rc::clone(&self.inflated),
            limits: self.limits,
        };
        match read_head(&mut inflating, HEAD_BYTES) {
            Err(e) => self.warn_at(path, format!("not a readable gzip stream: {e}")),
            Ok(head) => {
                let is_tar =
                    name_says_tar || ArchiveKind::by_magic(&head) == Some(ArchiveKind::Tar);
                let mut whole = Cursor::new(head).chain(&mut inflating);
                if is_tar {
                    self.frames.pop();
                    self.walk_tar(path, &mut whole);
                    return;
                }
                let name = path.rsplit('/').next().unwrap_or(path);
                let inner_name = name
                    .strip_suffix(".gz")
                    .or_else(|| name.strip_suffix(".GZ"))
                    .unwrap_or(name);
                let inner = format!("{path}!/{inner_name}");
                self.visit_entry(&inner, 0, &mut whole);
            }
        }
        self.frames.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::hostile_name;

    #[test]
    fn names_that_would_escape_an_extraction_are_hostile() {
        for (name, hostile) in [
            ("../../etc/passwd", true),
            ("a/../../b", true),
            ("/etc/passwd", true),
            ("C:\\Windows\\system.ini", true),
            ("c:", true),
            ("a\\..\\..\\b", true),
            ("x\0y", true),
            ("a:b.txt", false),
            ("..foo/bar", false),
            ("META-INF/MANIFEST.MF", false),
        ] {
            assert_eq!(hostile_name(name).is_some(), hostile, "{name:?}");
        }
    }
}
