//! Reading archives entry by entry: zip (central directory, needs `Seek`), tar and compressed
//! streams (gzip, xz, bzip2, zstd), a Debian package's `ar` (streamed), and an rpm's header.
//! Each entry goes back to [`Scan::visit_entry`], so nesting is recursion, bounded by
//! [`ScanLimits::max_archive_depth`](super::ScanLimits).

use std::{
    cell::Cell,
    io::{self, Cursor, Read, Seek},
    path::Path,
    rc::Rc,
};

use sha2::Digest;

use super::{
    ar,
    compression::Codec,
    limits::{Compressed, Counting, Inflation, RATIO_FLOOR_BYTES},
    read_head, ArchiveKind, Frame, FrameKind, Origin, Scan, HEAD_BYTES,
};
use crate::extractors::{java_archive, rpm_package, Extractor, RpmPackage};

/// The hashes of a streamed archive, for when it turns out to be a package.
pub(super) struct StreamHashes {
    pub(super) sha1: String,
    pub(super) sha256: String,
    pub(super) sha512: String,
}

/// Hashes what is read through it, when `on`: a tarball nested in another archive cannot be
/// read twice, and whether it is a package is known only once it has been read.
struct Hashing<'r> {
    inner: &'r mut dyn Read,
    on: bool,
    sha1: sha1::Sha1,
    sha256: sha2::Sha256,
    sha512: sha2::Sha512,
}

impl Read for Hashing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.on {
            self.sha1.update(&buf[..n]);
            self.sha256.update(&buf[..n]);
            self.sha512.update(&buf[..n]);
        }
        Ok(n)
    }
}

impl Hashing<'_> {
    /// Reads what the walk left (a tar's trailing blocks, a compressed stream's trailer) and
    /// gives the hashes of the whole; `None` when the rest cannot be read.
    fn finish(mut self) -> Option<StreamHashes> {
        io::copy(&mut self, &mut io::sink()).ok()?;
        Some(StreamHashes {
            sha1: super::hex(&self.sha1.finalize()),
            sha256: super::hex(&self.sha256.finalize()),
            sha512: super::hex(&self.sha512.finalize()),
        })
    }
}

/// Whether an archive of this name may be an npm package tarball (`npm pack` writes `.tgz`)
/// or a Python sdist (`.tar.gz`, older ones `.zip`, `.tar.bz2`, `.tar.xz`).
fn may_be_a_package(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    crate::extractors::is_tarball_name(&lower) || lower.ends_with(".zip")
}

