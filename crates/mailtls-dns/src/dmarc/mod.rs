//! DMARC (RFC 7489 and DMARCbis): the record, its tags, and the organisational domain.
//!
//! [`parse`] reads one TXT record found at `_dmarc.<domain>`; [`parse_rrset`]
//! applies the record selection of RFC 7489 §6.6.3 to all TXT records found
//! there. Both return what a receiver would apply, if anything, together with
//! every [`RecordIssue`](crate::RecordIssue) found. [`organizational_domain`]
//! and [`external_report_destinations`] are the pure halves of the
//! organisational domain lookup (§3.2) and the external report authorisation
//! check (§7.1).
//!
//! ```text
//! RFC 7489 §6.4
//!   dmarc-record    = dmarc-version dmarc-sep
//!                     [dmarc-request]
//!                     [dmarc-sep dmarc-srequest]
//!                     [dmarc-sep dmarc-auri]
//!                     [dmarc-sep dmarc-furi]
//!                     [dmarc-sep dmarc-adkim]
//!                     [dmarc-sep dmarc-aspf]
//!                     [dmarc-sep dmarc-ainterval]
//!                     [dmarc-sep dmarc-fo]
//!                     [dmarc-sep dmarc-rfmt]
//!                     [dmarc-sep dmarc-percent]
//!                     [dmarc-sep]
//!   dmarc-version   = "v" *WSP "=" *WSP %x44 %x4d %x41 %x52 %x43 %x31
//!   dmarc-sep       = *WSP %x3b *WSP
//!   dmarc-request   = "p" *WSP "=" *WSP ( "none" / "quarantine" / "reject" )
//!   dmarc-srequest  = "sp" *WSP "=" *WSP ( "none" / "quarantine" / "reject" )
//!   dmarc-auri      = "rua" *WSP "=" *WSP dmarc-uri *(*WSP "," *WSP dmarc-uri)
//!   dmarc-furi      = "ruf" *WSP "=" *WSP dmarc-uri *(*WSP "," *WSP dmarc-uri)
//!   dmarc-adkim     = "adkim" *WSP "=" *WSP ( "r" / "s" )
//!   dmarc-aspf      = "aspf" *WSP "=" *WSP ( "r" / "s" )
//!   dmarc-ainterval = "ri" *WSP "=" *WSP 1*DIGIT
//!   dmarc-fo        = "fo" *WSP "=" *WSP ( "0" / "1" / "d" / "s" )
//!                     *(*WSP ":" *WSP ( "0" / "1" / "d" / "s" ))
//!   dmarc-rfmt      = "rf"  *WSP "=" *WSP Keyword *(*WSP ":" Keyword)
//!   dmarc-percent   = "pct" *WSP "=" *WSP 1*3DIGIT
//! DMARCbis adds
//!   np  = "none" / "quarantine" / "reject"   policy for non-existent subdomains
//!   psd = "y" / "n" / "u"                    public suffix domain flag
//!   t   = "y" / "n"                          testing mode (replaces pct)
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `dmarc.syntax.*` | | tag-list syntax, see [`crate::tag_list`] |
//! | `dmarc.version.missing` | Error | the record does not start with a `v` tag: it is not a DMARC record |
//! | `dmarc.version.invalid` | Error | `v` is not exactly `DMARC1`: the record is discarded |
//! | `dmarc.policy.missing` | Error | no `p`; treated as `p=none` when `rua` has a valid URI, else no policy |
//! | `dmarc.policy.invalid` | Error | `p` is not none/quarantine/reject; as above |
//! | `dmarc.sp.invalid` | Error | `sp` is not none/quarantine/reject; like an invalid `p` (RFC 7489 §6.6.3 step 6) |
//! | `dmarc.policy.not_second` | Notice | `p` does not follow `v` directly as the ABNF orders it |
//! | `dmarc.policy.none` | Warning | `p=none`: monitoring only, nothing is quarantined or rejected |
//! | `dmarc.sp.weaker` | Warning | `sp` is weaker than `p`: subdomains are easier to spoof |
//! | `dmarc.np.weaker` | Warning | `np` is weaker than the subdomain policy |
//! | `dmarc.pct.partial` | Warning | `pct` below 100: the policy applies to a sample only |
//! | `dmarc.testing` | Warning | `t=y`: DMARCbis testing mode, the policy is applied one step weaker |
//! | `dmarc.rua.missing` | Notice | no valid aggregate report address: the owner sees nothing |
//! | `dmarc.rua.invalid_uri`, `dmarc.ruf.invalid_uri` | Warning | a report URI receivers ignore |
//! | `dmarc.rua.unsupported_scheme`, `dmarc.ruf.unsupported_scheme` | Warning | not `mailto:`, which is the only scheme receivers must support |
//! | `dmarc.rua.empty_uri`, `dmarc.ruf.empty_uri` | Notice | `,,` in a URI list |
//! | `dmarc.<tag>.invalid` | Warning | a value outside the grammar of `np` `psd` `t` `pct` `adkim` `aspf` `fo` `ri`; the tag is ignored |
//! | `dmarc.rf.unknown` | Warning | a report format other than `afrf` |
//! | `dmarc.tag.unknown` | Notice | a tag neither RFC 7489 nor DMARCbis defines |
//! | `dmarc.record.missing` | Warning | no TXT record at `_dmarc` starts with `v=DMARC1` |
//! | `dmarc.record.multiple` | Error | more than one does: no policy applies (RFC 7489 §6.6.3) |

