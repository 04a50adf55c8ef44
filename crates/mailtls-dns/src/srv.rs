//! SRV for mail services (RFC 6186, RFC 8314).
//!
//! ```text
//! RFC 6186 §3.1-3.3, RFC 8314 §5.1
//!   _submission._tcp   mail submission, STARTTLS        (port 587)
//!   _submissions._tcp  mail submission, implicit TLS    (port 465)  RFC 8314
//!   _imap._tcp         IMAP, STARTTLS                   (port 143)
//!   _imaps._tcp        IMAP, implicit TLS               (port 993)
//!   _pop3._tcp         POP3, STLS                       (port 110)
//!   _pop3s._tcp        POP3, implicit TLS               (port 995)
//!
//! RFC 6186 §3: "... a target of "." ... means that the service is
//!   decidedly not available at this domain" (RFC 2782).
//! RFC 2782: "A client MUST attempt to contact the target host with the
//!   lowest-numbered priority it can reach; target hosts with the same
//!   priority SHOULD be tried in an order defined by the weight field."
//! RFC 8314 §5.1 (summarised): mail user agents should use the implicit
//!   TLS services, so domains should publish _submissions, _imaps and
//!   _pop3s.
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `srv.target.not_offered` | Notice | target `.`: the domain declares the service unavailable |
//! | `srv.target.dot_mixed` | Error | target `.` next to other records for the same service |
//! | `srv.target.ip_literal` | Error | a target that is an IP address |
//! | `srv.target.invalid` | Error | a target that is not a valid host name; it is left out |
//! | `srv.port.zero` | Error | port 0: no client can connect |
//! | `srv.port.counterpart` | Warning | the other TLS mode's port, e.g. `_imaps` on 143 |
//! | `srv.implicit_tls.missing` | Notice | a STARTTLS service without its implicit TLS counterpart (RFC 8314 §5.1) |

use std::net::IpAddr;

use mailtls_core::{Domain, MailProtocol};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue};

/// One SRV record as the resolver returns it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Srv {
    /// Lower is tried first.
    pub priority: u16,
    /// Relative share among targets of the same priority.
    pub weight: u16,
    /// The TCP port.
    pub port: u16,
    /// The target host as text, e.g. `imap.example.com.` or `.`.
    pub target: String,
}

/// A mail service located by SRV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailService {
    /// `_submission._tcp`.
    Submission,
    /// `_submissions._tcp`.
    Submissions,
    /// `_imap._tcp`.
    Imap,
    /// `_imaps._tcp`.
    Imaps,
    /// `_pop3._tcp`.
    Pop3,
    /// `_pop3s._tcp`.
    Pop3s,
}

impl MailService {
    /// Every mail SRV service, STARTTLS before implicit TLS.
    pub const ALL: [MailService; 6] = [
        Self::Submission,
        Self::Submissions,
        Self::Imap,
        Self::Imaps,
        Self::Pop3,
        Self::Pop3s,
    ];

    /// The owner name prefix, e.g. `_imaps._tcp`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Submission => "_submission._tcp",
            Self::Submissions => "_submissions._tcp",
            Self::Imap => "_imap._tcp",
            Self::Imaps => "_imaps._tcp",
            Self::Pop3 => "_pop3._tcp",
            Self::Pop3s => "_pop3s._tcp",
        }
    }

    /// The protocol spoken at the target.
    pub fn protocol(self) -> MailProtocol {
        match self {
            Self::Submission => MailProtocol::Submission,
            Self::Submissions => MailProtocol::Submissions,
            Self::Imap => MailProtocol::Imap,
            Self::Imaps => MailProtocol::Imaps,
            Self::Pop3 => MailProtocol::Pop3,
            Self::Pop3s => MailProtocol::Pop3s,
        }
    }

    /// The name to query: `<label>.<domain>` (with underscores, so not a [`Domain`]).
    pub fn srv_name(self, domain: &Domain) -> String {
        format!("{}.{domain}", self.label())
    }

    /// Whether the service starts in plaintext (STARTTLS/STLS).
    pub fn is_starttls(self) -> bool {
        matches!(self, Self::Submission | Self::Imap | Self::Pop3)
    }

    /// The same service in the other TLS mode.
    pub fn counterpart(self) -> Self {
        match self {
            Self::Submission => Self::Submissions,
            Self::Submissions => Self::Submission,
            Self::Imap => Self::Imaps,
            Self::Imaps => Self::Imap,
            Self::Pop3 => Self::Pop3s,
            Self::Pop3s => Self::Pop3,
        }
    }
}

