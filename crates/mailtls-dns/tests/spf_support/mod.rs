//! An in-memory [`SpfDns`] for the SPF tests, built record by record.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Mutex;

use mailtls_dns::spf::{SpfDns, SpfDnsError};

/// Records by lower-case name; names in `timeouts` time out for every type.
#[derive(Debug, Default)]
pub(crate) struct TestDns {
    txt: HashMap<String, Vec<String>>,
    a: HashMap<String, Vec<Ipv4Addr>>,
    aaaa: HashMap<String, Vec<Ipv6Addr>>,
    mx: HashMap<String, Vec<(u16, String)>>,
    ptr: HashMap<IpAddr, Vec<String>>,
    timeouts: HashSet<String>,
    /// Every query, as "TYPE name", in order.
    queries: Mutex<Vec<String>>,
}

fn key(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

impl TestDns {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn txt(mut self, name: &str, record: &str) -> Self {
        self.txt.entry(key(name)).or_default().push(record.to_owned());
        self
    }

    pub(crate) fn a(mut self, name: &str, address: &str) -> Self {
        self.a
            .entry(key(name))
            .or_default()
            .push(address.parse().expect("an IPv4 address"));
        self
    }

    pub(crate) fn aaaa(mut self, name: &str, address: &str) -> Self {
        self.aaaa
            .entry(key(name))
            .or_default()
            .push(address.parse().expect("an IPv6 address"));
        self
    }

    pub(crate) fn mx(mut self, name: &str, preference: u16, exchange: &str) -> Self {
        self.mx
            .entry(key(name))
            .or_default()
            .push((preference, exchange.to_owned()));
        self
    }

    pub(crate) fn ptr(mut self, ip: &str, name: &str) -> Self {
        self.ptr
            .entry(ip.parse().expect("an IP address"))
            .or_default()
            .push(name.to_owned());
        self
    }

    pub(crate) fn timeout(mut self, name: &str) -> Self {
        self.timeouts.insert(key(name));
        self
    }

    /// The queries made so far.
    pub(crate) fn queries(&self) -> Vec<String> {
        self.queries
            .lock()
            .expect("the query log is never poisoned")
            .clone()
    }

    fn answer<T: Clone>(
        &self,
        kind: &str,
        name: &str,
        map: &HashMap<String, Vec<T>>,
    ) -> Result<Vec<T>, SpfDnsError> {
        let name = key(name);
        self.queries
            .lock()
            .expect("the query log is never poisoned")
            .push(format!("{kind} {name}"));
        if self.timeouts.contains(&name) {
            return Err(SpfDnsError::Timeout);
        }
        Ok(map.get(&name).cloned().unwrap_or_default())
    }
}

#[async_trait::async_trait]
impl SpfDns for TestDns {
    async fn txt(&self, name: &str) -> Result<Vec<String>, SpfDnsError> {
        self.answer("TXT", name, &self.txt)
    }

    async fn a(&self, name: &str) -> Result<Vec<Ipv4Addr>, SpfDnsError> {
        self.answer("A", name, &self.a)
    }

    async fn aaaa(&self, name: &str) -> Result<Vec<Ipv6Addr>, SpfDnsError> {
        self.answer("AAAA", name, &self.aaaa)
    }

    async fn mx(&self, name: &str) -> Result<Vec<(u16, String)>, SpfDnsError> {
        self.answer("MX", name, &self.mx)
    }

    async fn ptr(&self, ip: IpAddr) -> Result<Vec<String>, SpfDnsError> {
        self.queries
            .lock()
            .expect("the query log is never poisoned")
            .push(format!("PTR {ip}"));
        Ok(self.ptr.get(&ip).cloned().unwrap_or_default())
    }
}
