//! Running many probes politely: at most a few connections to one address at
//! a time, spaced apart, a global bound, and a deadline per endpoint.
//!
//! Mail servers throttle scanners (Postfix postscreen and anvil, Courier's
//! four connections per address): DESIGN §4 decision 4 sets two concurrent
//! connections per address by default, spaced out, so that probing a domain
//! never looks like an attack.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailtls_core::transport::Connector;
use mailtls_core::{Endpoint, EndpointObservation, ProbeOutcome};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::endpoint_probe::{ProbeConfig, probe_endpoint};

/// How hard to press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once to one address.
    pub per_address: usize,
    /// Connections open at once in all.
    pub global: usize,
    /// Least time between two connections to one address.
    pub spacing: Duration,
    /// Longest one endpoint's probe may take, connection to goodbye.
    pub endpoint_deadline: Duration,
    /// Extra wait before the next connection to an address that answered
    /// 421 (too many connections, or going down).
    pub backoff: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_address: 2,
            global: 16,
            spacing: Duration::from_millis(100),
            endpoint_deadline: Duration::from_secs(150),
            backoff: Duration::from_secs(10),
        }
    }
}

/// What the scheduler tells a frontend as it goes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Progress {
    /// A probe is starting.
    Started {
        /// The endpoint.
        endpoint: Endpoint,
        /// The address.
        address: SocketAddr,
    },
    /// A probe has ended.
    Finished {
        /// The endpoint.
        endpoint: Endpoint,
        /// The address.
        address: SocketAddr,
        /// How it ended.
        outcome: ProbeOutcome,
        /// Probes ended so far.
        done: usize,
        /// Probes in all.
        total: usize,
    },
}

/// A receiver of progress events.
pub type ProgressSink = Arc<dyn Fn(Progress) + Send + Sync>;

/// A sink that drops every event.
pub fn no_progress() -> ProgressSink {
    Arc::new(|_| {})
}

/// The admission of one address: its connection permits, and when the last
/// connection to it was opened.
type Gate = (Arc<Semaphore>, Arc<tokio::sync::Mutex<Option<Instant>>>);

/// Per-address admission.
#[derive(Default)]
struct AddressGates {
    gates: Mutex<HashMap<IpAddr, Gate>>,
}

impl AddressGates {
    fn gate(&self, ip: IpAddr, permits: usize) -> Gate {
        match self.gates.lock() {
            Ok(mut gates) => {
                let (semaphore, last) = gates
                    .entry(ip)
                    .or_insert_with(|| (Arc::new(Semaphore::new(permits)), Arc::default()));
                (Arc::clone(semaphore), Arc::clone(last))
            }
            // Only a panicking holder poisons the map; fall back to no sharing.
            Err(_) => (Arc::new(Semaphore::new(permits)), Arc::default()),
        }
    }
}

