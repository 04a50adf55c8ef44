//! The enumeration driver: which versions, cipher suites, groups and
//! signature algorithms a server accepts, learnt with as few connections as
//! the protocol allows.
//!
//! Per version, every suite is offered; the one the server picks is removed
//! and the rest offered again, until the server refuses: `supported + 1`
//! connections. Whether the server imposes its order mostly shows on the
//! way (see the `suites` module); when it does not, one hello with the found list
//! reversed tells. TLS 1.3 groups come from HelloRetryRequests to an empty
//! `key_share`, TLS 1.2 curves and signature schemes from ServerKeyExchange;
//! the suite hellos already name most of them, and feature extensions ride
//! on them too. The endpoint's own handshake counts as the first hello of
//! its version ([`scan_after`]). Vulnerabilities that follow from the
//! results are derived ([`derived`]); CCS injection rides on an enumeration
//! connection, and the other active probes run last.

pub mod derived;
pub mod dh;
mod features;
mod groups;
mod hello;
mod prober;
mod reply;
mod suites;

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};

use mailtls_core::{
    CipherSuiteObservation, Feature, ProtocolSupport, ScanOutcome, Support, TlsScan, TlsVersion,
};

use crate::tls_engine::active::{ActiveContext, run_active};
use crate::tls_engine::earlier::EarlierHandshake;
use crate::tls_engine::exchange::HandshakeOpener;
use crate::tls_engine::version::ProtocolVersion;

pub use prober::Stopped;

/// How to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// The longest wait for the reply to one hello.
    pub timeout: Duration,
    /// The longest the whole scan may take; what is not reached by then is `not_tested`.
    pub deadline: Duration,
    /// The versions to try; the others are `not_tested`.
    pub versions: Vec<TlsVersion>,
    /// Whether to run the active vulnerability probes after the enumeration.
    pub active: bool,
    /// Connections the enumeration keeps open at once (at least 1). Versions
    /// are enumerated side by side, each lane taking the next when it is
    /// free; the TLS 1.3 groups and the signature algorithms follow TLS 1.3
    /// and TLS 1.2 in their lanes, and the active probes share the lanes the
    /// same way. The scheduler reserves this many of an address's connection
    /// slots for the scan.
    pub lanes: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            // Within the scheduler's endpoint deadline (150 s), so that a
            // slow server leaves a partial scan rather than none.
            deadline: Duration::from_secs(90),
            versions: ALL_VERSIONS.to_vec(),
            active: true,
            lanes: 2,
        }
    }
}

/// Every version, oldest first: the order of [`TlsScan::protocols`].
pub const ALL_VERSIONS: [TlsVersion; 6] = [
    TlsVersion::Ssl2,
    TlsVersion::Ssl3,
    TlsVersion::Tls10,
    TlsVersion::Tls11,
    TlsVersion::Tls12,
    TlsVersion::Tls13,
];

/// The wire number of `version`.
pub fn wire_version(version: TlsVersion) -> ProtocolVersion {
    match version {
        TlsVersion::Ssl2 => ProtocolVersion::SSL2_0,
        TlsVersion::Ssl3 => ProtocolVersion::SSL3_0,
        TlsVersion::Tls10 => ProtocolVersion::TLS1_0,
        TlsVersion::Tls11 => ProtocolVersion::TLS1_1,
        TlsVersion::Tls12 => ProtocolVersion::TLS1_2,
        TlsVersion::Tls13 => ProtocolVersion::TLS1_3,
    }
}

/// Scans the endpoint behind `opener`. Never fails: a server that stops the
/// scan (throttling, connections that cannot be opened, the deadline) gives
/// [`ScanOutcome::Stopped`] and `not_tested` for what was not reached.
pub async fn scan(opener: &dyn HandshakeOpener, options: &ScanOptions) -> TlsScan {
    scan_after(opener, options, &EarlierHandshake::default()).await
}

