//! The build information the Go linker embeds in every program built in module mode, as Go's
//! `debug/buildinfo` reads it (https://pkg.go.dev/debug/buildinfo, `src/debug/buildinfo/
//! buildinfo.go`) and `runtime/debug.ParseBuildInfo` parses its module list.
//!
//! The blob starts with the 14-byte magic `\xff Go buildinf:`, aligned to 16, at the start of
//! the program's data (the `.go.buildinfo` section of ELF, `__go_buildinfo` of Mach-O, the
//! first writable data section of PE). Byte 14 is the pointer size, byte 15 the flags:
//! - Go 1.18 and later set flag bit 2: the 32-byte header is followed by two varint-prefixed
//!   strings, the Go version and the module info.
//! - Before 1.18, bytes 16.. hold two pointers (size and byte order from bytes 14 and 15) to Go
//!   string headers `{data pointer, length}` for `runtime.buildVersion` and `runtime.modinfo`,
//!   so reading them needs the program's address map.
//!
//! The module info is framed by 16 sentinel bytes on each side and has one line per fact,
//! fields separated by tabs: `path` (the main package), `mod` (the main module), `dep` (each
//! module linked in), `=>` (a replacement of the `mod` or `dep` line just before it) and `build`
//! (flags).
//!
//! What is recorded, as Syft and osv-scanner do: every `dep` (its replacement when it has one)
//! and `stdlib` at the Go version the program was built with, because the standard library is
//! compiled into the program and Go's own advisories (`GO-…` in OSV) name it `stdlib`. The main
//! module is the program itself, a published module OSV has advisories for when it is a tool
//! (runc, containerd, syft): it is recorded at its version, which is the `mod` line's when that
//! is real (`go install example.com/tool@v1.2.3`, Go 1.24's VCS-stamped versions), else the one
//! release builds stamp with `-ldflags "-X main.version=1.18.1"` (GoReleaser's default, and the
//! patterns Syft reads, see [`ldflags_version`]), with Go's `v` prefix. With neither, the
//! program is a `(devel)` build of a checkout, the user's own code: it is not recorded, because a
//! pseudo-version made from `vcs.revision` (`v0.0.0-2024…-5e16e5031a13`) sorts before every
//! release and would match every advisory of the module. Build info does not say which modules
//! are direct, so every scope is unknown.

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::binary::Image;
use super::ExtractOutput;

const MAGIC: &[u8] = b"\xff Go buildinf:";
const ALIGN: usize = 16;
const HEADER: usize = 32;
/// How far past the data start Go looks for the blob.
const SEARCH_BYTES: u64 = 64 * 1024;
/// Go refuses version or module strings longer than this (`readString`'s `maxSize`).
const MAX_STRING: u64 = 1 << 20;

/// Reads the build info of one program image into `out`; says nothing when there is none.
pub fn read(image: &Image<'_>, evidence: &Evidence, out: &mut ExtractOutput) {
    match build_info(image) {
        None => {}
        Some(Err(message)) => out.warnings.push(format!("Go build info: {message}")),
        Some(Ok((version, modinfo))) => components(&version, &modinfo, evidence, out),
    }
}

/// The Go version and module info, `None` when the program carries no build info.
fn build_info(image: &Image<'_>) -> Option<Result<(String, String), String>> {
    // Where Go looks: the build-info section, else the start of the data.
    let data = image
        .section(&[".go.buildinfo", "__go_buildinfo"])
        .map(|(_, data)| data)
        .or_else(|| image.read_at(image.data_start()?, SEARCH_BYTES));
    let found = data.and_then(|data| find_blob(data, image));
    // Programs object cannot map (truncated ones), or a linker that put the blob elsewhere:
    // the 1.18+ form needs no addresses, so the whole file is searched, as `go version` did
    // before `debug/buildinfo` existed.
    found.or_else(|| find_blob(image.bytes, image))
}