/// The largest `control.tar.*` member of a .deb read, compressed: real ones are a few KiB.
const MAX_DEB_CONTROL_BYTES: u64 = 16 << 20;

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
        } else if may_be_a_package(name) {
            FrameKind::Package(Vec::new())
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

    /// Walks a tar; its frame, for the caller to finish once the stream's hash is known.
    fn walk_tar(&mut self, path: &str, reader: &mut dyn Read) -> Option<Frame> {
        let mut archive = tar::Archive::new(reader);
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(e) => {
                self.warn_at(path, format!("not a readable tar archive: {e}"));
                return None;
            }
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
        self.frames.pop()
    }

    /// A tar (`compressed`: `None`) or a compressed stream (its codec, and whether its name
    /// says a tar is inside), read as it comes. When it turns out to be a package (see
    /// [`FrameKind::Package`]), its hash is taken from `disk` when it is a file there, else
    /// from the bytes as they were streamed.
    pub(super) fn walk_stream(
        &mut self,
        path: &str,
        compressed: Option<(Codec, bool)>,
        reader: &mut dyn Read,
        disk: Option<&Path>,
    ) {
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut hashing = Hashing {
            inner: reader,
            on: disk.is_none() && may_be_a_package(name),
            sha1: sha1::Sha1::new(),
            sha256: sha2::Sha256::new(),
            sha512: sha2::Sha512::new(),
        };
        let frame = match compressed {
            Some((codec, tar)) => self.walk_compressed(path, codec, tar, &mut hashing),
            None => self.walk_tar(path, &mut hashing),
        };
        let Some(frame) = frame else { return };
        let is_package = matches!(&frame.kind, FrameKind::Package(own) if !own.is_empty());
        match disk {
            Some(file) => self.finish_frame(frame, &Origin::Disk(file)),
            // Not read on after a cancel: the hash would cost the rest of the stream.
            None if is_package && !self.cancelled => {
                let hashes = hashing.finish();
                self.finish_frame(frame, &Origin::Streamed(hashes.as_ref()));
            }
            None => self.finish_frame(frame, &Origin::Streamed(None)),
        }
    }

    /// A compressed stream: a tar inside (by the name or by tar's magic) is walked as a tar
    /// under the stream's own path (`a.tar.xz!/x`), and its frame returned; any other content
    /// is one file named as the stream without its extension (`a.json.gz!/a.json`).
    fn walk_compressed(
        &mut self,
        path: &str,
        codec: Codec,
        name_says_tar: bool,
        reader: &mut dyn Read,
    ) -> Option<Frame> {
        // A compressed stream is a nesting level of its own: gzip quines inflate to themselves.
        self.frames.push(Frame {
            path: path.to_string(),
            kind: FrameKind::Plain,
        });
        let compressed = Rc::new(Cell::new(0));
        let counting = Counting {
            inner: reader,
            count: Rc::clone(&compressed),
        };
        let decoder = match codec.decoder(counting) {
            Ok(decoder) => decoder,
            Err(e) => {
                self.frames.pop();
                let message = format!("not a readable {} stream: {e}", codec.name());
                self.warn_at(path, message);
                return None;
            }
        };
        let mut inflating = Inflation {
            inner: decoder,
            compressed: Compressed::Counted(compressed),
            inflated: 0,
            total: Rc::clone(&self.inflated),
            limits: self.limits,
        };
        match read_head(&mut inflating, HEAD_BYTES) {
            Err(e) => {
                let message = format!("not a readable {} stream: {e}", codec.name());
                self.warn_at(path, message);
            }
            Ok(head) => {
                let is_tar =
                    name_says_tar || ArchiveKind::by_magic(&head) == Some(ArchiveKind::Tar);
                let mut whole = Cursor::new(head).chain(&mut inflating);
                if is_tar {
                    self.frames.pop();
                    return self.walk_tar(path, &mut whole);
                }
                let name = path.rsplit('/').next().unwrap_or(path);
                let inner_name = name
                    .len()
                    .checked_sub(codec.extension().len() + 1)
                    .filter(|&at| {
                        name.is_char_boundary(at)
                            && name[at..].eq_ignore_ascii_case(&format!(".{}", codec.extension()))
                    })
                    .map_or(name, |at| &name[..at]);
                let inner = format!("{path}!/{inner_name}");
                self.visit_entry(&inner, 0, &mut whole);
            }
        }
        self.frames.pop();
        None
    }

    /// A Debian package: its members (`control.tar.*`, `data.tar.*`) are entries like any
    /// archive's, so `control.tar.xz!/control` reaches the deb extractor and `data.tar.xz` is
    /// walked for the jars, wheels and programs it installs.
    pub(super) fn walk_deb(&mut self, path: &str, reader: &mut dyn Read) {
        if let Err(message) = ar::start(reader) {
            return self.warn_at(path, message);
        }
        self.frames.push(Frame {
            path: path.to_string(),
            kind: FrameKind::Plain,
        });
        let mut count = 0;
        loop {
            if self.stop_here(path) {
                break;
            }
            let member = match ar::next(reader) {
                Ok(Some(member)) => member,
                Ok(None) => break,
                Err(message) => {
                    self.warn_at(path, message);
                    break;
                }
            };
            count += 1;
            if count > self.limits.max_archive_entries {
                let message = format!(
                    "more than {} members; the rest was not read",
                    self.limits.max_archive_entries
                );
                self.warn_at(path, message);
                break;
            }
            let inner = format!("{path}!/{}", member.name);
            let refused = if let Some(reason) = hostile_name(&member.name) {
                Some(reason.to_string())
            } else if member.name.starts_with("control.tar") && member.size > MAX_DEB_CONTROL_BYTES
            {
                Some(format!(
                    "a control archive of {} bytes, over the {MAX_DEB_CONTROL_BYTES} byte \
                     limit; not read",
                    member.size
                ))
            } else {
                None
            };
            let read = Rc::new(Cell::new(0));
            match refused {
                Some(message) => self.warn_at(&inner, message),
                None => {
                    let mut body = Counting {
                        inner: reader.take(member.size),
                        count: Rc::clone(&read),
                    };
                    self.visit_entry(&inner, member.size, &mut body);
                }
            }
            if let Err(message) = ar::skip_rest(reader, &member, read.get()) {
                self.warn_at(path, message);
                break;
            }
            self.report_now_and_then();
        }
        self.frames.pop();
    }

    /// An rpm: its lead and headers are read (not its payload) and handed to the rpm
    /// extractor.
    pub(super) fn read_rpm(&mut self, path: &str, reader: &mut dyn Read) {
        match rpm_package::read_headers(reader, self.limits.max_file_bytes) {
            Ok(bytes) => self.deliver(&RpmPackage, path, &bytes),
            Err(message) => self.warn_at(path, format!("{}: {message}", RpmPackage.name())),
        }
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
