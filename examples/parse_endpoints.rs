//! Parses endpoint URLs given on the command line the way `mailtls tls` does,
//! and prints what each means or why it was refused.
//!
//! `cargo run -p mailtls-examples --example parse_endpoints -- smtp://mx.example imaps://[::1]`
#![allow(clippy::print_stdout)]

use mailtls_core::Endpoint;

fn main() {
    for argument in std::env::args().skip(1) {
        match Endpoint::parse_url(&argument) {
            Ok(endpoint) => println!(
                "{argument}: {} on port {} ({:?}), SNI {:?}",
                endpoint.protocol,
                endpoint.port,
                endpoint.tls_mode(),
                endpoint.host.sni().map(mailtls_core::Domain::as_str)
            ),
            Err(error) => println!("{argument}: {error}"),
        }
    }
}