/// The first aligned magic in `data` whose blob decodes; the magic text may also appear in a
/// program's read-only data (any tool that imports `debug/buildinfo` carries it).
fn find_blob(data: &[u8], image: &Image<'_>) -> Option<Result<(String, String), String>> {
    let mut first_error = None;
    for at in memchr::memmem::find_iter(data, MAGIC) {
        if at % ALIGN != 0 || data.len() - at < HEADER {
            continue;
        }
        match decode(&data[at..], image) {
            Ok(found) => return Some(Ok(found)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map(Err)
}

fn decode(blob: &[u8], image: &Image<'_>) -> Result<(String, String), String> {
    let pointer_size = blob[14];
    let flags = blob[15];
    let (version, modinfo) = if flags & 2 != 0 {
        let (version, rest) = varint_string(&blob[HEADER..]).ok_or("truncated Go version")?;
        let (modinfo, _) = varint_string(rest).ok_or("truncated module info")?;
        (version.to_vec(), modinfo.to_vec())
    } else {
        let big_endian = flags & 1 != 0;
        let pointer = |bytes: &[u8]| -> Option<u64> {
            match (pointer_size, big_endian) {
                (4, false) => Some(u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?).into()),
                (4, true) => Some(u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?).into()),
                (8, false) => Some(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)),
                (8, true) => Some(u64::from_be_bytes(bytes.get(..8)?.try_into().ok()?)),
                _ => None,
            }
        };
        let size = u64::from(pointer_size);
        let go_string = |header_address: u64| -> Option<Vec<u8>> {
            let header = image.read_at(header_address, 2 * size)?;
            let data = pointer(header)?;
            let len = pointer(header.get(pointer_size as usize..)?)?;
            if len > MAX_STRING {
                return None;
            }
            let bytes = image.read_at(data, len)?;
            (bytes.len() as u64 == len).then(|| bytes.to_vec())
        };
        if pointer_size != 4 && pointer_size != 8 {
            return Err(format!("pointer size {pointer_size} is neither 4 nor 8"));
        }
        let version_at = pointer(&blob[16..]).ok_or("truncated header")?;
        let modinfo_at = pointer(&blob[16 + pointer_size as usize..]).ok_or("truncated header")?;
        let version = go_string(version_at)
            .ok_or("the Go version's address is outside the program (pre-1.18 build info)")?;
        let modinfo = go_string(modinfo_at).unwrap_or_default();
        (version, modinfo)
    };
    let version = String::from_utf8(version).map_err(|_| "the Go version is not UTF-8")?;
    if !(version.starts_with("go") || version.starts_with("devel")) {
        return Err(format!("{version:?} is not a Go version"));
    }
    // Strip the 16-byte sentinels (cmd/go's infoStart and infoEnd), as debug/buildinfo does.
    let modinfo = if modinfo.len() >= 33 && modinfo[modinfo.len() - 17] == b'\n' {
        String::from_utf8_lossy(&modinfo[16..modinfo.len() - 16]).into_owned()
    } else {
        String::new()
    };
    Ok((version, modinfo))
}

/// An unsigned LEB128 length, then that many bytes.
fn varint_string(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut len: u64 = 0;
    for (i, byte) in data.iter().enumerate().take(10) {
        len |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            let rest = &data[i + 1..];
            let len = usize::try_from(len).ok().filter(|&l| l <= rest.len())?;
            return Some(rest.split_at(len));
        }
    }
    None
}

