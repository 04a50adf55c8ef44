//! Versions and cipher suites: per version, offer every remaining suite,
//! remove the one chosen, repeat until the server refuses.
//!
//! Whether the server imposes its order mostly shows in the enumeration
//! itself. The first suite chosen is offered again, last, in the hellos that
//! follow: a server that follows the client picks another suite it accepts
//! each time, and once it picks one that it had passed over while that one
//! came second, the swap proves the client's order and the re-offer stops.
//! A server with its own order picks the same suite again (one hello spent),
//! or picks past suites it accepts. Only when neither shows does one more
//! hello, with the found list reversed, tell. A lane that has seen the
//! server's own order at one version does not re-offer at the next, since
//! that hello would teach nothing new.
//!
//! Each hello also offers the curves (or TLS 1.3 groups) and signature
//! schemes not seen yet first and the seen ones after: a server that follows
//! the client names a new one with every (EC)DHE suite it picks, so the
//! group and scheme enumerations that follow have little left to ask.
//!
//! A hello that draws no reply at all, when an earlier one of the same
//! version was answered, is taken for a server that chokes on big hellos:
//! the remaining list is split in halves, each enumerated on its own.

use std::sync::atomic::{AtomicBool, Ordering};

use mailtls_core::{DhParameters, Support, TlsVersion, VulnerabilityCheck};

use crate::tls_engine::active::ccs_injection;
use crate::tls_engine::cipher_suites::{self, KeyExchange};
use crate::tls_engine::earlier::EarlierChoice;
use crate::tls_engine::exchange::HandshakeOpener;
use crate::tls_engine::named_groups;
use crate::tls_engine::scan::features::FeatureLog;
use crate::tls_engine::scan::hello::{
    HelloBuilder, Offer, TLS13_SUITES, all_signature_schemes, tls12_curves, tls13_groups,
};
use crate::tls_engine::scan::prober::{Prober, Stopped};
use crate::tls_engine::scan::reply::{Reply, classify};
use crate::tls_engine::scan::{ScanOptions, dh, wire_version};
use crate::tls_engine::server_messages::{DowngradeSentinel, KeyExchangeParams, ServerKeyExchange};
use crate::tls_engine::sslv2::cipher_spec_name;
use crate::tls_engine::version::ProtocolVersion;

/// Lists longer than this are split when a hello draws no reply.
const SPLIT_ABOVE: usize = 64;

/// One suite the server accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// The code point (24 bits for SSL 2.0 cipher kinds).
    pub code: u32,
    /// The IANA name.
    pub name: String,
    /// The key exchange seen with it.
    pub key_exchange: Option<String>,
}

/// What one version's enumeration found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VersionResult {
    /// Supported or not, with the evidence.
    pub support: Support,
    /// The suites, in the server's order when it has one.
    pub suites: Vec<Found>,
    /// Whether the server imposes its order.
    pub server_order: Option<bool>,
}

/// How one reply answers the question "which suite, at this version?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The server chose `code` at the version asked.
    Chosen {
        /// The suite.
        code: u16,
        /// The key exchange, described.
        key_exchange: Option<String>,
        /// The evidence line.
        evidence: String,
    },
    /// The server answered with another version.
    OtherVersion {
        /// The evidence line.
        evidence: String,
    },
    /// The server refused, said nothing, or said something that is not TLS.
    Refused {
        /// The evidence line.
        evidence: String,
        /// Whether the reply was silence (a choke candidate).
        silent: bool,
    },
}

/// Whether the enumeration itself shows that the server imposes its own
/// order: a server that follows the client picks, from each hello, the first
/// offered suite it accepts; once the accepted set is known, any other pick
/// proves a preference of its own, and the hello with the found list
/// reversed is not needed.
pub(crate) fn imposes_own_order(steps: &[(Vec<u16>, u16)], accepted: &[u16]) -> bool {
    steps.iter().any(|(offered, chosen)| {
        let client_pick = offered.iter().find(|code| accepted.contains(code));
        client_pick != Some(chosen)
    })
}

