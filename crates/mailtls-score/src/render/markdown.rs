//! Reports as GitHub-flavoured Markdown, for issues, pull requests and wikis.
//!
//! ```text
//! CommonMark 0.31 §2.4: any ASCII punctuation character may be backslash-escaped.
//! §6.1: a code span begins with a backtick string and ends with a backtick
//!       string of equal length; one space is stripped from each side.
//! §4.5: a fenced code block's closing fence is at least as long as the opening.
//! GFM §4.10 (tables): "|" inside a cell, even inside a code span, is written "\|".
//! ```
//!
//! Server and DNS text is escaped so that it is shown, never interpreted:
//! no link, emphasis, heading, HTML or table cell can come from a peer.

use mailtls_core::Observations;
use mailtls_dns::policy::DnsReport;

use super::document::{Block, Document, Inline, prose_pieces, status_word};
use super::html::inline_html;
use super::report_document::{
    dns_document, domain_document, endpoint_report_document, observations_document,
};
use crate::report::{DomainReport, EndpointReport};

/// `mailtls check` / `mailtls demo` as Markdown.
pub fn assessment_markdown(report: &DomainReport) -> String {
    document_markdown(&domain_document(report))
}

/// `mailtls tls` with findings and grades as Markdown.
pub fn endpoint_report_markdown(report: &EndpointReport) -> String {
    document_markdown(&endpoint_report_document(report))
}

/// The observations of `mailtls tls` alone as Markdown.
pub fn observations_markdown(observations: &Observations) -> String {
    document_markdown(&observations_document(observations))
}

/// `mailtls dns` as Markdown.
pub fn dns_markdown(report: &DnsReport) -> String {
    document_markdown(&dns_document(report))
}

fn document_markdown(document: &Document) -> String {
    let mut out = format!("# {}\n\n", escape(&document.title, true));
    blocks(&mut out, &document.blocks);
    out.push_str("---\n\n");
    inlines(&mut out, &document.footer, Context::Paragraph);
    out.push('\n');
    out
}

/// Where inline text goes: in a table cell a `|` ends the cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Paragraph,
    Cell,
}

fn blocks(out: &mut String, content: &[Block]) {
    for block in content {
        match block {
            Block::Heading { level, content, .. } => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                inlines(out, content, Context::Paragraph);
                out.push_str("\n\n");
            }
            Block::Paragraph(content) => {
                inlines(out, content, Context::Paragraph);
                out.push_str("\n\n");
            }
            Block::Prose(text) => {
                let lines: Vec<String> = text
                    .lines()
                    .map(|line| {
                        let mut shown = String::new();
                        for (index, (is_code, piece)) in prose_pieces(line.trim()).into_iter().enumerate() {
                            if is_code {
                                shown.push_str(&code_span(piece, Context::Paragraph));
                            } else {
                                shown.push_str(&escape(piece, index == 0));
                            }
                        }
                        shown
                    })
                    .filter(|line| !line.is_empty())
                    .collect();
                // A backslash at the end of a line is a hard line break (§6.7).
                out.push_str(&lines.join("\\\n"));
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    inlines(out, item, Context::Paragraph);
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Table { header, rows } => table(out, header, rows),
            Block::Preformatted(text) => fenced(out, text),
            Block::Details {
                summary,
                blocks: inner,
            } => {
                out.push_str("<details>\n<summary>");
                for inline in summary {
                    inline_html(out, inline);
                }
                out.push_str("</summary>\n\n");
                blocks(out, inner);
                out.push_str("</details>\n\n");
            }
            Block::Grade {
                letter,
                because,
                reduced,
            } => {
                match letter {
                    Some(letter) => out.push_str(&format!("**Overall grade: {letter}**\n\n")),
                    None => out.push_str("**Overall grade: none**\n\n"),
                }
                for reason in because {
                    out.push_str("- ");
                    out.push_str(&escape(reason, false));
                    out.push('\n');
                }
                for reason in reduced {
                    out.push_str("- partial: ");
                    out.push_str(&escape(reason, false));
                    out.push('\n');
                }
                if !because.is_empty() || !reduced.is_empty() {
                    out.push('\n');
                }
            }
            Block::Section { blocks: inner, .. } => blocks(out, inner),
        }
    }
}

