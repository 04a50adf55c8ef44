//! Judgement for mailtls: rules that turn observations into findings, findings
//! into grades, and the renderers that the CLI and the web service share.
//!
//! The [`rules`] catalogue names every check with its explanation and
//! remediation; [`findings`] applies it to an assessment; [`report`] puts the
//! two together for `mailtls check`. Grades follow.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

pub mod findings;
pub mod grade;
pub mod render;
pub mod report;
pub mod rules;