/// Whether the enumeration shows that the server follows the client's
/// order: two hellos offered the same two accepted suites in opposite
/// orders, and each time the server took the one offered first.
pub(crate) fn follows_client_order(steps: &[(Vec<u16>, u16)]) -> bool {
    let position = |offered: &[u16], code: u16| offered.iter().position(|&known| known == code);
    steps.iter().any(|(first_offer, first_pick)| {
        steps.iter().any(|(second_offer, second_pick)| {
            if first_pick == second_pick {
                return false;
            }
            let positions = (
                position(first_offer, *first_pick),
                position(first_offer, *second_pick),
                position(second_offer, *second_pick),
                position(second_offer, *first_pick),
            );
            matches!(positions, (Some(a), Some(b), Some(c), Some(d)) if a < b && c < d)
        })
    })
}

/// `all`, with the codes not in `seen` first and those in `seen` after, each
/// part in the order of `all`.
pub(crate) fn unseen_first(all: Vec<u16>, seen: &[u16]) -> Vec<u16> {
    let (seen_part, mut unseen): (Vec<u16>, Vec<u16>) = all.into_iter().partition(|code| seen.contains(code));
    unseen.extend(seen_part);
    unseen
}

/// The code points of `found`, where they fit in 16 bits.
pub(crate) fn codes(found: &[Found]) -> Vec<u16> {
    found
        .iter()
        .filter_map(|found| u16::try_from(found.code).ok())
        .collect()
}

/// The ECC suites of TLS 1.0 (ECDHE, ECDH, anonymous ECDH), for the SSL 3.0
/// round that carries the ECC extensions.
fn sslv3_ecc_suites() -> Vec<u16> {
    let classic = cipher_suites::codes_for(ProtocolVersion::SSL3_0);
    cipher_suites::codes_for(ProtocolVersion::TLS1_0)
        .into_iter()
        .filter(|code| !classic.contains(code))
        .filter(|&code| cipher_suites::lookup(code).is_some_and(|suite| suite.key_exchange.is_rfc4492_ecc()))
        .collect()
}

