//! Inventories as SBOMs.

use serde_json::{json, Value};

use crate::api::ComponentDto;

/// A CycloneDX 1.6 JSON document (https://cyclonedx.org/docs/1.6/json/) of the components,
/// each carrying its purl. Components are in purl order, so only the serial number and the
/// timestamp differ between two runs over the same input.
pub fn cyclonedx(components: &[ComponentDto], now: chrono::DateTime<chrono::Utc>) -> Value {
    let mut sorted: Vec<&ComponentDto> = components.iter().collect();
    sorted.sort_by(|a, b| a.purl.cmp(&b.purl));
    let components: Vec<Value> = sorted
        .into_iter()
        .map(|c| {
            let (group, name) = match c.name.rsplit_once('/') {
                Some((group, name)) if c.ecosystem == "npm" => (Some(group), name),
                _ => (None, c.name.as_str()),
            };
            let mut component = json!({
                "type": "library",
                "bom-ref": c.purl,
                "name": name,
                "purl": c.purl,
            });
            if let Some(group) = group {
                component["group"] = json!(group);
            }
            if let Some(version) = &c.version {
                component["version"] = json!(version);
            }
            if c.scope == "dev" {
                component["scope"] = json!("excluded");
            }
            if !c.evidence.is_empty() {
                component["evidence"] = json!({
                    "occurrences": c.evidence.iter().map(|location| json!({"location": location})).collect::<Vec<_>>()
                });
            }
            component
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", uuid::Uuid::new_v4()),
        "version": 1,
        "metadata": {
            "timestamp": crate::rfc3339(now),
            "tools": {"components": [{"type": "application", "name": "vigil", "version": env!("CARGO_PKG_VERSION")}]}
        },
        "components": components,
    })
}
