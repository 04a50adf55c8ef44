//! Starts the demo environment and probes its SMTP server with the library API:
//! the greeting, STARTTLS, and what the TLS handshake showed.
//!
//! `cargo run -p mailtls-examples --example probe_demo_smtp`
#![allow(clippy::print_stdout)]

use mailtls_core::MailProtocol;
use mailtls_core::transport::TcpConnector;
use mailtls_demo::DemoEnvironment;
use mailtls_probe::{ProbeConfig, TrustAnchors, probe_endpoint};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = DemoEnvironment::start().await?;
    let smtp = demo
        .service(MailProtocol::Smtp)
        .ok_or("the demo has no SMTP server")?;
    let config = ProbeConfig {
        trust: TrustAnchors::mozilla().with_der(demo.ca_certificate_der().clone())?,
        ..ProbeConfig::default()
    };
    let observation = probe_endpoint(&TcpConnector::default(), &config, &smtp.endpoint, smtp.address).await;
    if let Some(dialogue) = &observation.dialogue {
        println!("greeting:        {}", dialogue.greeting.join(" / "));
        println!("STARTTLS offered: {}", dialogue.starttls_offered);
    }
    match &observation.tls {
        Some(tls) => println!(
            "TLS:             {} {} {}; trust: {:?}",
            tls.version.name(),
            tls.cipher_suite,
            tls.group.as_deref().unwrap_or("-"),
            tls.trust
        ),
        None => println!("TLS:             none ({:?})", observation.tls_failure),
    }
    Ok(())
}