/// The scan's state: the prober, and what every reply taught so far.
pub(crate) struct Scanner<'a> {
    /// Connections and their bounds.
    pub prober: Prober<'a>,
    /// The features read off the hellos.
    pub features: FeatureLog,
    /// The smallest DH parameters seen.
    pub dh: Option<DhParameters>,
    /// Signature schemes seen in TLS 1.2 ServerKeyExchanges to hellos
    /// offering every scheme, in order.
    pub signature_schemes: Vec<u16>,
    /// ECDHE curves seen in ServerKeyExchanges to hellos offering every curve.
    pub curves: Vec<u16>,
    /// TLS 1.3 groups asked for by HelloRetryRequests, in order.
    pub tls13_groups: Vec<u16>,
    /// Each TLS 1.3 hello that drew a HelloRetryRequest: the groups offered,
    /// in order, and the group asked for.
    pub tls13_group_steps: Vec<(Vec<u16>, u16)>,
    /// Whether TLS 1.3 hellos offer only the groups not seen yet: once a
    /// HelloRetryRequest asks again for a seen group although unseen ones
    /// came first, the server has an order of its own, and each hello can
    /// name a new group only if the seen ones are left out.
    tls13_removal: bool,
    /// Whether every TLS 1.3 group the server accepts has been seen: a hello
    /// of the accepted suites with only the unseen groups was refused.
    pub tls13_groups_complete: bool,
    /// Whether this lane saw the server impose its own suite order at an
    /// earlier version (it then re-offers no suite at the next).
    order_hint: Option<bool>,
    /// The choice of the endpoint's own full handshake, a first step of its version.
    earlier: Option<EarlierChoice>,
    /// Whether the CCS injection check is still to run on an enumeration
    /// connection; shared by the lanes, taken by the first that can.
    ccs_wanted: &'a AtomicBool,
    /// The CCS injection check, once run here.
    pub ccs_injection: Option<VulnerabilityCheck>,
    /// The TLS 1.3 groups and their order, once enumerated (by the lane
    /// that enumerated TLS 1.3, right after it).
    pub tls13_group_outcome: Option<(Vec<u16>, Option<bool>)>,
    /// The TLS 1.2 signature algorithms, once enumerated (by the lane that
    /// enumerated TLS 1.2, right after it).
    pub signature_outcome: Option<Vec<String>>,
    /// Downgrade sentinels seen, with the version asked.
    pub sentinels: Vec<(ProtocolVersion, DowngradeSentinel)>,
    builder: HelloBuilder,
    server_name: Option<String>,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(
        opener: &'a dyn HandshakeOpener,
        options: &ScanOptions,
        earlier: Option<EarlierChoice>,
        ccs_wanted: &'a AtomicBool,
    ) -> Self {
        let server_name = opener.server_name().map(str::to_owned);
        let mut curves = Vec::new();
        let mut tls13 = Vec::new();
        if let Some(choice) = &earlier
            && let Some(group) = choice.group
        {
            match choice.version {
                TlsVersion::Tls13 => tls13.push(group),
                _ if tls12_curves().contains(&group) => curves.push(group),
                _ => {}
            }
        }
        Self {
            prober: Prober::new(opener, options),
            features: FeatureLog::default(),
            dh: None,
            signature_schemes: Vec::new(),
            curves,
            tls13_groups: tls13,
            tls13_group_steps: Vec::new(),
            tls13_removal: false,
            tls13_groups_complete: false,
            order_hint: None,
            earlier,
            ccs_wanted,
            ccs_injection: None,
            tls13_group_outcome: None,
            signature_outcome: None,
            sentinels: Vec::new(),
            builder: HelloBuilder::default(),
            server_name,
        }
    }

    /// Takes in what `other`, a scanner of another lane, learnt and counted.
    pub(crate) fn absorb(&mut self, mut other: Scanner<'a>) {
        self.absorb_learnt_by(&mut other);
        self.prober.absorb(other.prober);
    }

    /// Takes in what `other` learnt from replies (features, parameters,
    /// schemes, curves, sentinels), leaving its connection count.
    pub(crate) fn absorb_learnt_by(&mut self, other: &mut Scanner<'a>) {
        self.features.absorb(&other.features);
        if let Some(theirs) = other.dh.take()
            && self
                .dh
                .as_ref()
                .is_none_or(|ours| theirs.prime_bits < ours.prime_bits)
        {
            self.dh = Some(theirs);
        }
        for scheme in other.signature_schemes.drain(..) {
            if !self.signature_schemes.contains(&scheme) {
                self.signature_schemes.push(scheme);
            }
        }
        for curve in other.curves.drain(..) {
            if !self.curves.contains(&curve) {
                self.curves.push(curve);
            }
        }
        for group in other.tls13_groups.drain(..) {
            if !self.tls13_groups.contains(&group) {
                self.tls13_groups.push(group);
            }
        }
        self.tls13_group_steps.append(&mut other.tls13_group_steps);
        self.tls13_groups_complete |= other.tls13_groups_complete;
        if self.ccs_injection.is_none() {
            self.ccs_injection = other.ccs_injection.take();
        }
        if self.tls13_group_outcome.is_none() {
            self.tls13_group_outcome = other.tls13_group_outcome.take();
        }
        if self.signature_outcome.is_none() {
            self.signature_outcome = other.signature_outcome.take();
        }
        for sentinel in other.sentinels.drain(..) {
            if !self.sentinels.contains(&sentinel) {
                self.sentinels.push(sentinel);
            }
        }
    }

    /// Sends one TLS hello and reads the reply, learning what it shows.
    pub(crate) async fn offer(
        &mut self,
        version: ProtocolVersion,
        suites: &[u16],
        groups: &[u16],
        signature_schemes: &[u16],
    ) -> Result<Reply, Stopped> {
        let offer = Offer {
            groups,
            signature_schemes,
            server_name: self.server_name.as_deref(),
        };
        let hello = match self.builder.tls(version, suites, &offer) {
            Ok(hello) => hello,
            Err(error) => {
                return Ok(Reply::Silent {
                    closed: false,
                    evidence: format!("the hello could not be built: {error}"),
                });
            }
        };
        let exchange = self.prober.send(&hello).await?;
        let (reply, anomalies) = classify(&exchange, self.prober.timeout());
        for anomaly in anomalies {
            self.prober.anomaly(format!("{version} hello: {anomaly}"));
        }
        if let Reply::Hello { hello, key_exchange } = &reply {
            self.learn(version, hello, key_exchange.as_ref(), groups, signature_schemes);
        }
        Ok(reply)
    }

    fn learn(
        &mut self,
        asked: ProtocolVersion,
        hello: &crate::tls_engine::server_messages::ServerHello,
        key_exchange: Option<&ServerKeyExchange>,
        groups: &[u16],
        signature_schemes: &[u16],
    ) {
        let negotiated = hello.negotiated_version();
        if let Some(sentinel) = hello.downgrade_sentinel
            && !self.sentinels.contains(&(asked, sentinel))
        {
            self.sentinels.push((asked, sentinel));
        }
        if hello.is_hello_retry_request || negotiated >= ProtocolVersion::TLS1_3 {
            if let Some(group) = hello.key_share_group
                && hello.is_hello_retry_request
                && groups.contains(&group)
            {
                let passed_unseen = groups
                    .iter()
                    .take_while(|&&offered| offered != group)
                    .any(|offered| !self.tls13_groups.contains(offered));
                if self.tls13_groups.contains(&group) && passed_unseen {
                    self.tls13_removal = true;
                }
                self.tls13_group_steps.push((groups.to_vec(), group));
                if !self.tls13_groups.contains(&group) {
                    self.tls13_groups.push(group);
                }
            }
            return;
        }
        self.features.note(hello, negotiated > ProtocolVersion::SSL3_0);
        let Some(message) = key_exchange else {
            return;
        };
        if let Some(scheme) = message.signature_scheme
            && !self.signature_schemes.contains(&scheme)
            && signature_schemes.len() == all_signature_schemes().len()
        {
            self.signature_schemes.push(scheme);
        }
        match &message.params {
            KeyExchangeParams::Ec {
                named_curve: Some(curve),
                ..
            } if groups.len() == tls12_curves().len() && !self.curves.contains(curve) => {
                self.curves.push(*curve);
            }
            KeyExchangeParams::Dh {
                prime_bits, prime, ..
            } => {
                let smaller = self
                    .dh
                    .as_ref()
                    .is_none_or(|known| *prime_bits < known.prime_bits);
                if smaller {
                    self.dh = Some(DhParameters {
                        prime_bits: *prime_bits,
                        well_known: dh::well_known_prime(prime).map(str::to_owned),
                        cipher_suite: cipher_suites::name(hello.cipher_suite),
                    });
                }
            }
            _ => {}
        }
    }

    /// Enumerates one version.
    pub(crate) async fn enumerate(&mut self, version: TlsVersion) -> Result<VersionResult, Stopped> {
        if version == TlsVersion::Ssl2 {
            return self.sslv2().await;
        }
        let wire = wire_version(version);
        let all = if wire >= ProtocolVersion::TLS1_3 {
            TLS13_SUITES.to_vec()
        } else {
            cipher_suites::codes_for(wire)
        };
        let mut found: Vec<Found> = Vec::new();
        let mut first_evidence: Option<String> = None;
        let mut refusal: Option<String> = None;
        // RFC 4492 ECC suites postdate SSL 3.0, but some servers (tlslite-ng)
        // accept them there when the hello carries the ECC extensions, which
        // a plain SSL 3.0 hello cannot: they get a second round of their own
        // (one more connection when none is accepted), after the first.
        let mut queue = if wire == ProtocolVersion::SSL3_0 {
            vec![sslv3_ecc_suites(), all]
        } else {
            vec![all]
        };
        // Each hello that drew a choice: what was offered, and what was chosen.
        let mut steps: Vec<(Vec<u16>, u16)> = Vec::new();
        // The first suite chosen, offered again, last, in the hellos that
        // follow until they show the order (see the module notes); not when
        // this lane saw the server's own order.
        let mut witness: Option<u16> = None;
        let mut witness_done = self.order_hint == Some(true);
        if let Some(choice) = self.earlier.as_ref().filter(|choice| choice.version == version) {
            // The endpoint's own handshake was this version's first step.
            steps.push((choice.offered.clone(), choice.chosen));
            found.push(Found {
                code: u32::from(choice.chosen),
                name: cipher_suites::name(choice.chosen),
                key_exchange: choice.group.map(|group| {
                    if wire >= ProtocolVersion::TLS1_3 {
                        describe_group(group)
                    } else {
                        format!("ECDH {}", named_groups::name(group))
                    }
                }),
            });
            first_evidence = Some(format!(
                "ServerHello {wire} {} in the full handshake of the endpoint's first connection",
                cipher_suites::name(choice.chosen)
            ));
            for bundle in &mut queue {
                bundle.retain(|&code| code != choice.chosen);
            }
            if !witness_done {
                witness = Some(choice.chosen);
            }
        }
        while let Some(mut bundle) = queue.pop() {
            while !bundle.is_empty() {
                let mut offered = bundle.clone();
                offered.extend(witness);
                let reduced_groups =
                    wire >= ProtocolVersion::TLS1_3 && self.tls13_removal && !self.tls13_groups_complete;
                self.prober.keep = (ProtocolVersion::SSL3_0..=ProtocolVersion::TLS1_2).contains(&wire)
                    && self.ccs_wanted.load(Ordering::Relaxed);
                let reply = self.offer_for(wire, &offered).await;
                self.prober.keep = false;
                let reply = reply?;
                let verdict = judge(wire, &reply);
                if let Verdict::Chosen { .. } = verdict {
                    self.ccs_on_kept(wire).await;
                }
                match verdict {
                    Verdict::Chosen {
                        code,
                        key_exchange,
                        evidence,
                    } => {
                        if !offered.contains(&code) {
                            self.prober.anomaly(format!(
                                "{wire}: the server chose {}, which was not offered",
                                cipher_suites::name(code)
                            ));
                            first_evidence.get_or_insert(evidence);
                            break;
                        }
                        first_evidence.get_or_insert(evidence);
                        steps.push((offered, code));
                        if !bundle.contains(&code) {
                            // The witness again: the server prefers it (or
                            // it accepts nothing else that is left).
                            witness = None;
                            witness_done = true;
                            continue;
                        }
                        bundle.retain(|&offered| offered != code);
                        found.push(Found {
                            code: u32::from(code),
                            name: cipher_suites::name(code),
                            key_exchange,
                        });
                        if witness.is_none() && !witness_done {
                            witness = Some(code);
                        } else if follows_client_order(&steps) {
                            witness = None;
                            witness_done = true;
                        }
                    }
                    Verdict::Refused { evidence, .. } if offered.len() > bundle.len() => {
                        // A suite accepted a moment ago was offered: the
                        // refusal says nothing of the others; ask again
                        // without it.
                        witness = None;
                        witness_done = true;
                        self.prober.anomaly(format!(
                            "{wire}: a hello re-offering an accepted suite was refused: {evidence}"
                        ));
                    }
                    Verdict::Refused { silent: true, .. }
                        if first_evidence.is_some() && bundle.len() > SPLIT_ABOVE =>
                    {
                        self.prober.anomaly(format!(
                            "{wire}: no reply to a hello of {} suites after earlier replies; offering halves",
                            bundle.len()
                        ));
                        let half = bundle.len() / 2;
                        let second = bundle.split_off(half);
                        queue.push(second);
                        queue.push(bundle);
                        break;
                    }
                    Verdict::OtherVersion { evidence } => {
                        if first_evidence.is_some() {
                            self.prober.anomaly(format!(
                                "{wire}: after accepting it, the server answered {evidence}"
                            ));
                        }
                        refusal.get_or_insert(evidence);
                        break;
                    }
                    Verdict::Refused { evidence, .. } => {
                        if reduced_groups && !self.tls13_groups_left_over(&found).await? {
                            // The groups ran out, not the suites: offer the
                            // rest again with every group.
                            continue;
                        }
                        refusal.get_or_insert(evidence);
                        break;
                    }
                }
            }
            if first_evidence.is_none() {
                break;
            }
        }
        let Some(evidence) = first_evidence else {
            return Ok(VersionResult {
                support: Support::No {
                    evidence: refusal.unwrap_or_else(|| "no reply".to_owned()),
                },
                suites: Vec::new(),
                server_order: None,
            });
        };
        let accepted = codes(&found);
        let server_order = if imposes_own_order(&steps, &accepted) {
            Some(true)
        } else if follows_client_order(&steps) {
            Some(false)
        } else {
            self.server_order(wire, &mut found).await?
        };
        if server_order.is_some() {
            self.order_hint = server_order;
        }
        if server_order == Some(false) {
            // No order of the server's: list them by code point, not in the
            // order they happened to be found.
            found.sort_by_key(|found| found.code);
        }
        Ok(VersionResult {
            support: Support::Yes { evidence },
            suites: found,
            server_order,
        })
    }

    /// After a TLS 1.3 hello offering only the unseen groups was refused:
    /// whether an unseen group is left, which means the suites ran out. One
    /// hello of the suites `found` with those groups tells; it is the first
    /// hello the group enumeration would send anyway. When it is refused
    /// too, every group has been seen.
    async fn tls13_groups_left_over(&mut self, found: &[Found]) -> Result<bool, Stopped> {
        let accepted = codes(found);
        let unseen = self.unseen_tls13_groups();
        if accepted.is_empty() || unseen.is_empty() {
            self.tls13_groups_complete = true;
            return Ok(false);
        }
        let schemes = all_signature_schemes();
        let reply = self
            .offer(ProtocolVersion::TLS1_3, &accepted, &unseen, &schemes)
            .await?;
        let named = matches!(&reply, Reply::Hello { hello, .. }
            if hello.is_hello_retry_request && hello.key_share_group.is_some_and(|group| unseen.contains(&group)));
        if !named {
            self.tls13_groups_complete = true;
        }
        Ok(named)
    }

    /// The TLS 1.3 groups no HelloRetryRequest has asked for yet.
    pub(crate) fn unseen_tls13_groups(&self) -> Vec<u16> {
        let mut unseen = tls13_groups();
        unseen.retain(|group| !self.tls13_groups.contains(group));
        unseen
    }

    /// Runs the CCS injection check on the connection the last hello kept,
    /// when no lane has run it yet: that hello drew a ServerHelloDone at
    /// `wire`, the state the check needs.
    async fn ccs_on_kept(&mut self, wire: ProtocolVersion) {
        let Some((mut stream, mut reader)) = self.prober.take_kept() else {
            return;
        };
        if self.ccs_wanted.swap(false, Ordering::Relaxed) {
            let timeout = self.prober.timeout();
            self.ccs_injection = Some(ccs_injection::check_on(&mut stream, &mut reader, wire, timeout).await);
        }
    }

    /// One enumeration hello: `suites`, with every group (curve) and scheme,
    /// those not seen yet first; at TLS 1.3 with only the unseen groups once
    /// the server showed its own group order (see `tls13_removal`).
    async fn offer_for(&mut self, wire: ProtocolVersion, suites: &[u16]) -> Result<Reply, Stopped> {
        self.offer_with(wire, suites, true).await
    }

    /// [`offer_for`](Self::offer_for); with `leave_out_seen` false, every
    /// TLS 1.3 group is offered whatever was seen, for a hello whose answer
    /// must not depend on the groups.
    async fn offer_with(
        &mut self,
        wire: ProtocolVersion,
        suites: &[u16],
        leave_out_seen: bool,
    ) -> Result<Reply, Stopped> {
        let schemes = unseen_first(all_signature_schemes(), &self.signature_schemes);
        let groups = if wire >= ProtocolVersion::TLS1_3
            && leave_out_seen
            && self.tls13_removal
            && !self.tls13_groups_complete
        {
            self.unseen_tls13_groups()
        } else if wire >= ProtocolVersion::TLS1_3 {
            unseen_first(tls13_groups(), &self.tls13_groups)
        } else {
            unseen_first(tls12_curves(), &self.curves)
        };
        self.offer(wire, suites, &groups, &schemes).await
    }

    /// One hello with `found` reversed: `Some(true)` when the server still
    /// picks its first choice.
    async fn server_order(
        &mut self,
        wire: ProtocolVersion,
        found: &mut [Found],
    ) -> Result<Option<bool>, Stopped> {
        if found.len() < 2 {
            return Ok(None);
        }
        let mut reversed = codes(found);
        reversed.reverse();
        let reply = self.offer_with(wire, &reversed, false).await?;
        match judge(wire, &reply) {
            Verdict::Chosen { code, .. } => {
                let first = found.first().map(|found| found.code);
                let client_first = reversed.first().copied();
                if Some(u32::from(code)) == first {
                    Ok(Some(true))
                } else if Some(code) == client_first {
                    Ok(Some(false))
                } else {
                    self.prober.anomaly(format!(
                        "{wire}: offered the accepted suites reversed, the server chose {}, neither its first nor ours",
                        cipher_suites::name(code)
                    ));
                    Ok(Some(true))
                }
            }
            other => {
                self.prober.anomaly(format!(
                    "{wire}: the accepted suites, offered reversed, were refused: {other:?}"
                ));
                Ok(None)
            }
        }
    }

    /// SSL 2.0: one CLIENT-HELLO; a SERVER-HELLO lists every cipher kind.
    async fn sslv2(&mut self) -> Result<VersionResult, Stopped> {
        let hello = match self.builder.sslv2() {
            Ok(hello) => hello,
            Err(error) => {
                return Ok(VersionResult {
                    support: Support::NotTested {
                        reason: format!("the SSLv2 hello could not be built: {error}"),
                    },
                    suites: Vec::new(),
                    server_order: None,
                });
            }
        };
        let exchange = self.prober.send(&hello).await?;
        let (reply, anomalies) = classify(&exchange, self.prober.timeout());
        for anomaly in anomalies {
            self.prober.anomaly(format!("SSLv2 hello: {anomaly}"));
        }
        let result = match reply {
            Reply::Sslv2(hello) => VersionResult {
                support: Support::Yes {
                    evidence: format!(
                        "SSLv2 SERVER-HELLO version 0x{:04X} with {} cipher kind(s)",
                        hello.version.0,
                        hello.cipher_specs.len()
                    ),
                },
                suites: hello
                    .cipher_specs
                    .iter()
                    .map(|&spec| Found {
                        code: spec,
                        name: cipher_spec_name(spec),
                        key_exchange: Some("RSA".to_owned()),
                    })
                    .collect(),
                server_order: None,
            },
            Reply::Hello { hello, .. } => VersionResult {
                support: Support::No {
                    evidence: format!(
                        "answered the SSLv2 hello with a {} ServerHello",
                        hello.negotiated_version()
                    ),
                },
                suites: Vec::new(),
                server_order: None,
            },
            other => VersionResult {
                support: Support::No {
                    evidence: other.refusal(),
                },
                suites: Vec::new(),
                server_order: None,
            },
        };
        Ok(result)
    }

    /// Notes downgrade sentinels that contradict the versions found.
    pub(crate) fn check_sentinels(&mut self, results: &[(TlsVersion, VersionResult)]) {
        let supports = |version: TlsVersion| {
            results
                .iter()
                .any(|(known, result)| *known == version && result.support.is_yes())
        };
        let tested = |version: TlsVersion| results.iter().any(|(known, _)| *known == version);
        for (asked, sentinel) in self.sentinels.clone() {
            let contradiction = match sentinel {
                DowngradeSentinel::Tls12 => tested(TlsVersion::Tls13) && !supports(TlsVersion::Tls13),
                DowngradeSentinel::Tls11OrBelow => {
                    asked >= ProtocolVersion::TLS1_2
                        || (tested(TlsVersion::Tls12)
                            && !supports(TlsVersion::Tls12)
                            && !supports(TlsVersion::Tls13))
                }
            };
            if contradiction {
                self.prober.anomaly(format!(
                    "the ServerHello to a {asked} hello carries the downgrade sentinel {sentinel:?}, \
                     which contradicts the versions found"
                ));
            }
        }
    }
}