/// Probes every target within `limits`; the observations come back in the
/// order of `targets`. Each target is probed once, with one connection.
pub async fn probe_all(
    connector: Arc<dyn Connector>,
    config: Arc<ProbeConfig>,
    limits: Limits,
    targets: Vec<(Endpoint, SocketAddr)>,
    progress: ProgressSink,
) -> Vec<EndpointObservation> {
    let total = targets.len();
    let global = Arc::new(Semaphore::new(limits.global.max(1)));
    let gates = Arc::new(AddressGates::default());
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, (endpoint, address)) in targets.iter().cloned().enumerate() {
        let (connector, config, global, gates, done, progress) = (
            Arc::clone(&connector),
            Arc::clone(&config),
            Arc::clone(&global),
            Arc::clone(&gates),
            Arc::clone(&done),
            Arc::clone(&progress),
        );
        tasks.spawn(async move {
            let slots = limits.per_address.max(1);
            let (gate, last) = gates.gate(address.ip(), slots);
            // A TLS scan keeps up to `lanes` connections open at once: it
            // takes that many of the address's slots, so that the address
            // never sees more than `per_address` connections from us.
            let wanted = config
                .tls_scan
                .as_ref()
                .map_or(1, |scan| scan.lanes.clamp(1, slots));
            let wanted = u32::try_from(wanted).unwrap_or(1);
            // Semaphores are never closed here, so acquiring cannot fail.
            let _address_permit = gate.acquire_many_owned(wanted).await.ok();
            let _global_permit = global.acquire_owned().await.ok();
            {
                let mut last = last.lock().await;
                if let Some(previous) = *last {
                    tokio::time::sleep_until(previous + limits.spacing).await;
                }
                *last = Some(Instant::now());
            }
            progress(Progress::Started {
                endpoint: endpoint.clone(),
                address,
            });
            let observation = match tokio::time::timeout(
                limits.endpoint_deadline,
                probe_endpoint(connector.as_ref(), &config, &endpoint, address),
            )
            .await
            {
                Ok(observation) => observation,
                Err(_) => deadline_passed(&endpoint, address, limits.endpoint_deadline),
            };
            if throttled(&observation.outcome) {
                // Leave the address alone for a while before the next probe.
                *last.lock().await = Some(Instant::now() + limits.backoff);
            }
            let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(Progress::Finished {
                endpoint,
                address,
                outcome: observation.outcome.clone(),
                done,
                total,
            });
            (index, observation)
        });
    }
    let mut results: Vec<Option<EndpointObservation>> = vec![None; total];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, observation)) = joined
            && let Some(slot) = results.get_mut(index)
        {
            *slot = Some(observation);
        }
    }
    targets
        .into_iter()
        .zip(results)
        .map(|((endpoint, address), result)| {
            result.unwrap_or_else(|| unobserved(&endpoint, address, "the probe task failed".into()))
        })
        .collect()
}

/// Whether the server turned the probe away with 421 (RFC 5321 §3.8: the
/// service is not available, e.g. too many connections from this address).
fn throttled(outcome: &ProbeOutcome) -> bool {
    matches!(outcome, ProbeOutcome::NotTested { reason } if reason.contains("(421;"))
}

fn deadline_passed(endpoint: &Endpoint, address: SocketAddr, deadline: Duration) -> EndpointObservation {
    let mut observation = unobserved(endpoint, address, String::new());
    observation.outcome = ProbeOutcome::NotTested {
        reason: format!(
            "the probe took longer than the endpoint deadline of {} s",
            deadline.as_secs()
        ),
    };
    observation
}

