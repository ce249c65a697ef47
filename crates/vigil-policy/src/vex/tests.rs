use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::*;

fn statement(
    vulnerability: &str,
    status: VexStatus,
    products: &[&str],
    unnamed: &[&str],
) -> VexStatement {
    VexStatement {
        vulnerability: vulnerability.into(),
        aliases: Vec::new(),
        status,
        products: products.iter().map(|p| p.to_string()).collect(),
        unnamed: unnamed.iter().map(|p| p.to_string()).collect(),
        justification: None,
        detail: None,
    }
}

fn parse_ok(text: &str) -> VexDocument {
    parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(bytes: &[u8]) -> String {
    match parse(bytes) {
        Ok(document) => panic!("expected an error, read {document:?}"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------------------------
// OpenVEX

#[test]
fn openvex_0_2_0_spec_example_reads_statuses_products_and_justifications() {
    let document = parse_ok(
        r#"{
          "@context": "https://openvex.dev/ns/v0.2.0",
          "@id": "https://openvex.dev/docs/example/vex-9fb3463de1b57",
          "author": "Wolfi J Inkinson",
          "role": "Document Creator",
          "timestamp": "2023-01-08T18:02:03.647787998-06:00",
          "version": 1,
          "statements": [
            {
              "vulnerability": {"name": "CVE-2014-123456"},
              "products": [
                {"@id": "pkg:apk/distro/git@2.39.0-r1?arch=armv7"},
                {"@id": "pkg:apk/distro/git@2.39.0-r1?arch=x86_64"}
              ],
              "status": "fixed"
            },
            {
              "vulnerability": {
                "@id": "https://nvd.nist.gov/vuln/detail/CVE-2019-17571",
                "name": "CVE-2019-17571",
                "description": "Included in Log4j 1.2 is a SocketServer class...",
                "aliases": ["GHSA-2qrg-x229-3v8q", "CVE-2019-17571"]
              },
              "timestamp": "2023-01-09T10:00:00Z",
              "products": [{"@id": "pkg:maven/log4j/log4j@1.2.17"}],
              "status": "not_affected",
              "justification": "vulnerable_code_not_in_execute_path",
              "impact_statement": "SocketServer is never started",
              "status_notes": "checked by the platform team"
            },
            {
              "vulnerability": {"name": "CVE-2023-0001"},
              "products": [{"@id": "pkg:npm/left-pad@1.3.0"}],
              "status": "affected",
              "action_statement": "Upgrade to 1.3.1"
            },
            {
              "vulnerability": {"name": "CVE-2023-0002"},
              "products": [{"@id": "pkg:npm/left-pad@1.3.0"}],
              "status": "under_investigation",
              "status_notes": "looking"
            }
          ]
        }"#,
    );
    assert_eq!(document.format, VexFormat::OpenVex);
    let mut log4j = statement(
        "CVE-2019-17571",
        VexStatus::NotAffected,
        &["pkg:maven/log4j/log4j@1.2.17"],
        &[],
    );
    log4j.aliases = vec!["GHSA-2qrg-x229-3v8q".into()];
    log4j.justification = Some("vulnerable_code_not_in_execute_path".into());
    log4j.detail = Some("SocketServer is never started".into());
    let mut affected = statement(
        "CVE-2023-0001",
        VexStatus::Affected,
        &["pkg:npm/left-pad@1.3.0"],
        &[],
    );
    affected.detail = Some("Upgrade to 1.3.1".into());
    let mut investigating = statement(
        "CVE-2023-0002",
        VexStatus::UnderInvestigation,
        &["pkg:npm/left-pad@1.3.0"],
        &[],
    );
    investigating.detail = Some("looking".into());
    assert_eq!(
        document.statements,
        vec![
            statement(
                "CVE-2014-123456",
                VexStatus::Fixed,
                &[
                    "pkg:apk/distro/git@2.39.0-r1?arch=armv7",
                    "pkg:apk/distro/git@2.39.0-r1?arch=x86_64"
                ],
                &[]
            ),
            log4j,
            affected,
            investigating,
        ]
    );
}

#[test]
fn openvex_subcomponents_are_the_products_of_a_statement() {
    let document = parse_ok(
        r#"{
          "@context": "https://openvex.dev/ns/v0.2.0",
          "@id": "https://example.com/vex/1",
          "author": "Example",
          "timestamp": "2023-06-01T00:00:00Z",
          "version": 1,
          "statements": [{
            "vulnerability": {"name": "CVE-2023-2650"},
            "products": [
              {
                "@id": "pkg:oci/example@sha256:47fed8868b46b060efb8699dc40e981a0c785650223e03602d8c4493fc75b68c",
                "subcomponents": [
                  {"@id": "pkg:apk/alpine/libcrypto3@3.0.8-r3"},
                  {"@id": "pkg:apk/alpine/libssl3@3.0.8-r3"}
                ]
              },
              {"@id": "pkg:npm/lodash@4.17.21"}
            ],
            "status": "not_affected",
            "justification": "vulnerable_code_not_present"
          }]
        }"#,
    );
    let mut expected = statement(
        "CVE-2023-2650",
        VexStatus::NotAffected,
        &[
            "pkg:apk/alpine/libcrypto3@3.0.8-r3",
            "pkg:apk/alpine/libssl3@3.0.8-r3",
            "pkg:npm/lodash@4.17.21",
        ],
        &[],
    );
    expected.justification = Some("vulnerable_code_not_present".into());
    assert_eq!(document.statements, vec![expected]);
}

#[test]
fn openvex_products_without_a_purl_are_unnamed() {
    let document = parse_ok(
        r#"{
          "@context": "https://openvex.dev/ns/v0.2.0",
          "statements": [{
            "vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"},
            "products": [
              {"@id": "https://example.com/products/widget", "identifiers": {"purl": "pkg:maven/org.example/widget@1.0"}},
              {"@id": "https://example.com/products/gadget"},
              {"identifiers": {"cpe23": "cpe:2.3:a:example:gizmo:1.0:*:*:*:*:*:*:*"}},
              {"identifiers": {"@cpe22": "cpe:/a:example:gizmo:2.0"}},
              {"hashes": {"sha-256": "abc"}},
              {"@id": "pkg:maven/org.example/widget@1.0"}
            ],
            "status": "not_affected",
            "impact_statement": "not used"
          }]
        }"#,
    );
    let mut expected = statement(
        "CVE-2021-44228",
        VexStatus::NotAffected,
        &["pkg:maven/org.example/widget@1.0"],
        &[
            "https://example.com/products/gadget",
            "cpe:2.3:a:example:gizmo:1.0:*:*:*:*:*:*:*",
            "cpe:/a:example:gizmo:2.0",
            "(a product without @id)",
        ],
    );
    expected.detail = Some("not used".into());
    assert_eq!(document.statements, vec![expected]);
}

