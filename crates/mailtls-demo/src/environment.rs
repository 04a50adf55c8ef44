//! The demo environment: every server, started together and stopped together.

use std::net::SocketAddr;
use std::sync::Arc;

use mailtls_core::{Domain, Endpoint, Host, MailProtocol, TlsMode};
use rustls_pki_types::{CertificateDer, PrivatePkcs8KeyDer};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::DemoConnector;
use crate::dkim::{self, DkimKey};
use crate::dns::DnsSockets;
use crate::dns::demo_zone::{IMAP, MTA_STS, MX1, ORIGIN, ServiceRecord, ZoneInputs, demo_zones};
use crate::dns::zone::Zone;
use crate::error::DemoError;
use crate::imap::ImapDialogue;
use crate::listener::LoopbackListeners;
use crate::pki::{CertificateAuthority, ServerIdentity};
use crate::pop3::Pop3Dialogue;
use crate::smtp::SmtpDialogue;

/// Which dialogue a service speaks.
#[derive(Debug, Clone, Copy)]
enum Server {
    Smtp,
    Imap,
    Pop3,
}

/// One server of the environment, as a table row.
struct ServiceSpec {
    protocol: MailProtocol,
    server: Server,
    host: &'static str,
    /// The SRV owner (below the zone) that advertises the service, if any.
    srv: Option<&'static str>,
    description: &'static str,
}

/// Every server, in the order reports list protocols.
const SERVICES: [ServiceSpec; 5] = [
    ServiceSpec {
        protocol: MailProtocol::Smtp,
        server: Server::Smtp,
        host: MX1,
        srv: None,
        description: "SMTP MX with STARTTLS (RFC 5321, RFC 3207); AUTH only inside TLS; accepts no mail",
    },
    ServiceSpec {
        protocol: MailProtocol::Submissions,
        server: Server::Smtp,
        host: MX1,
        srv: Some("_submissions._tcp"),
        description: "SMTP submission over implicit TLS (RFC 8314)",
    },
    ServiceSpec {
        protocol: MailProtocol::Imap,
        server: Server::Imap,
        host: IMAP,
        srv: Some("_imap._tcp"),
        description: "IMAP with STARTTLS and LOGINDISABLED before TLS (RFC 3501)",
    },
    ServiceSpec {
        protocol: MailProtocol::Imaps,
        server: Server::Imap,
        host: IMAP,
        srv: Some("_imaps._tcp"),
        description: "IMAP over implicit TLS (RFC 8314)",
    },
    ServiceSpec {
        protocol: MailProtocol::Pop3,
        server: Server::Pop3,
        host: IMAP,
        srv: Some("_pop3._tcp"),
        description: "POP3 with STLS, no USER before TLS (RFC 1939, RFC 2595)",
    },
];

/// One server of the demo environment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DemoService {
    /// What to probe: the protocol, the host's name in the demo zone, and the
    /// real (ephemeral) port.
    pub endpoint: Endpoint,
    /// Where the server listens on 127.0.0.1 (the host's A record).
    pub address: SocketAddr,
    /// Every address the server listens on: [`DemoService::address`], and the
    /// same port on `[::1]` when the host has IPv6 loopback.
    pub addresses: Vec<SocketAddr>,
    /// The certificate the server presents, issued by the demo CA.
    pub certificate: CertificateDer<'static>,
    /// One line on what the server is and how it behaves.
    pub description: &'static str,
}

/// A complete mail domain on loopback: an authoritative DNS server for
/// `demo.mailtls.test.`, SMTP, submission, IMAP and POP3 servers, and the
/// throw-away CA that issued their certificates.
///
/// Everything runs as tasks on the tokio runtime that called
/// [`DemoEnvironment::start`]. Dropping the environment aborts every task;
/// the sockets close as soon as the runtime has processed the cancellation
/// (at the latest at the dropping task's next `.await`). Use
/// [`DemoEnvironment::shutdown`] to wait until they are closed.
#[derive(Debug)]
pub struct DemoEnvironment {
    zone: Domain,
    dns_server: SocketAddr,
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    services: Vec<DemoService>,
    policy_server: SocketAddr,
    dkim: DkimKey,
    zones: Arc<[Zone]>,
    tasks: JoinSet<()>,
}