/// An observation of an endpoint whose probe did not report.
fn unobserved(endpoint: &Endpoint, address: SocketAddr, message: String) -> EndpointObservation {
    EndpointObservation {
        endpoint: endpoint.clone(),
        address,
        sni: endpoint.host.sni().map(|domain| domain.as_str().to_owned()),
        connections: 0,
        outcome: ProbeOutcome::Error { message },
        dialogue: None,
        tls: None,
        tls_failure: None,
        tls_scan: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailtls_core::transport::{BoxStream, ConnectError};
    use mailtls_core::{Host, MailProtocol};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts connections open at once and refuses them after a pause.
    #[derive(Default)]
    struct Watching {
        open: AtomicUsize,
        most: AtomicUsize,
    }

    #[async_trait::async_trait]
    impl Connector for Watching {
        async fn connect(&self, address: SocketAddr, _timeout: Duration) -> Result<BoxStream, ConnectError> {
            let now = self.open.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            self.open.fetch_sub(1, Ordering::SeqCst);
            Err(ConnectError::Refused { address })
        }
    }

    fn targets(count: u16) -> Vec<(Endpoint, SocketAddr)> {
        (0..count)
            .map(|port| {
                let endpoint = Endpoint {
                    protocol: MailProtocol::Smtp,
                    host: Host::Ip("127.0.0.1".parse().unwrap()),
                    port: 2000 + port,
                };
                (endpoint, SocketAddr::from(([127, 0, 0, 1], 2000 + port)))
            })
            .collect()
    }

    #[tokio::test]
    async fn at_most_two_connections_to_one_address_and_results_in_order() {
        let connector = Arc::new(Watching::default());
        let limits = Limits {
            spacing: Duration::ZERO,
            ..Limits::default()
        };
        let config = ProbeConfig {
            tls_scan: None,
            ..ProbeConfig::default()
        };
        let observations = probe_all(
            connector.clone(),
            Arc::new(config),
            limits,
            targets(8),
            no_progress(),
        )
        .await;
        assert_eq!(connector.most.load(Ordering::SeqCst), 2);
        let ports: Vec<u16> = observations.iter().map(|o| o.endpoint.port).collect();
        assert_eq!(ports, (2000..2008).collect::<Vec<_>>());
        assert!(
            observations
                .iter()
                .all(|o| matches!(o.outcome, ProbeOutcome::Error { .. }))
        );
    }

    #[tokio::test]
    async fn a_scanning_probe_takes_the_address_slots_of_its_lanes() {
        // The TLS scan may keep two connections open at once, so with two
        // slots per address one endpoint is probed at a time.
        let connector = Arc::new(Watching::default());
        let limits = Limits {
            spacing: Duration::ZERO,
            ..Limits::default()
        };
        let config = ProbeConfig::default();
        assert_eq!(config.tls_scan.as_ref().map(|scan| scan.lanes), Some(2));
        probe_all(
            connector.clone(),
            Arc::new(config),
            limits,
            targets(4),
            no_progress(),
        )
        .await;
        assert_eq!(connector.most.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn connections_to_one_address_are_spaced() {
        let connector = Arc::new(Watching::default());
        let limits = Limits {
            per_address: 8,
            spacing: Duration::from_secs(1),
            ..Limits::default()
        };
        let started = Instant::now();
        probe_all(
            connector,
            Arc::new(ProbeConfig::default()),
            limits,
            targets(4),
            no_progress(),
        )
        .await;
        assert!(
            started.elapsed() >= Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_address_that_answers_421_is_left_alone_for_the_backoff() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let accepted = Arc::new(std::sync::Mutex::new(Vec::new()));
        let times = Arc::clone(&accepted);
        tokio::spawn(async move {
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                times.lock().unwrap().push(Instant::now());
                let _ = socket.write_all(b"421 4.7.0 too many connections\r\n").await;
            }
        });
        // Two probes of one address, one at a time: the second must wait out the backoff.
        let endpoint = Endpoint {
            protocol: MailProtocol::Smtp,
            host: Host::Ip(address.ip()),
            port: address.port(),
        };
        let targets = vec![(endpoint.clone(), address), (endpoint, address)];
        let limits = Limits {
            per_address: 1,
            spacing: Duration::ZERO,
            ..Limits::default()
        };
        let connector = Arc::new(mailtls_core::transport::TcpConnector::default());
        let observations = probe_all(
            connector,
            Arc::new(ProbeConfig::default()),
            limits,
            targets,
            no_progress(),
        )
        .await;
        assert!(
            observations.iter().all(|o| throttled(&o.outcome)),
            "{observations:?}"
        );
        let times = accepted.lock().unwrap().clone();
        assert_eq!(times.len(), 2);
        assert!(times[1] - times[0] >= limits.backoff, "{:?}", times[1] - times[0]);
    }

    #[tokio::test]
    async fn progress_counts_every_probe() {
        let finished = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&finished);
        let sink: ProgressSink = Arc::new(move |event| {
            if let Progress::Finished { total, .. } = event {
                assert_eq!(total, 3);
                seen.fetch_add(1, Ordering::SeqCst);
            }
        });
        let limits = Limits {
            spacing: Duration::ZERO,
            ..Limits::default()
        };
        probe_all(
            Arc::new(Watching::default()),
            Arc::new(ProbeConfig::default()),
            limits,
            targets(3),
            sink,
        )
        .await;
        assert_eq!(finished.load(Ordering::SeqCst), 3);
    }
}
