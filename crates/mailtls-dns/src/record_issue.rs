//! What parsers and linters find wrong or notable in a DNS record.
//!
//! A malformed record is not an error of mailtls: it is an observation about
//! the domain. Every parser in this crate therefore returns what it could
//! understand together with a list of [`RecordIssue`]s, each with a stable id
//! and, where it applies, the byte span in the record as served.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much an issue matters to the record's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssueLevel {
    /// Worth knowing; the record works as intended.
    Notice,
    /// The record works, but weaker or more fragile than it should.
    Warning,
    /// The record is invalid or is ignored by receivers (a permerror for SPF).
    Error,
}

/// A byte range in the record text as served (TXT strings joined).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The text this span covers in `record`, if it lies inside it.
    pub fn text<'r>(&self, record: &'r str) -> Option<&'r str> {
        record.get(self.start..self.end)
    }
}

/// One thing found in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecordIssue {
    /// Stable identifier, e.g. `spf.syntax.unknown_mechanism` or `dmarc.policy.none`.
    pub id: String,
    /// How much it matters.
    pub level: IssueLevel,
    /// Where in the record, when it concerns a part of it.
    pub span: Option<Span>,
    /// What is wrong, in words, quoting the offending text.
    pub message: String,
}

impl RecordIssue {
    /// An issue at `span`.
    pub fn at(id: &str, level: IssueLevel, span: Span, message: impl Into<String>) -> Self {
        Self {
            id: id.to_owned(),
            level,
            span: Some(span),
            message: message.into(),
        }
    }

    /// An issue about the record as a whole.
    pub fn whole(id: &str, level: IssueLevel, message: impl Into<String>) -> Self {
        Self {
            id: id.to_owned(),
            level,
            span: None,
            message: message.into(),
        }
    }
}

/// The ids of `issues`, in order: what the record modules' tests compare.
#[cfg(test)]
pub(crate) fn ids(issues: &[RecordIssue]) -> Vec<&str> {
    issues.iter().map(|issue| issue.id.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_text_is_bounded() {
        let record = "v=spf1 -all";
        assert_eq!(Span::new(7, 11).text(record), Some("-all"));
        assert_eq!(Span::new(7, 99).text(record), None);
    }
}
