//! The checked-in JSON Schema of `mailtls check` / `mailtls demo` output must
//! be the one the types generate.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/domain-report.schema.json")
}

fn generated() -> String {
    mailtls_core::schema::schema_text::<mailtls_score::report::DomainReport>()
}

#[test]
fn checked_in_domain_report_schema_matches_the_types() {
    let generated = generated();
    if std::env::var_os("MAILTLS_UPDATE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schema/domain-report.schema.json differs from the types; regenerate it with \
         MAILTLS_UPDATE_SCHEMA=1 cargo test -p mailtls-score --test report_schema"
    );
}

#[test]
fn domain_report_schema_has_the_findings_and_the_observations() {
    let text = generated();
    for name in [
        "ruleset_version",
        "findings",
        "endpoints",
        "policy",
        "schema_version",
        "not_tested",
    ] {
        assert!(text.contains(name), "schema lacks {name}");
    }
}

fn endpoint_schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/endpoint-report.schema.json")
}

#[test]
fn checked_in_endpoint_report_schema_matches_the_types() {
    let generated = mailtls_core::schema::schema_text::<mailtls_score::report::EndpointReport>();
    if std::env::var_os("MAILTLS_UPDATE_SCHEMA").is_some() {
        std::fs::write(endpoint_schema_path(), &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(endpoint_schema_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schema/endpoint-report.schema.json differs from the types; regenerate it with \
         MAILTLS_UPDATE_SCHEMA=1 cargo test -p mailtls-score --test report_schema"
    );
    for name in [
        "tls_scan",
        "cipher_suites",
        "vulnerabilities",
        "grades",
        "findings",
        "connections",
    ] {
        assert!(generated.contains(name), "schema lacks {name}");
    }
}
