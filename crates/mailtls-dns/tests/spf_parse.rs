//! SPF record syntax: what `parse` understands, what it reports, and the
//! canonical form.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::net::{Ipv4Addr, Ipv6Addr};

use mailtls_dns::spf::{
    Directive, DomainSpec, DualCidr, MacroExpand, MacroGrammar, MacroItem, MacroLetter, MacroString,
    Mechanism, Modifier, Qualifier, Term, is_spf_record, parse,
};
use mailtls_dns::{IssueLevel, Span};
use proptest::prelude::*;

fn spec(text: &str) -> DomainSpec {
    DomainSpec::parse(text).unwrap()
}

fn directive(qualifier: Qualifier, mechanism: Mechanism) -> Term {
    Term::Directive(Directive { qualifier, mechanism })
}

/// The ids of the issues and the text each span covers.
fn issues(record: &str) -> Vec<(String, String)> {
    parse(record)
        .issues
        .iter()
        .map(|issue| {
            (
                issue.id.clone(),
                issue
                    .span
                    .and_then(|span| span.text(record))
                    .unwrap_or("")
                    .to_owned(),
            )
        })
        .collect()
}

fn issue(id: &str, text: &str) -> (String, String) {
    (id.to_owned(), text.to_owned())
}

#[test]
fn every_mechanism_parses_with_its_qualifier_and_lengths() {
    let record = parse(
        "v=spf1 +all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx/28 mx:example.net//48 \
         ptr ptr:example.org ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}.bl.example.com",
    );
    assert_eq!(record.issues, vec![]);
    assert_eq!(
        record.term_list(),
        vec![
            &directive(Qualifier::Pass, Mechanism::All),
            &directive(
                Qualifier::Fail,
                Mechanism::Include {
                    domain: spec("_spf.example.com")
                }
            ),
            &directive(
                Qualifier::SoftFail,
                Mechanism::A {
                    domain: None,
                    cidr: DualCidr::default()
                }
            ),
            &directive(
                Qualifier::Neutral,
                Mechanism::A {
                    domain: Some(spec("mail.example.com")),
                    cidr: DualCidr {
                        ip4: Some(24),
                        ip6: Some(64)
                    }
                }
            ),
            &directive(
                Qualifier::Pass,
                Mechanism::Mx {
                    domain: None,
                    cidr: DualCidr {
                        ip4: Some(28),
                        ip6: None
                    }
                }
            ),
            &directive(
                Qualifier::Pass,
                Mechanism::Mx {
                    domain: Some(spec("example.net")),
                    cidr: DualCidr {
                        ip4: None,
                        ip6: Some(48)
                    }
                }
            ),
            &directive(Qualifier::Pass, Mechanism::Ptr { domain: None }),
            &directive(
                Qualifier::Pass,
                Mechanism::Ptr {
                    domain: Some(spec("example.org"))
                }
            ),
            &directive(
                Qualifier::Pass,
                Mechanism::Ip4 {
                    network: Ipv4Addr::new(192, 0, 2, 0),
                    prefix: Some(24)
                }
            ),
            &directive(
                Qualifier::Pass,
                Mechanism::Ip6 {
                    network: "2001:db8::".parse::<Ipv6Addr>().unwrap(),
                    prefix: Some(32)
                }
            ),
            &directive(
                Qualifier::Pass,
                Mechanism::Exists {
                    domain: spec("%{i}.bl.example.com")
                }
            ),
        ]
    );
}

#[test]
fn modifiers_parse_as_redirect_explanation_and_unknown() {
    let record = parse("v=spf1 REDIRECT=_spf.example.com exp=explain.%{d} moo.cow-far_out=man:dog/cat");
    assert_eq!(record.issues, vec![]);
    assert_eq!(
        record.term_list(),
        vec![
            &Term::Modifier(Modifier::Redirect(spec("_spf.example.com"))),
            &Term::Modifier(Modifier::Explanation(spec("explain.%{d}"))),
            &Term::Modifier(Modifier::Unknown {
                name: "moo.cow-far_out".to_owned(),
                value: MacroString::parse("man:dog/cat", MacroGrammar::MacroString).unwrap(),
            }),
        ]
    );
}

#[test]
fn terms_carry_their_spans() {
    let text = "v=spf1  a   -all ";
    let record = parse(text);
    let spans: Vec<Span> = record.terms.iter().map(|term| term.span).collect();
    assert_eq!(spans, vec![Span::new(8, 9), Span::new(12, 16)]);
}

