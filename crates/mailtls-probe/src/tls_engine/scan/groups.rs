//! Key exchange groups and signature schemes, each enumerated by removal:
//! TLS 1.3 groups from the HelloRetryRequest to an empty `key_share`, TLS 1.2
//! curves from the ServerKeyExchange's named curve, signature schemes from
//! the ServerKeyExchange's `algorithm`. Each starts from what the suite
//! enumeration's hellos already showed (they offer the unseen ones first),
//! so against a server that follows the client only the last hello, the
//! refusal of the rest, is left.
//!
//! ```text
//! RFC 8446 §4.1.4  HelloRetryRequest key_share: NamedGroup selected_group;
//! RFC 8422 §5.4    ServerECDHParams: curve_type named_curve(3), NamedCurve namedcurve;
//! RFC 5246 §4.7    digitally-signed: SignatureAndHashAlgorithm algorithm (TLS 1.2)
//! ```

use mailtls_core::{GroupSupport, TlsVersion};

use crate::tls_engine::cipher_suites::{self, Authentication, KeyExchange};
use crate::tls_engine::named_groups;
use crate::tls_engine::scan::hello::{all_signature_schemes, tls12_curves};
use crate::tls_engine::scan::prober::Stopped;
use crate::tls_engine::scan::reply::Reply;
use crate::tls_engine::scan::suites::{
    Scanner, VersionResult, codes, follows_client_order, imposes_own_order,
};
use crate::tls_engine::scan::wire_version;
use crate::tls_engine::server_messages::KeyExchangeParams;
use crate::tls_engine::signature_schemes;
use crate::tls_engine::version::ProtocolVersion;

/// The most signature schemes enumerated (each costs a connection).
const MAX_SIGNATURE_PROBES: usize = 8;

/// The accepted suites of `version`, as code points.
fn accepted(results: &[(TlsVersion, VersionResult)], version: TlsVersion) -> Vec<u16> {
    results
        .iter()
        .filter(|(known, result)| *known == version && result.support.is_yes())
        .flat_map(|(_, result)| codes(&result.suites))
        .collect()
}

/// The newest version of TLS 1.2 and older that accepted a suite for which
/// `wanted` holds, and those suites.
fn legacy_suites(
    results: &[(TlsVersion, VersionResult)],
    wanted: impl Fn(u16) -> bool,
) -> Option<(ProtocolVersion, Vec<u16>)> {
    [TlsVersion::Tls12, TlsVersion::Tls11, TlsVersion::Tls10]
        .into_iter()
        .find_map(|version| {
            let suites: Vec<u16> = accepted(results, version)
                .into_iter()
                .filter(|&code| wanted(code))
                .collect();
            (!suites.is_empty()).then(|| (wire_version(version), suites))
        })
}

fn is_ecdhe(code: u16) -> bool {
    cipher_suites::lookup(code)
        .is_some_and(|suite| matches!(suite.key_exchange, KeyExchange::Ecdhe | KeyExchange::EcdhAnon))
}

fn is_signed_ephemeral(code: u16) -> bool {
    cipher_suites::lookup(code).is_some_and(|suite| {
        matches!(suite.key_exchange, KeyExchange::Ecdhe | KeyExchange::Dhe)
            && matches!(
                suite.authentication,
                Authentication::Rsa | Authentication::Ecdsa | Authentication::Dss
            )
    })
}

