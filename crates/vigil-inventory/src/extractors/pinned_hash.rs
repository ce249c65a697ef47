//! The digests lockfiles pin, in the spellings they use: `sha256:<hex>` (pip, Poetry, uv,
//! PDM, Pipfile.lock), bare hex (Cargo's `checksum`), and base64 (NuGet's `contentHash` and
//! `.deps.json`'s `sha512-<base64>`). Stored as lower-case hex, whatever the spelling.

use base64::Engine;
use vigil_model::{Hash, HashAlgorithm};

/// `algorithm:hex` (`sha256:ab12…`). `None` for an unknown algorithm or a value that is not
/// hex of that algorithm's length.
pub(super) fn prefixed_hex(text: &str) -> Option<Hash> {
    let (algorithm, value) = text.trim().split_once(':')?;
    hex(HashAlgorithm::parse(algorithm)?, value)
}

/// A hex digest of a known algorithm, checked for its length.
pub(super) fn hex(algorithm: HashAlgorithm, value: &str) -> Option<Hash> {
    let value = value.trim();
    let ok = value.len() == hex_len(algorithm) && value.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| Hash {
        algorithm,
        value: value.to_ascii_lowercase(),
    })
}

/// A base64 (standard alphabet, padded) digest of a known algorithm.
pub(super) fn base64(algorithm: HashAlgorithm, value: &str) -> Option<Hash> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    if bytes.len() * 2 != hex_len(algorithm) {
        return None;
    }
    let value = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Some(Hash { algorithm, value })
}

fn hex_len(algorithm: HashAlgorithm) -> usize {
    match algorithm {
        HashAlgorithm::Md5 => 32,
        HashAlgorithm::Sha1 => 40,
        HashAlgorithm::Sha256 => 64,
        HashAlgorithm::Sha384 => 96,
        HashAlgorithm::Sha512 => 128,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_become_lower_case_hex_and_bad_values_are_refused() {
        let sha = "AB".repeat(32);
        assert_eq!(
            prefixed_hex(&format!("sha256:{sha}")).unwrap().value,
            "ab".repeat(32)
        );
        assert_eq!(prefixed_hex("sha256:abc"), None, "too short");
        assert_eq!(prefixed_hex(&format!("blake9:{sha}")), None);
        assert_eq!(prefixed_hex(&format!("sha256:{}", "zz".repeat(32))), None);
        // 64 zero bytes in base64.
        let zeros = format!("{}==", "A".repeat(86));
        let hash = base64(HashAlgorithm::Sha512, &zeros).unwrap();
        assert_eq!(hash.value, "0".repeat(128));
        assert_eq!(base64(HashAlgorithm::Sha512, "not base64!"), None);
        assert_eq!(base64(HashAlgorithm::Sha512, "AAAA"), None, "wrong length");
    }
}