#[test]
fn canonical_form_lowercases_names_and_drops_the_plus() {
    let record = parse("V=SPF1 +A:Mail.Example.com/24 ~MX IP6:2001:DB8:0::1/64 Include:%{D2r-} -ALL");
    assert_eq!(
        record.to_string(),
        "v=spf1 a:Mail.Example.com/24 ~mx ip6:2001:db8::1/64 include:%{D2r-} -all"
    );
}

#[test]
fn version_must_be_followed_by_space_or_end() {
    assert!(is_spf_record("v=spf1"));
    assert!(!is_spf_record("v=spf10 -all"));
    assert_eq!(
        issues("v=spf10 -all"),
        vec![issue("spf.syntax.version", "v=spf10")]
    );
    assert_eq!(parse("v=spf10 -all").terms, vec![]);
}

#[test]
fn empty_record_has_no_terms_and_no_issues() {
    let record = parse("v=spf1");
    assert!(record.terms.is_empty());
    assert!(record.issues.is_empty());
}

#[test]
fn unknown_mechanism_is_reported_with_its_span() {
    assert_eq!(
        issues("v=spf1 ip4:192.0.2.1 moo -all"),
        vec![issue("spf.syntax.unknown_mechanism", "moo")]
    );
}

#[test]
fn redirect_written_as_mechanism_is_unknown_mechanism() {
    assert_eq!(
        issues("v=spf1 redirect:example.com"),
        vec![issue("spf.syntax.unknown_mechanism", "redirect:example.com")]
    );
}

#[test]
fn modifier_name_must_start_with_a_letter() {
    assert_eq!(
        issues("v=spf1 1up=foo"),
        vec![issue("spf.syntax.modifier_name", "1up")]
    );
    assert_eq!(
        issues("v=spf1 =all"),
        vec![issue("spf.syntax.modifier_name", "=")]
    );
}

#[test]
fn ip4_cidr_above_32_is_a_cidr_error() {
    assert_eq!(
        issues("v=spf1 ip4:192.0.2.0/33"),
        vec![issue("spf.syntax.cidr", "/33")]
    );
}

#[test]
fn cidr_with_leading_zero_is_a_cidr_error() {
    assert_eq!(
        issues("v=spf1 ip4:192.0.2.0/032"),
        vec![issue("spf.syntax.cidr", "/032")]
    );
}

#[test]
fn a_with_single_slash_ip6_length_is_a_cidr_error() {
    assert_eq!(issues("v=spf1 a/24/64"), vec![issue("spf.syntax.cidr", "/64")]);
    assert_eq!(issues("v=spf1 a//129"), vec![issue("spf.syntax.cidr", "//129")]);
}

#[test]
fn ip4_with_dual_cidr_is_a_cidr_error() {
    assert_eq!(
        issues("v=spf1 ip4:1.2.3.4//32"),
        vec![issue("spf.syntax.cidr", "//32")]
    );
}

#[test]
fn short_ip4_address_is_an_ip4_error() {
    assert_eq!(issues("v=spf1 ip4:1.2.3"), vec![issue("spf.syntax.ip4", "1.2.3")]);
    assert_eq!(
        issues("v=spf1 ip4:1.2.3.4:8080"),
        vec![issue("spf.syntax.ip4", "1.2.3.4:8080")]
    );
}

#[test]
fn malformed_ip6_address_is_an_ip6_error() {
    assert_eq!(
        issues("v=spf1 ip6::CAFE::BABE"),
        vec![issue("spf.syntax.ip6", ":CAFE::BABE")]
    );
}

#[test]
fn ip4_without_address_is_missing_address() {
    assert_eq!(
        issues("v=spf1 -all ip4"),
        vec![issue("spf.syntax.missing_address", "ip4")]
    );
}

#[test]
fn include_without_domain_is_missing_domain() {
    assert_eq!(
        issues("v=spf1 include"),
        vec![issue("spf.syntax.missing_domain", "include")]
    );
    assert_eq!(
        issues("v=spf1 include: -all"),
        vec![issue("spf.syntax.missing_domain", "")]
    );
}

#[test]
fn all_with_argument_is_unexpected_argument() {
    assert_eq!(
        issues("v=spf1 -all:foo"),
        vec![issue("spf.syntax.unexpected_argument", ":foo")]
    );
    assert_eq!(
        issues("v=spf1 -all."),
        vec![issue("spf.syntax.unexpected_argument", ".")]
    );
    assert_eq!(
        issues("v=spf1 ptr/0"),
        vec![issue("spf.syntax.unexpected_argument", "/0")]
    );
}