impl Scanner<'_> {
    /// The groups: TLS 1.3 through HelloRetryRequest, TLS 1.2 curves through
    /// ServerKeyExchange.
    pub(crate) async fn groups(&mut self, results: &[(TlsVersion, VersionResult)]) -> GroupSupport {
        let mut support = GroupSupport::default();
        let tls13 = accepted(results, TlsVersion::Tls13);
        if let Some((groups, order)) = self.tls13_group_outcome.take() {
            support.tls13 = groups.into_iter().map(named_groups::name).collect();
            support.server_order = order;
        } else if !tls13.is_empty() {
            match self.tls13_groups(&tls13).await {
                Ok((groups, order)) => {
                    support.tls13 = groups.into_iter().map(named_groups::name).collect();
                    support.server_order = order;
                }
                Err(Stopped) => support.not_tested = self.prober.stopped.clone(),
            }
        }
        if let Some((version, suites)) = legacy_suites(results, is_ecdhe) {
            match self.tls12_curves(version, &suites).await {
                Ok(curves) => support.tls12 = curves.into_iter().map(named_groups::name).collect(),
                Err(Stopped) => support.not_tested = self.prober.stopped.clone(),
            }
        }
        support
    }

    /// What follows at once from one version's enumeration, in the same lane
    /// (which holds what that version's hellos showed): the TLS 1.3 groups
    /// after TLS 1.3, the signature algorithms after TLS 1.2. The other
    /// lane goes on with the next version meanwhile.
    pub(crate) async fn after_version(
        &mut self,
        version: TlsVersion,
        result: &VersionResult,
    ) -> Result<(), Stopped> {
        if !result.support.is_yes() {
            return Ok(());
        }
        let suites = codes(&result.suites);
        match version {
            TlsVersion::Tls13 => {
                self.tls13_group_outcome = Some(self.tls13_groups(&suites).await?);
            }
            TlsVersion::Tls12 => {
                self.signature_outcome = Some(self.signature_algorithms_of(&suites).await);
            }
            _ => {}
        }
        Ok(())
    }

    /// The TLS 1.3 groups, starting from those the suite enumeration's
    /// HelloRetryRequests already named, and whether the server imposes its
    /// order, which those hellos (offering the unseen groups first) mostly
    /// show already.
    async fn tls13_groups(&mut self, suites: &[u16]) -> Result<(Vec<u16>, Option<bool>), Stopped> {
        let schemes = all_signature_schemes();
        let mut found = self.tls13_groups.clone();
        let mut remaining = self.unseen_tls13_groups();
        if self.tls13_groups_complete {
            // The suite enumeration's last hello already had the rest refused.
            remaining.clear();
        }
        while !remaining.is_empty() {
            let reply = self
                .offer(ProtocolVersion::TLS1_3, suites, &remaining, &schemes)
                .await?;
            match hello_retry_group(&reply) {
                Some(group) if remaining.contains(&group) => {
                    found.push(group);
                    remaining.retain(|&known| known != group);
                }
                Some(group) => {
                    self.prober.anomaly(format!(
                        "TLSv1.3: the HelloRetryRequest asks for {}, which was not offered",
                        named_groups::name(group)
                    ));
                    break;
                }
                None => break,
            }
        }
        if found.len() < 2 {
            return Ok((found, None));
        }
        if imposes_own_order(&self.tls13_group_steps, &found) {
            return Ok((found, Some(true)));
        }
        if follows_client_order(&self.tls13_group_steps) {
            // No order of the server's: by code point, not as found.
            found.sort_unstable();
            return Ok((found, Some(false)));
        }
        let reversed: Vec<u16> = found.iter().rev().copied().collect();
        let reply = self
            .offer(ProtocolVersion::TLS1_3, suites, &reversed, &schemes)
            .await?;
        let order = hello_retry_group(&reply).map(|group| Some(group) == found.first().copied());
        Ok((found, order))
    }

    async fn tls12_curves(&mut self, version: ProtocolVersion, suites: &[u16]) -> Result<Vec<u16>, Stopped> {
        let schemes = all_signature_schemes();
        let mut found = self.curves.clone();
        let mut remaining = tls12_curves();
        remaining.retain(|curve| !found.contains(curve));
        while !remaining.is_empty() {
            let reply = self.offer(version, suites, &remaining, &schemes).await?;
            let curve = match &reply {
                Reply::Hello {
                    key_exchange: Some(message),
                    ..
                } => match message.params {
                    KeyExchangeParams::Ec {
                        named_curve: Some(curve),
                        ..
                    } => Some(curve),
                    _ => None,
                },
                _ => None,
            };
            match curve {
                Some(curve) if remaining.contains(&curve) => {
                    found.push(curve);
                    remaining.retain(|&known| known != curve);
                }
                Some(curve) => {
                    self.prober.anomaly(format!(
                        "{version}: the server used the curve {}, which was not offered",
                        named_groups::name(curve)
                    ));
                    break;
                }
                None => break,
            }
        }
        Ok(found)
    }

    /// The signature schemes of TLS 1.2 ServerKeyExchanges, enumerated by
    /// removal up to [`MAX_SIGNATURE_PROBES`] connections.
    pub(crate) async fn signature_algorithms(
        &mut self,
        results: &[(TlsVersion, VersionResult)],
    ) -> Vec<String> {
        if let Some(done) = self.signature_outcome.take() {
            return done;
        }
        self.signature_algorithms_of(&accepted(results, TlsVersion::Tls12))
            .await
    }

    /// [`signature_algorithms`](Self::signature_algorithms) with the suites
    /// TLS 1.2 accepted.
    async fn signature_algorithms_of(&mut self, tls12: &[u16]) -> Vec<String> {
        let suites = tls12
            .iter()
            .copied()
            .filter(|&code| is_signed_ephemeral(code))
            .collect::<Vec<_>>();
        let mut found = self.signature_schemes.clone();
        if !suites.is_empty() {
            let curves = tls12_curves();
            let mut remaining = all_signature_schemes();
            remaining.retain(|scheme| !found.contains(scheme));
            for _ in 0..MAX_SIGNATURE_PROBES {
                if remaining.is_empty() {
                    break;
                }
                let Ok(reply) = self
                    .offer(ProtocolVersion::TLS1_2, &suites, &curves, &remaining)
                    .await
                else {
                    break;
                };
                let scheme = match &reply {
                    Reply::Hello {
                        key_exchange: Some(message),
                        ..
                    } => message.signature_scheme,
                    _ => None,
                };
                match scheme {
                    Some(scheme) if remaining.contains(&scheme) => {
                        found.push(scheme);
                        remaining.retain(|&known| known != scheme);
                    }
                    Some(scheme) => {
                        self.prober.anomaly(format!(
                            "TLSv1.2: the server signed with {}, which was not offered",
                            signature_schemes::name(scheme)
                        ));
                        break;
                    }
                    None => break,
                }
            }
        }
        found.into_iter().map(signature_schemes::name).collect()
    }
}

/// The group a HelloRetryRequest asks for.
fn hello_retry_group(reply: &Reply) -> Option<u16> {
    match reply {
        Reply::Hello { hello, .. } if hello.is_hello_retry_request => hello.key_share_group,
        _ => None,
    }
}
