//! Parsing an SPF record into terms, with a [`RecordIssue`] for every syntax error.
//!
//! ```text
//! RFC 7208 §4.5   ... discard records that do not begin with a version
//!                 section of exactly "v=spf1".  Note that the version section
//!                 is terminated by either an SP character or the end of the record.
//! RFC 7208 §4.6   ... if there are any syntax errors anywhere in the record,
//!                 check_host() returns immediately with the result "permerror".
//! RFC 7208 §4.6.1 Most mechanisms allow a ":" or "/" character after the
//!                 name.  Modifiers always have an "=" separating the name and
//!                 the value.  ... mechanism and modifier names are case-insensitive.
//! RFC 7208 §6     These two modifiers [redirect, exp] MUST NOT appear in a
//!                 record more than once each.
//! ```
//!
//! The parser never fails: it keeps the terms it understood and reports the
//! others, so a linter can show every problem at once.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::macros::{DomainSpec, DomainSpecError, MacroGrammar, MacroString};
use super::record::{Directive, DualCidr, Mechanism, Modifier, Qualifier, SpfRecord, SpfTerm, Term};
use crate::{IssueLevel, RecordIssue, Span};

/// The version section, compared without regard to case.
pub const VERSION: &str = "v=spf1";

/// Whether `text` is an SPF record: it starts with `v=spf1` followed by a
/// space or the end (RFC 7208 §4.5).
pub fn is_spf_record(text: &str) -> bool {
    version_len(text).is_some()
}

fn version_len(text: &str) -> Option<usize> {
    let head = text.as_bytes().get(..VERSION.len())?;
    let ends = matches!(text.as_bytes().get(VERSION.len()), None | Some(b' '));
    (head.eq_ignore_ascii_case(VERSION.as_bytes()) && ends).then_some(VERSION.len())
}

/// Parses an SPF record. Never fails: problems are in [`SpfRecord::issues`].
pub fn parse(record: &str) -> SpfRecord {
    let mut parsed = SpfRecord {
        text: record.to_owned(),
        terms: Vec::new(),
        issues: Vec::new(),
    };
    let Some(start) = version_len(record) else {
        let end = record.find(' ').unwrap_or(record.len());
        parsed.issues.push(RecordIssue::at(
            "spf.syntax.version",
            IssueLevel::Error,
            Span::new(0, end),
            format!(
                "the record starts with {:?}, not with \"v=spf1\" followed by a space or the end",
                record.get(..end).unwrap_or_default()
            ),
        ));
        return parsed;
    };
    let mut offset = start;
    for piece in record.get(start..).unwrap_or_default().split(' ') {
        let span = Span::new(offset, offset + piece.len());
        offset = span.end + 1;
        if piece.is_empty() {
            continue;
        }
        match parse_term(piece, span.start) {
            Ok(term) => parsed.terms.push(SpfTerm { term, span }),
            Err(issue) => parsed.issues.push(issue),
        }
    }
    report_duplicates(&mut parsed);
    parsed
}

fn report_duplicates(parsed: &mut SpfRecord) {
    let mut seen_redirect = false;
    let mut seen_exp = false;
    for term in &parsed.terms {
        let (seen, name) = match &term.term {
            Term::Modifier(Modifier::Redirect(_)) => (&mut seen_redirect, "redirect"),
            Term::Modifier(Modifier::Explanation(_)) => (&mut seen_exp, "exp"),
            _ => continue,
        };
        if *seen {
            parsed.issues.push(RecordIssue::at(
                "spf.syntax.duplicate_modifier",
                IssueLevel::Error,
                term.span,
                format!("a second {name}= modifier; each of redirect= and exp= may appear only once"),
            ));
        }
        *seen = true;
    }
}

/// An issue about part of a term: `start..end` are offsets in the term.
fn issue(id: &str, term_start: usize, start: usize, end: usize, message: String) -> RecordIssue {
    RecordIssue::at(
        id,
        IssueLevel::Error,
        Span::new(term_start + start, term_start + end),
        message,
    )
}

