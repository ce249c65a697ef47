//! Standard Webhooks signatures: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`,
//! the key being the base64 part of a `whsec_` secret.
//!
//! Following the specification (rather than a signature of our own) lets a receiver verify
//! Vigil's deliveries with any Standard Webhooks library; the test below checks the
//! specification's published example.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

const PREFIX: &str = "whsec_";
/// Random bytes in a new secret (the specification asks for 24 to 64).
const SECRET_BYTES: usize = 24;

/// A new `whsec_` secret (24 random bytes from the operating system).
pub fn generate_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    // The OS random source failing is not something a caller can handle; without it no
    // secret can be made at all.
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    format!("{PREFIX}{}", STANDARD.encode(bytes))
}

/// The key of a secret: the base64 after `whsec_` (a bare base64 secret is accepted too).
pub fn decode_secret(secret: &str) -> Result<Vec<u8>, String> {
    let encoded = secret.trim().strip_prefix(PREFIX).unwrap_or(secret.trim());
    let key = STANDARD
        .decode(encoded)
        .map_err(|_| "the signing secret is not whsec_ followed by base64".to_string())?;
    if key.is_empty() {
        return Err("the signing secret is empty".to_string());
    }
    Ok(key)
}

fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: new_from_slice cannot fail for it.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `webhook-signature` header value.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, String> {
    let key = decode_secret(secret)?;
    let tag = mac(&key, id, timestamp, body).finalize().into_bytes();
    Ok(format!("v1,{}", STANDARD.encode(tag)))
}

/// Whether any `v1` signature of a `webhook-signature` header (several are space-separated
/// during a key rotation) is the body's under `secret`. Compared in constant time.
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let Ok(key) = decode_secret(secret) else {
        return false;
    };
    header.split(' ').any(|sig| {
        let Some(encoded) = sig.strip_prefix("v1,") else {
            return false;
        };
        let Ok(tag) = STANDARD.decode(encoded) else {
            return false;
        };
        mac(&key, id, timestamp, body).verify_slice(&tag).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example in the Standard Webhooks specification (also svix's test vector); checked
    // by hand with Python's hmac too.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn signs_the_specifications_example() {
        assert_eq!(sign(SECRET, ID, TIMESTAMP, BODY).as_deref(), Ok(SIGNATURE));
        assert!(verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE));
    }

    #[test]
    fn verify_rejects_changes_and_accepts_a_rotation_list() {
        assert!(!verify(SECRET, ID, TIMESTAMP + 1, BODY, SIGNATURE));
        assert!(!verify(SECRET, "msg_other", TIMESTAMP, BODY, SIGNATURE));
        assert!(!verify(SECRET, ID, TIMESTAMP, b"{\"test\": 1}", SIGNATURE));
        assert!(!verify(&generate_secret(), ID, TIMESTAMP, BODY, SIGNATURE));
        assert!(!verify(
            SECRET,
            ID,
            TIMESTAMP,
            BODY,
            "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        ));
        let rotated = format!("v1,AAAA {SIGNATURE}");
        assert!(verify(SECRET, ID, TIMESTAMP, BODY, &rotated));
    }

    #[test]
    fn generated_secrets_are_random_and_usable() {
        let a = generate_secret();
        let b = generate_secret();
        assert_ne!(a, b);
        assert!(a.starts_with("whsec_"));
        assert_eq!(decode_secret(&a).map(|k| k.len()), Ok(SECRET_BYTES));
        let sig = sign(&a, ID, TIMESTAMP, BODY).expect("a signature");
        assert!(verify(&a, ID, TIMESTAMP, BODY, &sig));
    }

    #[test]
    fn a_bad_secret_is_an_error_not_a_panic() {
        assert!(sign("whsec_not base64!", ID, TIMESTAMP, BODY).is_err());
        assert!(sign("whsec_", ID, TIMESTAMP, BODY).is_err());
        assert!(!verify("whsec_%%%", ID, TIMESTAMP, BODY, SIGNATURE));
    }
}
