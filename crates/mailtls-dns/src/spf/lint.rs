//! Lints on a parsed SPF record and on the records published at a name,
//! without DNS. The lints that need DNS are in [`super::tree`].

use super::parse::is_spf_record;
use super::record::{Mechanism, Modifier, Qualifier, SpfRecord, Term};
use crate::{IssueLevel, RecordIssue};

/// The size above which a record may not fit a UDP answer.
///
/// ```text
/// RFC 7208 §3.4: If the size of the DNS message, the combined length of
///   the DNS name and the text of all the records of a given type is under
///   450 octets, then DNS answers ought to fit in UDP packets.
/// ```
pub const MAX_RECORD_OCTETS: usize = 450;

/// The most DNS-querying terms an evaluation may use (RFC 7208 §4.6.4).
pub const MAX_DNS_LOOKUPS: u32 = 10;

/// Lints one record: `spf.all.pass`, `spf.all.neutral`, `spf.all.missing`,
/// `spf.all.not_last`, `spf.redirect.ignored`, `spf.mechanism.ptr`,
/// `spf.modifier.exp`, `spf.record.too_long`, and `spf.lookups.too_many`
/// when the record alone has more than 10 DNS-querying terms (see
/// [`super::tree::lint_tree`] for the count through includes). Syntax
/// problems are in [`SpfRecord::issues`] already.
pub fn lint(record: &SpfRecord) -> Vec<RecordIssue> {
    let mut issues = Vec::new();
    let mut all_seen = None;
    for term in &record.terms {
        let Term::Directive(directive) = &term.term else {
            continue;
        };
        if let Some(all_term) = &all_seen {
            issues.push(RecordIssue::at(
                "spf.all.not_last",
                IssueLevel::Warning,
                term.span,
                format!("{} comes after {all_term} and is never evaluated", directive),
            ));
        }
        match (&directive.mechanism, directive.qualifier) {
            (Mechanism::All, Qualifier::Pass) => issues.push(RecordIssue::at(
                "spf.all.pass",
                IssueLevel::Error,
                term.span,
                "+all authorises every host on the Internet to send mail as this domain",
            )),
            (Mechanism::All, Qualifier::Neutral) => issues.push(RecordIssue::at(
                "spf.all.neutral",
                IssueLevel::Warning,
                term.span,
                "?all makes no assertion about other hosts, so receivers cannot reject forgeries; use ~all or -all",
            )),
            (Mechanism::Ptr { .. }, _) => issues.push(RecordIssue::at(
                "spf.mechanism.ptr",
                IssueLevel::Warning,
                term.span,
                format!(
                    "{directive}: RFC 7208 §5.5 says ptr SHOULD NOT be used: it is slow, unreliable and \
                     loads the reverse DNS; list the addresses with ip4/ip6 or a"
                ),
            )),
            _ => {}
        }
        if directive.mechanism == Mechanism::All && all_seen.is_none() {
            all_seen = Some(directive.to_string());
        }
    }
    let redirect = record
        .terms
        .iter()
        .find(|term| matches!(term.term, Term::Modifier(Modifier::Redirect(_))));
    match (all_seen.is_some(), redirect) {
        (false, None) if record.is_valid() => issues.push(RecordIssue::whole(
            "spf.all.missing",
            IssueLevel::Warning,
            "the record ends without an all mechanism or a redirect=, so unlisted hosts get neutral; end it with -all or ~all",
        )),
        (true, Some(redirect)) => issues.push(RecordIssue::at(
            "spf.redirect.ignored",
            IssueLevel::Warning,
            redirect.span,
            "redirect= is ignored because the record has an all mechanism (RFC 7208 §6.1)",
        )),
        _ => {}
    }
    for term in &record.terms {
        if let Term::Modifier(modifier @ Modifier::Explanation(_)) = &term.term {
            issues.push(RecordIssue::at(
                "spf.modifier.exp",
                IssueLevel::Notice,
                term.span,
                format!(
                    "{modifier}: receivers may show the explanation to senders of rejected mail; few use it"
                ),
            ));
        }
    }
    if record.text.len() > MAX_RECORD_OCTETS {
        issues.push(RecordIssue::whole(
            "spf.record.too_long",
            IssueLevel::Warning,
            format!(
                "the record is {} octets; above {MAX_RECORD_OCTETS} the answer may not fit a UDP packet (RFC 7208 §3.4)",
                record.text.len()
            ),
        ));
    }
    let lookups = record
        .terms
        .iter()
        .filter(|term| term.term.counts_as_lookup())
        .count();
    if lookups > MAX_DNS_LOOKUPS as usize {
        issues.push(RecordIssue::whole(
            "spf.lookups.too_many",
            IssueLevel::Error,
            format!(
                "the record has {lookups} terms that query the DNS; evaluation stops with permerror after {MAX_DNS_LOOKUPS}"
            ),
        ));
    }
    issues
}

/// Lints the records published at one name: `spf.multiple_records` when
/// several TXT records start with `v=spf1` (a permerror, RFC 7208 §4.5),
/// and `spf.obsolete_rr_type` when records of the `SPF` RR type (99) exist
/// (RFC 7208 §3.1: TXT only; type 99 is not consulted).
pub fn lint_selection(txt_records: &[String], spf_rr_records: &[String]) -> Vec<RecordIssue> {
    let mut issues = Vec::new();
    let spf_txt = txt_records.iter().filter(|record| is_spf_record(record)).count();
    if spf_txt > 1 {
        issues.push(RecordIssue::whole(
            "spf.multiple_records",
            IssueLevel::Error,
            format!(
                "{spf_txt} TXT records start with v=spf1; receivers return permerror for all mail (RFC 7208 §4.5): merge them into one"
            ),
        ));
    }
    if !spf_rr_records.is_empty() {
        issues.push(RecordIssue::whole(
            "spf.obsolete_rr_type",
            IssueLevel::Notice,
            "records of the obsolete SPF RR type (99) are published; receivers ignore them (RFC 7208 §3.1, §14.1): only the TXT record counts",
        ));
    }
    issues
}