#[test]
fn openvex_0_0_x_documents_with_string_ids_are_read() {
    // The 0.0.1 shape: vulnerability and products as strings, subcomponents on the statement.
    let document = parse_ok(
        r#"{
          "@context": "https://openvex.dev/ns",
          "@id": "https://openvex.dev/docs/public/vex-2e67563e128250cbcb3e98930df948dd053e43271d70dc50cfa22d57e03fe96f",
          "author": "Wolfi J Inkinson",
          "role": "Document Creator",
          "timestamp": "2023-01-08T18:02:03.647787998-06:00",
          "version": "1",
          "statements": [
            {
              "vulnerability": "CVE-2023-12345",
              "products": ["pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"],
              "status": "not_affected",
              "justification": "component_not_present"
            },
            {
              "vulnerability": "CVE-2023-54321",
              "products": ["pkg:oci/example@sha256:0000"],
              "subcomponents": ["pkg:golang/github.com/x/y@v1.0.0"],
              "status": "affected"
            },
            {
              "vulnerability": "CVE-2023-99999",
              "products": ["example-product-1.0"],
              "status": "not_affected",
              "status_notes": "not shipped"
            }
          ]
        }"#,
    );
    let mut first = statement(
        "CVE-2023-12345",
        VexStatus::NotAffected,
        &["pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"],
        &[],
    );
    first.justification = Some("component_not_present".into());
    let mut third = statement(
        "CVE-2023-99999",
        VexStatus::NotAffected,
        &[],
        &["example-product-1.0"],
    );
    third.detail = Some("not shipped".into());
    assert_eq!(
        document.statements,
        vec![
            first,
            statement(
                "CVE-2023-54321",
                VexStatus::Affected,
                &["pkg:golang/github.com/x/y@v1.0.0"],
                &[]
            ),
            third,
        ]
    );
}