/// `name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )`: its length at the start of `text`.
fn modifier_name_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .count()
}

fn parse_term(text: &str, at: usize) -> Result<Term, RecordIssue> {
    if let Some((offset, character)) = text.char_indices().find(|(_, c)| !('\x21'..='\x7e').contains(c)) {
        let kind = if character.is_ascii() {
            "a control character"
        } else {
            "a non-ASCII character"
        };
        return Err(issue(
            "spf.syntax.character",
            at,
            offset,
            offset + character.len_utf8(),
            format!("{text:?} contains {kind} ({character:?}); terms are separated by spaces only"),
        ));
    }
    let name_len = modifier_name_len(text);
    if name_len > 0 && text.as_bytes().get(name_len) == Some(&b'=') {
        let (name, value) = (
            text.get(..name_len).unwrap_or_default(),
            text.get(name_len + 1..).unwrap_or_default(),
        );
        return parse_modifier(name, value, at, name_len + 1).map(Term::Modifier);
    }
    // "=" before any ":" or "/" makes a modifier whose name is not a valid name.
    if let Some(equals) = text.find('=')
        && !text.get(..equals).unwrap_or_default().contains([':', '/'])
    {
        return Err(issue(
            "spf.syntax.modifier_name",
            at,
            0,
            equals.max(1),
            format!(
                "{:?} is not a modifier name: a name starts with a letter and has only letters, digits, \
                 '-', '_' and '.'",
                text.get(..equals).unwrap_or_default()
            ),
        ));
    }
    parse_directive(text, at).map(Term::Directive)
}

fn domain_spec_issue(error: &DomainSpecError, at: usize, start: usize, end: usize) -> RecordIssue {
    match error {
        DomainSpecError::Macro(macro_error) => {
            let offset = start + macro_error.offset();
            issue(
                "spf.syntax.macro",
                at,
                offset,
                (offset + 1).min(end),
                macro_error.to_string(),
            )
        }
        DomainSpecError::Empty => issue("spf.syntax.missing_domain", at, start, end, error.to_string()),
        DomainSpecError::DomainEnd { .. } => {
            issue("spf.syntax.domain_spec", at, start, end, error.to_string())
        }
    }
}

fn parse_domain_spec(text: &str, at: usize, start: usize) -> Result<DomainSpec, RecordIssue> {
    DomainSpec::parse(text).map_err(|error| domain_spec_issue(&error, at, start, start + text.len()))
}

fn parse_modifier(name: &str, value: &str, at: usize, value_start: usize) -> Result<Modifier, RecordIssue> {
    if name.eq_ignore_ascii_case("redirect") {
        return parse_domain_spec(value, at, value_start).map(Modifier::Redirect);
    }
    if name.eq_ignore_ascii_case("exp") {
        return parse_domain_spec(value, at, value_start).map(Modifier::Explanation);
    }
    match MacroString::parse(value, MacroGrammar::MacroString) {
        Ok(value) => Ok(Modifier::Unknown {
            name: name.to_owned(),
            value,
        }),
        Err(error) => {
            let offset = value_start + error.offset();
            Err(issue(
                "spf.syntax.macro",
                at,
                offset,
                offset + 1,
                error.to_string(),
            ))
        }
    }
}