mod org_domain;
mod parse;
mod uri;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use org_domain::{
    ExternalDestination, ReportKind, external_report_destinations, organizational_domain,
    report_authorization_name, reports_authorized,
};
pub use parse::{parse, parse_rrset};
pub use uri::{DmarcUri, ReportSize, SizeUnit};

use crate::tag_list::UnknownTag;

/// A DMARC policy record as a receiver applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DmarcRecord {
    /// `p`: the requested policy for the domain. A record whose `p` is
    /// missing or invalid but that has a valid `rua` is read as `p=none`
    /// (RFC 7489 §6.6.3), and this holds `none`.
    pub policy: Policy,
    /// `sp`: the policy for subdomains (default: `p`).
    pub subdomain_policy: Option<Policy>,
    /// `np` (DMARCbis): the policy for non-existent subdomains (default: `sp`, then `p`).
    pub nonexistent_subdomain_policy: Option<Policy>,
    /// `psd` (DMARCbis): whether the domain is a public suffix domain.
    pub public_suffix_domain: Option<PsdFlag>,
    /// `t` (DMARCbis): testing mode.
    pub testing: Option<bool>,
    /// `pct` (RFC 7489; dropped by DMARCbis): the percentage of failing mail
    /// the policy applies to (default 100).
    pub percent: Option<u8>,
    /// `adkim`: DKIM identifier alignment (default relaxed).
    pub dkim_alignment: Option<Alignment>,
    /// `aspf`: SPF identifier alignment (default relaxed).
    pub spf_alignment: Option<Alignment>,
    /// `rua`: where aggregate reports go; only syntactically valid URIs.
    pub aggregate_report_uris: Vec<DmarcUri>,
    /// `ruf`: where failure reports go; only syntactically valid URIs.
    pub failure_report_uris: Vec<DmarcUri>,
    /// `fo`: when failure reports are wanted (default `0`); only valid options.
    pub failure_options: Vec<FailureOption>,
    /// `rf`: failure report formats (default `afrf`).
    pub report_formats: Vec<String>,
    /// `ri`: the aggregate report interval in seconds (default 86400).
    pub report_interval: Option<u32>,
    /// Tags neither RFC 7489 nor DMARCbis defines.
    pub unknown_tags: Vec<UnknownTag>,
}

impl DmarcRecord {
    /// The policy for subdomains: `sp`, else `p`.
    pub fn effective_subdomain_policy(&self) -> Policy {
        self.subdomain_policy.unwrap_or(self.policy)
    }

    /// The policy for non-existent subdomains: `np`, else `sp`, else `p`.
    pub fn effective_nonexistent_subdomain_policy(&self) -> Policy {
        self.nonexistent_subdomain_policy
            .unwrap_or_else(|| self.effective_subdomain_policy())
    }
}

/// A requested handling of mail that fails DMARC, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// No action: monitoring only.
    None,
    /// Treat failing mail as suspicious (spam folder).
    Quarantine,
    /// Reject failing mail during the SMTP transaction.
    Reject,
}

