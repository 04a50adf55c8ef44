//! Lints that follow a domain's SPF record through its includes and
//! redirects in the DNS: the lookup count of the whole tree, void lookups,
//! and targets that would make every evaluation a `permerror`.
//!
//! ```text
//! RFC 7208 §4.6.4: The following terms cause DNS queries: the "include",
//!   "a", "mx", "ptr", and "exists" mechanisms, and the "redirect" modifier.
//!   SPF implementations MUST limit the total number of those terms to 10
//!   during SPF evaluation ...  SPF implementations SHOULD limit "void
//!   lookups" to two.
//! RFC 7208 §5.2: none [from an included domain] ... return permerror
//! ```
//!
//! The count is the worst case: what an evaluation uses for a client that
//! no mechanism matches. Targets with macros depend on the message and are
//! counted but not followed.

use std::future::Future;
use std::pin::Pin;

use super::eval::{RecordSelection, SpfDns, normalise_target, select_record};
use super::lint::{MAX_DNS_LOOKUPS, lint, lint_selection};
use super::macros::DomainSpec;
use super::parse::parse;
use super::record::{Mechanism, Modifier, Qualifier, SpfRecord, Term};
use crate::{IssueLevel, RecordIssue, Span};

/// The most records the walk reads; a tree larger than this fails the lookup
/// limit many times over.
const MAX_RECORDS: usize = 64;

/// The most void lookups an evaluation tolerates (RFC 7208 §4.6.4).
const MAX_VOID_LOOKUPS: u32 = 2;

/// The most MX names an `mx` mechanism may look up (RFC 7208 §4.6.4).
const MAX_MX_NAMES: usize = 10;

/// What the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpfTreeLint {
    /// The domain's own record, parsed, when it has exactly one.
    pub record: Option<SpfRecord>,
    /// DNS-querying terms in the whole tree (the limit is 10).
    pub dns_lookups: u32,
    /// Terms in the tree whose lookup finds nothing (the limit is 2).
    pub void_lookups: u32,
    /// The domain's record's syntax issues and lints, then the tree's
    /// issues. Spans refer to the domain's own record; issues about records
    /// further down have no span and name the chain of domains.
    pub issues: Vec<RecordIssue>,
}

/// Reads `domain`'s SPF record and everything it includes or redirects to,
/// and lints the whole. Issue ids, besides those of [`super::parse()`],
/// [`lint`] and [`lint_selection`]:
///
/// | id | level | meaning |
/// | --- | --- | --- |
/// | `spf.record.missing` | Warning | the domain publishes no SPF record |
/// | `spf.lookups.too_many` | Error | more than 10 DNS-querying terms through the tree |
/// | `spf.lookups.void_too_many` | Error | more than 2 terms whose lookup finds nothing |
/// | `spf.mechanism.void` | Warning | an `a`, `mx` or `exists` target has no records |
/// | `spf.mx.too_many` | Error | an `mx` target has more than 10 exchanges |
/// | `spf.include.no_record`, `spf.redirect.no_record` | Error | the target has no SPF record |
/// | `spf.include.multiple_records`, `spf.redirect.multiple_records` | Error | the target has several |
/// | `spf.include.invalid`, `spf.redirect.invalid` | Error | the target's record has syntax errors |
/// | `spf.include.loop`, `spf.redirect.loop` | Error | the target includes or redirects back |
/// | `spf.include.all_pass`, `spf.redirect.all_pass` | Error | the target's record has `+all`: every host passes |
/// | `spf.tree.dns_error` | Warning | a lookup failed; receivers would get temperror |
/// | `spf.tree.truncated` | Notice | the tree has more than 64 records; the rest was not read |
pub async fn lint_tree(dns: &dyn SpfDns, domain: &str) -> SpfTreeLint {
    let domain = domain.strip_suffix('.').unwrap_or(domain).to_owned();
    let mut walker = Walker {
        dns,
        lookups: 0,
        voids: 0,
        records: 1,
        issues: Vec::new(),
        path: Vec::new(),
    };
    let mut lint_result = SpfTreeLint {
        record: None,
        dns_lookups: 0,
        void_lookups: 0,
        issues: Vec::new(),
    };
    let txt = match dns.txt(&domain).await {
        Ok(txt) => txt,
        Err(error) => {
            lint_result.issues.push(RecordIssue::whole(
                "spf.tree.dns_error",
                IssueLevel::Warning,
                format!("the TXT lookup of {domain} failed: {error}; receivers would get temperror"),
            ));
            return lint_result;
        }
    };
    lint_result.issues.extend(lint_selection(&txt, &[]));
    let record = match select_record(txt) {
        RecordSelection::One(record) => parse(&record),
        RecordSelection::NoRecord => {
            lint_result.issues.push(RecordIssue::whole(
                "spf.record.missing",
                IssueLevel::Warning,
                format!(
                    "{domain} publishes no SPF record, so receivers cannot tell forged mail from its own"
                ),
            ));
            return lint_result;
        }
        RecordSelection::Multiple(_) => return lint_result,
    };
    lint_result.issues.extend(record.issues.iter().cloned());
    lint_result.issues.extend(
        lint(&record)
            .into_iter()
            .filter(|issue| issue.id != "spf.lookups.too_many"),
    );
    walker.walk(&domain, &record, true).await;
    lint_result.issues.append(&mut walker.issues);
    if walker.lookups > MAX_DNS_LOOKUPS {
        lint_result.issues.push(RecordIssue::whole(
            "spf.lookups.too_many",
            IssueLevel::Error,
            format!(
                "{} terms that query the DNS through includes and redirects; evaluation stops with \
                 permerror after {MAX_DNS_LOOKUPS} (RFC 7208 §4.6.4): flatten includes or use ip4/ip6",
                walker.lookups
            ),
        ));
    }
    if walker.voids > MAX_VOID_LOOKUPS {
        lint_result.issues.push(RecordIssue::whole(
            "spf.lookups.void_too_many",
            IssueLevel::Error,
            format!(
                "{} terms look up names that do not exist or have no records; receivers stop with \
                 permerror after {MAX_VOID_LOOKUPS} (RFC 7208 §4.6.4): remove them",
                walker.voids
            ),
        ));
    }
    lint_result.dns_lookups = walker.lookups;
    lint_result.void_lookups = walker.voids;
    lint_result.record = Some(record);
    lint_result
}

