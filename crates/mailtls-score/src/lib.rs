//! Judgement for mailtls: rules that turn observations into findings, findings
//! into grades, and the renderers that the CLI and the web service share.
//!
//! So far it holds the text renderer of observations; rules and grades follow.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

pub mod findings;
pub mod render;
pub mod rules;