/// What the SRV records of one service say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceOffer {
    /// No SRV records.
    NotPublished,
    /// Target `.`: the service is decidedly not available.
    NotOffered,
    /// The targets with valid names, in selection order.
    Offered(Vec<SrvTarget>),
}

/// A target of a mail service.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct SrvTarget {
    /// The host.
    pub host: Domain,
    /// The port.
    pub port: u16,
    /// The priority.
    pub priority: u16,
    /// The weight.
    pub weight: u16,
}

/// Interprets the SRV records of `service`. Targets come in the order a
/// client most likely tries them: priority ascending, then weight
/// descending (RFC 2782 picks by weighted chance within a priority).
pub fn analyse(service: MailService, records: &[Srv]) -> (ServiceOffer, Vec<RecordIssue>) {
    let mut issues = Vec::new();
    let label = service.label();
    if records.is_empty() {
        return (ServiceOffer::NotPublished, issues);
    }
    let is_root = |srv: &Srv| matches!(srv.target.as_str(), "." | "");
    if let [only] = records
        && is_root(only)
    {
        issues.push(RecordIssue::whole(
            "srv.target.not_offered",
            IssueLevel::Notice,
            format!("{label} has target \".\": the domain declares the service unavailable (RFC 6186 §3)"),
        ));
        return (ServiceOffer::NotOffered, issues);
    }
    if records.iter().any(is_root) {
        issues.push(RecordIssue::whole(
            "srv.target.dot_mixed",
            IssueLevel::Error,
            format!(
                "{label} has a \".\" target next to other targets; \".\" must be the only record (RFC 2782)"
            ),
        ));
    }
    let mut targets = Vec::new();
    for srv in records.iter().filter(|srv| !is_root(srv)) {
        let name = srv.target.strip_suffix('.').unwrap_or(&srv.target);
        if name.parse::<IpAddr>().is_ok() {
            issues.push(RecordIssue::whole(
                "srv.target.ip_literal",
                IssueLevel::Error,
                format!(
                    "{label} target {} is an IP address; SRV targets are host names (RFC 2782)",
                    srv.target
                ),
            ));
            continue;
        }
        let host = match Domain::parse(&srv.target) {
            Ok(host) => host,
            Err(error) => {
                issues.push(RecordIssue::whole(
                    "srv.target.invalid",
                    IssueLevel::Error,
                    format!(
                        "{label} target {:?} is not a valid host name: {error}",
                        srv.target
                    ),
                ));
                continue;
            }
        };
        if srv.port == 0 {
            issues.push(RecordIssue::whole(
                "srv.port.zero",
                IssueLevel::Error,
                format!("{label} target {host} has port 0, which no client can connect to"),
            ));
        } else if srv.port == service.counterpart().protocol().default_port() {
            issues.push(RecordIssue::whole(
                "srv.port.counterpart",
                IssueLevel::Warning,
                format!(
                    "{label} target {host} uses port {}, the port of {}: clients will expect the other TLS \
                     mode and fail",
                    srv.port,
                    service.counterpart().label()
                ),
            ));
        }
        targets.push(SrvTarget {
            host,
            port: srv.port,
            priority: srv.priority,
            weight: srv.weight,
        });
    }
    targets.sort_by(|a, b| a.priority.cmp(&b.priority).then(b.weight.cmp(&a.weight)));
    (ServiceOffer::Offered(targets), issues)
}

