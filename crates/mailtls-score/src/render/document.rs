//! A report as a small tree of blocks, built once and written out as
//! Markdown or HTML, so that both say the same words in the same order.
//!
//! Text in the tree is plain: whatever a server or DNS sent is stored as it
//! came, and each writer escapes it for its own syntax. Nothing in the tree
//! is markup.

use mailtls_core::Status;

use crate::grade::Letter;

/// A whole report: its title and its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    /// The page title and first heading.
    pub(crate) title: String,
    /// The content, in order.
    pub(crate) blocks: Vec<Block>,
    /// One line at the end: who made it, which ruleset judged.
    pub(crate) footer: Vec<Inline>,
}

/// A piece of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    /// Plain words.
    Text(String),
    /// A literal: an id, a record, a reply line.
    Code(String),
    /// Words that matter most.
    Strong(String),
    /// A link to a document we cite (only `http` and `https` are linked).
    Link {
        /// What the reader sees.
        text: String,
        /// Where it goes.
        url: String,
    },
    /// The outcome of a check, shown as a coloured tag.
    Status(Status),
    /// A grade letter, shown as a coloured tag.
    Letter(Letter),
}

/// A block of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// A heading; `level` 2 to 4 (the title is level 1). `anchor` becomes
    /// the HTML id.
    Heading {
        /// 2, 3 or 4.
        level: u8,
        /// The words.
        content: Vec<Inline>,
        /// A stable id for links within the page.
        anchor: Option<String>,
    },
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// Several lines of our own prose (explanations, remediations); line
    /// breaks are kept.
    Prose(String),
    /// A bulleted list.
    List(Vec<Vec<Inline>>),
    /// A table with a header row.
    Table {
        /// Column headings.
        header: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// Text shown exactly as it came (a server's reply, a record, evidence).
    Preformatted(String),
    /// A collapsed part: a summary line that opens the blocks inside.
    Details {
        /// The line shown when closed.
        summary: Vec<Inline>,
        /// What opens.
        blocks: Vec<Block>,
    },
    /// The grade at the top: a large letter and the reasons for it.
    Grade {
        /// The letter; `None` when nothing was graded.
        letter: Option<Letter>,
        /// Why, most important first (or why there is no letter).
        because: Vec<String>,
        /// What was missing, when the grade covers only part.
        reduced: Vec<String>,
    },
    /// A group of blocks about one subject (a finding, an endpoint); the
    /// status, if any, colours its edge in HTML.
    Section {
        /// The outcome the section is about, if any.
        status: Option<Status>,
        /// Its content.
        blocks: Vec<Block>,
    },
}

impl Inline {
    /// Plain words.
    pub(crate) fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// A literal.
    pub(crate) fn code(text: impl Into<String>) -> Self {
        Self::Code(text.into())
    }
}

/// A cell or line of plain words.
pub(crate) fn words(text: impl Into<String>) -> Vec<Inline> {
    vec![Inline::Text(text.into())]
}

/// A heading without an anchor.
pub(crate) fn heading(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        content: words(text),
        anchor: None,
    }
}

/// The CSS class and the word for a status, shared by every writer.
pub(crate) fn status_word(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Fail => ("fail", "FAIL"),
        Status::Warn => ("warn", "WARN"),
        Status::Error => ("error", "ERROR"),
        Status::NotTested => ("not-tested", "NOT TESTED"),
        Status::Info => ("info", "INFO"),
        Status::Pass => ("pass", "PASS"),
    }
}

/// The CSS class of a grade letter.
pub(crate) fn letter_class(letter: Letter) -> &'static str {
    match letter {
        Letter::APlus | Letter::A | Letter::AMinus => "grade-a",
        Letter::B => "grade-b",
        Letter::C | Letter::D | Letter::E => "grade-c",
        Letter::F | Letter::T => "grade-f",
    }
}

/// Our own prose split at backticks: `(is_code, text)` pieces. The catalogue
/// writes commands and record text between backticks; an unpaired backtick
/// stays text.
pub(crate) fn prose_pieces(line: &str) -> Vec<(bool, &str)> {
    let mut pieces = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('`') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('`') else { break };
        if open > 0 {
            pieces.push((false, rest.get(..open).unwrap_or_default()));
        }
        pieces.push((true, after.get(..close).unwrap_or_default()));
        rest = after.get(close + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        pieces.push((false, rest));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_pieces_split_at_paired_backticks() {
        assert_eq!(
            prose_pieces("run `postfix reload` now, `x"),
            [(false, "run "), (true, "postfix reload"), (false, " now, `x")]
        );
        assert_eq!(prose_pieces("plain"), [(false, "plain")]);
    }
}
