//! One rule per documented [`RecordIssue`](mailtls_dns::RecordIssue) id of
//! `mailtls-dns`: the rule id is `dns.` followed by the issue id, and a
//! finding's status follows the issue's level.
//!
//! Each row gives the issue id, a title that says what was found and what it
//! does, an optional sentence of its own, and the fix; the family adds why the
//! record matters for mail and the references.

use mailtls_core::Severity;

use super::{Category, Rule, references};

/// A family of issue ids that share a record type.
#[derive(Debug)]
pub(crate) struct Family {
    /// The id prefix, with its dot: `spf.`.
    pub(crate) prefix: &'static str,
    pub(crate) category: Category,
    /// The severity of an Error-level issue of this family.
    pub(crate) severity: Severity,
    pub(crate) explanation: &'static str,
    pub(crate) references: &'static [(&'static str, &'static str)],
    /// One row per issue id: `(id, title, own explanation or "", remediation)`.
    pub(crate) issues: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

/// The tag-list syntax ids shared by DMARC, DKIM, MTA-STS, TLS-RPT and BIMI
/// (`<prefix>.syntax.<what>`): `(what, title, remediation)`.
const TAG_LIST_SYNTAX: &[(&str, &str, &str)] = &[
    (
        "empty_tag",
        "Empty tag in the tag list (`;;`)",
        "Remove the doubled `;`; it is harmless but shows a hand-edited record.",
    ),
    (
        "malformed_tag",
        "A tag without `=`: receivers skip it",
        "Write every tag as `name=value`, separated by `;`.",
    ),
    (
        "invalid_tag_name",
        "A tag name outside the grammar: receivers skip it",
        "Tag names are letters, digits and `_`, starting with a letter; correct the misspelt tag.",
    ),
    (
        "invalid_value",
        "A character not allowed in a tag value",
        "Remove control characters, `;` and non-ASCII characters from the value; quote nothing.",
    ),
    (
        "duplicate_tag",
        "A tag appears twice: only the first counts (or the record is invalid)",
        "Keep each tag once, with the value you mean.",
    ),
];

const RFC7208: (&str, &str) = (
    "RFC 7208: Sender Policy Framework (SPF)",
    "https://www.rfc-editor.org/rfc/rfc7208",
);
const RFC7208_44: (&str, &str) = (
    "RFC 7208 §4.6.4: DNS lookup limits",
    "https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4",
);
const RFC7208_5: (&str, &str) = (
    "RFC 7208 §5: mechanism definitions",
    "https://www.rfc-editor.org/rfc/rfc7208#section-5",
);
const RFC7489: (&str, &str) = ("RFC 7489: DMARC", "https://www.rfc-editor.org/rfc/rfc7489");
const RFC7489_63: (&str, &str) = (
    "RFC 7489 §6.3: general record format",
    "https://www.rfc-editor.org/rfc/rfc7489#section-6.3",
);
const RFC6376_361: (&str, &str) = (
    "RFC 6376 §3.6.1: DKIM key record",
    "https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1",
);
const RFC8301: (&str, &str) = (
    "RFC 8301: DKIM cryptographic algorithm update",
    "https://www.rfc-editor.org/rfc/rfc8301",
);
const RFC8461_31: (&str, &str) = (
    "RFC 8461 §3.1: MTA-STS TXT record",
    "https://www.rfc-editor.org/rfc/rfc8461#section-3.1",
);
const RFC8461_32: (&str, &str) = (
    "RFC 8461 §3.2: MTA-STS policies",
    "https://www.rfc-editor.org/rfc/rfc8461#section-3.2",
);
const RFC6698_22: (&str, &str) = (
    "RFC 6698 §2.1: TLSA RDATA",
    "https://www.rfc-editor.org/rfc/rfc6698#section-2.1",
);
const RFC7672_31: (&str, &str) = (
    "RFC 7672 §3.1: TLSA certificate usages for SMTP",
    "https://www.rfc-editor.org/rfc/rfc7672#section-3.1",
);
const RFC7671_8: (&str, &str) = (
    "RFC 7671 §8: key rollover",
    "https://www.rfc-editor.org/rfc/rfc7671#section-8",
);
const RFC8460_3: (&str, &str) = (
    "RFC 8460 §3: TLS-RPT reporting policy",
    "https://www.rfc-editor.org/rfc/rfc8460#section-3",
);
const RFC8659: (&str, &str) = (
    "RFC 8659: DNS Certification Authority Authorization (CAA)",
    "https://www.rfc-editor.org/rfc/rfc8659",
);
const RFC5321_5: (&str, &str) = (
    "RFC 5321 §5.1: locating the target host",
    "https://www.rfc-editor.org/rfc/rfc5321#section-5.1",
);
const RFC7505: (&str, &str) = ("RFC 7505: Null MX", "https://www.rfc-editor.org/rfc/rfc7505");
const RFC2181_1031: (&str, &str) = (
    "RFC 2181 §10.3: MX and NS records must not point to an alias",
    "https://www.rfc-editor.org/rfc/rfc2181#section-10.3",
);
const RFC6186: (&str, &str) = (
    "RFC 6186: SRV records for locating email services",
    "https://www.rfc-editor.org/rfc/rfc6186",
);
const RFC8314_51: (&str, &str) = (
    "RFC 8314 §5.1: SRV records for implicit TLS",
    "https://www.rfc-editor.org/rfc/rfc8314#section-5.1",
);
const BIMI_DRAFT: (&str, &str) = (
    "BIMI (draft-brand-indicators-for-message-identification)",
    "https://datatracker.ietf.org/doc/draft-brand-indicators-for-message-identification/",
);

/// Every family, in the order of the categories.
pub(crate) const FAMILIES: &[Family] = &[
    Family {
        prefix: "spf.",
        category: Category::SenderAuthentication,
        severity: Severity::Medium,
        explanation: "SPF (RFC 7208) lists the hosts allowed to send mail with the domain in the envelope sender. \
            Receivers evaluate it for every message; DMARC uses its result for alignment. A record with a syntax \
            error, more than 10 lookups or several records is a `permerror`: for DMARC it is as if there were no \
            SPF, and some receivers reject the mail outright.",
        references: &[RFC7208, RFC7208_44, RFC7208_5],
        issues: &[
            (
                "spf.syntax.version",
                "The record does not start with `v=spf1`",
                "",
                "Start the record with exactly `v=spf1` followed by a space.",
            ),
            (
                "spf.syntax.character",
                "A control or non-ASCII character in the record",
                "",
                "Retype the record in plain ASCII; remove typographic quotes or dashes pasted from a word processor.",
            ),
            (
                "spf.syntax.unknown_mechanism",
                "An unknown mechanism: the record is a permerror",
                "",
                "Use only all, include, a, mx, ptr, ip4, ip6 and exists, and the modifiers redirect= and exp= (note `redirect=`, not `redirect:`).",
            ),
            (
                "spf.syntax.modifier_name",
                "`=` after something that is not a modifier name",
                "",
                "Modifiers are `name=value` with a name starting with a letter; correct the term.",
            ),
            (
                "spf.syntax.unexpected_argument",
                "An argument where the mechanism takes none",
                "",
                "Remove the argument, e.g. write `-all`, not `-all:example.com`.",
            ),
            (
                "spf.syntax.missing_domain",
                "include, exists, redirect or exp without a domain",
                "",
                "Give the domain: `include:_spf.provider.example`.",
            ),
            (
                "spf.syntax.missing_address",
                "ip4 or ip6 without an address",
                "",
                "Write `ip4:192.0.2.0/24` or `ip6:2001:db8::/32`.",
            ),
            (
                "spf.syntax.domain_spec",
                "A domain that does not end in a top-level label",
                "",
                "Write the full domain name, without a trailing dot or stray characters.",
            ),
            (
                "spf.syntax.macro",
                "Invalid macro syntax",
                "",
                "Correct the macro (`%{i}`, `%{d}`, `%{l}`...) or write `%%` for a literal percent sign.",
            ),
            (
                "spf.syntax.cidr",
                "A prefix length out of range or badly formed",
                "",
                "Use /0 to /32 for IPv4 and /0 to /128 for IPv6, without leading zeros.",
            ),
            (
                "spf.syntax.ip4",
                "An ip4 mechanism with an invalid IPv4 address",
                "",
                "Write a dotted-quad IPv4 address; put IPv6 addresses in ip6:.",
            ),
            (
                "spf.syntax.ip6",
                "An ip6 mechanism with an invalid IPv6 address",
                "",
                "Write a valid IPv6 address; put IPv4 addresses in ip4:.",
            ),
            (
                "spf.syntax.duplicate_modifier",
                "A second redirect= or exp=",
                "",
                "Keep one redirect= and at most one exp=.",
            ),
            (
                "spf.multiple_records",
                "Several SPF records at one name: permerror",
                "Receivers must not pick one: the result is permerror, and DMARC sees no SPF pass.",
                "Merge them into one record: `v=spf1 include:a.example include:b.example -all`.",
            ),
            (
                "spf.obsolete_rr_type",
                "Records of the obsolete SPF RR type (99) are published",
                "",
                "Delete the type-99 SPF records; only the TXT record is used (RFC 7208 §3.1).",
            ),
            (
                "spf.all.pass",
                "`+all` authorises every host on the internet",
                "Anyone can send mail that passes SPF for the domain.",
                "End the record with `-all` (or `~all` while testing).",
            ),
            (
                "spf.all.neutral",
                "`?all` asserts nothing about other hosts",
                "",
                "End the record with `-all` once every sending service is listed, or `~all` while checking.",
            ),
            (
                "spf.all.missing",
                "Neither `all` nor `redirect=`: unlisted hosts get neutral",
                "",
                "End the record with `-all` (or `~all`).",
            ),
            (
                "spf.all.not_last",
                "Mechanisms after `all` are never evaluated",
                "",
                "Move `all` to the end of the record.",
            ),
            (
                "spf.redirect.ignored",
                "`redirect=` next to `all` is ignored",
                "",
                "Use either `all` or `redirect=`, not both.",
            ),
            (
                "spf.mechanism.ptr",
                "The ptr mechanism, which RFC 7208 §5.5 says SHOULD NOT be used",
                "It is slow, unreliable and some receivers skip it.",
                "Replace `ptr` with ip4:/ip6: ranges or a: names.",
            ),
            (
                "spf.modifier.exp",
                "The record publishes an explanation (exp=)",
                "",
                "Nothing to fix.",
            ),
            (
                "spf.record.too_long",
                "The record is longer than 450 octets",
                "Long answers may not fit in UDP and fail at some receivers.",
                "Shorten it: collapse ranges, move providers into include: records.",
            ),
            (
                "spf.lookups.too_many",
                "More than 10 DNS-querying terms: permerror",
                "Receivers stop at the 10th lookup (include, a, mx, ptr, exists, redirect, counted through every include) and return permerror.",
                "Remove unused includes, replace a/mx with ip4:/ip6: ranges, or use a provider's flattened include. Count with `mailtls spf`.",
            ),
            (
                "spf.lookups.void_too_many",
                "More than 2 lookups that find nothing: permerror",
                "",
                "Remove includes and a/mx/exists targets that no longer exist.",
            ),
            (
                "spf.mechanism.void",
                "An a, mx or exists target has no records",
                "",
                "Remove the mechanism or fix the target's records.",
            ),
            (
                "spf.mx.too_many",
                "An mx target has more than 10 exchanges: permerror",
                "",
                "List the senders with ip4:/ip6: instead of mx.",
            ),
            (
                "spf.include.no_record",
                "An included domain has no SPF record: permerror",
                "",
                "Remove the include or fix the provider's name (check its documentation).",
            ),
            (
                "spf.redirect.no_record",
                "The redirect target has no SPF record: permerror",
                "",
                "Point redirect= at a domain that publishes SPF.",
            ),
            (
                "spf.include.multiple_records",
                "An included domain has several SPF records: permerror",
                "",
                "Ask the owner of the included domain to merge them, or stop including it.",
            ),
            (
                "spf.redirect.multiple_records",
                "The redirect target has several SPF records: permerror",
                "",
                "Merge the target's records into one.",
            ),
            (
                "spf.include.invalid",
                "An included record has syntax errors: permerror",
                "",
                "Fix the included record or stop including it.",
            ),
            (
                "spf.redirect.invalid",
                "The redirect target's record has syntax errors: permerror",
                "",
                "Fix the target record.",
            ),
            (
                "spf.include.loop",
                "An include leads back to itself: permerror",
                "",
                "Break the loop.",
            ),
            (
                "spf.redirect.loop",
                "A redirect leads back to itself: permerror",
                "",
                "Break the loop.",
            ),
            (
                "spf.include.all_pass",
                "An included record has `+all`: every host passes",
                "",
                "Stop including a record that authorises everyone.",
            ),
            (
                "spf.redirect.all_pass",
                "The redirect target has `+all`: every host passes",
                "",
                "Fix the target record to end in `-all`.",
            ),
            (
                "spf.tree.dns_error",
                "A lookup in the SPF tree failed: receivers get temperror",
                "",
                "Fix the failing name servers, or remove the include.",
            ),
            (
                "spf.tree.truncated",
                "The include tree has more than 64 records; the rest was not read",
                "",
                "Simplify the record.",
            ),
            (
                "spf.record.missing",
                "The domain publishes no SPF record",
                "Receivers cannot tell forged envelope senders from real ones.",
                "Publish one, e.g. `example.com. IN TXT \"v=spf1 mx -all\"`; for a domain that sends no mail: `\"v=spf1 -all\"`.",
            ),
        ],
    },
    Family {
        prefix: "dmarc.",
        category: Category::SenderAuthentication,
        severity: Severity::Medium,
        explanation: "DMARC (RFC 7489) tells receivers what to do with mail whose From: domain is neither SPF- nor \
            DKIM-aligned, and where to send reports. It is what makes SPF and DKIM protect the visible sender \
            address; without an enforcing policy (quarantine or reject), the domain can be spoofed in phishing.",
        references: &[RFC7489, RFC7489_63],
        issues: &[
            (
                "dmarc.version.missing",
                "The record does not start with a `v` tag",
                "",
                "Start with `v=DMARC1;`.",
            ),
            (
                "dmarc.version.invalid",
                "`v` is not exactly `DMARC1`: the record is discarded",
                "",
                "Write `v=DMARC1` (case as shown).",
            ),
            (
                "dmarc.policy.missing",
                "No `p` tag",
                "",
                "Add `p=none` to start monitoring, then move to quarantine and reject.",
            ),
            (
                "dmarc.policy.invalid",
                "`p` is not none, quarantine or reject",
                "",
                "Write `p=none`, `p=quarantine` or `p=reject`.",
            ),
            (
                "dmarc.sp.invalid",
                "`sp` is not none, quarantine or reject",
                "",
                "Correct or remove `sp`.",
            ),
            (
                "dmarc.policy.not_second",
                "`p` does not directly follow `v`",
                "",
                "Write `v=DMARC1; p=...;` first; some receivers are strict.",
            ),
            (
                "dmarc.policy.none",
                "`p=none`: monitoring only",
                "Spoofed mail is delivered as usual.",
                "Once reports show all legitimate mail aligned, publish `p=quarantine`, then `p=reject`.",
            ),
            (
                "dmarc.sp.weaker",
                "`sp` is weaker than `p`: subdomains are easier to spoof",
                "",
                "Remove `sp` or set it to the same policy as `p`.",
            ),
            (
                "dmarc.np.weaker",
                "`np` is weaker than the subdomain policy",
                "",
                "Remove `np` or set `np=reject`: non-existent subdomains send no mail.",
            ),
            (
                "dmarc.pct.partial",
                "`pct` below 100: the policy applies to a sample only",
                "",
                "Raise `pct` to 100 (or remove it).",
            ),
            (
                "dmarc.testing",
                "`t=y`: the policy is applied one step weaker",
                "",
                "Remove `t=y` when testing is over.",
            ),
            (
                "dmarc.rua.missing",
                "No aggregate report address",
                "The owner never learns who sends as the domain.",
                "Add `rua=mailto:dmarc-reports@example.com`.",
            ),
            (
                "dmarc.rua.invalid_uri",
                "An aggregate report URI that receivers ignore",
                "",
                "Write `rua=mailto:address@example.com`.",
            ),
            (
                "dmarc.ruf.invalid_uri",
                "A failure report URI that receivers ignore",
                "",
                "Write `ruf=mailto:address@example.com`.",
            ),
            (
                "dmarc.rua.unsupported_scheme",
                "An aggregate report URI that is not mailto:",
                "",
                "Use a `mailto:` URI.",
            ),
            (
                "dmarc.ruf.unsupported_scheme",
                "A failure report URI that is not mailto:",
                "",
                "Use a `mailto:` URI.",
            ),
            (
                "dmarc.rua.empty_uri",
                "An empty entry in the rua list",
                "",
                "Remove the doubled comma.",
            ),
            (
                "dmarc.ruf.empty_uri",
                "An empty entry in the ruf list",
                "",
                "Remove the doubled comma.",
            ),
            (
                "dmarc.pct.invalid",
                "`pct` is not a number from 0 to 100: ignored",
                "",
                "Write `pct=100` or remove it.",
            ),
            (
                "dmarc.fo.invalid",
                "`fo` is outside its grammar: ignored",
                "",
                "Use `fo=0`, `1`, `d` or `s`, colon-separated.",
            ),
            (
                "dmarc.rf.unknown",
                "A report format other than afrf",
                "",
                "Remove `rf` or write `rf=afrf`.",
            ),
            (
                "dmarc.tag.unknown",
                "A tag DMARC does not define",
                "",
                "Remove it, or correct the spelling.",
            ),
            (
                "dmarc.record.missing",
                "No DMARC record",
                "Receivers apply no policy to mail that fails SPF and DKIM alignment.",
                "Publish `_dmarc.example.com. IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\"` and tighten p= over time.",
            ),
            (
                "dmarc.record.multiple",
                "More than one DMARC record: no policy applies",
                "",
                "Keep exactly one `v=DMARC1` TXT record at _dmarc.",
            ),
        ],
    },
    Family {
        prefix: "dkim.",
        category: Category::SenderAuthentication,
        severity: Severity::Medium,
        explanation: "A DKIM key record (RFC 6376) at `<selector>._domainkey` publishes the key that receivers use \
            to verify message signatures. DKIM survives forwarding where SPF does not, so it is what usually \
            carries DMARC alignment; a broken key record makes every signature with that selector fail.",
        references: &[RFC6376_361, RFC8301],
        issues: &[
            (
                "dkim.version.invalid",
                "`v` is not `DKIM1`: the record is discarded",
                "",
                "Write `v=DKIM1` or leave `v` out.",
            ),
            (
                "dkim.version.not_first",
                "`v` is present but not the first tag",
                "",
                "Move `v=DKIM1;` to the front.",
            ),
            (
                "dkim.key.missing",
                "No `p` tag: not a key record",
                "",
                "Publish the public key as `p=<base64>` (from your signer's configuration, e.g. `opendkim-genkey`).",
            ),
            (
                "dkim.key.revoked",
                "`p=` is empty: the key was revoked",
                "",
                "Nothing to fix if the selector is retired; otherwise publish the key.",
            ),
            (
                "dkim.key.invalid_base64",
                "`p` is not base64",
                "",
                "Copy the key again; join TXT strings without spaces inside the base64.",
            ),
            (
                "dkim.key.undecodable",
                "`p` does not decode to a key of type `k`",
                "",
                "Publish the SubjectPublicKeyInfo (RSA) or the raw 32-byte key (Ed25519) as the signer produced it.",
            ),
            (
                "dkim.key.unknown_type",
                "`k` is neither rsa nor ed25519",
                "",
                "Use `k=rsa` or `k=ed25519`.",
            ),
            (
                "dkim.key.rsa_too_short",
                "RSA key below 1024 bits: verifiers reject it",
                "",
                "Generate a 2048-bit key (`opendkim-genkey -b 2048`), publish it under a new selector, and switch the signer.",
            ),
            (
                "dkim.key.rsa_short",
                "RSA key of 1024 to 2047 bits",
                "",
                "Rotate to a 2048-bit key under a new selector.",
            ),
            (
                "dkim.key.rsa_too_long",
                "RSA key above 4096 bits: verifiers need not support it",
                "",
                "Use 2048 or 3072 bits.",
            ),
            (
                "dkim.hash.sha1_only",
                "`h=sha1`: only SHA-1 signatures, which RFC 8301 forbids",
                "",
                "Remove `h=` (or write `h=sha256`) and sign with rsa-sha256.",
            ),
            (
                "dkim.hash.unknown",
                "An unknown hash algorithm in `h`",
                "",
                "Remove it.",
            ),
            (
                "dkim.service.not_email",
                "`s` excludes email: the key cannot verify mail",
                "",
                "Remove `s=` or write `s=email`.",
            ),
            (
                "dkim.service.unknown",
                "An unknown service type in `s`",
                "",
                "Remove it.",
            ),
            (
                "dkim.testing",
                "`t=y`: verifiers may treat failures as passes",
                "",
                "Remove `t=y` once signing works.",
            ),
            ("dkim.flag.unknown", "An unknown flag in `t`", "", "Remove it."),
            (
                "dkim.tag.unknown",
                "A tag RFC 6376 does not define for key records",
                "",
                "Remove it.",
            ),
            (
                "dkim.multiple_records",
                "Several TXT records at the selector",
                "Verifiers may pick either; signatures fail at random.",
                "Keep exactly one key record per selector.",
            ),
        ],
    },
    Family {
        prefix: "mta_sts.",
        category: Category::MtaSts,
        severity: Severity::Medium,
        explanation: "MTA-STS (RFC 8461) lets a domain tell senders that its MX hosts support TLS with valid \
            certificates, through a TXT record at `_mta-sts` and a policy file at \
            https://mta-sts.<domain>/.well-known/mta-sts.txt. Enforcing senders then refuse plaintext and \
            impostor MX hosts. An invalid record or policy makes senders ignore MTA-STS.",
        references: &[RFC8461_31, RFC8461_32],
        issues: &[
            (
                "mta_sts.version.missing",
                "The TXT record does not start with `v=STSv1`",
                "",
                "Publish `_mta-sts.example.com. IN TXT \"v=STSv1; id=20250101T000000\"`.",
            ),
            (
                "mta_sts.id.missing",
                "The TXT record has no `id`: senders assume no policy",
                "",
                "Add `id=` with a value that changes whenever the policy changes (a timestamp).",
            ),
            (
                "mta_sts.id.invalid",
                "`id` is not 1 to 32 letters and digits",
                "",
                "Use letters and digits only, e.g. `id=20250101000000`.",
            ),
            (
                "mta_sts.record.missing",
                "No MTA-STS record",
                "Senders cannot learn that the domain requires TLS.",
                "Serve a policy file at https://mta-sts.example.com/.well-known/mta-sts.txt and publish `_mta-sts.example.com. IN TXT \"v=STSv1; id=1\"`.",
            ),
            (
                "mta_sts.record.multiple",
                "More than one MTA-STS TXT record: senders assume no policy",
                "",
                "Keep exactly one.",
            ),
            (
                "mta_sts.policy.malformed_line",
                "A policy line that is not `key: value`",
                "",
                "Write each line as `key: value`, ending lines in CRLF or LF.",
            ),
            (
                "mta_sts.policy.empty_line",
                "A blank line between policy fields",
                "",
                "Remove it.",
            ),
            (
                "mta_sts.policy.duplicate_field",
                "`version`, `mode` or `max_age` appears more than once",
                "",
                "Keep each field once.",
            ),
            (
                "mta_sts.policy.unknown_field",
                "A field RFC 8461 does not define",
                "",
                "Remove it or correct its spelling.",
            ),
            (
                "mta_sts.version.invalid",
                "The policy's `version` is not `STSv1`",
                "",
                "Write `version: STSv1`.",
            ),
            (
                "mta_sts.policy.version_missing",
                "The policy has no `version` field: invalid",
                "",
                "Add `version: STSv1` as the first line.",
            ),
            (
                "mta_sts.policy.mode_missing",
                "The policy has no `mode` field: invalid",
                "",
                "Add `mode: testing` or `mode: enforce`.",
            ),
            (
                "mta_sts.policy.max_age_missing",
                "The policy has no `max_age` field: invalid",
                "",
                "Add `max_age: 1209600` (two weeks) or longer.",
            ),
            (
                "mta_sts.mode.invalid",
                "`mode` is not enforce, testing or none",
                "",
                "Write `mode: enforce` or `mode: testing`.",
            ),
            (
                "mta_sts.mode.testing",
                "`mode: testing`: failures are reported, not prevented",
                "",
                "Switch to `mode: enforce` when TLS-RPT reports are clean, and change the TXT `id=`.",
            ),
            (
                "mta_sts.mode.none",
                "`mode: none`: the domain withdraws its policy",
                "",
                "Nothing to fix if intended.",
            ),
            (
                "mta_sts.max_age.invalid",
                "`max_age` is not 1 to 10 digits",
                "",
                "Write seconds, e.g. `max_age: 1209600`.",
            ),
            (
                "mta_sts.max_age.above_maximum",
                "`max_age` above one year",
                "",
                "Use at most 31557600.",
            ),
            (
                "mta_sts.max_age.short",
                "`max_age` below one day: senders forget the policy quickly",
                "A short max_age leaves a window in which an attacker can strip the policy.",
                "Use at least 604800 (a week); 1209600 or more once stable.",
            ),
            (
                "mta_sts.mx.invalid",
                "An `mx` value that is neither a host name nor a `*.` pattern",
                "",
                "Write `mx: mx1.example.com` or `mx: *.example.net`.",
            ),
            (
                "mta_sts.mx.missing",
                "No `mx` line: no MX host can match",
                "In enforce mode, senders deliver nowhere.",
                "Add one `mx:` line per MX host.",
            ),
        ],
    },
    Family {
        prefix: "tls_rpt.",
        category: Category::MtaSts,
        severity: Severity::Low,
        explanation: "The TLS-RPT record (RFC 8460) at `_smtp._tls` tells senders where to report TLS, DANE and \
            MTA-STS failures when delivering to the domain. Without it, a broken certificate or policy is \
            noticed only when mail goes missing.",
        references: &[RFC8460_3],
        issues: &[
            (
                "tls_rpt.version.missing",
                "The record does not start with `v=TLSRPTv1`",
                "",
                "Write `v=TLSRPTv1; rua=mailto:tls-reports@example.com`.",
            ),
            (
                "tls_rpt.rua.missing",
                "No usable `rua`: nobody receives reports",
                "",
                "Add `rua=mailto:tls-reports@example.com`.",
            ),
            (
                "tls_rpt.rua.invalid_uri",
                "A report URI that does not parse",
                "",
                "Write a valid `mailto:` or `https:` URI.",
            ),
            (
                "tls_rpt.rua.unsupported_scheme",
                "A report URI that is neither mailto: nor https:",
                "",
                "Use `mailto:` or `https:`.",
            ),
            (
                "tls_rpt.rua.empty_uri",
                "An empty entry in the rua list",
                "",
                "Remove the doubled comma.",
            ),
            (
                "tls_rpt.record.missing",
                "No TLS-RPT record",
                "",
                "Publish `_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"`.",
            ),
            (
                "tls_rpt.record.multiple",
                "More than one TLS-RPT record: senders assume none",
                "",
                "Keep exactly one.",
            ),
        ],
    },
    Family {
        prefix: "tlsa.",
        category: Category::Dane,
        severity: Severity::High,
        explanation: "TLSA records (RFC 6698) at `_25._tcp.<mx host>` pin the MX host's key or its issuing CA for \
            DANE (RFC 7672). DANE senders require TLS and check the served chain against them; a wrong record \
            makes them defer mail, an unusable one removes the protection.",
        references: &[RFC6698_22, RFC7672_31, RFC7671_8],
        issues: &[
            (
                "tlsa.usage.pkix",
                "Usage 0 or 1 (PKIX-TA/PKIX-EE): unusable for SMTP",
                "",
                "Publish DANE-EE (3 1 1) or DANE-TA (2 1 1) records instead.",
            ),
            (
                "tlsa.usage.unknown",
                "An unassigned certificate usage: the record is unusable",
                "",
                "Use usage 3 (DANE-EE) or 2 (DANE-TA).",
            ),
            (
                "tlsa.selector.unknown",
                "An unassigned selector",
                "",
                "Use selector 1 (SPKI).",
            ),
            (
                "tlsa.matching_type.unknown",
                "An unassigned matching type",
                "",
                "Use matching type 1 (SHA2-256).",
            ),
            (
                "tlsa.matching_type.full",
                "Matching type 0: the whole certificate or key",
                "",
                "Publish a SHA2-256 digest (matching type 1).",
            ),
            (
                "tlsa.data.length",
                "Association data of the wrong length for its matching type",
                "",
                "A SHA2-256 digest is 32 bytes (64 hex digits), SHA2-512 is 64 bytes.",
            ),
            (
                "tlsa.selector.certificate",
                "`3 0 x`: the record changes with every certificate renewal",
                "",
                "Prefer `3 1 1` (the key), which survives renewals that keep the key.",
            ),
            (
                "tlsa.presentation.missing_field",
                "Fewer than four fields in the TLSA record",
                "",
                "Write `usage selector matching-type data`, e.g. `3 1 1 <hex>`.",
            ),
            (
                "tlsa.presentation.invalid_number",
                "A TLSA field that is not a number from 0 to 255",
                "",
                "Correct the field.",
            ),
            (
                "tlsa.presentation.invalid_hex",
                "Association data that is not hexadecimal",
                "",
                "Write the digest in hex.",
            ),
            (
                "tlsa.rrset.unusable",
                "No TLSA record of the set is usable for SMTP",
                "DANE senders require TLS but cannot authenticate the host.",
                "Publish `3 1 1 <sha256 of the SPKI>` for the served key.",
            ),
            (
                "tlsa.rollover.single",
                "A single usable association: no next key is published",
                "",
                "Publish the next key's 3 1 1 record, or a 2 1 1 record for the issuer, before changing keys (RFC 7671 §8).",
            ),
        ],
    },
    Family {
        prefix: "bimi.",
        category: Category::SenderAuthentication,
        severity: Severity::Low,
        explanation: "The BIMI record at `default._bimi` points receivers at the brand logo to show next to \
            authenticated mail (it requires an enforcing DMARC policy). An invalid record only costs the logo; \
            it does not affect delivery.",
        references: &[BIMI_DRAFT],
        issues: &[
            (
                "bimi.version.missing",
                "The record does not start with `v=BIMI1`",
                "",
                "Write `v=BIMI1; l=https://example.com/logo.svg`.",
            ),
            (
                "bimi.declined",
                "The domain declines to show a logo",
                "",
                "Nothing to fix if intended.",
            ),
            (
                "bimi.location.not_https",
                "The logo location is not an https: URL",
                "",
                "Serve the logo over HTTPS.",
            ),
            (
                "bimi.location.invalid_uri",
                "The logo location has no valid host",
                "",
                "Correct the URL.",
            ),
            (
                "bimi.location.not_svg",
                "The logo location does not end in .svg",
                "",
                "Publish the logo as SVG Tiny PS.",
            ),
            (
                "bimi.evidence.not_https",
                "The evidence document is not an https: URL",
                "",
                "Serve the VMC/CMC over HTTPS.",
            ),
            (
                "bimi.evidence.invalid_uri",
                "The evidence URL has no valid host",
                "",
                "Correct the URL.",
            ),
            (
                "bimi.evidence.missing",
                "A logo without a mark certificate (a=)",
                "",
                "Large receivers show logos only with a VMC or CMC; obtain one if you want the logo shown there.",
            ),
            (
                "bimi.avp.invalid",
                "`avp` is not brand or personal",
                "",
                "Remove it or use a defined value.",
            ),
            ("bimi.tag.unknown", "A tag BIMI does not define", "", "Remove it."),
            (
                "bimi.record.missing",
                "No BIMI record",
                "",
                "Nothing to fix unless a logo is wanted.",
            ),
            (
                "bimi.record.multiple",
                "More than one BIMI record: no logo is shown",
                "",
                "Keep exactly one.",
            ),
        ],
    },
    Family {
        prefix: "mx.",
        category: Category::Dns,
        severity: Severity::High,
        explanation: "MX records (RFC 5321 §5.1) name the hosts that accept mail for the domain. Every sender \
            reads them first; an error here misroutes or stops incoming mail for everyone.",
        references: &[RFC5321_5, RFC7505, RFC2181_1031],
        issues: &[
            (
                "mx.implicit",
                "No MX records: senders deliver to the domain's own address",
                "",
                "Publish MX records for the mail hosts, or a Null MX (`MX 0 .`) if the domain takes no mail.",
            ),
            (
                "mx.null",
                "A Null MX: the domain accepts no mail",
                "",
                "Nothing to fix if the domain takes no mail.",
            ),
            (
                "mx.null.preference",
                "A Null MX with a preference other than 0",
                "",
                "Publish it as `MX 0 .`.",
            ),
            (
                "mx.null.mixed",
                "A Null MX next to other MX records",
                "",
                "Remove either the `.` record or the others.",
            ),
            (
                "mx.exchange.ip_literal",
                "An MX exchange that is an IP address",
                "Senders treat it as a name and fail.",
                "Point the MX at a host name with A/AAAA records.",
            ),
            (
                "mx.exchange.invalid",
                "An MX exchange that is not a valid host name",
                "",
                "Correct the name.",
            ),
            (
                "mx.exchange.duplicate",
                "The same exchange listed more than once",
                "",
                "Remove the duplicate.",
            ),
            (
                "mx.exchange.cname",
                "An MX exchange that is an alias (CNAME)",
                "",
                "Point the MX at the canonical name (RFC 2181 §10.3); MTA-STS and DANE match the MX name.",
            ),
            (
                "mx.none_usable",
                "MX records exist but none names a usable host",
                "Mail cannot be delivered.",
                "Fix the MX targets so that they resolve.",
            ),
        ],
    },
    Family {
        prefix: "srv.",
        category: Category::ClientAccess,
        severity: Severity::Low,
        explanation: "SRV records (RFC 6186, RFC 8314 §5.1) let mail clients find the submission, IMAP and POP3 \
            servers. A wrong record sends clients to the wrong place or to plaintext.",
        references: &[RFC6186, RFC8314_51],
        issues: &[
            (
                "srv.target.not_offered",
                "Target `.`: the service is declared unavailable",
                "",
                "Nothing to fix if intended.",
            ),
            (
                "srv.target.dot_mixed",
                "Target `.` next to other records for the same service",
                "",
                "Remove either.",
            ),
            (
                "srv.target.ip_literal",
                "An SRV target that is an IP address",
                "",
                "Use a host name.",
            ),
            (
                "srv.target.invalid",
                "An SRV target that is not a valid host name",
                "",
                "Correct it.",
            ),
            (
                "srv.port.zero",
                "SRV port 0: no client can connect",
                "",
                "Publish the real port.",
            ),
            (
                "srv.port.counterpart",
                "The other TLS mode's port, e.g. `_imaps` on 143",
                "",
                "Use 993 for _imaps, 995 for _pop3s, 465 for _submissions.",
            ),
            (
                "srv.implicit_tls.missing",
                "A STARTTLS service without its implicit TLS counterpart",
                "",
                "Publish `_submissions._tcp`, `_imaps._tcp` or `_pop3s._tcp` records and prefer them (RFC 8314 §5.1).",
            ),
        ],
    },
    Family {
        prefix: "caa.",
        category: Category::Dns,
        severity: Severity::Low,
        explanation: "CAA records (RFC 8659) name the certificate authorities allowed to issue for the domain. \
            For mail they protect the MX, MTA-STS and client hosts' certificates from mis-issuance; an invalid \
            record can also block renewals.",
        references: &[RFC8659],
        issues: &[
            (
                "caa.tag.invalid",
                "A CAA tag that is empty or not letters and digits",
                "",
                "Use `issue`, `issuewild` or `iodef`.",
            ),
            (
                "caa.tag.unknown_critical",
                "An unknown tag with the critical flag: CAs must refuse to issue",
                "Certificate renewals fail.",
                "Remove the critical flag or the tag.",
            ),
            ("caa.tag.unknown", "An unknown CAA tag", "", "Remove it."),
            (
                "caa.flags.reserved",
                "Reserved flag bits are set",
                "",
                "Use flags 0 (or 128 for critical).",
            ),
            (
                "caa.value.not_utf8",
                "A CAA value that is not UTF-8 text",
                "",
                "Rewrite the value.",
            ),
            (
                "caa.issue.nobody",
                "`issue \";\"`: no CA may issue",
                "",
                "Nothing to fix if intended.",
            ),
            (
                "caa.issuewild.nobody",
                "`issuewild \";\"`: no CA may issue wildcards",
                "",
                "Nothing to fix if intended.",
            ),
            (
                "caa.issue.invalid",
                "An issue value outside its grammar",
                "",
                "Write `0 issue \"letsencrypt.org\"`.",
            ),
            (
                "caa.issuewild.invalid",
                "An issuewild value outside its grammar",
                "",
                "Write `0 issuewild \"letsencrypt.org\"`.",
            ),
            (
                "caa.iodef.invalid",
                "An iodef value that is not mailto:, http: or https:",
                "",
                "Write `0 iodef \"mailto:security@example.com\"`.",
            ),
            (
                "caa.presentation.missing_field",
                "A CAA record with fewer than three fields",
                "",
                "Write `flags tag \"value\"`.",
            ),
            (
                "caa.presentation.invalid_flags",
                "CAA flags that are not a number from 0 to 255",
                "",
                "Write 0 or 128.",
            ),
            (
                "caa.presentation.invalid_value",
                "A CAA value that does not parse",
                "",
                "Quote the value.",
            ),
        ],
    },
];

/// Prefixes whose records are tag lists (`<prefix>.syntax.*`).
const TAG_LIST_PREFIXES: [&str; 5] = ["dmarc.", "dkim.", "mta_sts.", "tls_rpt.", "bimi."];

/// The family an issue id belongs to.
pub(crate) fn family(issue_id: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|family| issue_id.starts_with(family.prefix))
}

