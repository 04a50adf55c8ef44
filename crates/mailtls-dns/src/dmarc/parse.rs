//! Reading a DMARC record: tag semantics, record selection and lints.
//!
//! ```text
//! RFC 7489 §6.6.3 (Policy Discovery)
//!   3. Records that do not start with a "v=" tag that identifies the
//!      current version of DMARC are discarded.
//!   5. If the remaining set contains multiple records or no records,
//!      policy discovery terminates and DMARC processing is not applied
//!      to this message.
//!   6. If a retrieved policy record does not contain a valid "p" tag, or
//!      contains an "sp" tag that is not valid, then:
//!      1. if a "rua" tag is present and contains at least one
//!         syntactically valid reporting URI, the Mail Receiver SHOULD
//!         act as if a record containing a valid "v" tag and "p=none"
//!         was retrieved, and continue processing;
//!      2. otherwise, the Mail Receiver applies no DMARC processing to
//!         this message.
//! ```

use super::uri::parse_uri_list;
use super::{Alignment, DmarcRecord, FailureOption, Policy, PsdFlag};
use crate::record_issue::{IssueLevel, RecordIssue, Span};
use crate::tag_list::{self, Grammar, Tag, TagNameRule, UnknownTag};

const GRAMMAR: Grammar = Grammar {
    issue_prefix: "dmarc",
    tag_names: TagNameRule::Alnumpunc,
    names_ignore_case: true,
};

/// The version value, case-sensitive (`%x44 %x4d %x41 %x52 %x43 %x31`).
const VERSION: &str = "DMARC1";

/// Parses one TXT record (strings joined) as a DMARC record.
///
/// Returns the record as a receiver would apply it, or `None` when a
/// receiver would apply no DMARC policy because of it, with every issue
/// found; spans refer to `text`.
pub fn parse(text: &str) -> (Option<DmarcRecord>, Vec<RecordIssue>) {
    let (tags, mut issues) = tag_list::parse(text, GRAMMAR);
    match tags.first() {
        Some(first) if tags.is(first, "v") => {
            if first.value != VERSION {
                issues.push(RecordIssue::at(
                    "dmarc.version.invalid",
                    IssueLevel::Error,
                    first.span(),
                    format!(
                        "the version is {:?}; only \"DMARC1\" (case-sensitive) is valid",
                        first.value
                    ),
                ));
                return (None, issues);
            }
        }
        _ => {
            issues.push(RecordIssue::whole(
                "dmarc.version.missing",
                IssueLevel::Error,
                "the record does not start with v=DMARC1, so receivers discard it (RFC 7489 §6.6.3)",
            ));
            return (None, issues);
        }
    }

    let mut reader = Reader {
        text,
        issues,
        record: empty_record(),
    };
    let mut policy_tag = None;
    let mut invalid_subdomain_policy = None;
    for (index, tag) in tags.tags.iter().enumerate().skip(1) {
        let name = tag.name.to_ascii_lowercase();
        match name.as_str() {
            "p" => policy_tag = Some((index, *tag)),
            "sp" => match Policy::from_value(tag.value) {
                Some(sp) => reader.record.subdomain_policy = Some(sp),
                None => invalid_subdomain_policy = Some(*tag),
            },
            _ => reader.read_tag(&name, tag),
        }
    }
    let Reader {
        mut issues,
        mut record,
        ..
    } = reader;

    let policy = match policy_tag {
        Some((index, tag)) => {
            if index != 1 {
                issues.push(RecordIssue::at(
                    "dmarc.policy.not_second",
                    IssueLevel::Notice,
                    tag.span(),
                    "p should directly follow v=DMARC1 (RFC 7489 §6.4); most receivers accept it elsewhere",
                ));
            }
            let policy = Policy::from_value(tag.value);
            if policy.is_none() {
                issues.push(unusable_policy(
                    "dmarc.policy.invalid",
                    Some(tag.span()),
                    &format!("p={} is not none, quarantine or reject", tag.value),
                    &record,
                ));
            }
            policy.map(|policy| (policy, tag.span()))
        }
        None => {
            issues.push(unusable_policy(
                "dmarc.policy.missing",
                None,
                "the record has no p tag",
                &record,
            ));
            None
        }
    };
    // An invalid sp spoils the whole record like an invalid p (step 6).
    if let Some(tag) = invalid_subdomain_policy {
        issues.push(unusable_policy(
            "dmarc.sp.invalid",
            Some(tag.span()),
            &format!("sp={} is not none, quarantine or reject", tag.value),
            &record,
        ));
    }
    let policy = policy.filter(|_| invalid_subdomain_policy.is_none());
    let (policy, policy_span) = match policy {
        Some((policy, span)) => (policy, Some(span)),
        None if !record.aggregate_report_uris.is_empty() => (Policy::None, None),
        None => return (None, issues),
    };
    record.policy = policy;
    lint(&record, policy_span, &mut issues);
    (Some(record), issues)
}

