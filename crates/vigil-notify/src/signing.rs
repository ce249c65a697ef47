//! Standard Webhooks signatures: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`,
//! the key being the base64 part of a `whsec_` secret.

/// A new `whsec_` secret (24 random bytes).
pub fn generate_secret() -> String {
    todo!("helper: transports")
}

/// The `webhook-signature` header value.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, String> {
    let _ = (secret, id, timestamp, body);
    todo!("helper: transports")
}