fn parse_directive(text: &str, at: usize) -> Result<Directive, RecordIssue> {
    let (qualifier, name_start) = match text.chars().next().and_then(Qualifier::from_char) {
        Some(qualifier) => (qualifier, 1),
        None => (Qualifier::Pass, 0),
    };
    let rest = text.get(name_start..).unwrap_or_default();
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let (name, args) = (
        rest.get(..name_len).unwrap_or_default(),
        rest.get(name_len..).unwrap_or_default(),
    );
    let args_start = name_start + name_len;
    let lower = name.to_ascii_lowercase();
    let mechanism = match lower.as_str() {
        "all" => {
            if !args.is_empty() {
                return Err(unexpected_argument("all", args, at, args_start));
            }
            Mechanism::All
        }
        "include" | "exists" => {
            let domain = required_domain(&lower, args, at, args_start)?;
            if lower == "include" {
                Mechanism::Include { domain }
            } else {
                Mechanism::Exists { domain }
            }
        }
        "a" | "mx" => {
            let (before_cidr, cidr) = split_dual_cidr(args, at, args_start)?;
            let domain = optional_domain(&lower, before_cidr, at, args_start)?;
            if lower == "a" {
                Mechanism::A { domain, cidr }
            } else {
                Mechanism::Mx { domain, cidr }
            }
        }
        "ptr" => Mechanism::Ptr {
            domain: optional_domain("ptr", args, at, args_start)?,
        },
        "ip4" => {
            let (network, prefix) = ip_network(args, at, args_start, parse_ip4_network, 32)?;
            Mechanism::Ip4 { network, prefix }
        }
        "ip6" => {
            let (network, prefix) =
                ip_network(args, at, args_start, |text| text.parse::<Ipv6Addr>().ok(), 128)?;
            Mechanism::Ip6 { network, prefix }
        }
        "redirect" | "exp" => {
            return Err(issue(
                "spf.syntax.unknown_mechanism",
                at,
                0,
                text.len(),
                format!("{text:?}: {name} is a modifier and is written {name}=<domain>"),
            ));
        }
        _ => {
            return Err(issue(
                "spf.syntax.unknown_mechanism",
                at,
                0,
                text.len(),
                format!(
                    "{text:?} is not a mechanism (all, include, a, mx, ptr, ip4, ip6, exists) nor a \
                     name=value modifier"
                ),
            ));
        }
    };
    Ok(Directive { qualifier, mechanism })
}

fn unexpected_argument(name: &str, args: &str, at: usize, start: usize) -> RecordIssue {
    issue(
        "spf.syntax.unexpected_argument",
        at,
        start,
        start + args.len(),
        format!("{name} takes no {args:?}"),
    )
}

/// `":" domain-spec`, required.
fn required_domain(name: &str, args: &str, at: usize, start: usize) -> Result<DomainSpec, RecordIssue> {
    match args.strip_prefix(':') {
        Some(spec) => parse_domain_spec(spec, at, start + 1),
        None if args.is_empty() => Err(issue(
            "spf.syntax.missing_domain",
            at,
            0,
            start,
            format!("{name} needs a domain: {name}:<domain>"),
        )),
        None => Err(unexpected_argument(name, args, at, start)),
    }
}

/// `[ ":" domain-spec ]`.
fn optional_domain(
    name: &str,
    args: &str,
    at: usize,
    start: usize,
) -> Result<Option<DomainSpec>, RecordIssue> {
    if args.is_empty() {
        Ok(None)
    } else {
        required_domain(name, args, at, start).map(Some)
    }
}