/// Lints the mail services of a domain together: each STARTTLS service
/// that is offered without its implicit TLS counterpart is a Notice.
pub fn lint_services(offers: &[(MailService, ServiceOffer)]) -> Vec<RecordIssue> {
    let offered = |service: MailService| {
        offers.iter().any(|(s, offer)| {
            *s == service && matches!(offer, ServiceOffer::Offered(targets) if !targets.is_empty())
        })
    };
    MailService::ALL
        .into_iter()
        .filter(|service| service.is_starttls() && offered(*service) && !offered(service.counterpart()))
        .map(|service| {
            RecordIssue::whole(
                "srv.implicit_tls.missing",
                IssueLevel::Notice,
                format!(
                    "{} is published but {} is not; RFC 8314 §5.1 recommends implicit TLS, which leaves no \
                     plaintext phase to attack",
                    service.label(),
                    service.counterpart().label()
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    fn srv(priority: u16, weight: u16, port: u16, target: &str) -> Srv {
        Srv {
            priority,
            weight,
            port,
            target: target.into(),
        }
    }

    #[test]
    fn rfc_6186_example_names_the_query() {
        let domain = Domain::parse("example.com").unwrap();
        assert_eq!(MailService::Imaps.srv_name(&domain), "_imaps._tcp.example.com");
        assert_eq!(MailService::Submissions.protocol(), MailProtocol::Submissions);
    }

    #[test]
    fn targets_are_in_selection_order() {
        let (offer, issues) = analyse(
            MailService::Imaps,
            &[
                srv(10, 1, 993, "b.example.com."),
                srv(0, 1, 993, "a.example.com."),
                srv(10, 5, 993, "c.example.com."),
            ],
        );
        let ServiceOffer::Offered(targets) = offer else {
            panic!("expected targets")
        };
        let hosts: Vec<&str> = targets.iter().map(|t| t.host.as_str()).collect();
        assert_eq!(hosts, ["a.example.com", "c.example.com", "b.example.com"]);
        assert_eq!(issues, []);
    }

    #[test]
    fn dot_target_means_not_offered() {
        let (offer, issues) = analyse(MailService::Pop3, &[srv(0, 0, 0, ".")]);
        assert_eq!(offer, ServiceOffer::NotOffered);
        assert_eq!(ids(&issues), ["srv.target.not_offered"]);
    }

    #[test]
    fn dot_next_to_targets_is_an_error() {
        let (_, issues) = analyse(
            MailService::Imap,
            &[srv(0, 0, 0, "."), srv(10, 0, 143, "imap.example.com")],
        );
        assert_eq!(ids(&issues), ["srv.target.dot_mixed"]);
    }

    #[test]
    fn no_records_means_not_published() {
        assert_eq!(
            analyse(MailService::Imap, &[]),
            (ServiceOffer::NotPublished, vec![])
        );
    }

    #[test]
    fn implicit_tls_service_on_the_starttls_port_is_a_warning() {
        let (_, issues) = analyse(MailService::Imaps, &[srv(0, 1, 143, "imap.example.com")]);
        assert_eq!(ids(&issues), ["srv.port.counterpart"]);
    }

    #[test]
    fn ip_target_is_an_error() {
        let (offer, issues) = analyse(MailService::Submission, &[srv(0, 1, 587, "192.0.2.1.")]);
        assert_eq!(offer, ServiceOffer::Offered(vec![]));
        assert_eq!(ids(&issues), ["srv.target.ip_literal"]);
    }

    #[test]
    fn starttls_only_service_is_a_notice() {
        let offered = |service, target: &str| {
            (
                service,
                analyse(service, &[srv(0, 1, service_port(service), target)]).0,
            )
        };
        let offers = [
            offered(MailService::Submission, "smtp.example.com"),
            offered(MailService::Imap, "imap.example.com"),
            offered(MailService::Imaps, "imap.example.com"),
            (MailService::Submissions, ServiceOffer::NotOffered),
        ];
        let issues = lint_services(&offers);
        assert_eq!(ids(&issues), ["srv.implicit_tls.missing"]);
        assert!(
            issues[0]
                .message
                .starts_with("_submission._tcp is published but _submissions._tcp is not")
        );
    }

    fn service_port(service: MailService) -> u16 {
        service.protocol().default_port()
    }
}
