//! VEX documents in and out: OpenVEX (0.2.0 and the 0.0.x drafts) and CycloneDX VEX (JSON,
//! 1.4–1.6) are read into statements; waivers are written as OpenVEX 0.2.0.
//!
//! Reading is typed (serde skips every field it does not need), so a document of tens of
//! megabytes costs little more than its own size; serde_json's recursion limit bounds nesting.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::{Waiver, WaiverScope};

/// Documents larger than this are refused rather than read.
const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// The `@context` every OpenVEX document starts with (followed by `/v0.2.0` or nothing).
const OPENVEX_CONTEXT: &str = "https://openvex.dev/ns";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexFormat {
    OpenVex,
    CycloneDx,
}

impl VexFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            VexFormat::OpenVex => "openvex",
            VexFormat::CycloneDx => "cyclonedx",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexStatus {
    /// OpenVEX `not_affected`, CycloneDX `not_affected`.
    NotAffected,
    /// CycloneDX `false_positive`.
    FalsePositive,
    /// OpenVEX `affected`, CycloneDX `exploitable`.
    Affected,
    /// OpenVEX `fixed`, CycloneDX `resolved` and `resolved_with_pedigree`.
    Fixed,
    /// OpenVEX `under_investigation`, CycloneDX `in_triage`.
    UnderInvestigation,
    /// A CycloneDX vulnerability without an analysis state, or with a state this version of
    /// Vigil does not know.
    Other,
}

/// One statement about one vulnerability in some products.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexStatement {
    /// The vulnerability id as the document names it (`CVE-…`, `GHSA-…`).
    pub vulnerability: String,
    /// Other ids the document gives for it.
    pub aliases: Vec<String>,
    pub status: VexStatus,
    /// The products (components) the statement is about, as purls; entries that carry no purl
    /// are in `unnamed`.
    pub products: Vec<String>,
    /// Product references that could not be resolved to a purl (shown as skipped).
    pub unnamed: Vec<String>,
    /// OpenVEX `justification` / CycloneDX `analysis.justification`.
    pub justification: Option<String>,
    /// OpenVEX `impact_statement` or `status_notes` / CycloneDX `analysis.detail`.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexDocument {
    pub format: VexFormat,
    pub statements: Vec<VexStatement>,
}

/// Reads an OpenVEX (0.2.0) or CycloneDX (1.4–1.6, JSON) VEX document.
pub fn parse(bytes: &[u8]) -> Result<VexDocument, String> {
    parse_at_most(bytes, MAX_DOCUMENT_BYTES)
}

