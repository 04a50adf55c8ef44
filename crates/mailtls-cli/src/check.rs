//! `mailtls check <domain>`: the full assessment of a mail domain.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use mailtls_core::transport::{Connector, LineLimits, TcpConnector};
use mailtls_probe::assessor::{AssessOptions, Assessment, assess};
use mailtls_probe::scheduler::{Progress, ProgressSink, no_progress};
use mailtls_probe::{ProbeConfig, TrustAnchors};
use mailtls_score::grade::Letter;
use mailtls_score::report::DomainReport;

use crate::args::{CheckArgs, CommonArgs, GradeArgs};
use crate::output::write_domain_report;
use crate::{exit, resolve};

pub(crate) async fn run(common: &CommonArgs, args: &CheckArgs) -> anyhow::Result<u8> {
    let mut trust = TrustAnchors::mozilla();
    if let Some(path) = &args.ca_file {
        let pem = std::fs::read(path).with_context(|| format!("reading --ca-file {}", path.display()))?;
        trust = trust
            .with_pem(&pem)
            .with_context(|| format!("--ca-file {}", path.display()))?;
    }
    let resolver = resolve::resolver(common)?;
    let timeout = Duration::from_secs(common.timeout);
    let options = AssessOptions {
        probe: probe_config(timeout, trust, &args.ehlo_name),
        policy: args.dkim.policy_options(),
        extra_hosts: args.hosts.clone(),
        ipv4: !common.ipv6_only,
        ipv6: !common.ipv4_only,
        connect: args.connect,
        ..AssessOptions::default()
    };
    let connector: Arc<dyn Connector> = Arc::new(TcpConnector { io_timeout: timeout });
    let assessment = assess(&resolver, connector, &options, &args.domain, progress(common)).await;
    write_assessment(common, &args.grade, assessment)
}

/// The probe settings the CLI derives from `--timeout`.
pub(crate) fn probe_config(timeout: Duration, trust: TrustAnchors, ehlo_name: &str) -> ProbeConfig {
    ProbeConfig {
        ehlo_name: ehlo_name.to_owned(),
        connect_timeout: timeout,
        tls_timeout: timeout,
        limits: LineLimits {
            deadline: timeout * 3,
            ..LineLimits::default()
        },
        trust,
        tls_scan: Some(mailtls_probe::ScanOptions {
            timeout,
            ..mailtls_probe::ScanOptions::default()
        }),
    }
}

/// One line on standard error per finished endpoint, unless quiet.
pub(crate) fn progress(common: &CommonArgs) -> ProgressSink {
    if common.quiet {
        return no_progress();
    }
    Arc::new(|event| {
        if let Progress::Finished {
            endpoint,
            address,
            done,
            total,
            ..
        } = event
        {
            eprintln!("[{done}/{total}] {endpoint} ({address}) done");
        }
    })
}

/// Judges the assessment, writes the report, and returns the exit code
/// `--fail-under` asks for.
pub(crate) fn write_assessment(
    common: &CommonArgs,
    grade: &GradeArgs,
    assessment: Assessment,
) -> anyhow::Result<u8> {
    let report = DomainReport::with_profile(assessment, grade.profile);
    write_domain_report(common, &report)?;
    Ok(exit_code(
        grade.fail_under,
        report.grades.overall.as_ref().map(|overall| overall.letter),
    ))
}

/// `exit::BELOW_GRADE` when `letter` is below `fail_under` (a missing
/// letter and `T` are below every grade), otherwise `exit::OK`.
pub(crate) fn exit_code(fail_under: Option<Letter>, letter: Option<Letter>) -> u8 {
    match (fail_under, letter) {
        (None, _) => exit::OK,
        (Some(_), None) => exit::BELOW_GRADE,
        (Some(limit), Some(letter)) if letter.is_below(limit) => exit::BELOW_GRADE,
        (Some(_), Some(_)) => exit::OK,
    }
}