/// [`scan`], starting from what the endpoint's own full handshake showed:
/// its suite is one found already, its group one seen, and its session the
/// one the resumption check resumes.
pub async fn scan_after(
    opener: &dyn HandshakeOpener,
    options: &ScanOptions,
    earlier: &EarlierHandshake,
) -> TlsScan {
    let clock = Instant::now();
    // Highest first: a modern server answers at once, and what the newest
    // versions show (a downgrade sentinel) explains the older ones. Each
    // lane takes the next version when it is free, so the big TLS 1.2 list
    // runs beside all the others.
    let queue: std::sync::Mutex<VecDeque<TlsVersion>> = std::sync::Mutex::new(
        ALL_VERSIONS
            .iter()
            .rev()
            .copied()
            .filter(|version| options.versions.contains(version))
            .collect(),
    );
    let stop = AtomicBool::new(false);
    // The CCS injection check rides on the first enumeration connection
    // that reaches ServerHelloDone at SSL 3.0 to TLS 1.2.
    let ccs_wanted = AtomicBool::new(options.active);
    let mut lanes: Vec<suites::Scanner<'_>> = (0..options.lanes.max(1))
        .map(|_| suites::Scanner::new(opener, options, earlier.choice.clone(), &ccs_wanted))
        .collect();
    let lane_results = join_all(
        lanes
            .iter_mut()
            .map(|scanner| enumerate_lane(scanner, &queue, &stop))
            .collect(),
    )
    .await;
    let mut results: Vec<(TlsVersion, suites::VersionResult)> = lane_results.into_iter().flatten().collect();
    results.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    let mut lanes = lanes.into_iter();
    let Some(mut scanner) = lanes.next() else {
        return TlsScan::default();
    };
    let mut helper = lanes.next();
    for other in lanes {
        scanner.absorb(other);
    }
    // What every lane learnt (curves above all) is needed from here on;
    // the groups and signature algorithms that followed TLS 1.3 and 1.2 in
    // their lanes are done already when those versions were accepted.
    if let Some(helper) = helper.as_mut() {
        scanner.absorb_learnt_by(helper);
    }
    let done_signatures = scanner.signature_outcome.take();
    let (group_support, signature_algorithms) = match (helper.as_mut(), done_signatures) {
        (_, Some(signatures)) => (scanner.groups(&results).await, signatures),
        (Some(helper), None) => {
            helper.signature_schemes = scanner.signature_schemes.clone();
            tokio::join!(scanner.groups(&results), helper.signature_algorithms(&results))
        }
        (None, None) => {
            let groups = scanner.groups(&results).await;
            (groups, scanner.signature_algorithms(&results).await)
        }
    };
    if let Some(helper) = helper {
        scanner.absorb(helper);
    }
    scanner.check_sentinels(&results);

    let stop_reason = scanner.prober.stopped.clone();
    let protocols = ALL_VERSIONS
        .iter()
        .map(|&version| protocol_entry(version, &results, options, stop_reason.as_deref()))
        .collect::<Vec<_>>();
    let mut features = scanner.features.to_features();
    let dh = scanner.dh.clone();
    let mut vulnerabilities = derived::derive(&protocols, dh.as_ref(), &features);
    let mut anomalies = std::mem::take(&mut scanner.prober.anomalies);
    let mut connections = scanner.prober.connections;

    let active_reason = if !options.active {
        Some("active probes are switched off".to_owned())
    } else {
        stop_reason
            .as_ref()
            .map(|reason| format!("the scan stopped: {reason}"))
    };
    if let Some(reason) = active_reason {
        features.fallback_scsv = Feature::not_tested(reason.clone());
        features.session_resumption = Feature::not_tested(reason);
    } else {
        let mut context = active_context(&results, &scanner, opener, options);
        context.sessions = earlier.sessions.clone();
        context.ccs_injection = scanner.ccs_injection.take();
        let active = run_active(opener, &context).await;
        vulnerabilities.extend(active.vulnerabilities);
        features.fallback_scsv = active.fallback_scsv;
        features.session_resumption = active.session_resumption;
        connections = connections.saturating_add(active.connections);
        anomalies.extend(active.anomalies);
    }

    TlsScan {
        outcome: match stop_reason {
            None => ScanOutcome::Completed,
            Some(reason) => ScanOutcome::Stopped { reason },
        },
        connections,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        protocols,
        groups: group_support,
        signature_algorithms,
        dh,
        features,
        vulnerabilities,
        anomalies,
    }
}

/// Runs `futures` side by side on this task and returns their outputs in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(context) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

/// Enumerates versions from `queue` until it is empty or the scan stops.
async fn enumerate_lane(
    scanner: &mut suites::Scanner<'_>,
    queue: &std::sync::Mutex<VecDeque<TlsVersion>>,
    stop: &AtomicBool,
) -> Vec<(TlsVersion, suites::VersionResult)> {
    let mut results = Vec::new();
    loop {
        if stop.load(Ordering::Relaxed) {
            return results;
        }
        let next = queue.lock().ok().and_then(|mut queue| queue.pop_front());
        let Some(version) = next else {
            return results;
        };
        let outcome = match scanner.enumerate(version).await {
            Ok(result) => {
                let after = scanner.after_version(version, &result).await;
                results.push((version, result));
                after
            }
            Err(Stopped) => Err(Stopped),
        };
        if outcome.is_err() {
            stop.store(true, Ordering::Relaxed);
            return results;
        }
    }
}

fn protocol_entry(
    version: TlsVersion,
    results: &[(TlsVersion, suites::VersionResult)],
    options: &ScanOptions,
    stop_reason: Option<&str>,
) -> ProtocolSupport {
    if let Some((_, result)) = results.iter().find(|(known, _)| *known == version) {
        return ProtocolSupport {
            version,
            support: result.support.clone(),
            cipher_suites: result
                .suites
                .iter()
                .map(|found| CipherSuiteObservation {
                    name: found.name.clone(),
                    code: found.code,
                    key_exchange: found.key_exchange.clone(),
                })
                .collect(),
            server_order: result.server_order,
        };
    }
    let reason = if !options.versions.contains(&version) {
        "not requested".to_owned()
    } else {
        format!(
            "the scan stopped before this version: {}",
            stop_reason.unwrap_or("unknown reason")
        )
    };
    ProtocolSupport {
        version,
        support: Support::NotTested { reason },
        cipher_suites: Vec::new(),
        server_order: None,
    }
}

fn active_context(
    results: &[(TlsVersion, suites::VersionResult)],
    scanner: &suites::Scanner<'_>,
    opener: &dyn HandshakeOpener,
    options: &ScanOptions,
) -> ActiveContext {
    let mut accepted: Vec<(ProtocolVersion, Vec<u16>)> = results
        .iter()
        .filter(|(version, result)| *version != TlsVersion::Ssl2 && result.support.is_yes())
        .map(|(version, result)| (wire_version(*version), suites::codes(&result.suites)))
        .collect();
    accepted.sort_by_key(|(version, _)| *version);
    ActiveContext {
        versions: accepted.iter().map(|(version, _)| *version).collect(),
        suites: accepted,
        heartbeat_echoed: scanner.features.heartbeat_echoed(),
        server_name: opener.server_name().map(str::to_owned),
        timeout: options.timeout,
        lanes: options.lanes,
        sessions: None,
        ccs_injection: None,
    }
}