struct Walker<'a> {
    dns: &'a dyn SpfDns,
    lookups: u32,
    voids: u32,
    records: usize,
    issues: Vec<RecordIssue>,
    /// The domains from the root to the record being walked.
    path: Vec<String>,
}

impl Walker<'_> {
    fn issue(&mut self, id: &str, level: IssueLevel, span: Option<Span>, message: String) {
        let message = if self.path.len() > 1 {
            format!("{} (via {})", message, self.path.join(" > "))
        } else {
            message
        };
        self.issues.push(RecordIssue {
            id: id.to_owned(),
            level,
            span,
            message,
        });
    }

    fn walk<'s>(
        &'s mut self,
        domain: &'s str,
        record: &'s SpfRecord,
        is_root: bool,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 's>> {
        Box::pin(async move {
            self.path.push(domain.to_ascii_lowercase());
            let has_all = record.has_all();
            for term in &record.terms {
                let span = is_root.then_some(term.span);
                match &term.term {
                    Term::Directive(directive) if directive.mechanism.counts_as_lookup() => {
                        self.lookups += 1;
                        self.mechanism(&directive.mechanism, domain, span).await;
                    }
                    // RFC 7208 §6.1: redirect is ignored when there is an "all".
                    Term::Modifier(Modifier::Redirect(target)) if !has_all => {
                        self.lookups += 1;
                        self.follow("redirect", target, span).await;
                    }
                    _ => {}
                }
            }
            self.path.pop();
        })
    }

    async fn mechanism(&mut self, mechanism: &Mechanism, domain: &str, span: Option<Span>) {
        match mechanism {
            Mechanism::Include { domain: target } => self.follow("include", target, span).await,
            Mechanism::A { domain: target, .. } => {
                let Some(name) = literal_target(target.as_ref(), domain) else {
                    return;
                };
                let (a, aaaa) = (self.dns.a(&name).await, self.dns.aaaa(&name).await);
                match (a, aaaa) {
                    (Ok(a), Ok(aaaa)) if a.is_empty() && aaaa.is_empty() => self.void(mechanism, &name, span),
                    (Err(error), _) | (_, Err(error)) => self.dns_error(&name, &error.to_string(), span),
                    _ => {}
                }
            }
            Mechanism::Mx { domain: target, .. } => {
                let Some(name) = literal_target(target.as_ref(), domain) else {
                    return;
                };
                match self.dns.mx(&name).await {
                    Ok(exchanges) if exchanges.is_empty() => self.void(mechanism, &name, span),
                    Ok(exchanges) => {
                        let hosts = exchanges
                            .iter()
                            .filter(|(_, exchange)| !matches!(exchange.as_str(), "" | "."))
                            .count();
                        if hosts > MAX_MX_NAMES {
                            self.issue(
                                "spf.mx.too_many",
                                IssueLevel::Error,
                                span,
                                format!(
                                    "{mechanism}: {name} has {hosts} MX hosts; evaluation stops with permerror \
                                     after {MAX_MX_NAMES} (RFC 7208 §4.6.4)"
                                ),
                            );
                        }
                    }
                    Err(error) => self.dns_error(&name, &error.to_string(), span),
                }
            }
            Mechanism::Exists { domain: target } => {
                let Some(name) = literal_target(Some(target), domain) else {
                    return;
                };
                match self.dns.a(&name).await {
                    Ok(found) if found.is_empty() => self.void(mechanism, &name, span),
                    Ok(_) => {}
                    Err(error) => self.dns_error(&name, &error.to_string(), span),
                }
            }
            _ => {}
        }
    }

    fn void(&mut self, mechanism: &Mechanism, name: &str, span: Option<Span>) {
        self.voids += 1;
        self.issue(
            "spf.mechanism.void",
            IssueLevel::Warning,
            span,
            format!("{mechanism}: {name} has no records, so the term never matches and is a void lookup"),
        );
    }

    fn dns_error(&mut self, name: &str, error: &str, span: Option<Span>) {
        self.issue(
            "spf.tree.dns_error",
            IssueLevel::Warning,
            span,
            format!("the lookup of {name} failed: {error}; receivers would get temperror"),
        );
    }

    /// Follows an include or redirect whose target has no macros.
    async fn follow(&mut self, via: &str, target: &DomainSpec, span: Option<Span>) {
        let term = if via == "include" {
            format!("include:{target}")
        } else {
            format!("redirect={target}")
        };
        if !target.macro_string().is_literal() {
            return;
        }
        let Some(name) = normalise_target(&target.to_string()) else {
            self.issue(
                &format!("spf.{via}.no_record"),
                IssueLevel::Error,
                span,
                format!("{term}: the target is not a name that can be queried; evaluation ends in permerror"),
            );
            return;
        };
        let lower = name.to_ascii_lowercase();
        if self.path.contains(&lower) {
            self.issue(
                &format!("spf.{via}.loop"),
                IssueLevel::Error,
                span,
                format!("{term} leads back to {name}: evaluation loops until the lookup limit, a permerror"),
            );
            return;
        }
        if self.records >= MAX_RECORDS {
            if !self.issues.iter().any(|issue| issue.id == "spf.tree.truncated") {
                self.issue(
                    "spf.tree.truncated",
                    IssueLevel::Notice,
                    span,
                    format!("more than {MAX_RECORDS} records in the tree; the rest was not read"),
                );
            }
            return;
        }
        self.records += 1;
        let txt = match self.dns.txt(&name).await {
            Ok(txt) => txt,
            Err(error) => return self.dns_error(&name, &error.to_string(), span),
        };
        match select_record(txt) {
            RecordSelection::One(text) => {
                let record = parse(&text);
                if record.is_valid() {
                    let passes_all = record.directives().any(|directive| {
                        directive.mechanism == Mechanism::All && directive.qualifier == Qualifier::Pass
                    });
                    if passes_all {
                        self.issue(
                            &format!("spf.{via}.all_pass"),
                            IssueLevel::Error,
                            span,
                            format!(
                                "{term}: the record of {name} ends in +all, so the {via} authorises every host \
                                 on the Internet"
                            ),
                        );
                    }
                    self.walk(&name, &record, false).await;
                } else {
                    let first = record.issues.first().map(|issue| issue.message.clone()).unwrap_or_default();
                    self.issue(
                        &format!("spf.{via}.invalid"),
                        IssueLevel::Error,
                        span,
                        format!("{term}: the record of {name} has syntax errors ({first}); evaluation ends in permerror"),
                    );
                }
            }
            RecordSelection::NoRecord => self.issue(
                &format!("spf.{via}.no_record"),
                IssueLevel::Error,
                span,
                format!("{term}: {name} has no SPF record, which makes the {via} a permerror (RFC 7208 §5.2, §6.1)"),
            ),
            RecordSelection::Multiple(records) => self.issue(
                &format!("spf.{via}.multiple_records"),
                IssueLevel::Error,
                span,
                format!("{term}: {name} has {} SPF records, which makes the {via} a permerror", records.len()),
            ),
        }
    }
}

/// The name a term without macros looks up: its domain-spec, or the
/// current domain when it has none; `None` when it has macros.
fn literal_target(spec: Option<&DomainSpec>, domain: &str) -> Option<String> {
    match spec {
        None => Some(domain.to_owned()),
        Some(spec) if spec.macro_string().is_literal() => normalise_target(&spec.to_string()),
        Some(_) => None,
    }
}