#[test]
fn domain_must_end_in_a_toplabel_or_macro() {
    assert_eq!(
        issues("v=spf1 a:foo-bar"),
        vec![issue("spf.syntax.domain_spec", "foo-bar")]
    );
    assert_eq!(
        issues("v=spf1 a:abc.123"),
        vec![issue("spf.syntax.domain_spec", "abc.123")]
    );
    assert_eq!(
        issues("v=spf1 a:example.com:8080"),
        vec![issue("spf.syntax.domain_spec", "example.com:8080")]
    );
    assert_eq!(
        issues("v=spf1 a:museum."),
        vec![issue("spf.syntax.domain_spec", "museum.")]
    );
    assert_eq!(
        issues("v=spf1 a:%{H}.bar a:%{d} a:foo:bar/baz.example.com"),
        vec![]
    );
}

#[test]
fn stray_percent_is_a_macro_error_at_the_percent() {
    assert_eq!(
        issues("v=spf1 exists:%(ir).sbl.example.com"),
        vec![issue("spf.syntax.macro", "%")]
    );
}

#[test]
fn unknown_macro_letter_is_a_macro_error_at_the_letter() {
    assert_eq!(
        issues("v=spf1 a:%{a}.example.com"),
        vec![issue("spf.syntax.macro", "a")]
    );
}

#[test]
fn explanation_only_letter_in_domain_spec_is_a_macro_error() {
    assert_eq!(
        issues("v=spf1 -all exp=%{r}.example.com"),
        vec![issue("spf.syntax.macro", "r")]
    );
}

#[test]
fn unknown_modifier_value_must_be_a_macro_string() {
    assert_eq!(
        issues("v=spf1 -all foo=%abc"),
        vec![issue("spf.syntax.macro", "%")]
    );
}

#[test]
fn second_redirect_is_a_duplicate_modifier() {
    assert_eq!(
        issues("v=spf1 redirect=a.example.com -all redirect=b.example.com"),
        vec![issue("spf.syntax.duplicate_modifier", "redirect=b.example.com")]
    );
}

#[test]
fn control_character_is_reported_at_the_character() {
    assert_eq!(
        issues("v=spf1 a:ctrl.example.com\rptr -all"),
        vec![issue("spf.syntax.character", "\r")]
    );
}

#[test]
fn non_ascii_character_is_reported_at_the_character() {
    assert_eq!(
        issues("v=spf1 a:\u{feff}garbage.example.net -all"),
        vec![issue("spf.syntax.character", "\u{feff}")]
    );
}

#[test]
fn syntax_issues_are_errors() {
    let record = parse("v=spf1 moo a/33 ip4:1.2.3");
    assert_eq!(record.issues.len(), 3);
    assert!(record.issues.iter().all(|issue| issue.level == IssueLevel::Error));
    assert!(!record.is_valid());
}

#[test]
fn macro_transformers_and_delimiters_parse() {
    let parsed = MacroString::parse("%{L2r+-}.user.%{d2}%%%_%-", MacroGrammar::DomainSpec).unwrap();
    assert_eq!(
        parsed.items(),
        &[
            MacroItem::Expand(MacroExpand {
                letter: MacroLetter::LocalPart,
                url_escape: true,
                keep: Some(2),
                reverse: true,
                delimiters: "+-".to_owned(),
            }),
            MacroItem::Literal(".user.".to_owned()),
            MacroItem::Expand(MacroExpand {
                letter: MacroLetter::Domain,
                url_escape: false,
                keep: Some(2),
                reverse: false,
                delimiters: String::new(),
            }),
            MacroItem::Percent,
            MacroItem::Space,
            MacroItem::UrlSpace,
        ]
    );
}

