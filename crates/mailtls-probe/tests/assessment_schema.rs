//! The checked-in JSON Schema of `mailtls check` / `mailtls demo` output must
//! be the one the types generate.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/assessment.schema.json")
}

fn generated() -> String {
    mailtls_core::schema::schema_text::<mailtls_probe::assessor::Assessment>()
}

#[test]
fn checked_in_assessment_schema_matches_the_types() {
    let generated = generated();
    if std::env::var_os("MAILTLS_UPDATE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schema/assessment.schema.json differs from the types; regenerate it with \
         MAILTLS_UPDATE_SCHEMA=1 cargo test -p mailtls-probe --test assessment_schema"
    );
}

#[test]
fn assessment_schema_names_the_contract_fields() {
    let text = generated();
    for name in [
        "schema_version",
        "connections",
        "endpoints",
        "policy",
        "mta_sts",
        "dane",
        "TLSv1.3",
    ] {
        assert!(text.contains(name), "schema lacks {name}");
    }
}
