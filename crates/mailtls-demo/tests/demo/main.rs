//! The demo environment as its users see it: started, probed over real
//! sockets on loopback with real TLS and DNS clients, and stopped.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    missing_docs,
    unreachable_pub
)]

mod dns;
mod imap;
mod lifecycle;
mod pop3;
mod smtp;
mod support;
