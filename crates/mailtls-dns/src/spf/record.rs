//! The parts of an SPF record (RFC 7208 §4.6.1, §5, §6) and its canonical text.
//!
//! ```text
//! RFC 7208 §12
//!   record           = version terms *SP
//!   version          = "v=spf1"
//!   terms            = *( 1*SP ( directive / modifier ) )
//!   directive        = [ qualifier ] mechanism
//!   qualifier        = "+" / "-" / "?" / "~"
//!   mechanism        = ( all / include / a / mx / ptr / ip4 / ip6 / exists )
//!   modifier         = redirect / explanation / unknown-modifier
//! ```
//!
//! The canonical text ([`fmt::Display`] of [`SpfRecord`]) writes `v=spf1`,
//! one space between terms, lower-case names, no `+` qualifier, IPv6
//! addresses in RFC 5952 form, and macros with lower-case transformers; it
//! keeps CIDR lengths as written, so that parsing it again gives the same terms.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::macros::{DomainSpec, MacroString};
use crate::{IssueLevel, RecordIssue, Span};

/// A parsed SPF record: the terms that were understood, and every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfRecord {
    /// The record as served (TXT strings joined).
    pub text: String,
    /// The terms that parsed, in order, with where they are in [`Self::text`].
    pub terms: Vec<SpfTerm>,
    /// Syntax problems (`spf.syntax.*`), each with its span. A record with
    /// any of them evaluates to `permerror` (RFC 7208 §4.6).
    pub issues: Vec<RecordIssue>,
}

impl SpfRecord {
    /// Whether the record has no error: it would be evaluated, not be a `permerror`.
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(|issue| issue.level == IssueLevel::Error)
    }

    /// The directives, in order.
    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.terms.iter().filter_map(|term| match &term.term {
            Term::Directive(directive) => Some(directive),
            Term::Modifier(_) => None,
        })
    }

    /// The modifiers, in order.
    pub fn modifiers(&self) -> impl Iterator<Item = &Modifier> {
        self.terms.iter().filter_map(|term| match &term.term {
            Term::Modifier(modifier) => Some(modifier),
            Term::Directive(_) => None,
        })
    }

    /// The first `redirect=` target.
    pub fn redirect(&self) -> Option<&DomainSpec> {
        self.modifiers().find_map(|modifier| match modifier {
            Modifier::Redirect(target) => Some(target),
            _ => None,
        })
    }

    /// The first `exp=` target.
    pub fn explanation(&self) -> Option<&DomainSpec> {
        self.modifiers().find_map(|modifier| match modifier {
            Modifier::Explanation(target) => Some(target),
            _ => None,
        })
    }

    /// Whether an `all` mechanism appears anywhere (then `redirect=` is ignored, §6.1).
    pub fn has_all(&self) -> bool {
        self.directives()
            .any(|directive| directive.mechanism == Mechanism::All)
    }

    /// The terms without their spans, for comparing two parses.
    pub fn term_list(&self) -> Vec<&Term> {
        self.terms.iter().map(|term| &term.term).collect()
    }
}

impl fmt::Display for SpfRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=spf1")?;
        for term in &self.terms {
            write!(f, " {}", term.term)?;
        }
        Ok(())
    }
}

/// A term and where it is in the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfTerm {
    /// The term.
    pub term: Term,
    /// Its bytes in the record.
    pub span: Span,
}

/// `term = directive / modifier`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    /// A mechanism with its qualifier.
    Directive(Directive),
    /// A `name=value` modifier.
    Modifier(Modifier),
}

impl Term {
    /// Whether evaluating the term queries the DNS and so counts against the
    /// limit of 10 (RFC 7208 §4.6.4): include, a, mx, ptr, exists and redirect.
    pub fn counts_as_lookup(&self) -> bool {
        match self {
            Self::Directive(directive) => directive.mechanism.counts_as_lookup(),
            Self::Modifier(modifier) => matches!(modifier, Modifier::Redirect(_)),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Directive(directive) => directive.fmt(f),
            Self::Modifier(modifier) => modifier.fmt(f),
        }
    }
}

/// `directive = [ qualifier ] mechanism`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Directive {
    /// The result when the mechanism matches; `+` when none is written.
    pub qualifier: Qualifier,
    /// The mechanism.
    pub mechanism: Mechanism,
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.qualifier != Qualifier::Pass {
            write!(f, "{}", self.qualifier.as_char())?;
        }
        self.mechanism.fmt(f)
    }
}

/// `qualifier = "+" / "-" / "?" / "~"`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// `+`: pass.
    Pass,
    /// `-`: fail.
    Fail,
    /// `~`: softfail.
    SoftFail,
    /// `?`: neutral.
    Neutral,
}

impl Qualifier {
    /// The qualifier for its character.
    pub fn from_char(character: char) -> Option<Self> {
        Some(match character {
            '+' => Self::Pass,
            '-' => Self::Fail,
            '~' => Self::SoftFail,
            '?' => Self::Neutral,
            _ => return None,
        })
    }

