//! Judgement for mailtls: rules that turn observations into findings, findings
//! into grades, and renderers for text, Markdown, HTML and JSON.
//!
//! It is empty so far; the workspace layout reserves its place.