impl Policy {
    /// Reads a policy value (the ABNF strings are case-insensitive).
    pub fn from_value(value: &str) -> Option<Self> {
        [Self::None, Self::Quarantine, Self::Reject]
            .into_iter()
            .find(|policy| policy.as_str().eq_ignore_ascii_case(value))
    }

    /// The value as written in a record.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Quarantine => "quarantine",
            Self::Reject => "reject",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identifier alignment mode (`adkim`, `aspf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    /// `r`: organisational domains must match.
    Relaxed,
    /// `s`: domains must match exactly.
    Strict,
}

impl Alignment {
    fn from_value(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "r" => Some(Self::Relaxed),
            "s" => Some(Self::Strict),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Relaxed => "r",
            Self::Strict => "s",
        }
    }
}

/// The DMARCbis `psd` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PsdFlag {
    /// `y`: the domain is a public suffix domain.
    Yes,
    /// `n`: the domain is an organisational domain.
    No,
    /// `u`: unspecified (the default).
    Unspecified,
}

impl PsdFlag {
    fn from_value(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "y" => Some(Self::Yes),
            "n" => Some(Self::No),
            "u" => Some(Self::Unspecified),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "y",
            Self::No => "n",
            Self::Unspecified => "u",
        }
    }
}

/// A failure reporting option (`fo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FailureOption {
    /// `0`: report when all mechanisms fail to produce an aligned pass.
    AllFail,
    /// `1`: report when any mechanism fails to produce an aligned pass.
    AnyFail,
    /// `d`: report when DKIM fails, aligned or not.
    DkimFail,
    /// `s`: report when SPF fails, aligned or not.
    SpfFail,
}

impl FailureOption {
    fn from_value(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "0" => Some(Self::AllFail),
            "1" => Some(Self::AnyFail),
            "d" => Some(Self::DkimFail),
            "s" => Some(Self::SpfFail),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::AllFail => "0",
            Self::AnyFail => "1",
            Self::DkimFail => "d",
            Self::SpfFail => "s",
        }
    }
}

/// The canonical text of the record: `v=DMARC1; p=…` then the other tags
/// present, in the order of the RFC 7489 ABNF, then DMARCbis and unknown tags.
impl fmt::Display for DmarcRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v=DMARC1; p={}", self.policy)?;
        if let Some(sp) = self.subdomain_policy {
            write!(f, "; sp={sp}")?;
        }
        write_uris(f, "rua", &self.aggregate_report_uris)?;
        write_uris(f, "ruf", &self.failure_report_uris)?;
        if let Some(adkim) = self.dkim_alignment {
            write!(f, "; adkim={}", adkim.as_str())?;
        }
        if let Some(aspf) = self.spf_alignment {
            write!(f, "; aspf={}", aspf.as_str())?;
        }
        if let Some(ri) = self.report_interval {
            write!(f, "; ri={ri}")?;
        }
        if !self.failure_options.is_empty() {
            let options: Vec<&str> = self.failure_options.iter().map(|o| o.as_str()).collect();
            write!(f, "; fo={}", options.join(":"))?;
        }
        if !self.report_formats.is_empty() {
            write!(f, "; rf={}", self.report_formats.join(":"))?;
        }
        if let Some(pct) = self.percent {
            write!(f, "; pct={pct}")?;
        }
        if let Some(np) = self.nonexistent_subdomain_policy {
            write!(f, "; np={np}")?;
        }
        if let Some(psd) = self.public_suffix_domain {
            write!(f, "; psd={}", psd.as_str())?;
        }
        if let Some(testing) = self.testing {
            write!(f, "; t={}", if testing { "y" } else { "n" })?;
        }
        for tag in &self.unknown_tags {
            write!(f, "; {}={}", tag.name, tag.value)?;
        }
        Ok(())
    }
}

fn write_uris(f: &mut fmt::Formatter<'_>, name: &str, uris: &[DmarcUri]) -> fmt::Result {
    if uris.is_empty() {
        return Ok(());
    }
    let uris: Vec<String> = uris.iter().map(ToString::to_string).collect();
    write!(f, "; {name}={}", uris.join(","))
}