fn parse_at_most(bytes: &[u8], max_bytes: usize) -> Result<VexDocument, String> {
    let not_vex = |why: &str| format!("not an OpenVEX or CycloneDX VEX document: {why}");
    if bytes.len() > max_bytes {
        return Err(format!(
            "the document is {} bytes; VEX documents over {} MB are not read",
            bytes.len(),
            max_bytes / (1024 * 1024)
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        not_vex(&format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let start = text.trim_start();
    if start.is_empty() {
        return Err(not_vex("the file is empty"));
    }
    if start.starts_with('<') {
        return Err(not_vex(
            "it is XML; Vigil reads CycloneDX VEX in its JSON form",
        ));
    }
    if !start.starts_with('{') {
        return Err(not_vex("it is not a JSON object"));
    }
    let probe: Probe =
        serde_json::from_str(text).map_err(|e| not_vex(&format!("invalid JSON: {e}")))?;
    if probe.is_openvex() {
        let document: OpenVexDocument = serde_json::from_str(text)
            .map_err(|e| format!("an OpenVEX document that cannot be read: {e}"))?;
        return openvex_statements(document).map(|statements| VexDocument {
            format: VexFormat::OpenVex,
            statements,
        });
    }
    if probe.bom_format.as_ref().and_then(Value::as_str) == Some("CycloneDX") {
        let document: CycloneDxDocument = serde_json::from_str(text)
            .map_err(|e| format!("a CycloneDX document that cannot be read: {e}"))?;
        return cyclonedx_statements(document).map(|statements| VexDocument {
            format: VexFormat::CycloneDx,
            statements,
        });
    }
    let category = probe
        .document
        .as_ref()
        .and_then(|d| d.get("category"))
        .and_then(Value::as_str);
    if category.is_some_and(|c| c.starts_with("csaf_")) {
        return Err(not_vex("it is a CSAF document, which Vigil does not read"));
    }
    if let Some(context) = probe.context.as_ref() {
        return Err(not_vex(&format!(
            "its @context {} is not OpenVEX's ({OPENVEX_CONTEXT}…)",
            short(&context.to_string())
        )));
    }
    Err(not_vex(
        "it has neither an OpenVEX @context nor \"bomFormat\": \"CycloneDX\"",
    ))
}

/// The fields that tell the formats apart; everything else is skipped unread.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "@context")]
    context: Option<Value>,
    #[serde(rename = "bomFormat")]
    bom_format: Option<Value>,
    /// CSAF's document metadata.
    document: Option<Value>,
}

impl Probe {
    fn is_openvex(&self) -> bool {
        let openvex = |v: &Value| v.as_str().is_some_and(|s| s.starts_with(OPENVEX_CONTEXT));
        match &self.context {
            Some(Value::Array(items)) => items.iter().any(openvex),
            Some(context) => openvex(context),
            None => false,
        }
    }
}

fn short(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Trimmed, and `None` when empty.
fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Products in document order, each once.
#[derive(Default)]
struct Products {
    purls: Vec<String>,
    unnamed: Vec<String>,
    seen: HashSet<String>,
}

impl Products {
    fn purl(&mut self, purl: &str) {
        if self.seen.insert(format!("p{purl}")) {
            self.purls.push(purl.to_string());
        }
    }

    fn unnamed(&mut self, reference: &str) {
        if self.seen.insert(format!("u{reference}")) {
            self.unnamed.push(reference.to_string());
        }
    }
}

fn is_purl(text: &str) -> bool {
    text.starts_with("pkg:") && text.len() > 4
}

// ---------------------------------------------------------------------------------------------
// OpenVEX

#[derive(Deserialize)]
struct OpenVexDocument {
    statements: Option<Vec<OpenVexStatement>>,
}

#[derive(Deserialize)]
struct OpenVexStatement {
    vulnerability: Option<OpenVexVulnerability>,
    products: Option<Vec<OpenVexProduct>>,
    /// 0.0.x: the statement's subcomponents, beside its products.
    subcomponents: Option<Vec<OpenVexProduct>>,
    status: Option<String>,
    justification: Option<String>,
    impact_statement: Option<String>,
    status_notes: Option<String>,
    action_statement: Option<String>,
}

#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a vulnerability must be an id or an object with a name or an @id"
)]
enum OpenVexVulnerability {
    /// 0.0.x: `"vulnerability": "CVE-…"`.
    Id(String),
    Object {
        name: Option<String>,
        #[serde(rename = "@id")]
        id: Option<String>,
        aliases: Option<Vec<String>>,
    },
}

#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "each product must be a purl or an object with an @id or identifiers"
)]
enum OpenVexProduct {
    /// 0.0.x: `"products": ["pkg:…"]`.
    Id(String),
    Object(OpenVexProductObject),
}

#[derive(Deserialize)]
struct OpenVexProductObject {
    #[serde(rename = "@id")]
    id: Option<String>,
    identifiers: Option<OpenVexIdentifiers>,
    subcomponents: Option<Vec<OpenVexProduct>>,
}

#[derive(Deserialize)]
struct OpenVexIdentifiers {
    purl: Option<String>,
    /// The spec writes `cpe23`, its JSON schema `@cpe23`.
    #[serde(alias = "@cpe23")]
    cpe23: Option<String>,
    #[serde(alias = "@cpe22")]
    cpe22: Option<String>,
}

fn openvex_statements(document: OpenVexDocument) -> Result<Vec<VexStatement>, String> {
    let statements = document
        .statements
        .ok_or("an OpenVEX document without \"statements\"")?;
    statements
        .into_iter()
        .enumerate()
        .map(|(index, statement)| openvex_statement(index + 1, statement))
        .collect()
}