/// What `reply` says about `asked`.
pub(crate) fn judge(asked: ProtocolVersion, reply: &Reply) -> Verdict {
    match reply {
        Reply::Hello { hello, key_exchange } => {
            let negotiated = hello.negotiated_version();
            let kind = if hello.is_hello_retry_request {
                "HelloRetryRequest"
            } else {
                "ServerHello"
            };
            let evidence = format!("{kind} {negotiated} {}", cipher_suites::name(hello.cipher_suite));
            if negotiated != asked {
                return Verdict::OtherVersion {
                    evidence: format!("{kind} {negotiated} to a {asked} hello"),
                };
            }
            let key_exchange = if asked >= ProtocolVersion::TLS1_3 {
                hello.key_share_group.map(describe_group)
            } else {
                describe_key_exchange(hello.cipher_suite, key_exchange.as_ref())
            };
            Verdict::Chosen {
                code: hello.cipher_suite,
                key_exchange,
                evidence,
            }
        }
        // A clean close is a refusal; only a reset or a timeout may be a
        // server choking on the size of the hello.
        Reply::Silent { evidence, closed } => Verdict::Refused {
            evidence: evidence.clone(),
            silent: !closed,
        },
        other => Verdict::Refused {
            evidence: other.refusal(),
            silent: false,
        },
    }
}

