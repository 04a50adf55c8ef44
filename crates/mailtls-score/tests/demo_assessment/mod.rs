//! The demo domain assessed in process, once per test binary: a complete,
//! healthy assessment that the tests judge as it is or alter first.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use mailtls_core::transport::{Connector, DnsTransport, UdpTcpTransport};
use mailtls_demo::DemoEnvironment;
use mailtls_dns::Resolver;
use mailtls_dns::policy::PolicyOptions;
use mailtls_probe::assessor::{AssessOptions, Assessment, assess};
use mailtls_probe::scheduler::no_progress;
use mailtls_probe::{ProbeConfig, TrustAnchors};

/// The demo domain's assessment, as `mailtls demo -4` makes it.
pub(crate) fn demo() -> Assessment {
    static ASSESSMENT: OnceLock<Assessment> = OnceLock::new();
    ASSESSMENT
        .get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let environment = DemoEnvironment::start().await.unwrap();
                let trust = TrustAnchors::mozilla()
                    .with_der(environment.ca_certificate_der().clone())
                    .unwrap();
                let transport: Arc<dyn DnsTransport> = Arc::new(UdpTcpTransport::new(
                    environment.dns_server(),
                    Duration::from_secs(5),
                    2,
                ));
                let resolver = Resolver::new(vec![transport], false);
                let options = AssessOptions {
                    probe: ProbeConfig {
                        ehlo_name: "mailtls.invalid".to_owned(),
                        trust,
                        ..ProbeConfig::default()
                    },
                    policy: PolicyOptions {
                        dkim_selectors: vec![environment.dkim_selector().to_owned()],
                        common_dkim_selectors: false,
                    },
                    ipv6: false,
                    ..AssessOptions::default()
                };
                let connector: Arc<dyn Connector> = Arc::new(environment.connector());
                let assessment =
                    assess(&resolver, connector, &options, environment.zone(), no_progress()).await;
                environment.shutdown().await;
                assessment
            })
        })
        .clone()
}
