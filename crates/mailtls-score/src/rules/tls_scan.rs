//! Rules for what the TLS enumeration saw on an endpoint: protocol versions,
//! cipher suites, key exchange, protocol features and known attacks.
//!
//! Port 25 is special: senders use opportunistic TLS, and a sender that
//! cannot agree on TLS falls back to plaintext. Removing an old version or
//! suite from an MX therefore trades a weak encryption for none with the
//! oldest senders; the explanations say so where it matters. On submission,
//! IMAP and POP3, the clients are the users' own programs and can be told to
//! upgrade.

use mailtls_core::Severity;

use super::{Category, RuleSpec};

const RFC6176: (&str, &str) = (
    "RFC 6176: Prohibiting Secure Sockets Layer (SSL) Version 2.0",
    "https://www.rfc-editor.org/rfc/rfc6176",
);
const RFC7568: (&str, &str) = (
    "RFC 7568: Deprecating Secure Sockets Layer Version 3.0",
    "https://www.rfc-editor.org/rfc/rfc7568",
);
const RFC8996: (&str, &str) = (
    "RFC 8996: Deprecating TLS 1.0 and TLS 1.1",
    "https://www.rfc-editor.org/rfc/rfc8996",
);
const RFC8446: (&str, &str) = (
    "RFC 8446: The Transport Layer Security (TLS) Protocol Version 1.3",
    "https://www.rfc-editor.org/rfc/rfc8446",
);
const RFC9325_41: (&str, &str) = (
    "RFC 9325 §4.1: protocol versions (BCP 195)",
    "https://www.rfc-editor.org/rfc/rfc9325#section-4.1",
);
const RFC9325_42: (&str, &str) = (
    "RFC 9325 §4.2: cipher suites (BCP 195)",
    "https://www.rfc-editor.org/rfc/rfc9325#section-4.2",
);
const RFC9325_3: (&str, &str) = (
    "RFC 9325 §3: general recommendations (compression, renegotiation, fallback)",
    "https://www.rfc-editor.org/rfc/rfc9325#section-3",
);
const RFC7457: (&str, &str) = (
    "RFC 7457: Summarizing Known Attacks on TLS and DTLS",
    "https://www.rfc-editor.org/rfc/rfc7457",
);
const RFC7465: (&str, &str) = (
    "RFC 7465: Prohibiting RC4 Cipher Suites",
    "https://www.rfc-editor.org/rfc/rfc7465",
);
const RFC7919: (&str, &str) = (
    "RFC 7919: Negotiated Finite Field Diffie-Hellman Ephemeral Parameters",
    "https://www.rfc-editor.org/rfc/rfc7919",
);
const RFC5746: (&str, &str) = (
    "RFC 5746: TLS Renegotiation Indication Extension",
    "https://www.rfc-editor.org/rfc/rfc5746",
);
const RFC7507: (&str, &str) = (
    "RFC 7507: TLS Fallback Signaling Cipher Suite Value (SCSV)",
    "https://www.rfc-editor.org/rfc/rfc7507",
);
const RFC7627: (&str, &str) = (
    "RFC 7627: TLS Session Hash and Extended Master Secret Extension",
    "https://www.rfc-editor.org/rfc/rfc7627",
);
const RFC6066_8: (&str, &str) = (
    "RFC 6066 §8: Certificate Status Request (OCSP stapling)",
    "https://www.rfc-editor.org/rfc/rfc6066#section-8",
);
const RFC5077: (&str, &str) = (
    "RFC 5077: TLS Session Resumption without Server-Side State",
    "https://www.rfc-editor.org/rfc/rfc5077",
);
const RFC7366: (&str, &str) = (
    "RFC 7366: Encrypt-then-MAC for TLS and DTLS",
    "https://www.rfc-editor.org/rfc/rfc7366",
);
const RFC3207: (&str, &str) = (
    "RFC 3207: SMTP Service Extension for Secure SMTP over TLS",
    "https://www.rfc-editor.org/rfc/rfc3207",
);
const MLKEM_DRAFT: (&str, &str) = (
    "IETF draft: Post-quantum hybrid ECDHE-MLKEM key agreement for TLS 1.3 (landing page)",
    "https://datatracker.ietf.org/doc/draft-ietf-tls-ecdhe-mlkem/",
);
const NCSC_TLS: (&str, &str) = (
    "NCSC-NL: IT Security Guidelines for Transport Layer Security (TLS) (landing page)",
    "https://english.ncsc.nl/publications/publications/2021/january/19/it-security-guidelines-for-transport-layer-security-2.1",
);
const BSI_TR02102_2: (&str, &str) = (
    "BSI TR-02102-2: Cryptographic Mechanisms, Use of TLS (landing page)",
    "https://www.bsi.bund.de/EN/Themen/Unternehmen-und-Organisationen/Standards-und-Zertifizierung/Technische-Richtlinien/TR-nach-Thema-sortiert/tr02102/tr02102_node.html",
);
const BSI_TR03108: (&str, &str) = (
    "BSI TR-03108: Secure E-Mail Transport (landing page)",
    "https://www.bsi.bund.de/EN/Themen/Unternehmen-und-Organisationen/Standards-und-Zertifizierung/Technische-Richtlinien/TR-nach-Thema-sortiert/tr03108/TR-03108_node.html",
);
const MOZILLA_TLS: (&str, &str) = (
    "Mozilla: Server Side TLS",
    "https://wiki.mozilla.org/Security/Server_Side_TLS",
);
const HEARTBLEED: (&str, &str) = (
    "CVE-2014-0160 (Heartbleed)",
    "https://nvd.nist.gov/vuln/detail/CVE-2014-0160",
);
const CCS: (&str, &str) = (
    "CVE-2014-0224 (OpenSSL ChangeCipherSpec injection)",
    "https://nvd.nist.gov/vuln/detail/CVE-2014-0224",
);
const ROBOT: (&str, &str) = (
    "ROBOT: Return Of Bleichenbacher's Oracle Threat",
    "https://robotattack.org/",
);
const DROWN: (&str, &str) = (
    "DROWN: breaking TLS using SSLv2 (CVE-2016-0800)",
    "https://drownattack.com/",
);
const POODLE: (&str, &str) = (
    "CVE-2014-3566 (POODLE)",
    "https://nvd.nist.gov/vuln/detail/CVE-2014-3566",
);
const BEAST: (&str, &str) = (
    "CVE-2011-3389 (BEAST)",
    "https://nvd.nist.gov/vuln/detail/CVE-2011-3389",
);
const FREAK: (&str, &str) = (
    "CVE-2015-0204 (FREAK)",
    "https://nvd.nist.gov/vuln/detail/CVE-2015-0204",
);
const LOGJAM: (&str, &str) = (
    "Logjam and weak Diffie-Hellman (CVE-2015-4000)",
    "https://weakdh.org/",
);
const CRIME: (&str, &str) = (
    "CVE-2012-4929 (CRIME)",
    "https://nvd.nist.gov/vuln/detail/CVE-2012-4929",
);
const SWEET32: (&str, &str) = (
    "SWEET32: birthday attacks on 64-bit block ciphers",
    "https://sweet32.info/",
);
const LUCKY13: (&str, &str) = (
    "CVE-2013-0169 (Lucky Thirteen)",
    "https://nvd.nist.gov/vuln/detail/CVE-2013-0169",
);
const POSTFIX_TLS: (&str, &str) = ("Postfix TLS Support", "https://www.postfix.org/TLS_README.html");
const DOVECOT_SSL: (&str, &str) = (
    "Dovecot: SSL/TLS configuration",
    "https://doc.dovecot.org/configuration_manual/dovecot_ssl_configuration/",
);