fn components(go_version: &str, modinfo: &str, evidence: &Evidence, out: &mut ExtractOutput) {
    match stdlib_version(go_version) {
        Some(version) => out.components.push(Component::new(
            PackageRef::new(Ecosystem::Go, "stdlib", Some(version)),
            Scope::Unknown,
            evidence.clone(),
        )),
        None => out.warnings.push(format!(
            "Go build info: {go_version:?} is not a released Go version; stdlib not recorded"
        )),
    }
    // Each `mod`/`dep` line as (kind, path, version), then its replacement if it has one.
    type Module<'a> = ((&'a str, &'a str, &'a str), Option<(&'a str, &'a str)>);
    let mut modules: Vec<Module<'_>> = Vec::new();
    let mut stamped = None;
    for (number, line) in modinfo.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        if let ["build", setting, ..] = fields.as_slice() {
            if let Some(flags) = setting.strip_prefix("-ldflags=") {
                stamped = ldflags_version(flags);
            }
        }
        match fields.as_slice() {
            [kind @ ("mod" | "dep"), path, version, ..] => {
                modules.push(((kind, path, version), None))
            }
            ["=>", path, version, ..] => match modules.last_mut() {
                Some((_, replacement)) => *replacement = Some((path, version)),
                None => out.warnings.push(format!(
                    "Go build info line {}: a replacement with no module before it",
                    number + 1
                )),
            },
            ["path" | "build", ..] | [""] => {}
            _ => out.warnings.push(format!(
                "Go build info line {}: {line:?} is not a module line",
                number + 1
            )),
        }
    }
    let main = modules
        .iter()
        .find(|((kind, ..), _)| *kind == "mod")
        .map(|((_, path, _), _)| *path);
    for ((kind, path, version), replacement) in modules {
        let (module, mut version) = replacement.unwrap_or((path, version));
        let local = version.is_empty() || version == "(devel)";
        if kind == "mod" {
            // The program itself: recorded only at a published version (see the module doc).
            if replacement.is_some() {
                continue;
            }
            if local {
                match &stamped {
                    Some(stamped) => version = stamped.as_str(),
                    None => continue,
                }
            }
        } else if local {
            // A nested module of the program's own repository (`example.com/app/internal/x
            // => ./internal/x`) is the program's code; any other folder stands in for a module
            // whose version is unknown.
            if main
                .is_some_and(|main| path.starts_with(main) && path[main.len()..].starts_with('/'))
            {
                continue;
            }
            out.warnings.push(format!(
                "Go module {path} is replaced by the local folder {module}; not recorded"
            ));
            continue;
        }
        out.components.push(Component::new(
            PackageRef::new(Ecosystem::Go, module, Some(version.to_string())),
            Scope::Unknown,
            evidence.clone(),
        ));
    }
}

