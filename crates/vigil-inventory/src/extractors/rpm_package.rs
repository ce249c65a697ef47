//! An rpm package file: its lead, signature header and header
//! (https://rpm-software-management.github.io/rpm/manual/format.md, `format_v4.md` for the
//! header structure, `tags.md` for the tags). The walker reads only up to the end of the
//! header ([`read_headers`]); the payload, the files the package installs, is not read.
//!
//! Written by hand, not with the `rpm` crate: its header parser allocates the index and store
//! at the sizes the file declares (up to 4 GiB, before reading them) and indexes the store
//! with unchecked offsets, so a hostile rpm costs memory or a panic. The part needed here, a
//! header index and a few NUL-terminated strings, is small; every size and offset is checked
//! against rpm's own limits and against what was read.
//!
//! A package is recorded as OSV's Red Hat, Rocky Linux and AlmaLinux advisories name it:
//! under its (binary) `NAME`, at `[EPOCH:]VERSION-RELEASE`, as `pkg:rpm/redhat/…`,
//! `pkg:rpm/rocky/…` or `pkg:rpm/almalinux/…` by its `VENDOR` (or `DISTRIBUTION`). An rpm
//! of another vendor is taken as Red Hat's, with a warning. Like a lone .deb, an rpm does not
//! say which release it is for (the `.el9` in a release is a convention, not a field), so the
//! release is left unknown. The architecture and source rpm are not recorded: advisories key
//! on name and version, and a component has no place for them.

use std::io::Read;
use std::path::Path;

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct RpmPackage;

const LEAD_BYTES: usize = 96;
const LEAD_MAGIC: [u8; 4] = [0xed, 0xab, 0xee, 0xdb];
const HEADER_MAGIC: [u8; 4] = [0x8e, 0xad, 0xe8, 0x01];
/// rpm's own limits on a header (`HEADER_TAGS_MAX`, `HEADER_DATA_MAX` in rpm's header.c).
const MAX_TAGS: u32 = 0xffff;
const MAX_DATA_BYTES: u32 = 0x0fff_ffff;

const TAG_NAME: u32 = 1000;
const TAG_VERSION: u32 = 1001;
const TAG_RELEASE: u32 = 1002;
const TAG_EPOCH: u32 = 1003;
const TAG_DISTRIBUTION: u32 = 1010;
const TAG_VENDOR: u32 = 1011;
const TAG_LICENSE: u32 = 1014;

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18N_STRING: u32 = 9;

impl Extractor for RpmPackage {
    fn name(&self) -> &'static str {
        "rpm/package-file"
    }

    fn version(&self) -> u32 {
        1
    }

    fn records_licenses(&self) -> bool {
        true
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path).to_ascii_lowercase().ends_with(".rpm")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let header = parse(input.bytes)?;
        let mut out = ExtractOutput::default();
        let (Some(name), Some(version), Some(release)) =
            (header.name, header.version, header.release)
        else {
            return Err("the header has no NAME, VERSION or RELEASE".into());
        };
        let said = [header.vendor.as_deref(), header.distribution.as_deref()];
        let ecosystem = said
            .iter()
            .flatten()
            .find_map(|text| ecosystem_of(text))
            .unwrap_or_else(|| {
                let who = match header.vendor.as_deref() {
                    Some(vendor) => format!("its vendor is {vendor:?}"),
                    None => "it names no vendor".to_string(),
                };
                out.warnings.push(format!(
                    "{who}, not Red Hat, Rocky Linux or AlmaLinux: the package is taken as Red \
                     Hat's, release unknown"
                ));
                Ecosystem::RedHat
            });
        let evr = match header.epoch {
            Some(epoch) => format!("{epoch}:{version}-{release}"),
            None => format!("{version}-{release}"),
        };
        let mut component = Component::new(
            PackageRef::new(ecosystem, &name, Some(evr)),
            Scope::Unknown,
            Evidence(input.path.display().to_string()),
        );
        component.license = header.license.as_deref().and_then(crate::license::declared);
        out.components.push(component);
        Ok(out)
    }
}

fn ecosystem_of(vendor: &str) -> Option<Ecosystem> {
    let lower = vendor.to_ascii_lowercase();
    if lower.contains("red hat") {
        Some(Ecosystem::RedHat)
    } else if lower.contains("rocky") {
        Some(Ecosystem::RockyLinux)
    } else if lower.contains("almalinux") {
        Some(Ecosystem::AlmaLinux)
    } else {
        None
    }
}