#[test]
fn openvex_context_may_be_a_list() {
    let document = parse_ok(
        r#"{"@context": ["https://example.com/extra", "https://openvex.dev/ns/v0.2.0"],
            "statements": []}"#,
    );
    assert_eq!(document.format, VexFormat::OpenVex);
    assert!(document.statements.is_empty());
}

#[test]
fn openvex_statement_without_products_is_reported_as_unnamed() {
    let document = parse_ok(
        r#"{"@context": "https://openvex.dev/ns/v0.2.0",
            "statements": [{"vulnerability": {"name": "CVE-1"}, "status": "not_affected"}]}"#,
    );
    assert_eq!(
        document.statements,
        vec![statement(
            "CVE-1",
            VexStatus::NotAffected,
            &[],
            &["(no product given)"]
        )]
    );
}

#[test]
fn malformed_openvex_statements_are_clear_errors() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"@context": "https://openvex.dev/ns/v0.2.0"}"#,
            "an OpenVEX document without \"statements\"",
        ),
        (
            r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
                {"vulnerability": {"name": "CVE-1"}, "products": ["pkg:npm/a@1"], "status": "not_affected"},
                {"products": ["pkg:npm/a@1"], "status": "not_affected"}]}"#,
            "OpenVEX statement 2 names no vulnerability",
        ),
        (
            r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
                {"vulnerability": {"name": "CVE-1"}, "products": ["pkg:npm/a@1"], "status": "fine"}]}"#,
            "OpenVEX statement 1 (CVE-1): unknown status \"fine\" (OpenVEX has not_affected, \
             affected, fixed and under_investigation)",
        ),
        (
            r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
                {"vulnerability": {"name": "CVE-1"}, "products": ["pkg:npm/a@1"]}]}"#,
            "OpenVEX statement 1 (CVE-1) has no status",
        ),
        (
            "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [\n\
             {\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [42], \"status\": \"fixed\"}]}",
            "an OpenVEX document that cannot be read: each product must be a purl or an object \
             with an @id or identifiers at line 2 column 53",
        ),
        (
            "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": {}}",
            "an OpenVEX document that cannot be read: invalid type: map, expected a sequence at \
             line 1 column 60",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_err(text.as_bytes()), *expected, "for {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// CycloneDX

#[test]
fn cyclonedx_vex_resolves_bom_refs_of_nested_components() {
    let document = parse_ok(
        r#"{
          "bomFormat": "CycloneDX",
          "specVersion": "1.5",
          "version": 1,
          "metadata": {
            "component": {"type": "application", "name": "shop", "bom-ref": "shop-app"}
          },
          "components": [
            {
              "type": "library", "name": "spring-web", "bom-ref": "spring-web",
              "purl": "pkg:maven/org.springframework/spring-web@5.3.20",
              "components": [
                {"type": "library", "name": "log4j-core", "bom-ref": "log4j",
                 "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"}
              ]
            },
            {"type": "library", "name": "vendored", "bom-ref": "vendored-c-lib"}
          ],
          "vulnerabilities": [
            {
              "id": "CVE-2021-44228",
              "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"},
              "references": [
                {"id": "GHSA-jfh8-c2jp-5v3q", "source": {"name": "GitHub"}},
                {"id": "CVE-2021-44228"}
              ],
              "analysis": {
                "state": "not_affected",
                "justification": "code_not_reachable",
                "response": ["will_not_fix"],
                "detail": "JNDI lookups are disabled"
              },
              "affects": [
                {"ref": "log4j"},
                {"ref": "vendored-c-lib"},
                {"ref": "shop-app"},
                {"ref": "no-such-ref"},
                {"ref": "pkg:npm/lodash@4.17.20"}
              ]
            },
            {
              "id": "CVE-2022-22965",
              "analysis": {"state": "false_positive"},
              "affects": [{"ref": "spring-web"}]
            }
          ]
        }"#,
    );
    assert_eq!(document.format, VexFormat::CycloneDx);
    let mut log4j = statement(
        "CVE-2021-44228",
        VexStatus::NotAffected,
        &[
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
            "pkg:npm/lodash@4.17.20",
        ],
        &["vendored-c-lib", "shop-app", "no-such-ref"],
    );
    log4j.aliases = vec!["GHSA-jfh8-c2jp-5v3q".into()];
    log4j.justification = Some("code_not_reachable".into());
    log4j.detail = Some("JNDI lookups are disabled".into());
    assert_eq!(
        document.statements,
        vec![
            log4j,
            statement(
                "CVE-2022-22965",
                VexStatus::FalsePositive,
                &["pkg:maven/org.springframework/spring-web@5.3.20"],
                &[]
            ),
        ]
    );
}

