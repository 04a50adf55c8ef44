//! `mailtls explain <finding-id>`: what a check means, why it matters for
//! mail, where to read more and how to fix it, from the rule catalogue that
//! also produces the findings and docs/checks.md.

use std::fmt::Write;

use mailtls_score::rules::{Rule, catalogue, rule, suggestions};

use crate::args::{CommonArgs, ExplainArgs};
use crate::exit;
use crate::output::write_text;

pub(crate) fn run(common: &CommonArgs, args: &ExplainArgs) -> anyhow::Result<u8> {
    if args.list {
        write_text(common, &list())?;
        return Ok(exit::OK);
    }
    let Some(id) = args.id.as_deref() else {
        eprintln!("mailtls explain: give a finding id, or --list for all of them");
        return Ok(exit::USAGE);
    };
    match rule(id) {
        Some(rule) => {
            write_text(common, &explain(rule))?;
            Ok(exit::OK)
        }
        None => {
            eprint!("{}", unknown(id));
            Ok(exit::USAGE)
        }
    }
}

/// Every id with its title, one a line, ids aligned.
fn list() -> String {
    let width = catalogue().iter().map(|rule| rule.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in catalogue() {
        let _ = writeln!(out, "{:width$}  {}", rule.id, rule.title);
    }
    out
}

/// One rule, for a terminal.
fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rule.id, rule.title);
    let _ = writeln!(out, "category: {}", rule.category);
    let _ = writeln!(out, "\n{}", rule.explanation);
    let _ = writeln!(out, "\nHow to fix it:\n{}", indent(&rule.remediation));
    let _ = writeln!(out, "\nReferences:");
    for reference in &rule.references {
        let _ = writeln!(out, "  - {}\n    {}", reference.title, reference.url);
    }
    out
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The message for an id the catalogue does not have.
fn unknown(id: &str) -> String {
    let mut out = format!("mailtls explain: no check is named {id:?}\n");
    let close = suggestions(id);
    if close.is_empty() {
        out.push_str("`mailtls explain --list` lists every check.\n");
    } else {
        out.push_str("Did you mean:\n");
        for candidate in close {
            let _ = writeln!(out, "  {candidate}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_prints_title_category_explanation_fix_and_references() {
        let text = explain(rule("smtp.starttls.missing").unwrap());
        assert!(
            text.starts_with("smtp.starttls.missing: MX host does not offer STARTTLS\ncategory: transport\n")
        );
        assert!(text.contains("How to fix it:\n  Give the MTA a certificate"));
        assert!(text.contains("smtpd_tls_security_level = may"));
        assert!(text.contains("https://www.rfc-editor.org/rfc/rfc3207#section-4"));
    }

    #[test]
    fn list_has_every_rule() {
        let text = list();
        assert_eq!(text.lines().count(), catalogue().len());
        assert!(
            text.lines()
                .any(|line| line.starts_with("dns.spf.lookups.too_many "))
        );
    }

    #[test]
    fn unknown_id_suggests_close_ids() {
        let text = unknown("smtp.starttls.mising");
        assert_eq!(
            text.lines().take(3).collect::<Vec<_>>(),
            [
                "mailtls explain: no check is named \"smtp.starttls.mising\"",
                "Did you mean:",
                "  smtp.starttls.missing"
            ]
        );
    }
}
