//! The system resolver configuration, the default for people running mailtls
//! on their own machine. Tests and the lab always name their resolver.
//!
//! ```text
//! resolv.conf(5): nameserver Name-server-IP-address   (up to 3 are used)
//!                 lines starting with ';' or '#' are comments
//! ```

use std::net::{IpAddr, SocketAddr};

/// The name servers in resolv.conf text, on port 53, in order (at most three,
/// as the C library uses).
pub fn nameservers(resolv_conf: &str) -> Vec<SocketAddr> {
    resolv_conf
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("nameserver"))
                .then(|| words.next())
                .flatten()
        })
        // A link-local IPv6 address may carry a zone (`fe80::1%eth0`), which
        // std cannot parse; such servers are skipped.
        .filter_map(|address| address.parse::<IpAddr>().ok())
        .map(|ip| SocketAddr::new(ip, 53))
        .take(3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nameserver_lines_in_order_at_most_three() {
        let text = "# generated\nsearch example.test\nnameserver 127.0.0.53\n; nameserver 10.0.0.1\n\
                    nameserver ::1\nnameserver fe80::1%eth0\nnameserver 192.0.2.1\nnameserver 192.0.2.2\n";
        assert_eq!(
            nameservers(text),
            vec![
                "127.0.0.53:53".parse::<SocketAddr>().unwrap(),
                "[::1]:53".parse().unwrap(),
                "192.0.2.1:53".parse().unwrap(),
            ]
        );
    }

    #[test]
    fn empty_configuration_has_no_servers() {
        assert!(nameservers("options ndots:1\n").is_empty());
    }
}
