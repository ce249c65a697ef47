//! The `ar` container of a Debian package (deb(5): `!<arch>\n`, then members each behind a
//! 60-byte header; https://manpages.debian.org/deb.5, the "common" format of ar(5)), streamed.
//!
//! Written by hand: the `ar` crate allocates GNU name tables and BSD names at the size a
//! header claims and indexes the name table with an unchecked offset, so a hostile header
//! costs gigabytes or a panic; a .deb needs neither (its members have short names), and
//! the format is a dozen lines.

use std::io::{self, Read};

pub(crate) const MAGIC: &[u8] = b"!<arch>\n";

/// One member: its name and size, with the stream positioned at its first byte.
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) size: u64,
}

/// Reads the archive's magic; an error when it is not an ar archive.
pub(crate) fn start(reader: &mut dyn Read) -> Result<(), String> {
    let mut magic = [0u8; 8];
    reader
        .read_exact(&mut magic)
        .map_err(|e| format!("not an ar archive: {e}"))?;
    if magic != MAGIC {
        return Err("not an ar archive: the magic `!<arch>` is missing".into());
    }
    Ok(())
}

/// The next member's header, `None` at the end. The caller reads (at most) `size` bytes of
/// the member, then calls [`skip_rest`] with what it read.
pub(crate) fn next(reader: &mut dyn Read) -> Result<Option<Member>, String> {
    let mut header = [0u8; 60];
    let mut filled = 0;
    while filled < header.len() {
        match reader.read(&mut header[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err("the archive ends inside a member header".into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read a member header: {e}")),
        }
    }
    if &header[58..60] != b"`\n" {
        return Err("a member header does not end with the ar terminator".into());
    }
    let name = String::from_utf8_lossy(&header[..16]);
    // GNU ar ends names with `/`; deb(5) members are plain (`control.tar.xz`).
    let name = name.trim_end().trim_end_matches('/').to_string();
    let size = std::str::from_utf8(&header[48..58])
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("member {name:?} has no readable size"))?;
    Ok(Some(Member { name, size }))
}

/// Skips what the caller left unread of a member, and the padding byte after an odd size.
pub(crate) fn skip_rest(reader: &mut dyn Read, member: &Member, read: u64) -> Result<(), String> {
    let left = member.size.saturating_sub(read) + member.size % 2;
    let skipped = io::copy(&mut reader.take(left), &mut io::sink())
        .map_err(|e| format!("cannot read past member {:?}: {e}", member.name))?;
    if skipped < left {
        return Err(format!("the archive ends inside member {:?}", member.name));
    }
    Ok(())
}

/// An `ar` member as deb(5) writes them, for the tests that build archives.
#[cfg(test)]
pub(crate) fn member(name: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "{name:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n",
        0,
        0,
        0,
        100644,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_read_in_order_with_odd_sizes_padded() {
        let mut archive = MAGIC.to_vec();
        archive.extend(member("debian-binary", b"2.0\n"));
        archive.extend(member("control.tar.gz/", b"odd"));
        archive.extend(member("data.tar", b"data"));
        let mut reader = &archive[..];
        start(&mut reader).unwrap();
        let mut seen = Vec::new();
        while let Some(m) = next(&mut reader).unwrap() {
            let mut first = vec![0u8; 1];
            reader.read_exact(&mut first).unwrap();
            skip_rest(&mut reader, &m, 1).unwrap();
            seen.push((m.name, m.size, first[0]));
        }
        assert_eq!(
            seen,
            [
                ("debian-binary".to_string(), 4, b'2'),
                ("control.tar.gz".to_string(), 3, b'o'),
                ("data.tar".to_string(), 4, b'd')
            ]
        );
    }

    #[test]
    fn damaged_archives_are_errors_not_panics() {
        assert!(start(&mut &b"!<arch>"[..]).is_err());
        assert!(start(&mut &b"PK\x03\x04xxxx"[..]).is_err());
        let mut bad = member("a", b"x");
        bad[58] = b'!';
        assert!(next(&mut &bad[..]).is_err());
        let mut huge = member("a", b"x");
        huge[48..58].copy_from_slice(b"9999999999");
        let m = next(&mut &huge[..60]).unwrap().unwrap();
        assert_eq!(m.size, 9_999_999_999);
        // A size past the end is an error when skipped, without allocating it.
        assert!(skip_rest(&mut &huge[60..], &m, 0).is_err());
        assert!(next(&mut &member("a", b"x")[..30]).is_err());
    }
}
