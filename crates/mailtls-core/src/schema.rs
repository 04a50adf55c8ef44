//! The JSON Schema of the report, generated from the Rust types.
//!
//! The schema is checked in at `schema/report.schema.json` so that consumers in
//! other languages can validate against it without building mailtls; a test
//! fails when the types and the checked-in file diverge. Regenerate it with
//! `MAILTLS_UPDATE_SCHEMA=1 cargo test -p mailtls-core --test schema`.

use crate::observation::Report;

/// The JSON Schema (draft 2020-12) of a [`Report`], pretty-printed, with a
/// trailing newline.
pub fn report_schema() -> String {
    schema_text::<Report>()
}

/// The JSON Schema (draft 2020-12) of any report type, pretty-printed, with a
/// trailing newline: the form in which schemas are checked in under `schema/`.
pub fn schema_text<T: schemars::JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
