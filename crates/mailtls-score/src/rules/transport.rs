//! Rules for what the probe sees on the wire: STARTTLS, the TLS handshake,
//! certificates, DANE, MTA-STS, DNSSEC and client access.

use mailtls_core::Severity;

use super::{Category, RuleSpec};

const RFC3207: (&str, &str) = (
    "RFC 3207: SMTP Service Extension for Secure SMTP over TLS",
    "https://www.rfc-editor.org/rfc/rfc3207",
);
const RFC3207_4: (&str, &str) = (
    "RFC 3207 §4: the STARTTLS keyword",
    "https://www.rfc-editor.org/rfc/rfc3207#section-4",
);
const RFC3207_41: (&str, &str) = (
    "RFC 3207 §4.1: processing after STARTTLS",
    "https://www.rfc-editor.org/rfc/rfc3207#section-4.1",
);
const RFC3207_42: (&str, &str) = (
    "RFC 3207 §4.2: result of the STARTTLS command",
    "https://www.rfc-editor.org/rfc/rfc3207#section-4.2",
);
const RFC8314: (&str, &str) = (
    "RFC 8314: Cleartext Considered Obsolete",
    "https://www.rfc-editor.org/rfc/rfc8314",
);
const RFC8314_3: (&str, &str) = (
    "RFC 8314 §3: implicit TLS for submission and mail access",
    "https://www.rfc-editor.org/rfc/rfc8314#section-3",
);
const RFC8314_5: (&str, &str) = (
    "RFC 8314 §5: use of TLS by mail user agents (certificate validation)",
    "https://www.rfc-editor.org/rfc/rfc8314#section-5",
);
const RFC2595: (&str, &str) = (
    "RFC 2595: Using TLS with IMAP, POP3 and ACAP",
    "https://www.rfc-editor.org/rfc/rfc2595",
);
const RFC2595_23: (&str, &str) = (
    "RFC 2595 §3.2 and §4: LOGINDISABLED and STLS",
    "https://www.rfc-editor.org/rfc/rfc2595#section-3.2",
);
const RFC9051_61: (&str, &str) = (
    "RFC 9051 §6.2.3: LOGIN and LOGINDISABLED",
    "https://www.rfc-editor.org/rfc/rfc9051#section-6.2.3",
);
const RFC4954_4: (&str, &str) = (
    "RFC 4954 §4: the AUTH command and plaintext mechanisms",
    "https://www.rfc-editor.org/rfc/rfc4954#section-4",
);
const RFC8996: (&str, &str) = (
    "RFC 8996: Deprecating TLS 1.0 and TLS 1.1",
    "https://www.rfc-editor.org/rfc/rfc8996",
);
const RFC9325: (&str, &str) = (
    "RFC 9325: Recommendations for Secure Use of TLS (BCP 195)",
    "https://www.rfc-editor.org/rfc/rfc9325",
);
const RFC5280_4125: (&str, &str) = (
    "RFC 5280 §4.1.2.5: validity",
    "https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5",
);
const RFC6125: (&str, &str) = (
    "RFC 6125 §6: verifying service identity",
    "https://www.rfc-editor.org/rfc/rfc6125#section-6",
);
const RFC7672: (&str, &str) = (
    "RFC 7672: SMTP Security via Opportunistic DANE TLS",
    "https://www.rfc-editor.org/rfc/rfc7672",
);
const RFC7672_22: (&str, &str) = (
    "RFC 7672 §2.2: TLS discovery and unusable TLSA records",
    "https://www.rfc-editor.org/rfc/rfc7672#section-2.2",
);
const RFC7672_3: (&str, &str) = (
    "RFC 7672 §3: DANE authentication",
    "https://www.rfc-editor.org/rfc/rfc7672#section-3",
);
const RFC7671_8: (&str, &str) = (
    "RFC 7671 §8: TLSA publisher requirements (key rollover)",
    "https://www.rfc-editor.org/rfc/rfc7671#section-8",
);
const RFC8461: (&str, &str) = (
    "RFC 8461: SMTP MTA Strict Transport Security (MTA-STS)",
    "https://www.rfc-editor.org/rfc/rfc8461",
);
const RFC8461_33: (&str, &str) = (
    "RFC 8461 §3.3: HTTPS policy fetching",
    "https://www.rfc-editor.org/rfc/rfc8461#section-3.3",
);
const RFC8461_32: (&str, &str) = (
    "RFC 8461 §3.2: policy modes",
    "https://www.rfc-editor.org/rfc/rfc8461#section-3.2",
);
const RFC8461_41: (&str, &str) = (
    "RFC 8461 §4.1: MX host validation",
    "https://www.rfc-editor.org/rfc/rfc8461#section-4.1",
);
const RFC8461_42: (&str, &str) = (
    "RFC 8461 §4.2: recipient MTA certificate validation",
    "https://www.rfc-editor.org/rfc/rfc8461#section-4.2",
);
const RFC8460: (&str, &str) = (
    "RFC 8460: SMTP TLS Reporting",
    "https://www.rfc-editor.org/rfc/rfc8460",
);
const RFC4033: (&str, &str) = (
    "RFC 4033: DNS Security Introduction and Requirements",
    "https://www.rfc-editor.org/rfc/rfc4033",
);
const RFC4035_323: (&str, &str) = (
    "RFC 4035 §3.2.3 and §4.3: the AD bit and bogus answers",
    "https://www.rfc-editor.org/rfc/rfc4035#section-4.3",
);
const NCSC_TLS: (&str, &str) = (
    "NCSC-NL: IT Security Guidelines for Transport Layer Security (TLS)",
    "https://english.ncsc.nl/publications/publications/2021/january/19/it-security-guidelines-for-transport-layer-security-2.1",
);
const BSI_TR03108: (&str, &str) = (
    "BSI TR-03108: Secure E-Mail Transport",
    "https://www.bsi.bund.de/EN/Themen/Unternehmen-und-Organisationen/Standards-und-Zertifizierung/Technische-Richtlinien/TR-nach-Thema-sortiert/tr03108/TR-03108_node.html",
);
const MOZILLA_TLS: (&str, &str) = (
    "Mozilla: Server Side TLS",
    "https://wiki.mozilla.org/Security/Server_Side_TLS",
);
const CVE_2011_0411: (&str, &str) = (
    "CVE-2011-0411: STARTTLS plaintext command injection (Postfix advisory)",
    "https://www.postfix.org/CVE-2011-0411.html",
);
const POSTFIX_TLS: (&str, &str) = ("Postfix TLS Support", "https://www.postfix.org/TLS_README.html");