fn openvex_statement(number: usize, statement: OpenVexStatement) -> Result<VexStatement, String> {
    let (vulnerability, aliases) = match statement.vulnerability {
        Some(OpenVexVulnerability::Id(id)) => (non_empty(Some(id)), Vec::new()),
        Some(OpenVexVulnerability::Object { name, id, aliases }) => (
            non_empty(name).or_else(|| non_empty(id).map(|id| id_from_iri(&id))),
            aliases
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| non_empty(Some(a)))
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    let vulnerability = vulnerability
        .ok_or_else(|| format!("OpenVEX statement {number} names no vulnerability"))?;
    let status = match statement.status.as_deref().map(str::trim) {
        Some("not_affected") => VexStatus::NotAffected,
        Some("affected") => VexStatus::Affected,
        Some("fixed") => VexStatus::Fixed,
        Some("under_investigation") => VexStatus::UnderInvestigation,
        Some(other) => {
            return Err(format!(
                "OpenVEX statement {number} ({vulnerability}): unknown status {:?} (OpenVEX has \
                 not_affected, affected, fixed and under_investigation)",
                short(other)
            ))
        }
        None => {
            return Err(format!(
                "OpenVEX statement {number} ({vulnerability}) has no status"
            ))
        }
    };
    let mut products = Products::default();
    match statement.subcomponents.filter(|s| !s.is_empty()) {
        // 0.0.x: the subcomponents are what the statement is about.
        Some(subcomponents) => subcomponents
            .iter()
            .for_each(|s| openvex_product(s, &mut products)),
        None => {
            for product in statement.products.iter().flatten() {
                let subcomponents = match product {
                    OpenVexProduct::Object(object) => {
                        object.subcomponents.as_deref().filter(|s| !s.is_empty())
                    }
                    OpenVexProduct::Id(_) => None,
                };
                match subcomponents {
                    Some(subcomponents) => subcomponents
                        .iter()
                        .for_each(|s| openvex_product(s, &mut products)),
                    None => openvex_product(product, &mut products),
                }
            }
        }
    }
    if products.purls.is_empty() && products.unnamed.is_empty() {
        products.unnamed("(no product given)");
    }
    let detail = non_empty(statement.impact_statement)
        .or_else(|| non_empty(statement.status_notes))
        .or_else(|| non_empty(statement.action_statement));
    Ok(VexStatement {
        aliases: aliases
            .into_iter()
            .filter(|a| *a != vulnerability)
            .collect(),
        vulnerability,
        status,
        products: products.purls,
        unnamed: products.unnamed,
        justification: non_empty(statement.justification),
        detail,
    })
}

/// `https://nvd.nist.gov/vuln/detail/CVE-2019-17571` → `CVE-2019-17571`; anything else as is.
fn id_from_iri(id: &str) -> String {
    if id.starts_with("https://") || id.starts_with("http://") {
        if let Some(last) = id.trim_end_matches('/').rsplit('/').next() {
            if !last.is_empty() && !last.contains(':') {
                return last.to_string();
            }
        }
    }
    id.to_string()
}

/// One product (never its subcomponents: the caller decides which level counts).
fn openvex_product(product: &OpenVexProduct, products: &mut Products) {
    match product {
        OpenVexProduct::Id(id) => {
            let id = id.trim();
            if is_purl(id) {
                products.purl(id);
            } else {
                products.unnamed(id);
            }
        }
        OpenVexProduct::Object(object) => {
            let id = object.id.as_deref().map(str::trim);
            let identifiers = object.identifiers.as_ref();
            let purl = id.filter(|id| is_purl(id)).or_else(|| {
                identifiers
                    .and_then(|i| i.purl.as_deref())
                    .map(str::trim)
                    .filter(|p| is_purl(p))
            });
            match purl {
                Some(purl) => products.purl(purl),
                None => {
                    let name = id
                        .filter(|id| !id.is_empty())
                        .or_else(|| identifiers.and_then(|i| i.cpe23.as_deref()))
                        .or_else(|| identifiers.and_then(|i| i.cpe22.as_deref()))
                        .unwrap_or("(a product without @id)");
                    products.unnamed(name);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CycloneDX

#[derive(Deserialize)]
struct CycloneDxDocument {
    metadata: Option<CycloneDxMetadata>,
    components: Option<Vec<CycloneDxComponent>>,
    vulnerabilities: Option<Vec<CycloneDxVulnerability>>,
}

#[derive(Deserialize)]
struct CycloneDxMetadata {
    component: Option<CycloneDxComponent>,
}

#[derive(Deserialize)]
struct CycloneDxComponent {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    purl: Option<String>,
    components: Option<Vec<CycloneDxComponent>>,
}

#[derive(Deserialize)]
struct CycloneDxVulnerability {
    id: Option<String>,
    references: Option<Vec<CycloneDxReference>>,
    analysis: Option<CycloneDxAnalysis>,
    affects: Option<Vec<CycloneDxAffect>>,
}

#[derive(Deserialize)]
struct CycloneDxReference {
    id: Option<String>,
}

#[derive(Deserialize)]
struct CycloneDxAnalysis {
    state: Option<String>,
    justification: Option<String>,
    detail: Option<String>,
}

#[derive(Deserialize)]
struct CycloneDxAffect {
    #[serde(rename = "ref")]
    reference: Option<String>,
    versions: Option<Vec<CycloneDxVersion>>,
}

#[derive(Deserialize)]
struct CycloneDxVersion {
    version: Option<String>,
    range: Option<String>,
    status: Option<String>,
}

fn cyclonedx_statements(document: CycloneDxDocument) -> Result<Vec<VexStatement>, String> {
    let vulnerabilities = document.vulnerabilities.ok_or(
        "not an OpenVEX or CycloneDX VEX document: the CycloneDX document has no \
         \"vulnerabilities\" (it is an SBOM, not a VEX)",
    )?;
    // bom-ref → the purl of the component it names (None: a component without one).
    let mut refs: HashMap<String, Option<String>> = HashMap::new();
    let mut pending: Vec<CycloneDxComponent> = document.components.unwrap_or_default();
    pending.extend(document.metadata.and_then(|m| m.component));
    while let Some(component) = pending.pop() {
        if let Some(bom_ref) = non_empty(component.bom_ref) {
            let purl = non_empty(component.purl).filter(|p| is_purl(p));
            refs.entry(bom_ref).or_insert(purl);
        }
        pending.extend(component.components.into_iter().flatten());
    }
    vulnerabilities
        .into_iter()
        .enumerate()
        .map(|(index, vulnerability)| cyclonedx_statement(index + 1, vulnerability, &refs))
        .collect()
}

fn cyclonedx_statement(
    number: usize,
    vulnerability: CycloneDxVulnerability,
    refs: &HashMap<String, Option<String>>,
) -> Result<VexStatement, String> {
    let id = non_empty(vulnerability.id)
        .ok_or_else(|| format!("CycloneDX vulnerability {number} has no id"))?;
    let mut aliases: Vec<String> = Vec::new();
    for reference in vulnerability.references.into_iter().flatten() {
        if let Some(alias) = non_empty(reference.id) {
            if alias != id && !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
    }
    let analysis = vulnerability.analysis;
    let state = analysis
        .as_ref()
        .and_then(|a| a.state.as_deref())
        .map(str::trim);
    let status = match state {
        Some("not_affected") => VexStatus::NotAffected,
        Some("false_positive") => VexStatus::FalsePositive,
        Some("exploitable") => VexStatus::Affected,
        Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
        Some("in_triage") => VexStatus::UnderInvestigation,
        Some(_) | None => VexStatus::Other,
    };
    let acceptance = matches!(status, VexStatus::NotAffected | VexStatus::FalsePositive);
    let mut products = Products::default();
    for affect in vulnerability.affects.into_iter().flatten() {
        let Some(reference) = non_empty(affect.reference) else {
            products.unnamed("(an affects entry without ref)");
            continue;
        };
        let Some(purl) = resolve_cyclonedx_ref(&reference, refs) else {
            products.unnamed(&reference);
            continue;
        };
        let versions = affect.versions.unwrap_or_default();
        if versions.is_empty() || purl_version_at(&purl).is_some() {
            products.purl(&purl);
            continue;
        }
        // A versionless purl narrowed by a list of versions: each exact version is a product
        // of its own; ranges cannot be named.
        for entry in versions {
            let status = entry.status.as_deref().map(str::trim);
            match (non_empty(entry.version), non_empty(entry.range)) {
                (Some(version), _) if acceptance && status == Some("affected") => {
                    products.unnamed(&format!("{purl} version {version} (marked affected)"))
                }
                (Some(version), _) => products.purl(&with_version(&purl, &version)),
                (None, Some(range)) => products.unnamed(&format!("{purl} versions {range}")),
                (None, None) => {
                    products.unnamed(&format!("{purl} (a version entry without a version)"))
                }
            }
        }
    }
    if products.purls.is_empty() && products.unnamed.is_empty() {
        products.unnamed("(no affects given)");
    }
    let (justification, detail) = match analysis {
        Some(analysis) => (
            non_empty(analysis.justification),
            non_empty(analysis.detail),
        ),
        None => (None, None),
    };
    Ok(VexStatement {
        vulnerability: id,
        aliases,
        status,
        products: products.purls,
        unnamed: products.unnamed,
        justification,
        detail,
    })
}

/// A `bom-ref` of this document, a purl, or a BOM-link (`urn:cdx:serial/version#bom-ref`),
/// resolved to a purl.
fn resolve_cyclonedx_ref(
    reference: &str,
    refs: &HashMap<String, Option<String>>,
) -> Option<String> {
    if let Some(link) = reference.strip_prefix("urn:cdx:") {
        let (_, fragment) = link.split_once('#')?;
        let decoded = percent_decode(fragment);
        for candidate in [fragment, decoded.as_str()] {
            if let Some(found) = refs.get(candidate) {
                return found.clone();
            }
        }
        // A BOM-link into another BOM: its bom-ref is very often the component's purl.
        return [fragment, decoded.as_str()]
            .into_iter()
            .find(|f| is_purl(f))
            .map(str::to_string);
    }
    if let Some(found) = refs.get(reference) {
        return found
            .clone()
            .or_else(|| is_purl(reference).then(|| reference.to_string()));
    }
    is_purl(reference).then(|| reference.to_string())
}

/// `%XX` sequences decoded; invalid ones (and non-UTF-8 results) left as they were.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Where a purl's `@version` starts: the last `@` after the last `/` of the part before the
/// qualifiers and subpath.
fn purl_version_at(purl: &str) -> Option<usize> {
    let head_end = purl.find(['?', '#']).unwrap_or(purl.len());
    let head = &purl[..head_end];
    let name_start = head.rfind('/').map_or(0, |slash| slash + 1);
    head[name_start..].rfind('@').map(|at| name_start + at)
}

/// The purl without its version (qualifiers and subpath kept).
fn without_version(purl: &str) -> String {
    match purl_version_at(purl) {
        Some(at) => {
            let rest = purl[at..]
                .find(['?', '#'])
                .map_or("", |end| &purl[at + end..]);
            format!("{}{rest}", &purl[..at])
        }
        None => purl.to_string(),
    }
}

/// A versionless purl with `version` put in before its qualifiers.
fn with_version(purl: &str, version: &str) -> String {
    let at = purl.find(['?', '#']).unwrap_or(purl.len());
    format!("{}@{version}{}", &purl[..at], &purl[at..])
}

// ---------------------------------------------------------------------------------------------
// Export

/// Waivers as an OpenVEX 0.2.0 document: one `not_affected` statement per waiver that names an
/// advisory (a waiver of a whole policy has no vulnerability to state and is left out).
///
/// The waiver's reason is the `impact_statement`; a `justification` is given instead only when
/// the reason is one an imported VEX statement wrote (`VEX not_affected (code_not_present): …`)
/// and names one OpenVEX knows (the reason then opens the `status_notes`). The `@id` is a hash of the content, so the same waivers give the
/// same document.
pub fn to_openvex(waivers: &[Waiver], author: &str, timestamp: &str) -> String {
    let mut entries: Vec<(&str, String, &Waiver)> = waivers
        .iter()
        .filter_map(|waiver| {
            let advisory = waiver.advisory.as_deref().map(str::trim)?;
            if advisory.is_empty() {
                return None;
            }
            let component = waiver.component.trim();
            let product = if waiver.all_versions {
                without_version(component)
            } else {
                component.to_string()
            };
            Some((advisory, product, waiver))
        })
        .collect();
    entries.sort_by(|a, b| {
        a.0.cmp(b.0)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.reason.cmp(&b.2.reason))
            .then_with(|| a.2.id.cmp(&b.2.id))
    });
    let statements: Vec<Value> = entries
        .into_iter()
        .map(|(advisory, product, waiver)| {
            let mut statement = Map::new();
            statement.insert("vulnerability".into(), json!({ "name": advisory }));
            if !waiver.created_at.trim().is_empty() {
                statement.insert("timestamp".into(), json!(waiver.created_at.trim()));
            }
            statement.insert("products".into(), json!([{ "@id": product }]));
            statement.insert("status".into(), json!("not_affected"));
            // OpenVEX's schema takes a justification or an impact statement, not both: with a
            // justification, the reason goes into the notes.
            match justification_from_reason(&waiver.reason) {
                Some(justification) => {
                    statement.insert("justification".into(), json!(justification));
                    statement.insert(
                        "status_notes".into(),
                        json!(format!("{} ({})", waiver.reason, waiver_note(waiver))),
                    );
                }
                None => {
                    statement.insert("impact_statement".into(), json!(waiver.reason));
                    statement.insert("status_notes".into(), json!(waiver_note(waiver)));
                }
            }
            Value::Object(statement)
        })
        .collect();
    let author = match author.trim() {
        "" => "unknown",
        author => author,
    };
    let statements = Value::Array(statements);
    let digest = Sha256::digest(format!("{author}\n{statements}").as_bytes());
    let document = json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("https://vigil.local/vex/{}", hex(&digest)),
        "author": author,
        "timestamp": timestamp,
        "version": 1,
        "tooling": "Vigil",
        "statements": statements,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values always serialise");
    text.push('\n');
    text
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `VEX not_affected (code_not_present): …` → `vulnerable_code_not_present`, for the
/// justifications that have one plain OpenVEX equivalent.
fn justification_from_reason(reason: &str) -> Option<&'static str> {
    let rest = reason
        .strip_prefix("VEX not_affected (")
        .or_else(|| reason.strip_prefix("VEX false_positive ("))?;
    let (justification, _) = rest.split_once(')')?;
    Some(match justification {
        "component_not_present" => "component_not_present",
        "vulnerable_code_not_present" | "code_not_present" => "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path" | "code_not_reachable" => {
            "vulnerable_code_not_in_execute_path"
        }
        "vulnerable_code_cannot_be_controlled_by_adversary" => {
            "vulnerable_code_cannot_be_controlled_by_adversary"
        }
        "inline_mitigations_already_exist" => "inline_mitigations_already_exist",
        _ => return None,
    })
}

/// Where and until when the waiver holds, for the reader of the exported document.
fn waiver_note(waiver: &Waiver) -> String {
    let scope = match &waiver.scope {
        WaiverScope::Application(name) => format!("for application {name}"),
        WaiverScope::Organization(name) => format!("for organization {name}"),
        WaiverScope::Everywhere => "everywhere".to_string(),
    };
    let policy = match &waiver.policy {
        Some(policy) => format!("policy {policy}"),
        None => "every policy".to_string(),
    };
    let versions = if waiver.all_versions {
        ", every version"
    } else {
        ""
    };
    format!(
        "Vigil waiver {} {scope}, {policy}{versions}, until {}",
        waiver.id,
        waiver.expires.format("%Y-%m-%d")
    )
}

#[cfg(test)]
mod tests;
