//! The catalogue: every rule in one table, looked up by id, and written out
//! as `docs/checks.md`.

use std::fmt::Write;
use std::sync::LazyLock;

use super::{Category, Rule, dns_policy, tls_scan, transport};

static CATALOGUE: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let mut rules: Vec<Rule> = transport::RULES.iter().map(super::RuleSpec::to_rule).collect();
    rules.extend(tls_scan::RULES.iter().map(super::RuleSpec::to_rule));
    rules.extend(dns_policy::rules());
    rules
});

/// Every rule, wire-level checks first, then one rule per DNS issue id.
pub fn catalogue() -> &'static [Rule] {
    CATALOGUE.as_slice()
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    catalogue().iter().find(|rule| rule.id == id)
}

/// Ids close to `id`, best first, for "did you mean": ids that contain it
/// or that it contains, and ids within a small edit distance.
pub fn suggestions(id: &str) -> Vec<&'static str> {
    let wanted = id.to_ascii_lowercase();
    let budget = (wanted.len() / 4).max(2);
    let mut scored: Vec<(usize, &'static str)> = catalogue()
        .iter()
        .filter_map(|rule| {
            let candidate = rule.id.as_str();
            let distance = edit_distance(&wanted, candidate);
            if distance <= budget {
                Some((distance, candidate))
            } else if !wanted.is_empty()
                && (candidate.contains(wanted.as_str()) || wanted.contains(candidate))
            {
                Some((budget + 1, candidate))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.into_iter().take(8).map(|(_, id)| id).collect()
}

/// Levenshtein distance over bytes (ids are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.as_bytes().iter().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != cb));
            let delete = previous
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = current.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// `docs/checks.md`: a section per rule, grouped by category, generated from
/// the catalogue.
pub fn checks_markdown() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# mailtls checks\n");
    let _ = writeln!(
        out,
        "Generated from the rule catalogue in `crates/mailtls-score/src/rules/`; do not edit by hand. \
         Regenerate with `MAILTLS_UPDATE_CHECKS=1 cargo test -p mailtls-score --test checks_doc`. \
         `mailtls explain <id>` prints the same text.\n"
    );
    let _ = writeln!(
        out,
        "Rules named `dns.<issue id>` report a problem the DNS record linters of `mailtls-dns` found; \
         their status follows the issue's level: Error is `fail`, Warning is `warn`, Notice is `info`. \
         The severity given is that of an Error-level finding; warnings are `low`, notices `info`.\n"
    );
    let _ = writeln!(out, "{} rules.\n", catalogue().len());
    for category in Category::ALL {
        let rules: Vec<&Rule> = catalogue()
            .iter()
            .filter(|rule| rule.category == category)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## Category `{category}`\n");
        for rule in &rules {
            let _ = writeln!(out, "- [`{}`](#{}): {}", rule.id, anchor(&rule.id), rule.title);
        }
        let _ = writeln!(out);
        for rule in rules {
            let _ = writeln!(out, "### `{}`\n", rule.id);
            let _ = writeln!(
                out,
                "**{}** (category `{}`, severity `{}`)\n",
                rule.title,
                rule.category,
                severity_name(rule.severity)
            );
            let _ = writeln!(out, "{}\n", rule.explanation);
            let _ = writeln!(out, "**Remediation**\n\n```text\n{}\n```\n", rule.remediation);
            let _ = writeln!(out, "**References**\n");
            for reference in &rule.references {
                let _ = writeln!(out, "- [{}]({})", reference.title, reference.url);
            }
            let _ = writeln!(out);
        }
    }
    out
}

/// The GitHub-style anchor of a `### \`id\`` heading.
fn anchor(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// The JSON name of a severity.
pub(crate) fn severity_name(severity: mailtls_core::Severity) -> &'static str {
    match severity {
        mailtls_core::Severity::Info => "info",
        mailtls_core::Severity::Low => "low",
        mailtls_core::Severity::Medium => "medium",
        mailtls_core::Severity::High => "high",
        mailtls_core::Severity::Critical => "critical",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = catalogue().iter().map(|rule| rule.id.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
    }

    #[test]
    fn every_rule_explains_references_and_remedies() {
        for rule in catalogue() {
            assert!(!rule.title.is_empty(), "{}", rule.id);
            assert!(rule.explanation.len() > 40, "{}", rule.id);
            assert!(!rule.remediation.is_empty(), "{}", rule.id);
            assert!(!rule.references.is_empty(), "{}", rule.id);
            for reference in &rule.references {
                assert!(reference.url.starts_with("https://"), "{}", rule.id);
            }
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn a_typo_suggests_the_rule() {
        assert_eq!(
            suggestions("smtp.startls.missing").first(),
            Some(&"smtp.starttls.missing")
        );
        assert!(suggestions("starttls").contains(&"smtp.starttls.refused"));
    }
}