/// Protocol versions: Postfix, Dovecot and Exim.
const VERSIONS_FIX: &str = "Accept TLS 1.2 and 1.3 only where every peer can (submission, IMAP, POP3):\n\
    Postfix (main.cf), port 25 and submission:\n\
    \x20   smtpd_tls_protocols = >=TLSv1.2\n\
    \x20   smtpd_tls_mandatory_protocols = >=TLSv1.2\n\
    Dovecot (conf.d/10-ssl.conf): ssl_min_protocol = TLSv1.2\n\
    Exim: openssl_options = +no_sslv2 +no_sslv3 +no_tlsv1 +no_tlsv1_1\n\
    On port 25, dropping a version leaves the oldest senders with plaintext instead: check the MTA log for \
    the versions senders negotiate before removing TLS 1.0/1.1 there.";

/// Removing weak suites: Postfix, Dovecot and Exim.
const CIPHERS_FIX: &str = "Offer forward-secret AEAD suites and remove the weak ones.\n\
    Postfix (main.cf):\n\
    \x20   smtpd_tls_mandatory_ciphers = high\n\
    \x20   smtpd_tls_ciphers = medium   (port 25: opportunistic; 'high' is also fine)\n\
    \x20   tls_high_cipherlist = ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20\n\
    \x20   smtpd_tls_exclude_ciphers = aNULL, eNULL, EXPORT, RC4, DES, 3DES, MD5, IDEA\n\
    \x20   tls_preempt_cipherlist = yes\n\
    Dovecot: ssl_cipher_list = ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20\n\
    \x20        ssl_prefer_server_ciphers = yes\n\
    Exim: tls_require_ciphers = ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20";