#[test]
fn cyclonedx_analysis_states_map_to_statuses() {
    let cases = [
        (Some("not_affected"), VexStatus::NotAffected),
        (Some("false_positive"), VexStatus::FalsePositive),
        (Some("exploitable"), VexStatus::Affected),
        (Some("resolved"), VexStatus::Fixed),
        (Some("resolved_with_pedigree"), VexStatus::Fixed),
        (Some("in_triage"), VexStatus::UnderInvestigation),
        (Some("something_new"), VexStatus::Other),
        (None, VexStatus::Other),
    ];
    for (state, expected) in cases {
        let analysis = match state {
            Some(state) => format!(r#", "analysis": {{"state": "{state}"}}"#),
            None => String::new(),
        };
        let text = format!(
            r#"{{"bomFormat": "CycloneDX", "specVersion": "1.4", "vulnerabilities": [
                {{"id": "CVE-1", "affects": [{{"ref": "pkg:npm/a@1"}}]{analysis}}}]}}"#
        );
        let document = parse_ok(&text);
        assert_eq!(document.statements[0].status, expected, "for {state:?}");
    }
}

#[test]
fn cyclonedx_bom_links_resolve_against_the_document_or_name_a_purl() {
    let document = parse_ok(
        r#"{
          "bomFormat": "CycloneDX",
          "specVersion": "1.6",
          "components": [
            {"name": "core", "bom-ref": "pkg:npm/%40angular/core@15.0.0",
             "purl": "pkg:npm/%40angular/core@15.0.0"},
            {"name": "lib", "bom-ref": "lib ref", "purl": "pkg:pypi/requests@2.31.0"}
          ],
          "vulnerabilities": [{
            "id": "CVE-2023-1",
            "analysis": {"state": "not_affected", "justification": "code_not_present"},
            "affects": [
              {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:npm/%40angular/core@15.0.0"},
              {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#lib%20ref"},
              {"ref": "urn:cdx:aaaaaaaa-395b-41f5-a30f-a58921a69b79/2#pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"},
              {"ref": "urn:cdx:aaaaaaaa-395b-41f5-a30f-a58921a69b79/2#product-ABC"},
              {"ref": "urn:cdx:aaaaaaaa-395b-41f5-a30f-a58921a69b79/2"}
            ]
          }]
        }"#,
    );
    let mut expected = statement(
        "CVE-2023-1",
        VexStatus::NotAffected,
        &[
            "pkg:npm/%40angular/core@15.0.0",
            "pkg:pypi/requests@2.31.0",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar",
        ],
        &[
            "urn:cdx:aaaaaaaa-395b-41f5-a30f-a58921a69b79/2#product-ABC",
            "urn:cdx:aaaaaaaa-395b-41f5-a30f-a58921a69b79/2",
        ],
    );
    expected.justification = Some("code_not_present".into());
    assert_eq!(document.statements, vec![expected]);
}

#[test]
fn cyclonedx_versions_of_a_versionless_purl_become_products_of_their_own() {
    let document = parse_ok(
        r#"{
          "bomFormat": "CycloneDX",
          "specVersion": "1.5",
          "components": [{"bom-ref": "jd", "purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind?type=jar"}],
          "vulnerabilities": [{
            "id": "CVE-2020-25649",
            "analysis": {"state": "not_affected"},
            "affects": [
              {"ref": "jd", "versions": [
                {"version": "2.10.0", "status": "unaffected"},
                {"version": "2.10.1"},
                {"version": "2.9.0", "status": "affected"},
                {"range": "vers:maven/>=2.11.0|<2.12.0", "status": "unaffected"}
              ]},
              {"ref": "pkg:npm/a@1.0.0", "versions": [{"version": "2.0.0"}]}
            ]
          }]
        }"#,
    );
    assert_eq!(
        document.statements,
        vec![statement(
            "CVE-2020-25649",
            VexStatus::NotAffected,
            &[
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar",
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1?type=jar",
                "pkg:npm/a@1.0.0",
            ],
            &[
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind?type=jar version 2.9.0 \
                 (marked affected)",
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind?type=jar versions \
                 vers:maven/>=2.11.0|<2.12.0",
            ],
        )]
    );
}

