//! Reports as one self-contained HTML page: inline CSS, no scripts, no
//! fonts or images to load, readable on a phone and on paper.
//!
//! ```text
//! HTML Living Standard §13.1.2.6 / §13.2.5: in text and in quoted attribute
//! values, "&" starts a character reference and "<" a tag; '"' and "'" end
//! attribute values. Escaping these five makes any text inert.
//! ```
//!
//! Every string reaches the page through [`escape`]. A Content Security
//! Policy that allows no script and no fetch backs it up: should some text
//! ever slip through unescaped, it still cannot run or call out.

use mailtls_core::Observations;
use mailtls_dns::policy::DnsReport;

use super::document::{Block, Document, Inline, letter_class, prose_pieces, status_word};
use super::report_document::{
    dns_document, domain_document, endpoint_report_document, observations_document,
};
use crate::report::{DomainReport, EndpointReport};

const STYLE: &str = include_str!("report.css");

/// `mailtls check` / `mailtls demo` as an HTML page.
pub fn assessment_html(report: &DomainReport) -> String {
    page(&domain_document(report))
}

/// `mailtls tls` with findings and grades as an HTML page.
pub fn endpoint_report_html(report: &EndpointReport) -> String {
    page(&endpoint_report_document(report))
}

/// The observations of `mailtls tls` alone as an HTML page.
pub fn observations_html(observations: &Observations) -> String {
    page(&observations_document(observations))
}

/// `mailtls dns` as an HTML page.
pub fn dns_html(report: &DnsReport) -> String {
    page(&dns_document(report))
}

/// `text` with `& < > " '` as character references and control characters
/// (other than tab and line feed) as U+FFFD, which HTML does not allow raw.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn page(document: &Document) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n",
    );
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&document.title)));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&document.title)));
    contents(&mut out, &document.blocks);
    out.push_str("</header>\n<main>\n");
    blocks(&mut out, &document.blocks);
    out.push_str("</main>\n<footer>\n<p>");
    for inline in &document.footer {
        inline_html(&mut out, inline);
    }
    out.push_str("</p>\n</footer>\n</body>\n</html>\n");
    out
}

/// Links to the level-2 headings that have anchors.
fn contents(out: &mut String, content: &[Block]) {
    let anchors: Vec<(&str, String)> = content
        .iter()
        .filter_map(|block| match block {
            Block::Heading {
                level: 2,
                content,
                anchor: Some(anchor),
            } => Some((anchor.as_str(), plain(content))),
            _ => None,
        })
        .collect();
    if anchors.is_empty() {
        return;
    }
    out.push_str("<nav aria-label=\"Contents\">\n<ul>\n");
    for (anchor, text) in anchors {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            escape(anchor),
            escape(&text)
        ));
    }
    out.push_str("</ul>\n</nav>\n");
}

fn plain(content: &[Inline]) -> String {
    content
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) | Inline::Code(text) | Inline::Strong(text) => text.clone(),
            Inline::Link { text, .. } => text.clone(),
            Inline::Status(status) => status_word(*status).1.to_owned(),
            Inline::Letter(letter) => letter.as_str().to_owned(),
        })
        .collect()
}