/// Splits a trailing `dual-cidr-length` off the arguments of `a` or `mx`. A
/// domain-spec ends in a letter, a dot or a macro, never in `/DIGITS`, so
/// what ends in slashes and digits is the CIDR part.
fn split_dual_cidr(args: &str, at: usize, start: usize) -> Result<(&str, DualCidr), RecordIssue> {
    let mut rest = args;
    let mut cidr = DualCidr::default();
    if let Some(position) = rest.rfind("//")
        && let Some(digits) = rest.get(position + 2..).filter(|d| is_digits(d))
    {
        cidr.ip6 = Some(cidr_length(digits, 128, at, start + position, 2)?);
        rest = rest.get(..position).unwrap_or_default();
    }
    if let Some(position) = rest.rfind('/')
        && let Some(digits) = rest.get(position + 1..).filter(|d| is_digits(d))
    {
        cidr.ip4 = Some(cidr_length(digits, 32, at, start + position, 1)?);
        rest = rest.get(..position).unwrap_or_default();
    }
    if rest.starts_with('/') {
        return Err(issue(
            "spf.syntax.cidr",
            at,
            start,
            start + args.len(),
            format!("{args:?} is not a CIDR length: /N for IPv4, //N for IPv6, or /N//M for both"),
        ));
    }
    Ok((rest, cidr))
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `"0" / %x31-39 *DIGIT` with a maximum; `slash` is the offset of the
/// `slashes` slashes before the digits.
fn cidr_length(digits: &str, max: u8, at: usize, slash: usize, slashes: usize) -> Result<u8, RecordIssue> {
    let value = digits.parse::<u8>().ok().filter(|value| *value <= max);
    let leading_zero = digits.len() > 1 && digits.starts_with('0');
    match value {
        Some(value) if !leading_zero => Ok(value),
        _ => Err(issue(
            "spf.syntax.cidr",
            at,
            slash,
            slash + slashes + digits.len(),
            format!("{digits:?} is not a prefix length: 0 to {max}, without leading zeros"),
        )),
    }
}

/// `":" ip-network [ "/" length ]` for ip4 and ip6.
fn ip_network<A>(
    args: &str,
    at: usize,
    start: usize,
    parse_address: impl Fn(&str) -> Option<A>,
    max: u8,
) -> Result<(A, Option<u8>), RecordIssue> {
    let name = if max == 32 { "ip4" } else { "ip6" };
    let Some(network) = args.strip_prefix(':') else {
        return Err(issue(
            "spf.syntax.missing_address",
            at,
            0,
            start + args.len(),
            format!("{name} needs an address: {name}:<network>[/<length>]"),
        ));
    };
    let (address, length) = match network.split_once('/') {
        Some((address, length)) => (address, Some(length)),
        None => (network, None),
    };
    let Some(parsed) = parse_address(address) else {
        let kind = if max == 32 {
            "an IPv4 address in dotted-quad form"
        } else {
            "an IPv6 address"
        };
        return Err(issue(
            &format!("spf.syntax.{name}"),
            at,
            start + 1,
            start + 1 + address.len(),
            format!("{address:?} is not {kind}"),
        ));
    };
    let slash = start + 1 + address.len();
    let prefix = match length {
        None => None,
        Some(digits) if is_digits(digits) => Some(cidr_length(digits, max, at, slash, 1)?),
        Some(other) => {
            return Err(issue(
                "spf.syntax.cidr",
                at,
                slash,
                slash + 1 + other.len(),
                format!("/{other} is not a prefix length for {name}: 0 to {max}"),
            ));
        }
    };
    Ok((parsed, prefix))
}

/// ```text
/// ip4-network      = qnum "." qnum "." qnum "." qnum
/// qnum             = DIGIT                 ; 0-9
///                    / %x31-39 DIGIT       ; 10-99
///                    / "1" 2DIGIT          ; 100-199
///                    / "2" %x30-34 DIGIT   ; 200-249
///                    / "25" %x30-35        ; 250-255
/// ```
fn parse_ip4_network(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if !is_digits(part) || part.len() > 3 || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qnum_rejects_leading_zeros_and_short_forms() {
        assert_eq!(parse_ip4_network("192.0.2.1"), Some(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(parse_ip4_network("192.0.2.01"), None);
        assert_eq!(parse_ip4_network("1.2.3"), None);
        assert_eq!(parse_ip4_network("1.2.3.256"), None);
        assert_eq!(parse_ip4_network("1.2.3.4.5"), None);
    }

    #[test]
    fn version_needs_space_or_end() {
        assert!(is_spf_record("v=spf1"));
        assert!(is_spf_record("V=SPF1 -all"));
        assert!(!is_spf_record("v=spf10"));
        assert!(!is_spf_record("v=spf1\t-all"));
    }
}
