//! The command line, as the CLI contract in DESIGN.md §7 names it.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mailtls_core::{Domain, Endpoint};

/// Assess how well mail servers and DNS protect mail in transit.
#[derive(Debug, Parser)]
#[command(name = "mailtls", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Full assessment of a mail domain: DNS policy, every MX and submission/IMAP/POP3
    /// endpoint over STARTTLS and implicit TLS, certificates, DANE and MTA-STS.
    Check(CheckArgs),
    /// Start a self-contained demo mail domain on loopback and assess it (no network needed).
    Demo(DemoArgs),
    /// Assess one server: smtp://host[:port], submission://, submissions://, lmtp://, imap://,
    /// imaps://, pop3://, pop3s://, sieve://, https://
    Tls(TlsArgs),
    /// DNS and policy records only (MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT, BIMI, CAA, TLSA,
    /// SRV, PTR, DNSSEC), no server connections.
    Dns(DnsArgs),
    /// Evaluate SPF (RFC 7208 check_host) for a client address, with the trace of every step.
    Spf(SpfArgs),
    /// Explain a check: what it means for mail, how to fix it, references (--list: every check).
    Explain(ExplainArgs),
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Plain text for a terminal.
    Text,
    /// The JSON report (see schema/report.schema.json).
    Json,
    /// GitHub-flavoured Markdown.
    #[value(alias = "markdown")]
    Md,
    /// One self-contained HTML page.
    Html,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct CommonArgs {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Seconds to wait for each connection, handshake and reply.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub(crate) timeout: u64,
    /// Print nothing but the report and errors.
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
    /// The recursive resolver to ask, IP or IP:PORT (repeatable; default: the
    /// name servers of /etc/resolv.conf).
    #[arg(long, global = true, value_name = "IP[:PORT]", value_parser = parse_resolver)]
    pub(crate) resolver: Vec<SocketAddr>,
    /// Trust the resolvers' DNSSEC validation (their AD bit). Implied when the
    /// default resolver from /etc/resolv.conf is on loopback.
    #[arg(long, global = true)]
    pub(crate) validating_resolver: bool,
    /// Use IPv4 addresses only.
    #[arg(short = '4', global = true, conflicts_with = "ipv6_only")]
    pub(crate) ipv4_only: bool,
    /// Use IPv6 addresses only.
    #[arg(short = '6', global = true)]
    pub(crate) ipv6_only: bool,
    /// No colour in text output (also when NO_COLOR is set; never in files or pipes).
    #[arg(long, global = true)]
    pub(crate) no_color: bool,
}