/// Applies the record selection of RFC 7489 §6.6.3 to every TXT record
/// (strings joined) at `_dmarc.<domain>`: those not starting with
/// `v=DMARC1` are discarded; exactly one must remain.
///
/// The issues of the selected record have spans into that record's text.
pub fn parse_rrset<S: AsRef<str>>(txt_records: &[S]) -> (Option<DmarcRecord>, Vec<RecordIssue>) {
    tag_list::select_record(
        txt_records,
        VERSION,
        parse,
        RecordIssue::whole(
            "dmarc.record.missing",
            IssueLevel::Warning,
            "no TXT record starting with v=DMARC1 was found: receivers apply no DMARC policy",
        ),
        |count| {
            RecordIssue::whole(
                "dmarc.record.multiple",
                IssueLevel::Error,
                format!(
                    "{count} TXT records start with v=DMARC1; with more than one, receivers apply no \
                     DMARC policy at all (RFC 7489 §6.6.3)"
                ),
            )
        },
    )
}

fn empty_record() -> DmarcRecord {
    DmarcRecord {
        policy: Policy::None,
        subdomain_policy: None,
        nonexistent_subdomain_policy: None,
        public_suffix_domain: None,
        testing: None,
        percent: None,
        dkim_alignment: None,
        spf_alignment: None,
        aggregate_report_uris: Vec::new(),
        failure_report_uris: Vec::new(),
        failure_options: Vec::new(),
        report_formats: Vec::new(),
        report_interval: None,
        unknown_tags: Vec::new(),
    }
}

fn unusable_policy(id: &str, span: Option<Span>, what: &str, record: &DmarcRecord) -> RecordIssue {
    let consequence = if record.aggregate_report_uris.is_empty() {
        "and without a valid rua URI receivers apply no DMARC policy (RFC 7489 §6.6.3)"
    } else {
        "so receivers act as if p=none was published, because rua has a valid URI (RFC 7489 §6.6.3)"
    };
    let message = format!("{what}, {consequence}");
    match span {
        Some(span) => RecordIssue::at(id, IssueLevel::Error, span, message),
        None => RecordIssue::whole(id, IssueLevel::Error, message),
    }
}

struct Reader<'r> {
    text: &'r str,
    issues: Vec<RecordIssue>,
    record: DmarcRecord,
}