/// Updating the TLS library.
const UPDATE_FIX: &str = "Update OpenSSL (or the TLS library in use) and restart every daemon linked \
    against it: the MTA (Postfix, Exim), Dovecot, and any TLS proxy or load balancer in front of them. \
    Check with `ldd $(command -v smtpd dovecot exim 2>/dev/null)` which library each uses.";

/// The rules of the TLS enumeration, in the order reports list them.
pub(crate) const RULES: &[RuleSpec] = &[
    RuleSpec {
        id: "tls.version.sslv2",
        category: Category::Transport,
        severity: Severity::Critical,
        title: "SSL 2.0 is accepted",
        explanation: "SSL 2.0 has been broken since the 1990s: no handshake integrity, export-grade ciphers, \
            and a server that still speaks it lends its RSA key to DROWN, which decrypts TLS sessions of the \
            same key recorded elsewhere. No mail software of the last fifteen years needs it, on port 25 or any \
            client port.",
        references: &[RFC6176, DROWN, NCSC_TLS, BSI_TR02102_2],
        remediation: VERSIONS_FIX,
    },
    RuleSpec {
        id: "tls.version.sslv3",
        category: Category::Transport,
        severity: Severity::High,
        title: "SSL 3.0 is accepted",
        explanation: "SSL 3.0 is prohibited by RFC 7568: its CBC padding is not authenticated (POODLE) and its \
            only stream cipher is RC4. Mail senders and clients have had TLS for two decades; an MTA or IMAP \
            server that still accepts SSL 3.0 gains no peer by it.",
        references: &[RFC7568, POODLE, NCSC_TLS, BSI_TR02102_2],
        remediation: VERSIONS_FIX,
    },
    RuleSpec {
        id: "tls.version.tls1_0",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "TLS 1.0 is accepted",
        explanation: "TLS 1.0 is deprecated (RFC 8996): it lacks AEAD suites and relies on SHA-1 and MD5 in its \
            handshake. On submission, IMAP and POP3, clients that need it are a decade old and should be \
            upgraded. On port 25 it is still met with old senders and appliances, and refusing it makes them \
            deliver in plaintext; NCSC-NL classes it \"phase out\", not \"insufficient\".",
        references: &[
            RFC8996,
            RFC9325_41,
            NCSC_TLS,
            BSI_TR02102_2,
            BSI_TR03108,
            MOZILLA_TLS,
        ],
        remediation: VERSIONS_FIX,
    },
    RuleSpec {
        id: "tls.version.tls1_1",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "TLS 1.1 is accepted",
        explanation: "TLS 1.1 is deprecated together with TLS 1.0 (RFC 8996) and adds nothing a current peer \
            needs. The same port 25 caveat applies: a sender limited to it falls back to plaintext when it is \
            removed.",
        references: &[RFC8996, RFC9325_41, NCSC_TLS, BSI_TR02102_2, MOZILLA_TLS],
        remediation: VERSIONS_FIX,
    },
    RuleSpec {
        id: "tls.version.tls1_2",
        category: Category::Transport,
        severity: Severity::Low,
        title: "TLS 1.2 is accepted",
        explanation: "TLS 1.2 with forward-secret AEAD suites is secure and is what most mail software speaks. \
            It is reported for information; only the Mozilla \"modern\" profile, which expects TLS 1.3 alone, \
            counts it against a server, and that profile is not meant for port 25.",
        references: &[RFC9325_41, MOZILLA_TLS],
        remediation: "Nothing to do for mail. To serve TLS 1.3 only on a client port (Mozilla modern): \
            Dovecot ssl_min_protocol = TLSv1.3; Postfix smtpd_tls_mandatory_protocols = >=TLSv1.3 on the \
            submission service in master.cf.",
    },
    RuleSpec {
        id: "tls.version.no_tls1_2",
        category: Category::Transport,
        severity: Severity::High,
        title: "Neither TLS 1.2 nor TLS 1.3 is accepted",
        explanation: "The server speaks only deprecated versions. Current senders and mail clients negotiate \
            a protocol without AEAD suites, with SHA-1 in the handshake, and many refuse to: senders that \
            require TLS (DANE, MTA-STS) cannot deliver, and mail clients show errors.",
        references: &[RFC9325_41, RFC8996, NCSC_TLS, BSI_TR02102_2, BSI_TR03108],
        remediation: VERSIONS_FIX,
    },
    RuleSpec {
        id: "tls.version.tls1_3",
        category: Category::Transport,
        severity: Severity::Low,
        title: "TLS 1.3 support",
        explanation: "TLS 1.3 removes static RSA, CBC and renegotiation, encrypts the certificate, and saves a \
            round trip. Its absence is not a weakness of TLS 1.2, but current Postfix, Exim and Dovecot built \
            against OpenSSL 1.1.1 or later offer it without configuration; lacking it usually means old \
            software.",
        references: &[RFC8446, RFC9325_41, NCSC_TLS],
        remediation: "Upgrade to a TLS library with TLS 1.3 (OpenSSL 1.1.1 or later) and do not cap the \
            versions: remove `<=TLSv1.2` from smtpd_tls_protocols (Postfix), ssl_max_protocol (Dovecot) or \
            `+no_tlsv1_3` from openssl_options (Exim).",
    },
    RuleSpec {
        id: "tls.cipher.null_or_anonymous",
        category: Category::Transport,
        severity: Severity::Critical,
        title: "Suites without encryption or without authentication are accepted",
        explanation: "NULL suites send mail in clear inside a TLS record; anonymous (aNULL) suites let a man in \
            the middle stand in for the server without any certificate. On port 25, anonymous suites are what \
            opportunistic senders ask for least: RFC 3207 servers should not negotiate them with a peer that \
            offers authenticated suites, and a NULL cipher defeats STARTTLS altogether.",
        references: &[RFC9325_42, RFC3207, NCSC_TLS, BSI_TR02102_2],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.cipher.export",
        category: Category::Transport,
        severity: Severity::Critical,
        title: "Export-grade suites are accepted",
        explanation: "Export suites use 40- or 56-bit keys and 512-bit RSA or DH: FREAK and Logjam let a man in \
            the middle downgrade a session to them and break it in minutes. No mail software needs them.",
        references: &[FREAK, LOGJAM, RFC7457, NCSC_TLS],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.cipher.rc4",
        category: Category::Transport,
        severity: Severity::High,
        title: "RC4 suites are accepted",
        explanation: "RC4's keystream biases let an attacker recover plaintext repeated over many sessions, \
            which is what mail protocols do: an IMAP or SMTP AUTH password is sent at the start of every \
            connection. RFC 7465 prohibits RC4 in TLS.",
        references: &[RFC7465, RFC9325_42, NCSC_TLS, BSI_TR02102_2],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.cipher.sweet32",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "64-bit block ciphers (3DES, IDEA, DES) are accepted",
        explanation: "Ciphers with 64-bit blocks repeat blocks after some gigabytes in one session (SWEET32), \
            enough to recover cookies or credentials sent repeatedly. Long IMAP sessions and bulk SMTP \
            deliveries move that much data. NCSC-NL lists 3DES as \"phase out\"; Mozilla intermediate dropped it.",
        references: &[SWEET32, RFC9325_42, NCSC_TLS, MOZILLA_TLS],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.cipher.no_forward_secrecy",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "Suites without forward secrecy are accepted",
        explanation: "With static RSA key exchange, whoever obtains the server's private key later (a stolen \
            backup, a compelled disclosure) can decrypt every recorded session: years of mail and passwords. \
            ECDHE and DHE suites keep past sessions safe. Fails when no suite has forward secrecy; warns when \
            some do not.",
        references: &[RFC9325_42, NCSC_TLS, BSI_TR02102_2, MOZILLA_TLS],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.cipher.no_aead",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "No AEAD suite (AES-GCM, ChaCha20-Poly1305) is accepted",
        explanation: "Without an AEAD suite every session uses CBC with MAC-then-encrypt, the construction behind \
            Lucky Thirteen and the padding-oracle family. RFC 9325 recommends AEAD suites only, and every mail \
            implementation of the last decade supports AES-GCM.",
        references: &[RFC9325_42, LUCKY13, NCSC_TLS, MOZILLA_TLS],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.cipher.cbc",
        category: Category::Transport,
        severity: Severity::Low,
        title: "CBC suites are accepted besides AEAD ones",
        explanation: "CBC suites with MAC-then-encrypt are exposed to timing attacks (Lucky Thirteen) that \
            patched libraries mitigate but do not remove. On port 25 they help old senders keep TLS; on client \
            ports they can usually go. For information.",
        references: &[LUCKY13, RFC7366, RFC9325_42, NCSC_TLS],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.cipher.server_order",
        category: Category::Transport,
        severity: Severity::Low,
        title: "The server does not choose the cipher suite",
        explanation: "When the server follows the client's order and also accepts weak suites, an old or \
            misconfigured sender picks a weak suite although a strong one was available to both. When every \
            accepted suite is strong, the client's order is harmless (Mozilla modern leaves the choice to the \
            client).",
        references: &[MOZILLA_TLS, NCSC_TLS],
        remediation: "Postfix: tls_preempt_cipherlist = yes\n\
            Dovecot: ssl_prefer_server_ciphers = yes\n\
            Exim (OpenSSL): openssl_options = +cipher_server_preference",
    },
    RuleSpec {
        id: "tls.kex.dh_weak",
        category: Category::Transport,
        severity: Severity::High,
        title: "Diffie-Hellman parameters are weak",
        explanation: "Finite-field DHE with a prime under 1024 bits can be broken by a well-funded attacker \
            (Logjam); under 2048 bits it is below every current guideline. A widely shared prime lets one \
            precomputation serve against all servers using it. Postfix before 3.1 and many appliances shipped \
            1024-bit defaults, so MX hosts are often affected.",
        references: &[LOGJAM, RFC7919, NCSC_TLS, BSI_TR02102_2],
        remediation: "Use a 2048-bit or larger group, preferably the RFC 7919 ffdhe groups, or drop DHE in \
            favour of ECDHE.\n\
            Postfix: smtpd_tls_dh1024_param_file = /etc/postfix/dh2048.pem (despite its name, any size; \
            `openssl dhparam -out /etc/postfix/dh2048.pem 2048`); Postfix 3.7+ uses ffdhe2048 by default when \
            the file is unset.\n\
            Dovecot: ssl_dh = </etc/dovecot/dh.pem (2048 bits or more).\n\
            Exim: tls_dhparam = ffdhe2048",
    },
    RuleSpec {
        id: "tls.kex.pq_hybrid",
        category: Category::Transport,
        severity: Severity::Low,
        title: "Post-quantum hybrid key exchange (X25519MLKEM768)",
        explanation: "A hybrid ML-KEM key exchange protects recorded sessions against a future quantum \
            computer (\"harvest now, decrypt later\"). Mail stored in transit logs of a hostile network is \
            exactly such a recording. For information: it is new, and its absence is not a weakness today.",
        references: &[MLKEM_DRAFT, RFC8446],
        remediation: "Use OpenSSL 3.5 or later (X25519MLKEM768 is then in its default groups), or configure \
            the groups explicitly:\n\
            Postfix 3.9+: tls_eecdh_auto_curves = X25519MLKEM768 X25519 prime256v1 secp384r1\n\
            Dovecot 2.4: ssl_curve_list = X25519MLKEM768:X25519:prime256v1",
    },
    RuleSpec {
        id: "tls.vuln.heartbleed",
        category: Category::Transport,
        severity: Severity::Critical,
        title: "Heartbleed: the server leaks memory",
        explanation: "The server answers a heartbeat request with more bytes than it was sent, reading past \
            the request into its own memory: private keys, session keys and, on a mail server, passwords of \
            users who just logged in and message contents.",
        references: &[HEARTBLEED, RFC7457],
        remediation: UPDATE_FIX,
    },
    RuleSpec {
        id: "tls.vuln.ccs_injection",
        category: Category::Transport,
        severity: Severity::High,
        title: "ChangeCipherSpec injection (CVE-2014-0224)",
        explanation: "The server accepts a ChangeCipherSpec before the key exchange is complete, so a man in \
            the middle can make both sides use keys derived from a known master secret and read or alter the \
            session, including SMTP AUTH and IMAP LOGIN credentials.",
        references: &[CCS, RFC7457],
        remediation: UPDATE_FIX,
    },
    RuleSpec {
        id: "tls.vuln.robot",
        category: Category::Transport,
        severity: Severity::High,
        title: "ROBOT: an RSA decryption oracle",
        explanation: "The server answers malformed RSA key exchanges differently from well-formed ones, which \
            lets an attacker decrypt recorded RSA key exchange sessions or sign with the server's key, given \
            many connections. Mail servers accept connections from anyone, so the oracle is open to all.",
        references: &[ROBOT, RFC7457],
        remediation: "Update the TLS library (or the appliance's firmware), and remove the static RSA key \
            exchange suites, which also gives forward secrecy:\n\
            Postfix: smtpd_tls_exclude_ciphers = kRSA (or tls_high_cipherlist without RSA key exchange)\n\
            Dovecot: ssl_cipher_list = ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM\n\
            Exim: tls_require_ciphers = ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM",
    },
    RuleSpec {
        id: "tls.vuln.drown",
        category: Category::Transport,
        severity: Severity::Critical,
        title: "DROWN: SSL 2.0 exposes the server's RSA key",
        explanation: "A server that accepts SSL 2.0 can be used as an oracle to decrypt TLS sessions that use \
            the same RSA key, on this server or any other host sharing the certificate (a web server, another \
            MX). One SSL 2.0 service puts every service with that key at risk.",
        references: &[DROWN, RFC6176],
        remediation: "Disable SSL 2.0 everywhere the key is used, and do not share a key with a host that \
            cannot.\n\
            Postfix: smtpd_tls_protocols = !SSLv2, !SSLv3 (at least)\n\
            Dovecot: ssl_min_protocol = TLSv1.2\n\
            Exim: openssl_options = +no_sslv2 +no_sslv3",
    },
    RuleSpec {
        id: "tls.vuln.poodle",
        category: Category::Transport,
        severity: Severity::High,
        title: "POODLE: SSL 3.0 with CBC suites",
        explanation: "SSL 3.0 does not authenticate CBC padding, so a man in the middle who can make the client \
            repeat a request recovers it byte by byte. Mail clients re-sending their LOGIN on every reconnect \
            are such a client.",
        references: &[POODLE, RFC7568],
        remediation: VERSIONS_FIX,
    },
    RuleSpec {
        id: "tls.vuln.beast",
        category: Category::Transport,
        severity: Severity::Low,
        title: "BEAST: CBC suites with TLS 1.0 or SSL 3.0",
        explanation: "BEAST needs the attacker to inject chosen plaintext into the victim's connection, which \
            browsers running scripts allow and mail clients and MTAs do not. It is reported for information; \
            the TLS 1.0 finding is what to act on.",
        references: &[BEAST, RFC7457],
        remediation: VERSIONS_FIX,
    },
    RuleSpec {
        id: "tls.vuln.freak",
        category: Category::Transport,
        severity: Severity::High,
        title: "FREAK: export RSA key exchange",
        explanation: "The server accepts export-grade RSA, so a man in the middle can force clients with the \
            FREAK bug to a 512-bit RSA key and factor it.",
        references: &[FREAK, RFC7457],
        remediation: CIPHERS_FIX,
    },
    RuleSpec {
        id: "tls.vuln.logjam",
        category: Category::Transport,
        severity: Severity::High,
        title: "Logjam: export or short Diffie-Hellman",
        explanation: "The server accepts export DHE suites or uses a Diffie-Hellman prime under 1024 bits, so a \
            man in the middle can downgrade or break the key exchange.",
        references: &[LOGJAM, RFC7919],
        remediation: "See tls.kex.dh_weak: use ffdhe2048 or larger, and remove EXPORT and DHE-with-short-prime \
            suites (Postfix smtpd_tls_exclude_ciphers = EXPORT, LOW; Exim tls_dhparam = ffdhe2048).",
    },
    RuleSpec {
        id: "tls.vuln.crime",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "CRIME: TLS compression",
        explanation: "With TLS-level compression, the length of a compressed record reveals how much of an \
            attacker-influenced text matches a secret in the same record. Mail clients send credentials \
            repeatedly; compression must be off.",
        references: &[CRIME, RFC9325_3],
        remediation: "Postfix: tls_ssl_options = NO_COMPRESSION (the default since OpenSSL 1.1.0).\n\
            Dovecot: ssl_options = no_compression (default in current versions).\n\
            Exim: openssl_options = +no_compression",
    },
    RuleSpec {
        id: "tls.feature.secure_renegotiation",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "Secure renegotiation (RFC 5746)",
        explanation: "Without the renegotiation_info extension a man in the middle can splice its own plaintext \
            in front of a client's session (CVE-2009-3555): an SMTP sender's envelope could be prefixed with \
            commands of the attacker's choosing. Every TLS library of the last decade supports the extension.",
        references: &[RFC5746, RFC9325_3, NCSC_TLS],
        remediation: UPDATE_FIX,
    },
    RuleSpec {
        id: "tls.feature.fallback_scsv",
        category: Category::Transport,
        severity: Severity::Low,
        title: "Downgrade protection (TLS_FALLBACK_SCSV)",
        explanation: "A client that retries with a lower version after a failure signals it with \
            TLS_FALLBACK_SCSV; a server that honours it refuses the retry when it supports a higher version, \
            so a man in the middle cannot downgrade the session by dropping handshakes. Most MTAs do not \
            retry this way, but mail clients built on browser-era libraries do. It is only judged when the \
            server accepts two versions at or below TLS 1.2: a fallback from TLS 1.3 is caught by the \
            downgrade sentinel every TLS 1.3 server puts in its ServerHello random (RFC 8446 §4.1.3).",
        references: &[RFC7507, RFC9325_3],
        remediation: UPDATE_FIX,
    },
    RuleSpec {
        id: "tls.feature.extended_master_secret",
        category: Category::Transport,
        severity: Severity::Low,
        title: "Extended master secret (RFC 7627)",
        explanation: "Without the extended master secret, TLS 1.2 sessions are open to the triple handshake \
            attack, where a malicious server relays a session so that two sessions share a master secret. \
            TLS 1.3 binds the handshake by design.",
        references: &[RFC7627, RFC9325_3],
        remediation: UPDATE_FIX,
    },
    RuleSpec {
        id: "tls.feature.compression",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "TLS compression",
        explanation: "The server accepts DEFLATE compression of TLS records, the precondition of CRIME. RFC 9325 \
            says to disable it.",
        references: &[CRIME, RFC9325_3, NCSC_TLS],
        remediation: "Postfix: tls_ssl_options = NO_COMPRESSION\n\
            Dovecot: ssl_options = no_compression\n\
            Exim: openssl_options = +no_compression",
    },
    RuleSpec {
        id: "tls.feature.ocsp_stapling",
        category: Category::Transport,
        severity: Severity::Low,
        title: "OCSP stapling",
        explanation: "A stapled OCSP response lets a client check revocation without asking the CA. Mail \
            clients seldom check revocation and MTAs do not, so this is for information.",
        references: &[RFC6066_8],
        remediation: "Dovecot and Postfix do not staple. A TLS proxy in front of them can; otherwise nothing to \
            do for mail.",
    },
    RuleSpec {
        id: "tls.feature.session_resumption",
        category: Category::Transport,
        severity: Severity::Low,
        title: "Session resumption",
        explanation: "Resumption saves a full handshake when the same client reconnects, as IMAP clients and \
            busy senders do. For information: it helps load, not security.",
        references: &[RFC5077, RFC8446, POSTFIX_TLS, DOVECOT_SSL],
        remediation: "Postfix: smtpd_tls_session_cache_database = btree:${data_directory}/smtpd_scache \
            (and tickets via tls_session_ticket_cipher).\n\
            Dovecot keeps a session cache by default.\n\
            Exim: tls_resumption_hosts = *",
    },
];