/// A TLS 1.3 group as a key exchange: `ECDH x25519`, `DH ffdhe2048`, `X25519MLKEM768`.
pub(crate) fn describe_group(group: u16) -> String {
    let name = named_groups::name(group);
    match group {
        0x0001..=0x0021 | 0x0029 => format!("ECDH {name}"),
        0x0100..=0x01FF => format!("DH {name}"),
        _ => name,
    }
}

/// The key exchange of a TLS 1.2-or-older suite: `ECDH x25519`, `DH 2048`,
/// `RSA`, `RSA export 512`.
pub(crate) fn describe_key_exchange(suite: u16, message: Option<&ServerKeyExchange>) -> Option<String> {
    let info = cipher_suites::lookup(suite);
    if let Some(message) = message {
        return match &message.params {
            KeyExchangeParams::Dh { prime_bits, .. } => Some(format!("DH {prime_bits}")),
            KeyExchangeParams::Ec {
                named_curve: Some(curve),
                ..
            } => Some(format!("ECDH {}", named_groups::name(*curve))),
            KeyExchangeParams::Ec { curve_type, .. } => {
                Some(format!("ECDH explicit curve (type {curve_type})"))
            }
            KeyExchangeParams::RsaExport { modulus_bits } => Some(format!("RSA export {modulus_bits}")),
            _ => None,
        };
    }
    match info.map(|info| (info.key_exchange, info.export)) {
        Some((KeyExchange::Rsa, false)) => Some("RSA".to_owned()),
        Some((KeyExchange::Rsa, true)) => Some("RSA export".to_owned()),
        Some((KeyExchange::Dh, _)) => Some("DH (certificate)".to_owned()),
        Some((KeyExchange::Ecdh, _)) => Some("ECDH (certificate)".to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(codes: &[u16]) -> Vec<Found> {
        codes
            .iter()
            .map(|&code| Found {
                code: u32::from(code),
                name: cipher_suites::name(code),
                key_exchange: None,
            })
            .collect()
    }

    #[test]
    fn picks_that_follow_the_offer_prove_nothing() {
        // Offered 1, 2, 3, 4; the server accepts 2 and 4 and takes the first of them each time.
        let steps = vec![(vec![1, 2, 3, 4], 2), (vec![1, 3, 4], 4)];
        assert!(!imposes_own_order(&steps, &codes(&found(&[2, 4]))));
        assert!(!follows_client_order(&steps));
    }

    #[test]
    fn a_swap_proves_the_client_order() {
        // 2 is re-offered last in the second hello, and the server takes 4,
        // which it passed over when 2 came first.
        let steps = vec![(vec![1, 2, 3, 4], 2), (vec![1, 3, 4, 2], 4)];
        assert!(follows_client_order(&steps));
        assert!(!imposes_own_order(&steps, &[2, 4]));
    }

    #[test]
    fn the_same_pick_again_proves_the_servers_own_order() {
        // 2 re-offered last is taken again, although 4 (accepted) came first.
        let steps = vec![(vec![1, 2, 3, 4], 2), (vec![1, 3, 4, 2], 2), (vec![1, 3, 4], 4)];
        assert!(imposes_own_order(&steps, &[2, 4]));
        assert!(!follows_client_order(&steps));
    }

    #[test]
    fn unseen_codes_come_first_in_their_own_order() {
        assert_eq!(unseen_first(vec![1, 2, 3, 4, 5], &[4, 2]), vec![1, 3, 5, 2, 4]);
    }

    #[test]
    fn a_pick_past_an_accepted_suite_proves_the_servers_own_order() {
        // Offered 1, 2, 3, 4; the server takes 4 although it accepts 2, which came first.
        let steps = vec![(vec![1, 2, 3, 4], 4), (vec![1, 2, 3], 2)];
        assert!(imposes_own_order(&steps, &codes(&found(&[4, 2]))));
    }
}
