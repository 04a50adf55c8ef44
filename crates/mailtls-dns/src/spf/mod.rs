//! SPF (RFC 7208): record syntax including macros, lints, and `check_host()`.
//!
//! - [`parse()`] turns a record into [`SpfRecord`]: the terms it understood
//!   and a [`RecordIssue`](crate::RecordIssue) with a byte span for every
//!   syntax error. It never fails; a record with an error is a `permerror`
//!   when evaluated. [`SpfRecord`]'s `Display` is a canonical form that
//!   parses back to the same terms.
//! - [`lint()`] and [`lint_selection()`] judge a record and the records at
//!   a name without DNS; [`lint_tree()`] follows includes and redirects
//!   through [`SpfDns`] to count lookups and find broken targets.
//! - [`eval::check_host()`] evaluates a record for a client address, with a
//!   trace of every term and DNS query.
//!
//! # Issue ids
//!
//! Syntax (all `Error`: the record is a `permerror`), from [`parse()`]:
//!
//! | id | meaning |
//! | --- | --- |
//! | `spf.syntax.version` | the record does not start with `v=spf1` and a space or the end |
//! | `spf.syntax.character` | a control or non-ASCII character in a term |
//! | `spf.syntax.unknown_mechanism` | a term that is no mechanism (`redirect:x`, `foo`) |
//! | `spf.syntax.modifier_name` | `=` after something that is not a modifier name (`1up=x`, `=all`) |
//! | `spf.syntax.unexpected_argument` | an argument where none is allowed (`all:x`, `ptr/24`) |
//! | `spf.syntax.missing_domain` | `include`, `exists`, `a:`, `redirect=`, `exp=` without a domain |
//! | `spf.syntax.missing_address` | `ip4`/`ip6` without an address |
//! | `spf.syntax.domain_spec` | a domain that does not end in a top-level label or a macro |
//! | `spf.syntax.macro` | invalid macro syntax (`%(ir)`, `%{x}`, `%{r}` outside `exp` text) |
//! | `spf.syntax.cidr` | a prefix length out of range, with a leading zero, or badly formed |
//! | `spf.syntax.ip4`, `spf.syntax.ip6` | an address that is not valid for the mechanism |
//! | `spf.syntax.duplicate_modifier` | a second `redirect=` or `exp=` |
//!
//! Lints, from [`lint()`] and [`lint_selection()`]:
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `spf.multiple_records` | Error | several SPF records at one name: `permerror` |
//! | `spf.obsolete_rr_type` | Notice | records of the obsolete `SPF` RR type (99) are published |
//! | `spf.all.pass` | Error | `+all` authorises every host |
//! | `spf.all.neutral` | Warning | `?all` asserts nothing about other hosts |
//! | `spf.all.missing` | Warning | neither `all` nor `redirect=`: unlisted hosts get `neutral` |
//! | `spf.all.not_last` | Warning | mechanisms after `all` are never evaluated |
//! | `spf.redirect.ignored` | Warning | `redirect=` next to `all` is ignored |
//! | `spf.mechanism.ptr` | Warning | `ptr` SHOULD NOT be used (RFC 7208 §5.5) |
//! | `spf.modifier.exp` | Notice | the record publishes an explanation |
//! | `spf.record.too_long` | Warning | more than 450 octets (RFC 7208 §3.4) |
//! | `spf.lookups.too_many` | Error | more than 10 DNS-querying terms |
//!
//! The tree lint's ids are listed at [`lint_tree()`].

pub mod eval;
mod lint;
mod macros;
mod parse;
mod record;
mod tree;

pub use eval::{
    CheckHostOptions, SpfDns, SpfDnsError, SpfEvaluation, SpfResult, check_helo, check_host, check_host_with,
    check_mail_from,
};
pub use lint::{MAX_DNS_LOOKUPS, MAX_RECORD_OCTETS, lint, lint_selection};
pub use macros::{
    DomainSpec, DomainSpecError, MacroError, MacroExpand, MacroGrammar, MacroItem, MacroLetter, MacroString,
    MacroValues, ip_dot_format,
};
pub use parse::{VERSION, is_spf_record, parse};
pub use record::{Directive, DualCidr, Mechanism, Modifier, Qualifier, SpfRecord, SpfTerm, Term};
pub use tree::{SpfTreeLint, lint_tree};