impl Reader<'_> {
    /// Reads every tag but `p` and `sp`, whose problems concern the whole record.
    fn read_tag(&mut self, name: &str, tag: &Tag<'_>) {
        match name {
            "np" => {
                self.record.nonexistent_subdomain_policy =
                    self.value(name, tag, Policy::from_value, "none, quarantine or reject");
            }
            "psd" => {
                self.record.public_suffix_domain = self.value(name, tag, PsdFlag::from_value, "y, n or u");
            }
            "t" => self.record.testing = self.value(name, tag, yes_no, "y or n"),
            "pct" => self.record.percent = self.value(name, tag, percent, "a number from 0 to 100"),
            "adkim" => self.record.dkim_alignment = self.value(name, tag, Alignment::from_value, "r or s"),
            "aspf" => self.record.spf_alignment = self.value(name, tag, Alignment::from_value, "r or s"),
            "ri" => self.record.report_interval = self.value(name, tag, interval, "a number of seconds"),
            "rua" => {
                self.record.aggregate_report_uris =
                    parse_uri_list("rua", tag.value, tag.value_span.start, &mut self.issues);
            }
            "ruf" => {
                self.record.failure_report_uris =
                    parse_uri_list("ruf", tag.value, tag.value_span.start, &mut self.issues);
            }
            "fo" => self.read_failure_options(tag),
            "rf" => self.read_report_formats(tag),
            _ => {
                self.issues.push(RecordIssue::at(
                    "dmarc.tag.unknown",
                    IssueLevel::Notice,
                    tag.span(),
                    format!(
                        "{:?} is not a DMARC tag (RFC 7489, DMARCbis); receivers ignore it",
                        tag.name
                    ),
                ));
                self.record.unknown_tags.push(UnknownTag {
                    name: tag.name.to_owned(),
                    value: tag.value.to_owned(),
                });
            }
        }
    }

    /// Reads a single-valued tag, reporting a value outside its grammar.
    fn value<T>(
        &mut self,
        name: &str,
        tag: &Tag<'_>,
        read: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let value = read(tag.value);
        if value.is_none() {
            self.issues.push(invalid(name, tag, self.text, expected));
        }
        value
    }

    fn read_failure_options(&mut self, tag: &Tag<'_>) {
        for option in tag.value.split(':').map(|o| o.trim_matches([' ', '\t'])) {
            match FailureOption::from_value(option) {
                Some(option) if !self.record.failure_options.contains(&option) => {
                    self.record.failure_options.push(option);
                }
                Some(_) => {}
                None => self
                    .issues
                    .push(invalid("fo", tag, self.text, "0, 1, d or s, separated by ':'")),
            }
        }
    }

    fn read_report_formats(&mut self, tag: &Tag<'_>) {
        for format in tag.value.split(':').map(|f| f.trim_matches([' ', '\t'])) {
            if format.is_empty() || !format.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                self.issues.push(invalid(
                    "rf",
                    tag,
                    self.text,
                    "report format names separated by ':'",
                ));
                continue;
            }
            if !format.eq_ignore_ascii_case("afrf") {
                self.issues.push(RecordIssue::at(
                    "dmarc.rf.unknown",
                    IssueLevel::Warning,
                    tag.span(),
                    format!("report format {format:?} is not defined; only afrf is (RFC 7489 §6.3)"),
                ));
            }
            self.record.report_formats.push(format.to_owned());
        }
    }
}

fn invalid(name: &str, tag: &Tag<'_>, text: &str, expected: &str) -> RecordIssue {
    RecordIssue::at(
        &format!("dmarc.{name}.invalid"),
        IssueLevel::Warning,
        tag.span(),
        format!(
            "{:?} is not valid: {name} takes {expected}; receivers ignore the tag",
            tag.span().text(text).unwrap_or_default()
        ),
    )
}

fn yes_no(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "y" => Some(true),
        "n" => Some(false),
        _ => None,
    }
}

fn percent(value: &str) -> Option<u8> {
    if value.is_empty() || value.len() > 3 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<u8>().ok().filter(|pct| *pct <= 100)
}