#[test]
fn cyclonedx_without_vulnerabilities_or_ids_is_a_clear_error() {
    assert_eq!(
        parse_err(br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}"#),
        "not an OpenVEX or CycloneDX VEX document: the CycloneDX document has no \
         \"vulnerabilities\" (it is an SBOM, not a VEX)"
    );
    assert_eq!(
        parse_err(
            br#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "CVE-1"}, {"analysis": {}}]}"#
        ),
        "CycloneDX vulnerability 2 has no id"
    );
    let empty = parse_ok(r#"{"bomFormat": "CycloneDX", "vulnerabilities": []}"#);
    assert_eq!(empty.format, VexFormat::CycloneDx);
    assert!(empty.statements.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Detection and hostile input

#[test]
fn documents_of_other_kinds_are_refused_with_the_reason() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "the file is empty"),
        (b"  \n ", "the file is empty"),
        (
            b"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>",
            "it is XML; Vigil reads CycloneDX VEX in its JSON form",
        ),
        (b"[1, 2]", "it is not a JSON object"),
        (
            br#"{"spdxVersion": "SPDX-2.3"}"#,
            "it has neither an OpenVEX @context nor \"bomFormat\": \"CycloneDX\"",
        ),
        (
            br#"{"bomFormat": "SPDX"}"#,
            "it has neither an OpenVEX @context nor \"bomFormat\": \"CycloneDX\"",
        ),
        (
            br#"{"document": {"category": "csaf_vex", "csaf_version": "2.0"}}"#,
            "it is a CSAF document, which Vigil does not read",
        ),
        (
            br#"{"@context": "https://www.w3.org/ns/activitystreams"}"#,
            "its @context \"https://www.w3.org/ns/activitystreams\" is not OpenVEX's \
             (https://openvex.dev/ns…)",
        ),
        (
            b"\xff\xfe{\x00}\x00",
            "not UTF-8 text (invalid byte at offset 0)",
        ),
        (
            b"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [\xc3\x28]}",
            "not UTF-8 text (invalid byte at offset 61)",
        ),
        (
            br#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerab"#,
            "invalid JSON: EOF while parsing a string at line 1 column 71",
        ),
        (
            b"{\"bomFormat\": \"CycloneDX\",\n \"vulnerabilities\": [}",
            "invalid JSON: expected value at line 2 column 22",
        ),
    ];
    for (bytes, why) in cases {
        assert_eq!(
            parse_err(bytes),
            format!("not an OpenVEX or CycloneDX VEX document: {why}"),
            "for {}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn a_utf8_byte_order_mark_is_allowed() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(br#"{"bomFormat": "CycloneDX", "vulnerabilities": []}"#);
    assert_eq!(parse(&bytes).unwrap().format, VexFormat::CycloneDx);
}

#[test]
fn deep_nesting_stops_at_the_recursion_limit() {
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let cases = [
        (
            format!(r#"{{"@context": "https://openvex.dev/ns/v0.2.0", "statements": {nested}}}"#),
            "an OpenVEX document that cannot be read: recursion limit exceeded at line 1 column 187",
        ),
        (
            format!(r#"{{"bomFormat": "CycloneDX", "components": {nested}}}"#),
            "a CycloneDX document that cannot be read: invalid type: sequence, expected a string at line 1 column 43",
        ),
        // What no format reads is skipped without recursing.
        (
            format!(r#"{{"x": {nested}}}"#),
            "not an OpenVEX or CycloneDX VEX document: it has neither an OpenVEX @context nor \
             \"bomFormat\": \"CycloneDX\"",
        ),
        (
            format!(r#"{{"@context": {nested}}}"#),
            "not an OpenVEX or CycloneDX VEX document: invalid JSON: recursion limit exceeded at \
             line 1 column 140",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_err(text.as_bytes()), expected);
    }
    // Components inside components, deeper than serde_json allows.
    let depth = 200;
    let text = format!(
        r#"{{"bomFormat": "CycloneDX", "vulnerabilities": [], "components": [{}{}]}}"#,
        r#"{"bom-ref": "a", "components": ["#.repeat(depth),
        "]}".repeat(depth)
    );
    let error = parse_err(text.as_bytes());
    assert!(
        error.starts_with("a CycloneDX document that cannot be read: recursion limit exceeded"),
        "{error}"
    );
}

#[test]
fn fifty_megabytes_of_statements_are_read() {
    let one = r#"{"vulnerability": {"name": "CVE-2024-00000", "aliases": ["GHSA-aaaa-bbbb-cccc"]}, "products": [{"@id": "pkg:npm/some-package-name@1.2.3", "subcomponents": [{"@id": "pkg:npm/dep@0.0.1"}]}], "status": "not_affected", "justification": "vulnerable_code_not_present", "impact_statement": "padding padding padding padding padding padding padding padding"}"#;
    let count = 50 * 1024 * 1024 / (one.len() + 1);
    let mut text = String::with_capacity(50 * 1024 * 1024 + 1024);
    text.push_str(r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": ["#);
    for i in 0..count {
        if i > 0 {
            text.push(',');
        }
        text.push_str(one);
    }
    text.push_str("]}");
    assert!(text.len() > 50 * 1000 * 1000);
    let document = parse_ok(&text);
    assert_eq!(document.statements.len(), count);
    assert_eq!(
        document.statements[count - 1].products,
        ["pkg:npm/dep@0.0.1"]
    );
}

#[test]
fn over_large_documents_are_refused_unread() {
    assert_eq!(MAX_DOCUMENT_BYTES, 256 * 1024 * 1024);
    let text = vec![b' '; 3 * 1024 * 1024 + 1];
    assert_eq!(
        parse_at_most(&text, 3 * 1024 * 1024).unwrap_err(),
        "the document is 3145729 bytes; VEX documents over 3 MB are not read"
    );
}

// ---------------------------------------------------------------------------------------------
// Export

fn waiver(id: i64, component: &str, advisory: Option<&str>, reason: &str) -> Waiver {
    Waiver {
        id,
        scope: WaiverScope::Everywhere,
        component: component.into(),
        all_versions: false,
        policy: None,
        advisory: advisory.map(str::to_string),
        reason: reason.into(),
        expires: NaiveDate::from_ymd_opt(2027, 2, 24).unwrap(),
        created_at: "2026-11-26T10:00:00Z".into(),
        created_by: "alice".into(),
    }
}

#[test]
fn waivers_export_as_an_openvex_document() {
    let mut all_versions = waiver(
        3,
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
        Some("CVE-2021-44228"),
        "VEX not_affected (code_not_reachable): JNDI lookups are disabled",
    );
    all_versions.all_versions = true;
    all_versions.scope = WaiverScope::Application("shop".into());
    all_versions.policy = Some("Security-Critical".into());
    let waivers = vec![
        waiver(
            1,
            "pkg:npm/lodash@4.17.20",
            Some("GHSA-35jh-r3h4-6jhm"),
            "only used at build time",
        ),
        waiver(
            2,
            "pkg:npm/left-pad@1.0.0",
            None,
            "license accepted by legal",
        ),
        all_versions,
    ];
    let text = to_openvex(&waivers, "alice", "2026-11-26T12:00:00Z");
    let value: Value = serde_json::from_str(&text).unwrap();
    let id = value["@id"].as_str().unwrap();
    assert!(id.starts_with("https://vigil.local/vex/"), "{id}");
    assert_eq!(id.len(), "https://vigil.local/vex/".len() + 64);
    let expected = json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": id,
        "author": "alice",
        "timestamp": "2026-11-26T12:00:00Z",
        "version": 1,
        "tooling": "Vigil",
        "statements": [
            {
                "vulnerability": {"name": "CVE-2021-44228"},
                "timestamp": "2026-11-26T10:00:00Z",
                "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core?type=jar"}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
                "status_notes": "VEX not_affected (code_not_reachable): JNDI lookups are disabled (Vigil waiver 3 for application shop, policy Security-Critical, every version, until 2027-02-24)"
            },
            {
                "vulnerability": {"name": "GHSA-35jh-r3h4-6jhm"},
                "timestamp": "2026-11-26T10:00:00Z",
                "products": [{"@id": "pkg:npm/lodash@4.17.20"}],
                "status": "not_affected",
                "impact_statement": "only used at build time",
                "status_notes": "Vigil waiver 1 everywhere, every policy, until 2027-02-24"
            }
        ]
    });
    assert_eq!(value, expected);
    assert!(text.ends_with("}\n"));
    // The same waivers, in any order, give the same document.
    let reversed: Vec<Waiver> = waivers.iter().rev().cloned().collect();
    assert_eq!(to_openvex(&reversed, "alice", "2026-11-26T12:00:00Z"), text);
    // Other waivers give another @id.
    let other = to_openvex(&waivers[..1], "alice", "2026-11-26T12:00:00Z");
    let other: Value = serde_json::from_str(&other).unwrap();
    assert_ne!(other["@id"], value["@id"]);
}

#[test]
fn exported_waivers_read_back_as_the_same_statements() {
    let mut every = waiver(
        2,
        "pkg:npm/%40babel/core@7.0.0",
        Some("CVE-2023-45133"),
        "VEX false_positive (protected_at_runtime): sandboxed",
    );
    every.all_versions = true;
    let waivers = vec![
        waiver(
            1,
            "pkg:pypi/django@4.2.1",
            Some("PYSEC-2023-100"),
            "not exposed",
        ),
        every,
        waiver(
            3,
            "pkg:golang/github.com/x/net@v0.1.0",
            Some("GO-2023-0001"),
            "VEX not_affected (component_not_present): vendored out",
        ),
    ];
    let document = parse_ok(&to_openvex(&waivers, "bob", "2026-11-26T12:00:00Z"));
    assert_eq!(document.format, VexFormat::OpenVex);
    let mut babel = statement(
        "CVE-2023-45133",
        VexStatus::NotAffected,
        &["pkg:npm/%40babel/core"],
        &[],
    );
    // protected_at_runtime has no single OpenVEX justification: none is invented.
    babel.detail = Some("VEX false_positive (protected_at_runtime): sandboxed".into());
    let mut django = statement(
        "PYSEC-2023-100",
        VexStatus::NotAffected,
        &["pkg:pypi/django@4.2.1"],
        &[],
    );
    django.detail = Some("not exposed".into());
    let mut net = statement(
        "GO-2023-0001",
        VexStatus::NotAffected,
        &["pkg:golang/github.com/x/net@v0.1.0"],
        &[],
    );
    net.justification = Some("component_not_present".into());
    net.detail = Some(
        "VEX not_affected (component_not_present): vendored out (Vigil waiver 3 everywhere, \
         every policy, until 2027-02-24)"
            .into(),
    );
    assert_eq!(document.statements, vec![babel, net, django]);
}

#[test]
fn purl_versions_are_found_after_the_last_slash() {
    let cases = [
        ("pkg:npm/lodash@4.17.20", "pkg:npm/lodash"),
        ("pkg:npm/@babel/core@7.0.0", "pkg:npm/@babel/core"),
        (
            "pkg:npm/%40babel/core@7.0.0?x=1#sub/path",
            "pkg:npm/%40babel/core?x=1#sub/path",
        ),
        (
            "pkg:golang/github.com/a/b@v1.0.0",
            "pkg:golang/github.com/a/b",
        ),
        ("pkg:npm/lodash", "pkg:npm/lodash"),
        (
            "pkg:maven/g/a?repository_url=https://x@y/z",
            "pkg:maven/g/a?repository_url=https://x@y/z",
        ),
    ];
    for (purl, expected) in cases {
        assert_eq!(without_version(purl), expected, "for {purl}");
    }
    assert_eq!(with_version("pkg:npm/a?x=1", "2.0"), "pkg:npm/a@2.0?x=1");
}

// ---------------------------------------------------------------------------------------------
// Real documents

/// A file under the shared data, beside the repository or under `$VIGIL_SHARED_DATA`; `None`,
/// after saying SKIPPED, when it is not there.
fn shared_data(relative: &str) -> Option<PathBuf> {
    let found = [
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")),
        std::env::var_os("VIGIL_SHARED_DATA").map(PathBuf::from),
    ]
    .into_iter()
    .flatten()
    .map(|base| base.join(relative))
    .find(|p| p.exists());
    if found.is_none() {
        eprintln!("SKIPPED: {relative} is missing");
    }
    found
}

#[test]
fn real_cyclonedx_vex_documents_are_read() {
    let Some(path) = shared_data("sbom/cyclonedx/VEX/vex.json") else {
        return;
    };
    let document = parse(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(document.format, VexFormat::CycloneDx);
    let mut expected = statement(
        "CVE-2020-25649",
        VexStatus::NotAffected,
        &["pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"],
        &[],
    );
    expected.aliases = vec!["SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302".into()];
    expected.justification = Some("code_not_reachable".into());
    expected.detail = Some(
        "Automated dataflow analysis and manual code review indicates that the vulnerable code \
         is not reachable, either directly or indirectly."
            .into(),
    );
    assert_eq!(document.statements, vec![expected]);

    // CISA's use cases name products by bom-ref only: nothing to place, all unnamed.
    let Some(path) = shared_data("sbom/cyclonedx/VEX/CISA-Use-Cases/Case-8/vex.json") else {
        return;
    };
    let document = parse(&std::fs::read(path).unwrap()).unwrap();
    let summary: Vec<(String, VexStatus, usize, Vec<String>)> = document
        .statements
        .iter()
        .map(|s| {
            (
                s.vulnerability.clone(),
                s.status,
                s.products.len(),
                s.unnamed.clone(),
            )
        })
        .collect();
    let abc = "urn:cdx:cbb2cd68-2857-43b8-a10b-e8c03d277d18/1#product-ABC".to_string();
    let jkl = "urn:cdx:e4c3eedc-4978-470c-ad02-6ffff63738ff/1#product-JKL".to_string();
    let mut expected = Vec::new();
    for cve in ["CVE-2021-44228", "CVE-2021-45105"] {
        expected.extend([
            (
                cve.to_string(),
                VexStatus::Affected,
                0,
                vec![abc.clone(), jkl.clone()],
            ),
            (
                cve.to_string(),
                VexStatus::NotAffected,
                0,
                // The second CVE's statement names both products.
                if cve == "CVE-2021-44228" {
                    vec![abc.clone()]
                } else {
                    vec![abc.clone(), jkl.clone()]
                },
            ),
            (
                cve.to_string(),
                VexStatus::NotAffected,
                0,
                vec![jkl.clone()],
            ),
            (cve.to_string(), VexStatus::Fixed, 0, vec![jkl.clone()]),
        ]);
    }
    assert_eq!(summary, expected);

    let Some(path) = shared_data("sbom/cyclonedx/VEX/CISA-Use-Cases/Case-2/vex.json") else {
        return;
    };
    let document = parse(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(document.statements.len(), 19);
    assert!(document
        .statements
        .iter()
        .all(|s| s.status == VexStatus::NotAffected
            && s.products.is_empty()
            && s.unnamed == ["product-ABC"]
            && s.justification.as_deref() == Some("code_not_reachable")));
}