/// A valid domain-spec.
fn domain_spec() -> BoxedStrategy<String> {
    let label = "[a-zA-Z0-9_][a-zA-Z0-9_-]{0,8}";
    let expand = (
        "[slodipvhSLODIPVH]",
        prop::option::of(1u32..200),
        any::<bool>(),
        "[-.+,/_=]{0,3}",
    )
        .prop_map(|(letter, keep, reverse, delimiters)| {
            format!(
                "%{{{letter}{}{}{delimiters}}}",
                keep.map(|k| k.to_string()).unwrap_or_default(),
                if reverse { "r" } else { "" }
            )
        })
        .boxed();
    let piece = prop_oneof![4 => label.prop_map(String::from), 2 => expand.clone(), 1 => Just("%%".to_owned()), 1 => Just("%-".to_owned())];
    let toplabel = prop_oneof!["[a-z]{2,6}", "xn--[a-z0-9]{2,6}"];
    let end = prop_oneof![
        (toplabel, any::<bool>()).prop_map(|(top, dot)| format!(".{top}{}", if dot { "." } else { "" })),
        expand,
    ];
    (prop::collection::vec(piece, 0..4), end)
        .prop_map(|(pieces, end)| format!("{}{end}", pieces.join(".")))
        .boxed()
}

fn cidr(max: u8) -> impl Strategy<Value = String> {
    prop::option::of(0..=max).prop_map(|length| length.map(|l| format!("/{l}")).unwrap_or_default())
}

/// A valid directive, as text.
fn directive_text() -> impl Strategy<Value = String> {
    let qualifier = prop_oneof![Just(""), Just("+"), Just("-"), Just("~"), Just("?")];
    let optional_domain = prop::option::of(domain_spec())
        .prop_map(|d| d.map(|d| format!(":{d}")).unwrap_or_default())
        .boxed();
    let dual = (cidr(32), prop::option::of(0u8..=128))
        .prop_map(|(ip4, ip6)| format!("{ip4}{}", ip6.map(|l| format!("//{l}")).unwrap_or_default()))
        .boxed();
    let mechanism = prop_oneof![
        Just("all".to_owned()),
        domain_spec().prop_map(|d| format!("include:{d}")),
        (optional_domain.clone(), dual.clone()).prop_map(|(d, c)| format!("a{d}{c}")),
        (optional_domain.clone(), dual).prop_map(|(d, c)| format!("MX{d}{c}")),
        optional_domain.prop_map(|d| format!("ptr{d}")),
        (any::<[u8; 4]>(), cidr(32)).prop_map(|(a, c)| format!("ip4:{}{c}", Ipv4Addr::from(a))),
        (any::<[u16; 8]>(), cidr(128)).prop_map(|(a, c)| format!("ip6:{}{c}", Ipv6Addr::from(a))),
        domain_spec().prop_map(|d| format!("exists:{d}")),
    ];
    (qualifier, mechanism).prop_map(|(q, m)| format!("{q}{m}"))
}

/// A valid record, as text: directives, then at most one redirect and one exp, and unknown modifiers.
fn record_text() -> impl Strategy<Value = String> {
    let unknown = ("[a-z][a-z0-9._-]{0,6}", "[!-$&-~]{0,10}")
        .prop_filter("a known modifier name", |(name, _)| {
            !name.eq_ignore_ascii_case("redirect") && !name.eq_ignore_ascii_case("exp")
        })
        .prop_map(|(name, value)| format!("{name}={value}"));
    (
        prop::collection::vec(directive_text(), 0..8),
        prop::option::of(domain_spec().prop_map(|d| format!("redirect={d}"))),
        prop::option::of(domain_spec().prop_map(|d| format!("exp={d}"))),
        prop::collection::vec(unknown, 0..3),
        " {1,3}",
    )
        .prop_map(|(directives, redirect, exp, unknown, separator)| {
            let mut terms = directives;
            terms.extend(redirect);
            terms.extend(exp);
            terms.extend(unknown);
            let mut text = "v=spf1".to_owned();
            for term in terms {
                text.push_str(&separator);
                text.push_str(&term);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_arbitrary_text(text in ".{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn canonical_form_parses_to_the_same_terms_for_arbitrary_text(
        text in prop_oneof![".{0,120}", "v=spf1 [-a-z0-9:./%{}=+~?_ ]{0,100}"]
    ) {
        let first = parse(&text);
        let canonical = first.to_string();
        let second = parse(&canonical);
        prop_assert_eq!(first.term_list(), second.term_list());
        prop_assert!(second.issues.iter().all(|issue| issue.id == "spf.syntax.duplicate_modifier"));
        prop_assert_eq!(second.to_string(), canonical);
    }

    #[test]
    fn generated_valid_records_parse_without_issues_and_round_trip(text in record_text()) {
        let first = parse(&text);
        prop_assert_eq!(&first.issues, &vec![], "{}", text);
        let second = parse(&first.to_string());
        prop_assert_eq!(first.term_list(), second.term_list());
        prop_assert!(second.issues.is_empty());
    }
}
