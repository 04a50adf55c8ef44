//! DNS and email authentication for mailtls.
//!
//! This crate will hold the stub resolver over
//! [`mailtls_core::transport::DnsTransport`] and the parsers and linters for
//! SPF, DMARC, DKIM key records, MTA-STS, TLS-RPT, BIMI, TLSA, CAA, SRV and MX.
//! It is empty so far; the workspace layout reserves its place.