fn interval(value: &str) -> Option<u32> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// The lints on a record that receivers would apply.
fn lint(record: &DmarcRecord, policy_span: Option<Span>, issues: &mut Vec<RecordIssue>) {
    if record.policy == Policy::None {
        let message = "p=none asks receivers to do nothing with failing mail: the domain is monitored, \
                       not protected against spoofing";
        issues.push(match policy_span {
            Some(span) => RecordIssue::at("dmarc.policy.none", IssueLevel::Warning, span, message),
            None => RecordIssue::whole("dmarc.policy.none", IssueLevel::Warning, message),
        });
    }
    if let Some(sp) = record.subdomain_policy.filter(|sp| *sp < record.policy) {
        issues.push(RecordIssue::whole(
            "dmarc.sp.weaker",
            IssueLevel::Warning,
            format!(
                "sp={sp} is weaker than p={}: mail from subdomains is easier to spoof",
                record.policy
            ),
        ));
    }
    let subdomain_policy = record.effective_subdomain_policy();
    if let Some(np) = record
        .nonexistent_subdomain_policy
        .filter(|np| *np < subdomain_policy)
    {
        issues.push(RecordIssue::whole(
            "dmarc.np.weaker",
            IssueLevel::Warning,
            format!(
                "np={np} is weaker than the subdomain policy {subdomain_policy}: mail from \
                 non-existent subdomains is easier to spoof"
            ),
        ));
    }
    if let Some(pct) = record.percent.filter(|pct| *pct < 100) {
        issues.push(RecordIssue::whole(
            "dmarc.pct.partial",
            IssueLevel::Warning,
            format!("pct={pct}: the policy applies to only {pct}% of failing mail; the rest is treated one step weaker"),
        ));
    }
    if record.testing == Some(true) {
        issues.push(RecordIssue::whole(
            "dmarc.testing",
            IssueLevel::Warning,
            "t=y: the domain is in DMARCbis testing mode, and receivers apply the policy one step weaker",
        ));
    }
    if record.aggregate_report_uris.is_empty() {
        issues.push(RecordIssue::whole(
            "dmarc.rua.missing",
            IssueLevel::Notice,
            "no valid rua: the domain owner receives no aggregate reports and cannot see who sends as the domain",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dmarc::{DmarcUri, ReportSize, SizeUnit};
    use crate::record_issue::ids;

    #[test]
    fn rfc_7489_example_record_is_read() {
        // RFC 7489 Appendix B.2.1
        let (record, issues) = parse("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com");
        let record = record.unwrap();
        assert_eq!(record.policy, Policy::None);
        assert_eq!(
            record.aggregate_report_uris,
            [DmarcUri {
                uri: "mailto:dmarc-feedback@example.com".into(),
                max_size: None
            }]
        );
        assert_eq!(ids(&issues), ["dmarc.policy.none"]);
    }

    #[test]
    fn rfc_7489_example_with_size_limit_and_ruf() {
        // RFC 7489 Appendix B.2.4, strings joined
        let text = "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,\
                    mailto:tld-test@thirdparty.example.net!10m; pct=25";
        let (record, issues) = parse(text);
        let record = record.unwrap();
        assert_eq!(record.policy, Policy::Quarantine);
        assert_eq!(record.aggregate_report_uris.len(), 2);
        assert_eq!(
            record.aggregate_report_uris[1].max_size,
            Some(ReportSize {
                value: 10,
                unit: Some(SizeUnit::Mega)
            })
        );
        assert_eq!(record.percent, Some(25));
        assert_eq!(ids(&issues), ["dmarc.pct.partial"]);
    }

    #[test]
    fn reject_with_rua_has_no_issues() {
        let (record, issues) = parse("v=DMARC1; p=reject; rua=mailto:d@example.com; adkim=s; aspf=r");
        let record = record.unwrap();
        assert_eq!(record.dkim_alignment, Some(Alignment::Strict));
        assert_eq!(record.spf_alignment, Some(Alignment::Relaxed));
        assert_eq!(issues, []);
    }

    #[test]
    fn record_not_starting_with_version_is_discarded() {
        let (record, issues) = parse("p=reject; v=DMARC1");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dmarc.version.missing"]);
    }

    #[test]
    fn lowercase_version_is_invalid() {
        let (record, issues) = parse("v=dmarc1; p=reject");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dmarc.version.invalid"]);
        assert_eq!(issues[0].span, Some(Span::new(0, 8)));
    }

    #[test]
    fn missing_policy_with_valid_rua_is_treated_as_none() {
        let (record, issues) = parse("v=DMARC1; rua=mailto:d@example.com");
        assert_eq!(record.unwrap().policy, Policy::None);
        assert_eq!(ids(&issues), ["dmarc.policy.missing", "dmarc.policy.none"]);
        assert_eq!(issues[0].level, IssueLevel::Error);
    }

    #[test]
    fn invalid_policy_without_rua_means_no_policy() {
        let text = "v=DMARC1; p=rejected";
        let (record, issues) = parse(text);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dmarc.policy.invalid"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("p=rejected"));
    }

    #[test]
    fn policy_value_is_case_insensitive() {
        let (record, _) = parse("v=DMARC1; p=Reject");
        assert_eq!(record.unwrap().policy, Policy::Reject);
    }

    #[test]
    fn policy_after_other_tags_is_a_notice() {
        let (record, issues) = parse("v=DMARC1; rua=mailto:d@example.com; p=reject");
        assert_eq!(record.unwrap().policy, Policy::Reject);
        assert_eq!(ids(&issues), ["dmarc.policy.not_second"]);
    }

    #[test]
    fn weaker_subdomain_policy_is_a_warning() {
        let (_, issues) = parse("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com");
        assert_eq!(ids(&issues), ["dmarc.sp.weaker"]);
        assert_eq!(issues[0].level, IssueLevel::Warning);
    }

    #[test]
    fn weaker_nonexistent_subdomain_policy_is_a_warning() {
        let (record, issues) = parse("v=DMARC1; p=reject; np=quarantine; rua=mailto:d@example.com");
        assert_eq!(
            record.unwrap().effective_nonexistent_subdomain_policy(),
            Policy::Quarantine
        );
        assert_eq!(ids(&issues), ["dmarc.np.weaker"]);
    }

    #[test]
    fn invalid_subdomain_policy_with_rua_makes_the_record_none() {
        let text = "v=DMARC1; p=reject; sp=rejekt; rua=mailto:d@example.com";
        let (record, issues) = parse(text);
        let record = record.unwrap();
        assert_eq!(record.policy, Policy::None);
        assert_eq!(record.subdomain_policy, None);
        assert_eq!(ids(&issues), ["dmarc.sp.invalid", "dmarc.policy.none"]);
        assert_eq!(issues[0].level, IssueLevel::Error);
        assert_eq!(issues[0].span.unwrap().text(text), Some("sp=rejekt"));
    }

    #[test]
    fn invalid_subdomain_policy_without_rua_means_no_policy() {
        let (record, issues) = parse("v=DMARC1; p=reject; sp=x");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dmarc.sp.invalid"]);
    }

    #[test]
    fn dmarcbis_tags_are_read() {
        let (record, issues) = parse("v=DMARC1; p=reject; np=reject; psd=n; t=y; rua=mailto:d@example.com");
        let record = record.unwrap();
        assert_eq!(record.nonexistent_subdomain_policy, Some(Policy::Reject));
        assert_eq!(record.public_suffix_domain, Some(PsdFlag::No));
        assert_eq!(record.testing, Some(true));
        assert_eq!(ids(&issues), ["dmarc.testing"]);
    }

    #[test]
    fn missing_rua_is_a_notice() {
        let (_, issues) = parse("v=DMARC1; p=reject");
        assert_eq!(ids(&issues), ["dmarc.rua.missing"]);
        assert_eq!(issues[0].level, IssueLevel::Notice);
    }

    #[test]
    fn pct_above_100_is_invalid_and_ignored() {
        let (record, issues) = parse("v=DMARC1; p=reject; pct=101; rua=mailto:d@example.com");
        assert_eq!(record.unwrap().percent, None);
        assert_eq!(ids(&issues), ["dmarc.pct.invalid"]);
    }

    #[test]
    fn failure_options_and_formats_are_read() {
        let (record, issues) =
            parse("v=DMARC1; p=reject; rua=mailto:d@example.com; fo=1:d:x; rf=afrf; ri=3600");
        let record = record.unwrap();
        assert_eq!(
            record.failure_options,
            [FailureOption::AnyFail, FailureOption::DkimFail]
        );
        assert_eq!(record.report_formats, ["afrf"]);
        assert_eq!(record.report_interval, Some(3600));
        assert_eq!(ids(&issues), ["dmarc.fo.invalid"]);
    }

    #[test]
    fn unknown_tag_is_kept_as_a_notice() {
        let (record, issues) = parse("v=DMARC1; p=reject; rua=mailto:d@example.com; foo=bar");
        assert_eq!(
            record.unwrap().unknown_tags,
            [UnknownTag {
                name: "foo".into(),
                value: "bar".into()
            }]
        );
        assert_eq!(ids(&issues), ["dmarc.tag.unknown"]);
    }

    #[test]
    fn multiple_records_mean_no_policy() {
        let (record, issues) = parse_rrset(&[
            "v=DMARC1; p=reject",
            "v=DMARC1; p=none",
            "google-site-verification=x",
        ]);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dmarc.record.multiple"]);
        assert_eq!(issues[0].level, IssueLevel::Error);
    }

    #[test]
    fn non_dmarc_records_are_discarded_from_the_set() {
        let (record, _) = parse_rrset(&["some-verification=abc", "v=DMARC1; p=reject"]);
        assert_eq!(record.unwrap().policy, Policy::Reject);
    }

    #[test]
    fn empty_set_is_missing() {
        let (record, issues) = parse_rrset::<&str>(&[]);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dmarc.record.missing"]);
    }

    #[test]
    fn display_is_canonical() {
        let (record, _) =
            parse(" v = DMARC1 ;p=Reject;RUA=mailto:a@example.com!5k , mailto:b@example.org; pct=50;");
        assert_eq!(
            record.unwrap().to_string(),
            "v=DMARC1; p=reject; rua=mailto:a@example.com!5k,mailto:b@example.org; pct=50"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn tag() -> impl Strategy<Value = String> {
            prop_oneof![
                "p=(none|quarantine|reject|Reject|x)",
                "sp=(none|quarantine|reject|bad)",
                "np=(none|quarantine|reject)",
                "psd=[ynux]",
                "t=[ynz]",
                "pct=[0-9]{1,4}",
                "adkim=[rsx]",
                "aspf=[rs]",
                "ri=[0-9]{1,11}",
                "fo=[01dsx](:[01dsx]){0,3}",
                "rf=(afrf|iodef)(:afrf)?",
                "rua=mailto:[a-z]{1,5}@[a-z]{1,5}\\.(com|net)(![0-9]{1,3}[kmgt]?)?(,mailto:[a-z]{1,3}@x\\.org)?",
                "ruf=(mailto|https):[a-z/@.]{1,12}",
                "[a-z]{1,6}=[!-:<-~]{0,8}",
            ]
        }

        proptest! {
            #[test]
            fn parse_never_panics(text in "\\PC{0,200}") {
                let _ = parse(&text);
            }

            #[test]
            fn display_then_parse_gives_the_same_record(
                tags in prop::collection::vec(tag(), 0..8),
            ) {
                let text = format!("v=DMARC1; {}", tags.join("; "));
                if let (Some(record), _) = parse(&text) {
                    let shown = record.to_string();
                    let (again, _) = parse(&shown);
                    prop_assert_eq!(again, Some(record), "{}", shown);
                }
            }
        }
    }
}