/// How to grade, and when to fail.
#[derive(Debug, Args)]
pub(crate) struct GradeArgs {
    /// Judge by this profile: default, ncsc-nl, bsi-tr-03108, mozilla-intermediate,
    /// mozilla-modern (see docs/profiles.md).
    #[arg(long, value_name = "NAME", default_value = "default", value_parser = parse_profile)]
    pub(crate) profile: &'static mailtls_score::grade::Profile,
    /// Exit with status 2 when the grade (overall for check and demo, the worst endpoint
    /// for tls) is below GRADE: A+, A, A-, B, C, D, E or F. T (untrusted) and a missing
    /// grade count as below F.
    #[arg(long, value_name = "GRADE", value_parser = parse_letter)]
    pub(crate) fail_under: Option<mailtls_score::grade::Letter>,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    #[command(flatten)]
    pub(crate) grade: GradeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct TlsArgs {
    #[command(flatten)]
    pub(crate) grade: GradeArgs,
    /// The server, e.g. smtp://mx1.example.com or imaps://[2001:db8::1]:993
    #[arg(value_name = "ENDPOINT-URL", value_parser = parse_endpoint)]
    pub(crate) endpoint: Endpoint,
    /// Connect to this address instead of resolving the host; the name is still
    /// used for SNI and certificate validation.
    #[arg(long, value_name = "IP")]
    pub(crate) connect: Option<IpAddr>,
    /// Extra trust anchors (PEM), e.g. a private CA, besides the Mozilla roots.
    #[arg(long, value_name = "PEM")]
    pub(crate) ca_file: Option<PathBuf>,
    /// The name to send in EHLO/LHLO.
    #[arg(long, value_name = "FQDN", default_value = "mailtls.invalid")]
    pub(crate) ehlo_name: String,
}

/// Which DKIM selectors to look up.
#[derive(Debug, Args)]
pub(crate) struct DkimArgs {
    /// A DKIM selector to look up (repeatable; selectors cannot be discovered from DNS).
    #[arg(long = "dkim-selector", value_name = "SELECTOR")]
    pub(crate) dkim_selectors: Vec<String>,
    /// Do not try the list of common DKIM selectors.
    #[arg(long)]
    pub(crate) no_common_selectors: bool,
}

impl DkimArgs {
    /// What to look up beyond what DNS enumerates.
    pub(crate) fn policy_options(&self) -> mailtls_dns::policy::PolicyOptions {
        mailtls_dns::policy::PolicyOptions {
            dkim_selectors: self.dkim_selectors.clone(),
            common_dkim_selectors: !self.no_common_selectors,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) grade: GradeArgs,
    /// The mail domain.
    #[arg(value_name = "DOMAIN", value_parser = parse_domain)]
    pub(crate) domain: Domain,
    #[command(flatten)]
    pub(crate) dkim: DkimArgs,
    /// An extra submission/IMAP/POP3 host to probe besides those SRV names (repeatable).
    #[arg(long = "host", value_name = "NAME", value_parser = parse_domain)]
    pub(crate) hosts: Vec<Domain>,
    /// Extra trust anchors (PEM), e.g. a private CA, besides the Mozilla roots.
    #[arg(long, value_name = "PEM")]
    pub(crate) ca_file: Option<PathBuf>,
    /// The name to send in EHLO/LHLO.
    #[arg(long, value_name = "FQDN", default_value = "mailtls.invalid")]
    pub(crate) ehlo_name: String,
    /// Connect to the mail endpoints at this address instead of those DNS gives; the
    /// names are still used for SNI and certificate validation (the MTA-STS policy
    /// host is still found through DNS).
    #[arg(long, value_name = "IP")]
    pub(crate) connect: Option<IpAddr>,
}

#[derive(Debug, Args)]
pub(crate) struct DnsArgs {
    /// The mail domain.
    #[arg(value_name = "DOMAIN", value_parser = parse_domain)]
    pub(crate) domain: Domain,
    #[command(flatten)]
    pub(crate) dkim: DkimArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SpfArgs {
    /// The domain whose SPF policy is evaluated (the MAIL FROM or HELO domain).
    #[arg(value_name = "DOMAIN", value_parser = parse_domain)]
    pub(crate) domain: Domain,
    /// The address of the client that sent the mail.
    #[arg(long, value_name = "ADDR")]
    pub(crate) ip: IpAddr,
    /// The MAIL FROM address (default: postmaster@DOMAIN).
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) sender: Option<String>,
    /// The HELO/EHLO name the client gave (default: DOMAIN).
    #[arg(long, value_name = "NAME")]
    pub(crate) helo: Option<String>,
}

fn parse_profile(text: &str) -> Result<&'static mailtls_score::grade::Profile, String> {
    mailtls_score::grade::Profile::named(text).ok_or_else(|| {
        format!(
            "unknown profile {text:?}; choose one of {}",
            mailtls_score::grade::profile_names().join(", ")
        )
    })
}

fn parse_letter(text: &str) -> Result<mailtls_score::grade::Letter, String> {
    match mailtls_score::grade::Letter::parse(text) {
        Some(mailtls_score::grade::Letter::T) | None => {
            Err(format!("{text:?} is not a grade; use A+, A, A-, B, C, D, E or F"))
        }
        Some(letter) => Ok(letter),
    }
}

fn parse_domain(text: &str) -> Result<Domain, String> {
    Domain::parse(text).map_err(|error| error.to_string())
}

fn parse_endpoint(text: &str) -> Result<Endpoint, String> {
    Endpoint::parse_url(text).map_err(|error| error.to_string())
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT`; the port defaults to 53.
fn parse_resolver(text: &str) -> Result<SocketAddr, String> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    text.parse::<SocketAddr>().map_err(|_| {
        format!("{text:?} is not an IP address or IP:PORT (write an IPv6 address with a port as [::1]:53)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_forms() {
        assert_eq!(
            parse_resolver("127.0.10.53").unwrap(),
            "127.0.10.53:53".parse().unwrap()
        );
        assert_eq!(
            parse_resolver("127.0.0.1:5353").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(parse_resolver("::1").unwrap(), "[::1]:53".parse().unwrap());
        assert_eq!(
            parse_resolver("[::1]:5353").unwrap(),
            "[::1]:5353".parse().unwrap()
        );
        assert!(
            parse_resolver("ns.example")
                .unwrap_err()
                .contains("not an IP address")
        );
    }
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The finding id, e.g. smtp.starttls.missing or dns.spf.lookups.too_many.
    #[arg(required_unless_present = "list")]
    pub(crate) id: Option<String>,
    /// List every check id with its title.
    #[arg(long, conflicts_with = "id")]
    pub(crate) list: bool,
}
