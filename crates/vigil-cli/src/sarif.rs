//! SARIF 2.1.0 for code-scanning services. (Being written.)

use vigil_engine::api::EvaluationReport;

pub fn sarif(
    _report: &EvaluationReport,
    _tool_version: &str,
    _artifact_uris: &[String],
) -> serde_json::Value {
    todo!("sarif")
}