impl DemoEnvironment {
    /// Starts every server. Must be called inside a tokio runtime.
    ///
    /// Generates the CA, two server certificates and a DKIM key, binds
    /// ephemeral ports on 127.0.0.1, builds the zone from what it bound, and
    /// spawns the servers. Takes well under a second.
    pub async fn start() -> Result<Self, DemoError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(DemoError::NoRuntime);
        }
        // RSA key generation is the slowest step: run it beside the rest.
        let dkim = tokio::task::spawn_blocking(DkimKey::generate);

        let ca = CertificateAuthority::generate()?;
        let mx1 = ca.issue_server(MX1)?;
        let imap = ca.issue_server(IMAP)?;

        let mut tasks = JoinSet::new();
        let mut services = Vec::with_capacity(SERVICES.len());
        let mut service_records = Vec::new();
        let mut mx1_ipv6 = true;
        for spec in &SERVICES {
            let identity = if spec.host == MX1 { &mx1 } else { &imap };
            let service = start_service(spec, identity, &mut tasks).await?;
            if spec.host == MX1 {
                mx1_ipv6 &= service.addresses.iter().any(SocketAddr::is_ipv6);
            }
            if let Some(srv) = spec.srv {
                service_records.push(ServiceRecord {
                    service: srv,
                    target: spec.host,
                    port: service.address.port(),
                });
            }
            services.push(service);
        }

        let dkim = dkim.await.map_err(|source| DemoError::Task {
            task: "DKIM key generation",
            source,
        })??;
        let zones: Arc<[Zone]> = demo_zones(&ZoneInputs {
            services: service_records,
            mx1_spki: mx1.spki.clone(),
            dkim_selector: dkim::SELECTOR,
            dkim_record: dkim.record().to_owned(),
            mx1_ipv6,
        })?
        .into();
        let policy_server = start_policy_server(&ca, &mut tasks).await?;
        let dns = DnsSockets::bind().await?;
        let dns_server = dns.local_addr().map_err(|source| DemoError::Bind {
            service: "dns",
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            source,
        })?;
        dns.spawn(&mut tasks, Arc::clone(&zones));

        tracing::info!(%dns_server, services = services.len(), "demo environment started");
        Ok(Self {
            zone: Domain::parse(ORIGIN).expect("the demo zone's name is a valid domain"),
            dns_server,
            ca_pem: ca.certificate_pem().to_owned(),
            ca_der: ca.certificate_der().clone(),
            services,
            policy_server,
            dkim,
            zones,
            tasks,
        })
    }

    /// The MTA-STS policy host (`mta-sts.demo.mailtls.test`): HTTPS on an
    /// ephemeral port of 127.0.0.1.
    pub fn policy_server(&self) -> SocketAddr {
        self.policy_server
    }

    /// A connector that reaches the demo's servers where a real domain's would
    /// be (MX on port 25, the MTA-STS host on 443) and refuses every other
    /// address that is not a demo server. See [`DemoConnector`].
    pub fn connector(&self) -> DemoConnector {
        let smtp = self
            .service(MailProtocol::Smtp)
            .map(|service| service.addresses.clone())
            .unwrap_or_default();
        let allowed = self
            .services
            .iter()
            .flat_map(|service| service.addresses.iter().copied())
            .collect();
        DemoConnector::new(smtp, self.policy_server, allowed)
    }

    /// The demo zone, `demo.mailtls.test`.
    pub fn zone(&self) -> &Domain {
        &self.zone
    }

    /// The authoritative DNS server: UDP and TCP on the same port of 127.0.0.1.
    /// It answers for the demo zone and for `1.0.0.127.in-addr.arpa.`, and
    /// refuses everything else.
    pub fn dns_server(&self) -> SocketAddr {
        self.dns_server
    }

    /// The throw-away CA's certificate, PEM. Trust it to validate the servers.
    pub fn ca_certificate_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The throw-away CA's certificate, DER.
    pub fn ca_certificate_der(&self) -> &CertificateDer<'static> {
        &self.ca_der
    }

    /// Every server, in the order of [`MailProtocol::ALL`].
    pub fn services(&self) -> &[DemoService] {
        &self.services
    }

    /// The server for `protocol`, if the environment runs one.
    pub fn service(&self, protocol: MailProtocol) -> Option<&DemoService> {
        self.services
            .iter()
            .find(|service| service.endpoint.protocol == protocol)
    }

    /// The DKIM selector under which the demo zone publishes its key
    /// (`demo`, so the record is at `demo._domainkey.demo.mailtls.test`).
    pub fn dkim_selector(&self) -> &str {
        dkim::SELECTOR
    }

    /// The private half of the published DKIM key (RSA 2048, PKCS #8 DER),
    /// for signing test messages that verify against the demo zone.
    pub fn dkim_private_key_der(&self) -> &PrivatePkcs8KeyDer<'static> {
        self.dkim.private_key()
    }

    /// Every record the DNS server serves, in master-file format (RFC 1035
    /// §5.1): one `$ORIGIN` line per zone, then one record per line.
    pub fn zone_text(&self) -> String {
        self.zones
            .iter()
            .map(Zone::master_file)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Stops every server and waits until all of their sockets are closed.
    pub async fn shutdown(mut self) {
        let mut tasks = std::mem::take(&mut self.tasks);
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
}

impl Drop for DemoEnvironment {
    fn drop(&mut self) {
        // Also what JoinSet's own drop does; said here because the environment's
        // contract depends on it: no server outlives the environment.
        self.tasks.abort_all();
    }
}

/// Binds the MTA-STS policy host on 127.0.0.1 and spawns it.
async fn start_policy_server(
    ca: &CertificateAuthority,
    tasks: &mut JoinSet<()>,
) -> Result<SocketAddr, DemoError> {
    let identity = ca.issue_server(MTA_STS)?;
    let any = SocketAddr::from(([127, 0, 0, 1], 0));
    let bind_error = |source| DemoError::Bind {
        service: "mta-sts",
        address: any,
        source,
    };
    let listener = tokio::net::TcpListener::bind(any).await.map_err(bind_error)?;
    let address = listener.local_addr().map_err(bind_error)?;
    tasks.spawn(crate::policy_server::serve(
        listener,
        TlsAcceptor::from(Arc::clone(&identity.config)),
    ));
    Ok(address)
}

/// Binds one service's ports and spawns its servers.
async fn start_service(
    spec: &ServiceSpec,
    identity: &ServerIdentity,
    tasks: &mut JoinSet<()>,
) -> Result<DemoService, DemoError> {
    let name = spec.protocol.scheme();
    let listeners = LoopbackListeners::bind(name).await?;
    let addresses = listeners.addresses().map_err(|source| DemoError::Bind {
        service: name,
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        source,
    })?;
    let address = *addresses
        .first()
        .expect("a service always listens on 127.0.0.1 first");
    let acceptor = TlsAcceptor::from(Arc::clone(&identity.config));
    let mode: TlsMode = spec.protocol.tls_mode();
    match spec.server {
        Server::Smtp => listeners.spawn(tasks, SmtpDialogue::new(spec.host), acceptor, mode),
        Server::Imap => listeners.spawn(tasks, ImapDialogue::default(), acceptor, mode),
        Server::Pop3 => listeners.spawn(tasks, Pop3Dialogue::default(), acceptor, mode),
    }
    Ok(DemoService {
        endpoint: Endpoint {
            protocol: spec.protocol,
            host: Host::Domain(Domain::parse(spec.host).expect("the demo host names are valid domains")),
            port: address.port(),
        },
        address,
        addresses,
        certificate: identity.certificate.clone(),
        description: spec.description,
    })
}
