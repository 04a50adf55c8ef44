//! The checked-in JSON Schema must be the one the types generate.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/report.schema.json")
}

#[test]
fn checked_in_schema_matches_the_types() {
    let generated = mailtls_core::schema::report_schema();
    if std::env::var_os("MAILTLS_UPDATE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schema/report.schema.json differs from the types; regenerate it with \
         MAILTLS_UPDATE_SCHEMA=1 cargo test -p mailtls-core --test schema"
    );
}

#[test]
fn schema_names_the_contract_fields() {
    let schema: serde_json::Value = serde_json::from_str(&mailtls_core::schema::report_schema()).unwrap();
    let text = schema.to_string();
    for name in [
        "schema_version",
        "connections",
        "findings",
        "TLSv1.3",
        "SSLv2",
        "not_tested",
    ] {
        assert!(text.contains(name), "schema lacks {name}");
    }
}