/// The rules of wire-level and cross-cutting checks, in the order reports list them.
pub(crate) const RULES: &[RuleSpec] = &[
    RuleSpec {
        id: "smtp.starttls.missing",
        category: Category::Transport,
        severity: Severity::High,
        title: "MX host does not offer STARTTLS",
        explanation: "The server's EHLO reply does not list the STARTTLS keyword, so every sending MTA delivers \
            mail to it in plaintext. Anyone on the path (a transit network, a compromised router, a hostile Wi-Fi \
            hop of a small sender) can read and alter the messages. Server-to-server SMTP has no other protection \
            in transit; without STARTTLS, neither DANE nor MTA-STS can be deployed.",
        references: &[RFC3207_4, RFC3207, NCSC_TLS, BSI_TR03108],
        remediation: "Give the MTA a certificate and enable opportunistic TLS on port 25.\n\
            Postfix (main.cf):\n\
            \x20   smtpd_tls_chain_files = /etc/ssl/private/mx.key, /etc/ssl/certs/mx.fullchain.pem\n\
            \x20   smtpd_tls_security_level = may\n\
            Exim: tls_advertise_hosts = *, tls_certificate = /etc/ssl/certs/mx.fullchain.pem, \
            tls_privatekey = /etc/ssl/private/mx.key.\n\
            Check that no firewall or \"SMTP fixup\" appliance strips the STARTTLS keyword from the EHLO reply.",
    },
    RuleSpec {
        id: "smtp.starttls.refused",
        category: Category::Transport,
        severity: Severity::High,
        title: "STARTTLS is offered but refused",
        explanation: "The server announces STARTTLS but answers the command with an error (typically \
            `454 4.7.0 TLS not available due to temporary reason`). Senders then fall back to plaintext, or, when \
            they require TLS because of DANE or MTA-STS, do not deliver at all. It usually means the certificate \
            or key file cannot be read by the MTA.",
        references: &[RFC3207_42, RFC3207, POSTFIX_TLS],
        remediation: "Read the MTA's log at the time of the probe: Postfix logs `cannot load certificate` or \
            `TLS library problem` with the failing file. Check that the files named in smtpd_tls_chain_files \
            (or smtpd_tls_cert_file / smtpd_tls_key_file) exist, match each other and are readable by the \
            smtpd process (in a chroot, below the chroot), then `postfix reload`. For Exim, check \
            tls_certificate and tls_privatekey and run `exim -bV`.",
    },
    RuleSpec {
        id: "smtp.starttls.injection",
        category: Category::Transport,
        severity: Severity::High,
        title: "STARTTLS command injection: plaintext commands are executed inside TLS",
        explanation: "The server answered a command that was sent in plaintext, pipelined after STARTTLS, as if it \
            had arrived inside the TLS session (CVE-2011-0411 and its kin). A man in the middle can thereby \
            inject commands (for example a RCPT TO or an AUTH exchange) into a session the client believes to be \
            protected. The server must discard buffered plaintext when TLS starts.",
        references: &[RFC3207_41, CVE_2011_0411],
        remediation: "Update the MTA: Postfix fixed this in 2.2.19, 2.3.19, 2.4.16, 2.5.12, 2.6.9, 2.7.3 and \
            later; Exim, Courier, Cyrus and Dovecot had similar fixes. If a TLS-terminating proxy or load \
            balancer sits in front of the MTA, update it too, or let the MTA speak STARTTLS itself.",
    },
    RuleSpec {
        id: "tls.handshake.failed",
        category: Category::Transport,
        severity: Severity::High,
        title: "No TLS 1.2 or TLS 1.3 handshake is possible",
        explanation: "A modern TLS client (TLS 1.2 or 1.3 with current cipher suites) could not complete a \
            handshake. Senders that require TLS cannot deliver, and opportunistic senders fall back to \
            plaintext, or try again later and give up. Common causes are a server limited to TLS 1.0/1.1, only \
            obsolete cipher suites, or a broken certificate configuration.",
        references: &[RFC8996, RFC9325, NCSC_TLS, MOZILLA_TLS],
        remediation: "Enable TLS 1.2 and 1.3 with current suites.\n\
            Postfix (main.cf):\n\
            \x20   smtpd_tls_protocols = >=TLSv1.2\n\
            \x20   smtpd_tls_mandatory_protocols = >=TLSv1.2\n\
            Dovecot: ssl_min_protocol = TLSv1.2\n\
            Exim: openssl_options = +no_sslv3 +no_tlsv1 +no_tlsv1_1\n\
            (On port 25, Postfix's default protocols are fine; do not restrict the ciphers of opportunistic TLS \
            more than needed, or senders fall back to plaintext.)",
    },
    RuleSpec {
        id: "tls.certificate.untrusted",
        category: Category::Transport,
        severity: Severity::High,
        title: "Certificate is not trusted",
        explanation: "The served chain does not validate for the server's name against the public trust anchors \
            (unknown issuer, a missing intermediate, self-signed, expired, or the wrong name). What that means \
            depends on who connects. On port 25, senders use opportunistic TLS and do not validate certificates, \
            so it is a warning; but when the domain publishes MTA-STS in enforce mode, or the host publishes \
            TLSA records that do not authenticate it, enforcing senders refuse to deliver to this MX \
            (RFC 8461 §4.2, RFC 7672 §2.2), and then it is a failure. On submission, IMAP and POP3 (465, 587, 993, 995, \
            143, 110), mail clients validate the certificate: users get an error, or learn to click it away.",
        references: &[RFC8314_5, RFC8461_42, RFC7672_3, RFC6125],
        remediation: "Serve a certificate from a public CA (for example Let's Encrypt through an ACME client) \
            for the name clients and MX records use, together with its intermediates, leaf first.\n\
            Postfix: smtpd_tls_chain_files = /etc/ssl/private/mail.key, /etc/ssl/certs/mail.fullchain.pem\n\
            Dovecot: ssl_cert = </etc/ssl/certs/mail.fullchain.pem and ssl_key = </etc/ssl/private/mail.key\n\
            Exim: tls_certificate = /etc/ssl/certs/mail.fullchain.pem\n\
            With DANE-EE (TLSA 3 1 1) only, a self-signed certificate authenticates DANE senders, but MTA-STS \
            and every mail client still need a publicly trusted one.",
    },
    RuleSpec {
        id: "tls.certificate.expired",
        category: Category::Transport,
        severity: Severity::High,
        title: "Certificate has expired (or is not yet valid)",
        explanation: "The leaf certificate's validity period does not include the time of the probe. Mail clients \
            show an error; MTA-STS senders refuse to deliver; DANE-TA senders too. Only DANE-EE (usage 3) \
            ignores expiry, by design (RFC 7671 §5.1). An expired certificate usually means automatic renewal \
            stopped, or the server was not reloaded after renewal.",
        references: &[RFC5280_4125, RFC8461_42, RFC8314_5],
        remediation: "Renew the certificate and reload every service that uses it (`postfix reload`, \
            `doveadm reload`, restart Exim). Make the renewal hook reload them, e.g. with certbot: \
            `--deploy-hook \"systemctl reload postfix dovecot\"`. Monitor expiry.",
    },
    RuleSpec {
        id: "tls.certificate.name_mismatch",
        category: Category::Transport,
        severity: Severity::High,
        title: "Certificate does not cover the server's name",
        explanation: "None of the leaf certificate's names matches the name the connection was made to (the MX \
            host name, or the submission/IMAP/POP3 host). Mail clients reject it; MTA-STS senders require the \
            MX host name in the certificate (RFC 8461 §4.2) and refuse to deliver; DANE-TA senders check it too.",
        references: &[RFC6125, RFC8461_42, RFC7672_3],
        remediation: "Issue the certificate for every name the server is reached by: each MX host name, and \
            the names in SRV records and client configuration (smtp., imap., mail.). With an ACME client: \
            `certbot certonly -d mx1.example.com -d mail.example.com`. If several names share an address, \
            serve per-name certificates with SNI (Postfix: tls_server_sni_maps; Dovecot: `local_name` blocks).",
    },
    RuleSpec {
        id: "tls.certificate.expires_soon",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "Certificate expires within 21 days",
        explanation: "The leaf certificate expires in less than three weeks. Automatic renewal normally renews \
            certificates 30 days ahead, so this often means renewal is failing. When it expires, mail clients \
            and MTA-STS senders stop working.",
        references: &[RFC5280_4125],
        remediation: "Check the ACME client's log and renew now (`certbot renew`), then reload the mail \
            services. Make sure the renewal hook reloads Postfix, Dovecot or Exim.",
    },
    RuleSpec {
        id: "tls.certificate.weak_key",
        category: Category::Transport,
        severity: Severity::Medium,
        title: "Certificate key is too small (RSA below 2048 bits)",
        explanation: "An RSA key shorter than 2048 bits no longer offers the security margin that current \
            guidance requires; public CAs no longer issue such certificates, and some clients refuse them.",
        references: &[RFC9325, NCSC_TLS, BSI_TR03108],
        remediation: "Generate a new key of at least 2048 bits (RSA 3072 or ECDSA P-256 preferred): \
            `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072`, get a certificate for it, and \
            update any TLSA record that pins the old key (publish the new 3 1 1 record first).",
    },
    RuleSpec {
        id: "client.auth_before_tls",
        category: Category::ClientAccess,
        severity: Severity::High,
        title: "AUTH is offered before STARTTLS",
        explanation: "The server announces SMTP AUTH in its EHLO reply before TLS is started. Clients (and \
            scripts, printers, misconfigured phones) can then send passwords in plaintext, readable by anyone \
            on the path. RFC 4954 §4 forbids plaintext mechanisms like PLAIN and LOGIN without TLS. On port 25, \
            AUTH is normally not needed at all.",
        references: &[RFC4954_4, RFC8314, BSI_TR03108],
        remediation: "Postfix (main.cf): smtpd_tls_auth_only = yes. In master.cf for the submission service:\n\
            \x20   submission inet n - n - - smtpd\n\
            \x20     -o smtpd_tls_security_level=encrypt\n\
            \x20     -o smtpd_sasl_auth_enable=yes\n\
            Exim: auth_advertise_hosts = ${if eq{$tls_in_cipher}{}{}{*}}\n\
            Better still, offer submission on port 465 with implicit TLS (RFC 8314).",
    },
    RuleSpec {
        id: "client.starttls.missing",
        category: Category::ClientAccess,
        severity: Severity::Critical,
        title: "Submission, IMAP or POP3 endpoint without STARTTLS",
        explanation: "A client access endpoint on port 587, 143 or 110 does not offer STARTTLS (STLS for POP3). \
            Users' passwords and mail then cross the network in plaintext. Unlike server-to-server SMTP, there \
            is no reason for a mail client to ever talk to this server without TLS.",
        references: &[RFC8314_3, RFC2595, RFC3207, BSI_TR03108],
        remediation: "Enable TLS and, preferably, offer implicit TLS on 465, 993 and 995 (RFC 8314).\n\
            Dovecot: ssl = required, ssl_cert = </etc/ssl/certs/mail.fullchain.pem, \
            ssl_key = </etc/ssl/private/mail.key\n\
            Postfix master.cf, submission: -o smtpd_tls_security_level=encrypt\n\
            Exim: tls_advertise_hosts = * with a certificate configured.",
    },
    RuleSpec {
        id: "client.pop3.user_before_tls",
        category: Category::ClientAccess,
        severity: Severity::High,
        title: "POP3 offers USER/PASS before STLS",
        explanation: "The POP3 server lists USER in its capabilities before TLS is started: it accepts \
            plaintext passwords on an unencrypted connection. A client that does not insist on STLS sends the \
            password in the clear.",
        references: &[RFC2595_23, RFC8314],
        remediation: "Dovecot: disable_plaintext_auth = yes (Dovecot 2.4: auth_allow_cleartext = no) and \
            ssl = required. Better, close port 110 and offer POP3 only on 995 with implicit TLS.",
    },
    RuleSpec {
        id: "client.imap.logindisabled_missing",
        category: Category::ClientAccess,
        severity: Severity::High,
        title: "IMAP accepts LOGIN before STARTTLS (no LOGINDISABLED)",
        explanation: "The IMAP server's capabilities before STARTTLS do not include LOGINDISABLED: it accepts \
            a password on the unencrypted connection. A client that does not insist on STARTTLS sends the \
            password in the clear.",
        references: &[RFC9051_61, RFC2595_23, RFC8314],
        remediation: "Dovecot: disable_plaintext_auth = yes (Dovecot 2.4: auth_allow_cleartext = no) and \
            ssl = required; Dovecot then announces LOGINDISABLED before STARTTLS. Better, close port 143 and \
            offer IMAP only on 993 with implicit TLS.",
    },
    RuleSpec {
        id: "dane.authenticated",
        category: Category::Dane,
        severity: Severity::Info,
        title: "DANE authenticates the MX host",
        explanation: "The MX host publishes DNSSEC-signed TLSA records and at least one of them matches the \
            certificate chain it serves. DANE-aware senders (Postfix with smtp_tls_security_level = dane, Exim, \
            many large providers) require TLS to this host and authenticate it, which defeats STARTTLS \
            stripping and impostor servers.",
        references: &[RFC7672_3, RFC7672, RFC7671_8],
        remediation: "Nothing to fix. Keep a rollover scheme: publish the next key's TLSA record (3 1 1) before \
            changing keys, or pair 3 1 1 with a 2 1 1 record for the issuing CA.",
    },
    RuleSpec {
        id: "dane.tlsa.mismatch",
        category: Category::Dane,
        severity: Severity::Critical,
        title: "No TLSA record matches the served certificate",
        explanation: "The MX host publishes usable, DNSSEC-signed TLSA records, but none matches the chain it \
            serves. Every DANE-aware sender refuses to deliver to this host and defers the mail: for a sender \
            that requires DANE this is an outage, not a weakness. It typically follows a certificate or key \
            renewal without updating the TLSA records.",
        references: &[RFC7672_3, RFC7671_8],
        remediation: "Publish a TLSA record for the key now served, e.g. for a 3 1 1 record:\n\
            \x20   openssl x509 -in mx.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl sha256\n\
            \x20   _25._tcp.mx1.example.com. IN TLSA 3 1 1 <hex digest>\n\
            Then change keys only after the new record has been published for at least two TTLs; ACME \
            clients can reuse the key (certbot --reuse-key) so that 3 1 1 records survive renewals.",
    },
    RuleSpec {
        id: "dane.tlsa.unusable",
        category: Category::Dane,
        severity: Severity::Medium,
        title: "TLSA records are published but unusable",
        explanation: "The MX host has TLSA records, but a DANE sender cannot use them: the RRset is not \
            DNSSEC-secure, or every record is unusable for SMTP (PKIX-TA/PKIX-EE usages 0 and 1, unknown \
            parameters, a wrong digest length). RFC 7672 §2.2 makes such a sender still insist on TLS but not \
            authenticate the server, so the protection DANE was meant to give is absent.",
        references: &[RFC7672_22, RFC7672_3],
        remediation: "Sign the zone with DNSSEC (and publish the DS record at the parent), and publish \
            DANE-EE or DANE-TA records: `_25._tcp.mx1.example.com. IN TLSA 3 1 1 <sha256 of the SPKI>`, \
            optionally with `2 1 1 <sha256 of the issuing CA's SPKI>` for rollover. Remove 0 and 1 usages.",
    },
    RuleSpec {
        id: "dane.tlsa.missing",
        category: Category::Dane,
        severity: Severity::Low,
        title: "The MX host publishes no TLSA records",
        explanation: "Without TLSA records for `_25._tcp.<mx host>`, senders cannot authenticate the MX with \
            DANE and fall back to opportunistic TLS, which a man in the middle can strip or intercept. DANE is \
            the only downgrade-resistant protection for SMTP that does not depend on a public CA; NCSC-NL and \
            BSI TR-03108 recommend it. Reported for information by default; the bsi-tr-03108 profile requires it.",
        references: &[RFC7672, RFC7672_3, BSI_TR03108, NCSC_TLS],
        remediation: "Sign the zone with DNSSEC and publish, for each MX host, \
            `_25._tcp.mx1.example.com. IN TLSA 3 1 1 <sha256 of the server's SPKI>`, plus the next key's \
            record before a key change (RFC 7671 §8). Postfix generates the digest with \
            `posttls-finger -t30 -T180 -c -L summary,ssl mx1.example.com` or \
            `openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`.",
    },
    RuleSpec {
        id: "mtasts.policy.unusable",
        category: Category::MtaSts,
        severity: Severity::Medium,
        title: "MTA-STS is announced but the policy cannot be used",
        explanation: "The domain publishes an `_mta-sts` TXT record, but a sender could not fetch a valid \
            policy from https://mta-sts.<domain>/.well-known/mta-sts.txt (no address, a TLS or certificate \
            error, an HTTP status other than 200, a redirect, the wrong content type, or an invalid policy). \
            Senders without a cached policy then deliver as if there were none; senders with a cached policy \
            keep the old one until it expires.",
        references: &[RFC8461_33, RFC8461],
        remediation: "Serve the policy over HTTPS with a publicly trusted certificate for mta-sts.<domain>, \
            status 200, no redirect, `Content-Type: text/plain`, e.g.:\n\
            \x20   version: STSv1\n\
            \x20   mode: enforce\n\
            \x20   mx: mx1.example.com\n\
            \x20   max_age: 1209600\n\
            and change the `id=` of the TXT record whenever the policy changes.",
    },
    RuleSpec {
        id: "mtasts.mode.testing",
        category: Category::MtaSts,
        severity: Severity::Low,
        title: "MTA-STS policy is in testing mode",
        explanation: "With `mode: testing`, senders report TLS failures through TLS-RPT but deliver anyway, \
            so the policy does not yet protect against STARTTLS stripping or impostor MX hosts. Testing is the \
            right first step; it is meant to be temporary.",
        references: &[RFC8461_32, RFC8460],
        remediation: "Once the TLS-RPT reports show no failures for a few weeks, change the policy file to \
            `mode: enforce` and change the `id=` in the `_mta-sts` TXT record so that senders fetch it again.",
    },
    RuleSpec {
        id: "mtasts.mx_not_covered",
        category: Category::MtaSts,
        severity: Severity::High,
        title: "An MX host is not covered by the MTA-STS policy",
        explanation: "No `mx:` line of the policy matches this MX host. Senders enforcing the policy treat mail \
            to it as failed validation and will not deliver to it (RFC 8461 §4.1); if no MX is covered, mail \
            to the domain stops for those senders. In testing mode it only produces failure reports.",
        references: &[RFC8461_41, RFC8461],
        remediation: "Add an `mx:` line for every MX host to the policy file (a wildcard like `mx: *.example.net` \
            covers one label), then change the `id=` in the `_mta-sts` TXT record.",
    },
    RuleSpec {
        id: "mtasts.mx_certificate_invalid",
        category: Category::MtaSts,
        severity: Severity::High,
        title: "An MX host's certificate fails MTA-STS validation",
        explanation: "Senders enforcing MTA-STS require each MX host to present a certificate that is \
            publicly trusted, unexpired, and valid for the MX host name (RFC 8461 §4.2). This one does not, so \
            they will not deliver to it.",
        references: &[RFC8461_42, RFC6125],
        remediation: "Serve a publicly trusted certificate for the MX host name with its intermediates \
            (Postfix: smtpd_tls_chain_files = key, fullchain). Until it is fixed, switch the policy to \
            `mode: testing` and change the TXT record's `id=` to avoid losing mail.",
    },
    RuleSpec {
        id: "mtasts.tlsrpt.missing",
        category: Category::MtaSts,
        severity: Severity::Low,
        title: "MTA-STS without TLS reporting",
        explanation: "The domain publishes MTA-STS but no `_smtp._tls` TLS-RPT record. Senders then have no \
            way to tell the domain that deliveries fail policy checks: a broken certificate or an uncovered MX \
            goes unnoticed while enforcing senders defer mail.",
        references: &[RFC8460, RFC8461],
        remediation: "Publish a TLS-RPT record:\n\
            \x20   _smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"",
    },
    RuleSpec {
        id: "dns.dnssec.insecure",
        category: Category::Dns,
        severity: Severity::Low,
        title: "The domain is not signed with DNSSEC",
        explanation: "A validating resolver answered without the AD bit: the zone (or its parent chain) is not \
            signed. Without DNSSEC, answers for MX, TLSA and policy records can be forged, and DANE cannot be \
            used at all: DANE is the only way to authenticate MX hosts that does not rely on trust on first use.",
        references: &[RFC4033, RFC7672, NCSC_TLS],
        remediation: "Enable DNSSEC signing at the DNS operator (most offer one-click signing) and publish the \
            DS record at the registrar. Then publish TLSA records for the MX hosts.",
    },
    RuleSpec {
        id: "dns.dnssec.bogus",
        category: Category::Dns,
        severity: Severity::Critical,
        title: "DNSSEC validation fails for the domain",
        explanation: "A validating resolver returned SERVFAIL, but the answer exists when checking is disabled: \
            the signatures do not validate (expired signatures, a DS record that matches no key, a broken key \
            rollover). Every validating resolver, including those of most large mail providers, treats the \
            domain as unresolvable: mail to it is deferred and bounces.",
        references: &[RFC4035_323, RFC4033],
        remediation: "Check the chain with `delv example.com MX` or an online DNSSEC analyser; re-sign the zone \
            or fix the DS record at the registrar so that it matches an active key-signing key.",
    },
    RuleSpec {
        id: "endpoint.not_tested",
        category: Category::Transport,
        severity: Severity::Info,
        title: "Endpoint could not be tested",
        explanation: "The server kept the probe from running to the end: it throttled (421), greylisted, \
            tarpitted or refused the connection with a reply. This says nothing against the server: the checks \
            that could not run are not tested, never failed, and the report's confidence is lower.",
        references: &[RFC3207],
        remediation: "Run the test again later, or allow the testing address in postscreen/anvil or the \
            greylisting policy (Postfix: postscreen_access_list; Dovecot: login_trusted_networks).",
    },
    RuleSpec {
        id: "endpoint.unreachable",
        category: Category::Transport,
        severity: Severity::Info,
        title: "Endpoint could not be reached",
        explanation: "mailtls could not observe the endpoint: the connection was refused, timed out, or a local \
            error occurred. For an MX host this may mean senders cannot reach it either (then they use the next \
            MX); it may also be a filter of the testing network. Checks that needed the connection are not \
            counted as passes.",
        references: &[RFC3207],
        remediation: "Check that the service listens on the address and port (`ss -ltn`), that the firewall \
            allows it from the internet, and that the address in DNS is current.",
    },
];