/// Reads an rpm's lead, signature header and header, and no further: at most `limit` bytes,
/// and never more than what the headers declare within rpm's limits.
pub(crate) fn read_headers(reader: &mut dyn Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut take = |bytes: &mut Vec<u8>, n: u64, what: &str| -> Result<(), String> {
        if bytes.len() as u64 + n > limit {
            return Err(format!(
                "its headers are larger than the {limit} byte limit; not read"
            ));
        }
        let got = reader
            .take(n)
            .read_to_end(bytes)
            .map_err(|e| format!("cannot read the {what}: {e}"))?;
        if (got as u64) < n {
            return Err(format!("the file ends inside the {what}"));
        }
        Ok(())
    };
    take(&mut bytes, LEAD_BYTES as u64, "lead")?;
    if bytes[..4] != LEAD_MAGIC {
        return Err("not an rpm: the lead's magic is missing".into());
    }
    for (what, padded) in [("signature header", true), ("header", false)] {
        let start = bytes.len();
        take(&mut bytes, 16, what)?;
        let (count, size) = intro(&bytes[start..], what)?;
        let mut rest = u64::from(count) * 16 + u64::from(size);
        if padded {
            // The signature header is padded to a multiple of 8 bytes.
            rest += (8 - u64::from(size) % 8) % 8;
        }
        take(&mut bytes, rest, what)?;
    }
    Ok(bytes)
}

/// A header structure's 16-byte intro: its magic, then the index's entry count and the data
/// store's size, checked against rpm's limits.
fn intro(bytes: &[u8], what: &str) -> Result<(u32, u32), String> {
    if bytes.len() < 16 || bytes[..4] != HEADER_MAGIC {
        return Err(format!("the {what} does not start with the header magic"));
    }
    let count = be32(&bytes[8..12]);
    let size = be32(&bytes[12..16]);
    if count > MAX_TAGS || size > MAX_DATA_BYTES {
        return Err(format!(
            "the {what} declares {count} tags and {size} bytes of data, past rpm's own limits"
        ));
    }
    Ok((count, size))
}

fn be32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Header {
    name: Option<String>,
    version: Option<String>,
    release: Option<String>,
    epoch: Option<u32>,
    license: Option<String>,
    vendor: Option<String>,
    distribution: Option<String>,
}