/// The release version a build stamped into the program with the linker's `-X`, as Syft reads
/// it: a variable named `version`, `Version`, `gitVersion`, `buildVersion`, `gitBuildVersion` (any
/// case) or `tag`, in any package (`main.version`, `k8s.io/component-base/version.gitVersion`),
/// whose value, after any `path/` prefix, is `MAJOR.MINOR.PATCH` with an optional pre-release or
/// build suffix. The result carries Go's `v` prefix, as module versions do. Written by hand: the
/// flags are a handful of space-separated tokens, quoted as `go build` quotes them.
fn ldflags_version(flags: &str) -> Option<String> {
    let unquoted = flags.replace(['"', '\'', '\\'], " ");
    unquoted.split_whitespace().find_map(|token| {
        let (name, value) = token.trim_start_matches("-X=").split_once('=')?;
        let variable = name.rsplit('.').next()?.to_ascii_lowercase();
        let known = [
            "version",
            "gitversion",
            "buildversion",
            "gitbuildversion",
            "tag",
        ];
        if !name.contains('.') || !known.contains(&variable.as_str()) {
            return None;
        }
        let value = value.rsplit('/').next()?;
        let bare = value.strip_prefix('v').unwrap_or(value);
        let mut numbers = bare.splitn(3, '.');
        let (major, minor, rest) = (numbers.next()?, numbers.next()?, numbers.next()?);
        let patch_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (patch, suffix) = rest.split_at(patch_end);
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let suffix_ok = suffix.is_empty()
            || (suffix.starts_with(['-', '+'])
                && suffix[1..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')));
        (digits(major) && digits(minor) && digits(patch) && suffix_ok).then(|| format!("v{bare}"))
    })
}

/// `go1.21.3` → `1.21.3`, the form OSV's `stdlib` ranges and Syft's purls use; `go1.20` →
/// `1.20.0` and `go1.21rc2` → `1.21.0-rc.2`, as osv-scanner maps them; a GOEXPERIMENT suffix
/// (`go1.22.1 X:boringcrypto`) is dropped. `devel` builds have no release to match.
fn stdlib_version(go_version: &str) -> Option<String> {
    let version = go_version.split([' ', '+']).next()?.strip_prefix("go")?;
    let split = version
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(version.len());
    let (numbers, pre) = version.split_at(split);
    let mut parts: Vec<&str> = numbers.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    while parts.len() < 3 {
        parts.push("0");
    }
    let mut out = parts.join(".");
    if !pre.is_empty() {
        let (tag, number) = pre.split_at(pre.find(|c: char| c.is_ascii_digit())?);
        if !matches!(tag, "rc" | "beta" | "alpha") || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out = format!("{out}-{tag}.{number}");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::{
        binary::Binaries,
        test_elf,
        test_support::{self, sorted_purls},
    };

    const SENTINEL_START: &[u8] = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6";
    const SENTINEL_END: &[u8] = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2";

    fn framed(modinfo: &str) -> Vec<u8> {
        [SENTINEL_START, modinfo.as_bytes(), SENTINEL_END].concat()
    }

    fn varint(mut n: usize, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    /// The 1.18+ blob: header, then the two strings inline.
    fn inline_blob(version: &str, modinfo: &[u8]) -> Vec<u8> {
        let mut blob = MAGIC.to_vec();
        blob.extend([8, 2]);
        blob.resize(HEADER, 0);
        varint(version.len(), &mut blob);
        blob.extend(version.as_bytes());
        varint(modinfo.len(), &mut blob);
        blob.extend(modinfo);
        blob
    }

    const MODINFO: &str = "path\texample.com/app/cmd/app\n\
        mod\texample.com/app\t(devel)\t\n\
        dep\tgithub.com/BurntSushi/toml\tv1.2.1\th1:9F2/+DoOYIOksmaJFPw1tGFy1eDnIJXg+UHjuD8lTak=\n\
        dep\tgolang.org/x/net\tv0.7.0\th1:abc=\n\
        =>\tgithub.com/fork/net\tv0.8.0\th1:def=\n\
        dep\texample.com/local\tv1.0.0\n\
        =>\t../local\t\t\n\
        dep\texample.com/app/internal/sub\tv0.0.0-00010101000000-000000000000\n\
        =>\t./internal/sub\t(devel)\t\n\
        build\t-compiler=gc\n\
        build\tGOOS=linux\n";

    fn run(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
        let out = test_support::extract_bytes(&Binaries, "app", bytes).unwrap();
        let purls = sorted_purls(&out);
        assert!(out.components.iter().all(|c| c.scope == Scope::Unknown));
        (purls, out.warnings)
    }

    fn expected() -> Vec<&'static str> {
        vec![
            "pkg:golang/github.com/BurntSushi/toml@v1.2.1",
            "pkg:golang/github.com/fork/net@v0.8.0",
            "pkg:golang/stdlib@1.21.3",
        ]
    }

    #[test]
    fn go_1_18_inline_build_info_in_its_section_lists_deps_replacements_and_stdlib() {
        let blob = inline_blob("go1.21.3", &framed(MODINFO));
        let elf = test_elf::elf_with_sections(&[(".go.buildinfo", &blob)]);
        let (purls, warnings) = run(&elf);
        assert_eq!(purls, expected());
        assert_eq!(
            warnings,
            ["Go module example.com/local is replaced by the local folder ../local; not recorded"]
        );
    }

    /// What a program's own module becomes, from the `mod` and `build` lines of its build info.
    fn main_module(mod_line: &str, ldflags: Option<&str>) -> Vec<String> {
        let mut modinfo = format!(
            "path\tgithub.com/anchore/syft/cmd/syft\n{mod_line}\n\
             dep\tgithub.com/BurntSushi/toml\tv1.4.0\th1:x=\n"
        );
        if let Some(flags) = ldflags {
            modinfo.push_str(&format!("build\t-ldflags={flags}\n"));
        }
        modinfo.push_str("build\tvcs.revision=5e16e5031a13f8a11057feb8544decebfc43b4ed\n");
        let blob = inline_blob("go1.23.4", &framed(&modinfo));
        let (purls, warnings) = run(&test_elf::elf_with_sections(&[(".go.buildinfo", &blob)]));
        assert!(warnings.is_empty(), "{warnings:?}");
        purls
            .into_iter()
            .filter(|p| p.starts_with("pkg:golang/github.com/anchore/"))
            .collect()
    }

    #[test]
    fn the_main_module_is_recorded_at_its_released_version_only() {
        // syft 1.18.1 as its release is built: `(devel)`, the version in GoReleaser's ldflags.
        let goreleaser = "\"-w -s -extldflags '-static' -X main.version=1.18.1 \
            -X main.gitCommit=5e16e5031a13 -X main.gitDescription=v1.18.1 \"";
        assert_eq!(
            main_module("mod\tgithub.com/anchore/syft\t(devel)\t", Some(goreleaser)),
            ["pkg:golang/github.com/anchore/syft@v1.18.1"]
        );
        // `go install github.com/anchore/syft/cmd/syft@v1.19.0`: the module line says it.
        assert_eq!(
            main_module(
                "mod\tgithub.com/anchore/syft\tv1.19.0\th1:y=",
                Some(goreleaser)
            ),
            ["pkg:golang/github.com/anchore/syft@v1.19.0"]
        );
        // A checkout built as it is: the user's own code, no version to match.
        assert!(main_module("mod\tgithub.com/anchore/syft\t(devel)\t", None).is_empty());
        assert!(main_module(
            "mod\tgithub.com/anchore/syft\t(devel)\t",
            Some("\"-X main.version=dev -X main.commit=abc\"")
        )
        .is_empty());
        assert!(main_module("mod\tgithub.com/anchore/syft\t\t", None).is_empty());
    }

    #[test]
    fn ldflags_versions_are_read_as_syft_reads_them() {
        let cases = [
            ("-X main.version=1.18.1", Some("v1.18.1")),
            ("-X=main.Version=v2.0.0-rc.1", Some("v2.0.0-rc.1")),
            (
                "-X 'k8s.io/component-base/version.gitVersion=v1.29.0' -X main.tag=v9.9.9",
                Some("v1.29.0"),
            ),
            (
                "-X github.com/x/y/version.buildVersion=release/1.2.3",
                Some("v1.2.3"),
            ),
            (
                "-X main.tag=v0.4.0+incompatible",
                Some("v0.4.0+incompatible"),
            ),
            ("-X main.version=dev", None),
            ("-X main.version=1.2", None),
            ("-X main.versionString=1.2.3", None),
            ("-X version=1.2.3", None),
            ("-X main.commit=1.2.3", None),
            ("-X main.version=1.2.3;rm", None),
            ("", None),
        ];
        for (flags, expected) in cases {
            assert_eq!(ldflags_version(flags).as_deref(), expected, "{flags}");
        }
    }

    #[test]
    fn a_universal_mach_o_is_read_slice_by_slice() {
        let blob = inline_blob("go1.21.3", &framed(MODINFO));
        let fat = test_elf::universal_macho(&[("__go_buildinfo", &blob)]);
        assert!(crate::extractors::binary::is_program(&fat));
        // Found in the slice's section, not by the whole-file search.
        let images = crate::extractors::binary::images(&fat).unwrap();
        assert_eq!(images.len(), 1);
        assert!(images[0].section(&["__go_buildinfo"]).is_some());
        let (purls, _) = run(&fat);
        assert_eq!(purls, expected());
    }

    #[test]
    fn pre_1_18_pointer_build_info_is_read_through_the_address_map() {
        // One writable segment at 0x500000: the blob, then the two string headers, then the
        // strings themselves, as Go 1.17's linker lays them out.
        let base = 0x50_0000u64;
        let version = b"go1.17.13";
        let modinfo = framed(MODINFO);
        let mut data = MAGIC.to_vec();
        data.extend([8, 0]);
        data.extend((base + 32).to_le_bytes()); // &runtime.buildVersion
        data.extend((base + 48).to_le_bytes()); // &runtime.modinfo
        data.resize(32, 0);
        data.extend((base + 64).to_le_bytes());
        data.extend((version.len() as u64).to_le_bytes());
        data.extend((base + 64 + version.len() as u64).to_le_bytes());
        data.extend((modinfo.len() as u64).to_le_bytes());
        data.extend(version);
        data.extend(&modinfo);
        let elf = test_elf::executable(base, &data);
        let (purls, _) = run(&elf);
        let mut want = expected();
        want[2] = "pkg:golang/stdlib@1.17.13";
        assert_eq!(purls, want);
    }

    #[test]
    fn a_go_version_string_in_read_only_data_is_skipped_for_the_real_blob() {
        // `debug/buildinfo` itself carries the magic as a string constant, before the blob.
        let mut data = vec![0u8; 16];
        data.extend(MAGIC);
        data.extend(b"\x00\x00 not a header at all......");
        data.resize(64, 0);
        data.extend(inline_blob(
            "go1.22.1 X:boringcrypto",
            &framed("dep\ta.b/c\tv1.0.0\t\n"),
        ));
        let elf = test_elf::executable(0x40_0000, &data);
        let (purls, warnings) = run(&elf);
        assert_eq!(
            purls,
            ["pkg:golang/a.b/c@v1.0.0", "pkg:golang/stdlib@1.22.1"]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn truncated_and_hostile_blobs_become_warnings_not_panics() {
        let good = inline_blob("go1.21.3", &framed(MODINFO));
        for cut in [20, 32, 33, 40, good.len() - 1] {
            let elf = test_elf::elf_with_sections(&[(".go.buildinfo", &good[..cut])]);
            let out = test_support::extract_bytes(&Binaries, "app", &elf).unwrap();
            assert!(out.components.is_empty(), "cut at {cut}");
        }
        // A length varint that claims more than there is, and one that never ends.
        let mut huge = MAGIC.to_vec();
        huge.extend([8, 2]);
        huge.resize(HEADER, 0);
        huge.extend([0xff; 12]);
        let elf = test_elf::elf_with_sections(&[(".go.buildinfo", &huge)]);
        let (purls, warnings) = run(&elf);
        assert!(purls.is_empty());
        assert_eq!(warnings, ["Go build info: truncated Go version"]);
        // Pointers to nowhere in the pre-1.18 form.
        let mut pointers = MAGIC.to_vec();
        pointers.extend([8, 0]);
        pointers.extend(u64::MAX.to_le_bytes());
        pointers.extend(7u64.to_le_bytes());
        let elf = test_elf::executable(0x1000, &pointers);
        let (purls, warnings) = run(&elf);
        assert!(purls.is_empty());
        assert!(warnings[0].contains("outside the program"), "{warnings:?}");
        // A raw blob with no program around it (a truncated download): still found.
        let mut raw = b"\x7fELF garbage".to_vec();
        raw.resize(64, 0);
        raw.extend(&good);
        let out = test_support::extract_bytes(&Binaries, "app", &raw).unwrap();
        assert_eq!(out.components.len(), 3);
    }

    #[test]
    fn go_versions_map_to_osv_stdlib_versions() {
        for (go, osv) in [
            ("go1.21.3", Some("1.21.3")),
            ("go1.20", Some("1.20.0")),
            ("go1.21rc2", Some("1.21.0-rc.2")),
            ("go1.9beta1", Some("1.9.0-beta.1")),
            ("go1.22.1 X:boringcrypto", Some("1.22.1")),
            ("devel go1.23-abcdef Tue", None),
            ("go1.x", None),
            ("go", None),
        ] {
            assert_eq!(stdlib_version(go).as_deref(), osv, "{go}");
        }
    }
}