fn blocks(out: &mut String, content: &[Block]) {
    for block in content {
        match block {
            Block::Heading {
                level,
                content,
                anchor,
            } => {
                let level = (*level).clamp(2, 6);
                match anchor {
                    Some(anchor) => out.push_str(&format!("<h{level} id=\"{}\">", escape(anchor))),
                    None => out.push_str(&format!("<h{level}>")),
                }
                inlines(out, content);
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::Paragraph(content) => {
                out.push_str("<p>");
                inlines(out, content);
                out.push_str("</p>\n");
            }
            Block::Prose(text) => {
                out.push_str("<p class=\"prose\">");
                for (number, line) in text.lines().enumerate() {
                    if number > 0 {
                        out.push('\n');
                    }
                    for (is_code, piece) in prose_pieces(line.trim()) {
                        if is_code {
                            out.push_str(&format!("<code>{}</code>", escape(piece)));
                        } else {
                            out.push_str(&escape(piece));
                        }
                    }
                }
                out.push_str("</p>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str("<li>");
                    inlines(out, item);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Table { header, rows } => {
                out.push_str("<div class=\"table\"><table>\n<thead><tr>");
                for cell in header {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(cell)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str("<td>");
                        inlines(out, cell);
                        out.push_str("</td>");
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table></div>\n");
            }
            Block::Preformatted(text) => {
                out.push_str("<pre>");
                out.push_str(&escape(text));
                out.push_str("</pre>\n");
            }
            Block::Details {
                summary,
                blocks: inner,
            } => {
                out.push_str("<details>\n<summary>");
                inlines(out, summary);
                out.push_str("</summary>\n");
                blocks(out, inner);
                out.push_str("</details>\n");
            }
            Block::Grade {
                letter,
                because,
                reduced,
            } => grade(out, *letter, because, reduced),
            Block::Section {
                status,
                blocks: inner,
            } => {
                match status {
                    Some(status) => out.push_str(&format!(
                        "<section class=\"finding {}\">\n",
                        status_word(*status).0
                    )),
                    None => out.push_str("<section class=\"finding\">\n"),
                }
                blocks(out, inner);
                out.push_str("</section>\n");
            }
        }
    }
}

fn grade(out: &mut String, letter: Option<crate::grade::Letter>, because: &[String], reduced: &[String]) {
    out.push_str("<div class=\"grade-summary\">\n");
    match letter {
        Some(letter) => out.push_str(&format!(
            "<p class=\"grade {}\" id=\"overall-grade\" role=\"img\" aria-label=\"Overall grade {}\">{}</p>\n",
            letter_class(letter),
            escape(letter.as_str()),
            escape(letter.as_str())
        )),
        None => out.push_str(
            "<p class=\"grade grade-none\" id=\"overall-grade\" role=\"img\" \
             aria-label=\"No overall grade\">–</p>\n",
        ),
    }
    out.push_str("<div class=\"because\">\n");
    if letter.is_some() && !because.is_empty() {
        out.push_str("<p><strong>Because</strong></p>\n");
    }
    if !because.is_empty() {
        out.push_str("<ul>\n");
        for reason in because {
            out.push_str(&format!("<li>{}</li>\n", escape(reason)));
        }
        out.push_str("</ul>\n");
    }
    if !reduced.is_empty() {
        out.push_str("<p class=\"muted\">The grade covers only what was observed:</p>\n<ul>\n");
        for reason in reduced {
            out.push_str(&format!("<li>{}</li>\n", escape(reason)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n</div>\n");
}

fn inlines(out: &mut String, content: &[Inline]) {
    for inline in content {
        inline_html(out, inline);
    }
}

/// One inline as HTML; the Markdown writer uses it for `<summary>` lines.
pub(crate) fn inline_html(out: &mut String, inline: &Inline) {
    match inline {
        Inline::Text(text) => out.push_str(&escape(text)),
        Inline::Code(text) => {
            out.push_str("<code>");
            out.push_str(&escape(text));
            out.push_str("</code>");
        }
        Inline::Strong(text) => {
            out.push_str("<strong>");
            out.push_str(&escape(text));
            out.push_str("</strong>");
        }
        Inline::Link { text, url } => {
            if url.starts_with("https://") || url.starts_with("http://") {
                out.push_str(&format!(
                    "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
                    escape(url),
                    escape(text)
                ));
            } else {
                out.push_str(&escape(text));
            }
        }
        Inline::Status(status) => {
            let (class, word) = status_word(*status);
            out.push_str(&format!("<span class=\"tag {class}\">{word}</span>"));
        }
        Inline::Letter(letter) => out.push_str(&format!(
            "<span class=\"tag {}\">{}</span>",
            letter_class(*letter),
            escape(letter.as_str())
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_html_specials_are_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(escape("a\0b\x1bc\nd"), "a\u{FFFD}b\u{FFFD}c\nd");
    }

    #[test]
    fn a_hostile_link_is_not_linked() {
        let mut out = String::new();
        inline_html(
            &mut out,
            &Inline::Link {
                text: "x".into(),
                url: "javascript:alert(1)".into(),
            },
        );
        assert_eq!(out, "x");
        out.clear();
        inline_html(
            &mut out,
            &Inline::Link {
                text: "RFC".into(),
                url: "https://example.org/?a=1&b=\"2\"".into(),
            },
        );
        assert_eq!(
            out,
            "<a href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\" rel=\"noreferrer\">RFC</a>"
        );
    }

    #[test]
    fn page_is_self_contained_and_forbids_scripts() {
        let html = page(&Document {
            title: "T <x>".into(),
            blocks: vec![Block::Preformatted("<script>alert(1)</script>".into())],
            footer: Vec::new(),
        });
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>T &lt;x&gt;</title>"));
        assert!(html.contains("<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>"));
        assert!(html.contains("default-src 'none'"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("src="));
        assert!(!html.contains("url("));
    }
}