fn table(out: &mut String, header: &[String], rows: &[Vec<Vec<Inline>>]) {
    out.push('|');
    for cell in header {
        out.push(' ');
        out.push_str(&escape_cell(cell));
        out.push_str(" |");
    }
    out.push_str("\n|");
    for _ in header {
        out.push_str(" --- |");
    }
    out.push('\n');
    for row in rows {
        out.push('|');
        for cell in row {
            out.push(' ');
            inlines(out, cell, Context::Cell);
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push('\n');
}

fn inlines(out: &mut String, content: &[Inline], context: Context) {
    for (index, inline) in content.iter().enumerate() {
        let at_start = index == 0;
        match inline {
            Inline::Text(text) => out.push_str(&one_line(&escape(text, at_start))),
            Inline::Strong(text) => {
                out.push_str("**");
                out.push_str(&one_line(&escape(text, false)));
                out.push_str("**");
            }
            Inline::Code(text) => out.push_str(&code_span(text, context)),
            Inline::Link { text, url } => {
                let text = one_line(&escape(text, false));
                if url.starts_with("https://") || url.starts_with("http://") {
                    let url: String = url
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '<' && *c != '>')
                        .collect();
                    out.push_str(&format!("[{text}](<{url}>)"));
                } else {
                    out.push_str(&text);
                }
            }
            Inline::Status(status) => out.push_str(&format!("**{}**", status_word(*status).1)),
            Inline::Letter(letter) => out.push_str(&format!("**{letter}**")),
        }
    }
}

/// Escaped text kept on one line, as paragraphs and table cells need it
/// ([`escape`] has already made every `|` inert).
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn escape_cell(text: &str) -> String {
    one_line(&escape(text, false))
}

/// Backslash-escapes every character that could start Markdown syntax.
/// `at_line_start` also escapes what only matters there: list markers,
/// setext underlines and ordered-list numbers.
pub(crate) fn escape(text: &str, at_line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut first = at_line_start;
    let mut leading_digits = at_line_start;
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if first => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if leading_digits && !first => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
        leading_digits = leading_digits && c.is_ascii_digit();
        first = false;
    }
    out
}

/// A code span that shows `text` exactly: the fence is one backtick longer
/// than the longest run inside, and padded when the text touches a backtick.
fn code_span(text: &str, context: Context) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' => ' ',
            c if c.is_control() && c != '\t' => '\u{FFFD}',
            c => c,
        })
        .collect();
    let text = match context {
        Context::Paragraph => text,
        Context::Cell => text.replace('|', "\\|"),
    };
    if text.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.starts_with(' ') && text.ends_with(' ')
    {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced code block that cannot be closed early by its content.
fn fenced(out: &mut String, text: &str) {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    out.push_str(&fence);
    out.push_str("text\n");
    for line in text.lines() {
        let line: String = line
            .chars()
            .map(|c| {
                if c.is_control() && c != '\t' {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&fence);
    out.push_str("\n\n");
}

fn longest_run(text: &str, wanted: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in text.chars() {
        if c == wanted {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_server_text_is_escaped() {
        assert_eq!(
            escape("220 *hi* [x](javascript:1) <b>|</b> `a` ~~s~~ # &amp;", false),
            "220 \\*hi\\* \\[x\\](javascript:1) \\<b\\>\\|\\</b\\> \\`a\\` \\~\\~s\\~\\~ \\# \\&amp;"
        );
    }

    #[test]
    fn line_start_markers_are_escaped_only_at_the_start() {
        assert_eq!(escape("- item", true), "\\- item");
        assert_eq!(escape("a - b", true), "a - b");
        assert_eq!(escape("1. one", true), "1\\. one");
        assert_eq!(escape("1. one", false), "1. one");
        assert_eq!(escape("=====", true), "\\=====");
    }

    #[test]
    fn control_characters_become_replacement_characters() {
        assert_eq!(escape("a\x1b[2Jb\0", false), "a\u{FFFD}\\[2Jb\u{FFFD}");
    }

    #[test]
    fn code_span_fence_outgrows_backticks_inside() {
        assert_eq!(code_span("a``b", Context::Paragraph), "```a``b```");
        assert_eq!(code_span("`x", Context::Paragraph), "`` `x ``");
        assert_eq!(code_span("plain", Context::Paragraph), "`plain`");
    }

    #[test]
    fn pipes_in_cells_cannot_end_the_cell() {
        assert_eq!(code_span("a|b", Context::Cell), "`a\\|b`");
        assert_eq!(one_line(&escape("x|y", false)), "x\\|y");
        let mut out = String::new();
        table(
            &mut out,
            &["h".to_owned()],
            &[vec![vec![Inline::text("250 a|b\nc")]]],
        );
        assert_eq!(out, "| h |\n| --- |\n| 250 a\\|b c |\n\n");
    }

    #[test]
    fn fenced_block_cannot_be_closed_by_its_content() {
        let mut out = String::new();
        fenced(&mut out, "```\n<script>x</script>");
        assert_eq!(out, "````text\n```\n<script>x</script>\n````\n\n");
    }

    #[test]
    fn only_web_links_are_linked() {
        let mut out = String::new();
        inlines(
            &mut out,
            &[
                Inline::Link {
                    text: "RFC 3207".into(),
                    url: "https://www.rfc-editor.org/rfc/rfc3207".into(),
                },
                Inline::text(" "),
                Inline::Link {
                    text: "x".into(),
                    url: "javascript:alert(1)".into(),
                },
            ],
            Context::Paragraph,
        );
        assert_eq!(out, "[RFC 3207](<https://www.rfc-editor.org/rfc/rfc3207>) x");
    }
}