/// Reads the tags Vigil needs from what [`read_headers`] read (or a whole rpm file).
fn parse(bytes: &[u8]) -> Result<Header, String> {
    if bytes.len() < LEAD_BYTES || bytes[..4] != LEAD_MAGIC {
        return Err("not an rpm: the lead's magic is missing".into());
    }
    let signature = &bytes[LEAD_BYTES..];
    let (count, size) = intro(signature, "signature header")?;
    let signature_len = 16 + count as usize * 16 + size as usize;
    let header_at = LEAD_BYTES + signature_len + (8 - size as usize % 8) % 8;
    let header = bytes
        .get(header_at..)
        .ok_or("the file ends inside the signature header")?;
    let (count, size) = intro(header, "header")?;
    let index_end = 16 + count as usize * 16;
    let store = header
        .get(index_end..index_end + size as usize)
        .ok_or("the file ends inside the header")?;
    let mut out = Header::default();
    for entry in header[16..index_end].chunks_exact(16) {
        let (tag, kind, offset, items) = (
            be32(&entry[0..4]),
            be32(&entry[4..8]),
            be32(&entry[8..12]) as usize,
            be32(&entry[12..16]),
        );
        let string = || -> Result<String, String> {
            if !matches!(kind, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18N_STRING) {
                return Err(format!("tag {tag} is not a string (type {kind})"));
            }
            let from = store
                .get(offset..)
                .ok_or_else(|| format!("tag {tag} points past the header's data"))?;
            let end = from
                .iter()
                .position(|&b| b == 0)
                .ok_or_else(|| format!("tag {tag}'s string is not terminated"))?;
            Ok(String::from_utf8_lossy(&from[..end]).into_owned())
        };
        match tag {
            TAG_NAME => out.name = Some(string()?),
            TAG_VERSION => out.version = Some(string()?),
            TAG_RELEASE => out.release = Some(string()?),
            TAG_LICENSE => out.license = Some(string()?),
            TAG_VENDOR => out.vendor = Some(string()?),
            TAG_DISTRIBUTION => out.distribution = Some(string()?),
            TAG_EPOCH => {
                let value = store
                    .get(offset..offset.saturating_add(4))
                    .filter(|_| kind == TYPE_INT32 && items >= 1)
                    .ok_or("the EPOCH tag is not a readable 32-bit number")?;
                out.epoch = Some(be32(value));
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    fn build(vendor: Option<&str>, epoch: Option<u32>) -> Vec<u8> {
        let mut builder =
            rpm::PackageBuilder::new("openssl-libs", "3.0.7", "Apache-2.0", "x86_64", "A library");
        builder
            .using_config(rpm::BuildConfig::default().compression(rpm::CompressionType::None))
            .release("24.el9")
            .with_file_contents("lib", rpm::FileOptions::new("/usr/lib64/libssl.so.3"))
            .unwrap();
        if let Some(vendor) = vendor {
            builder.vendor(vendor);
        }
        if let Some(epoch) = epoch {
            builder.epoch(epoch);
        }
        let mut bytes = Vec::new();
        builder.build().unwrap().write(&mut bytes).unwrap();
        bytes
    }

    fn extract(bytes: &[u8]) -> Result<ExtractOutput, String> {
        let headers = read_headers(&mut &bytes[..], 1 << 20)?;
        assert!(headers.len() < bytes.len(), "the payload is not read");
        test_support::extract_bytes(
            &RpmPackage,
            "openssl-libs-3.0.7-24.el9.x86_64.rpm",
            &headers,
        )
    }

    #[test]
    fn name_epoch_version_release_and_license_by_vendor() {
        for (vendor, epoch, purl, warned) in [
            (
                Some("Red Hat, Inc."),
                Some(1),
                "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?epoch=1",
                false,
            ),
            (
                Some("Rocky Enterprise Software Foundation"),
                None,
                "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9",
                false,
            ),
            (
                Some("AlmaLinux"),
                None,
                "pkg:rpm/almalinux/openssl-libs@3.0.7-24.el9",
                false,
            ),
            (
                Some("Fedora Project"),
                None,
                "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9",
                true,
            ),
            (None, None, "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9", true),
        ] {
            let out = extract(&build(vendor, epoch)).unwrap();
            assert_eq!(out.components.len(), 1);
            let c = &out.components[0];
            assert_eq!(c.purl(), purl);
            let license = c.license.as_ref().unwrap();
            assert_eq!(license.expression.as_deref(), Some("Apache-2.0"));
            assert_eq!(
                out.warnings.len(),
                usize::from(warned),
                "{:?}",
                out.warnings
            );
        }
    }

    #[test]
    fn hostile_and_truncated_headers_are_errors_without_large_allocations() {
        let good = build(Some("Red Hat, Inc."), None);
        // Cut anywhere in the lead or headers: an error, never a panic.
        let headers = read_headers(&mut &good[..], 1 << 20).unwrap();
        for cut in [0, 10, 96, 100, 112, headers.len() - 1] {
            assert!(read_headers(&mut &good[..cut], 1 << 20).is_err(), "{cut}");
            assert!(parse(&good[..cut]).is_err(), "{cut}");
        }
        // A signature header declaring 4 GiB of data is refused before reading it.
        let mut huge = good.clone();
        huge[96 + 12..96 + 16].copy_from_slice(&u32::MAX.to_be_bytes());
        let err = read_headers(&mut &huge[..], 1 << 20).unwrap_err();
        assert!(err.contains("past rpm's own limits"), "{err}");
        // Within rpm's limits but past the scan's.
        let err = read_headers(&mut &good[..], 200).unwrap_err();
        assert!(err.contains("200 byte limit"), "{err}");
        // An entry pointing past the store, and a string with no end.
        let header_at = {
            let size = be32(&good[96 + 12..96 + 16]) as usize;
            let count = be32(&good[96 + 8..96 + 12]) as usize;
            96 + 16 + count * 16 + size + (8 - size % 8) % 8
        };
        let count = be32(&good[header_at + 8..header_at + 12]) as usize;
        let mut wild = headers.clone();
        for i in 0..count {
            let entry = header_at + 16 + i * 16;
            wild[entry + 8..entry + 12].copy_from_slice(&0x7fff_fff0u32.to_be_bytes());
        }
        assert!(parse(&wild).is_err());
        let mut unterminated = headers.clone();
        let len = unterminated.len();
        unterminated[len - 1] = b'x';
        let _ = parse(&unterminated);
        assert!(parse(b"\xed\xab\xee\xdb not really an rpm at all").is_err());
    }
}