/// The severity of a finding for an issue of `family` at `level`.
pub(crate) fn severity(family: Option<&Family>, level: mailtls_dns::IssueLevel) -> Severity {
    match level {
        mailtls_dns::IssueLevel::Error => family.map_or(Severity::Medium, |family| family.severity),
        mailtls_dns::IssueLevel::Warning => Severity::Low,
        mailtls_dns::IssueLevel::Notice => Severity::Info,
    }
}

fn rule(family: &Family, issue_id: &str, title: &str, own: &str, remediation: &str) -> Rule {
    let explanation = if own.is_empty() {
        family.explanation.to_owned()
    } else {
        format!("{own} {}", family.explanation)
    };
    Rule {
        id: format!("dns.{issue_id}"),
        category: family.category,
        severity: family.severity,
        title: title.to_owned(),
        explanation,
        references: references(family.references),
        remediation: remediation.to_owned(),
    }
}

/// Every DNS issue rule, family by family.
pub(crate) fn rules() -> Vec<Rule> {
    let mut rules = Vec::new();
    for family in FAMILIES {
        for (id, title, own, remediation) in family.issues {
            rules.push(rule(family, id, title, own, remediation));
        }
        if TAG_LIST_PREFIXES.contains(&family.prefix) {
            for (what, title, remediation) in TAG_LIST_SYNTAX {
                let id = format!("{}syntax.{what}", family.prefix);
                rules.push(rule(family, &id, title, "", remediation));
            }
        }
    }
    rules
}