    /// Its character.
    pub fn as_char(self) -> char {
        match self {
            Self::Pass => '+',
            Self::Fail => '-',
            Self::SoftFail => '~',
            Self::Neutral => '?',
        }
    }
}

/// ```text
/// all              = "all"
/// include          = "include"  ":" domain-spec
/// a                = "a"      [ ":" domain-spec ] [ dual-cidr-length ]
/// mx               = "mx"     [ ":" domain-spec ] [ dual-cidr-length ]
/// ptr              = "ptr"    [ ":" domain-spec ]
/// ip4              = "ip4"      ":" ip4-network   [ ip4-cidr-length ]
/// ip6              = "ip6"      ":" ip6-network   [ ip6-cidr-length ]
/// exists           = "exists"   ":" domain-spec
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// Always matches.
    All,
    /// Matches when the target's record evaluates to pass.
    Include {
        /// The target.
        domain: DomainSpec,
    },
    /// Matches an address of the target (default: the current domain).
    A {
        /// The target, when given.
        domain: Option<DomainSpec>,
        /// Prefix lengths.
        cidr: DualCidr,
    },
    /// Matches an address of an MX host of the target.
    Mx {
        /// The target, when given.
        domain: Option<DomainSpec>,
        /// Prefix lengths.
        cidr: DualCidr,
    },
    /// Matches a validated reverse name under the target (do not use, §5.5).
    Ptr {
        /// The target, when given.
        domain: Option<DomainSpec>,
    },
    /// Matches an IPv4 network.
    Ip4 {
        /// The network address.
        network: Ipv4Addr,
        /// The prefix length as written; 32 when absent.
        prefix: Option<u8>,
    },
    /// Matches an IPv6 network.
    Ip6 {
        /// The network address.
        network: Ipv6Addr,
        /// The prefix length as written; 128 when absent.
        prefix: Option<u8>,
    },
    /// Matches when the target has an A record.
    Exists {
        /// The target.
        domain: DomainSpec,
    },
}

impl Mechanism {
    /// The mechanism's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Include { .. } => "include",
            Self::A { .. } => "a",
            Self::Mx { .. } => "mx",
            Self::Ptr { .. } => "ptr",
            Self::Ip4 { .. } => "ip4",
            Self::Ip6 { .. } => "ip6",
            Self::Exists { .. } => "exists",
        }
    }

    /// Whether it counts against the limit of 10 DNS-querying terms (§4.6.4).
    pub fn counts_as_lookup(&self) -> bool {
        matches!(
            self,
            Self::Include { .. } | Self::A { .. } | Self::Mx { .. } | Self::Ptr { .. } | Self::Exists { .. }
        )
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        match self {
            Self::All => Ok(()),
            Self::Include { domain } | Self::Exists { domain } => write!(f, ":{domain}"),
            Self::A { domain, cidr } | Self::Mx { domain, cidr } => {
                if let Some(domain) = domain {
                    write!(f, ":{domain}")?;
                }
                cidr.fmt(f)
            }
            Self::Ptr { domain } => match domain {
                Some(domain) => write!(f, ":{domain}"),
                None => Ok(()),
            },
            Self::Ip4 { network, prefix } => {
                write!(f, ":{network}")?;
                prefix.map_or(Ok(()), |prefix| write!(f, "/{prefix}"))
            }
            Self::Ip6 { network, prefix } => {
                write!(f, ":{network}")?;
                prefix.map_or(Ok(()), |prefix| write!(f, "/{prefix}"))
            }
        }
    }
}

/// ```text
/// dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]
/// ip4-cidr-length  = "/" ("0" / %x31-39 0*1DIGIT) ; value range 0-32
/// ip6-cidr-length  = "/" ("0" / %x31-39 0*2DIGIT) ; value range 0-128
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DualCidr {
    /// The IPv4 prefix length as written; 32 when absent.
    pub ip4: Option<u8>,
    /// The IPv6 prefix length as written; 128 when absent.
    pub ip6: Option<u8>,
}

impl fmt::Display for DualCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(ip4) = self.ip4 {
            write!(f, "/{ip4}")?;
        }
        if let Some(ip6) = self.ip6 {
            write!(f, "//{ip6}")?;
        }
        Ok(())
    }
}

/// ```text
/// redirect         = "redirect" "=" domain-spec
/// explanation      = "exp" "=" domain-spec
/// unknown-modifier = name "=" macro-string
///                    ; where name is not any known modifier
/// name             = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// `redirect=`: evaluate another domain's record when nothing matched.
    Redirect(DomainSpec),
    /// `exp=`: where the explanation for a fail is published.
    Explanation(DomainSpec),
    /// Any other modifier: ignored by evaluation (§6).
    Unknown {
        /// The name as written.
        name: String,
        /// The value.
        value: MacroString,
    },
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redirect(target) => write!(f, "redirect={target}"),
            Self::Explanation(target) => write!(f, "exp={target}"),
            Self::Unknown { name, value } => write!(f, "{name}={value}"),
        }
    }
}
