//! The reports as [`Document`]s: grades, findings by category, every
//! endpoint with its TLS scan, the DNS records, and the connections used.

use mailtls_core::{EndpointObservation, Finding, Observations, Status, Target};
use mailtls_dns::policy::DnsReport;

use super::assessment::mta_sts_text;
use super::dns::policy_text;
use super::document::{Block, Document, Inline, heading, words};
use super::endpoint::endpoint_facts;
use super::finding_groups::{group_findings, status_counts};
use super::scan_document::scan_blocks;
use crate::grade::{CategoryScore, Confidence, EndpointGrade, Grades};
use crate::report::{DomainReport, EndpointReport};
use crate::rules::Rule;

/// Evidence longer than this many lines or characters is collapsed.
const OPEN_EVIDENCE_LINES: usize = 6;
const OPEN_EVIDENCE_CHARS: usize = 600;

/// The report of `mailtls check` and `mailtls demo`.
pub(crate) fn domain_document(report: &DomainReport) -> Document {
    let assessment = &report.assessment;
    let resolvers: Vec<String> = assessment.resolvers.iter().map(ToString::to_string).collect();
    let mut blocks = vec![Block::Paragraph(vec![Inline::text(format!(
        "{} endpoint(s), {} TCP connection(s), {} DNS queries to {}{}, {} ms.",
        assessment.endpoints.len(),
        assessment.connections,
        assessment.dns_queries,
        if resolvers.is_empty() {
            "no resolver".to_owned()
        } else {
            resolvers.join(", ")
        },
        if assessment.validating_resolver {
            " (validating)"
        } else {
            " (not trusted to validate DNSSEC)"
        },
        assessment.duration_ms,
    ))])];
    grade_blocks(&mut blocks, &report.grades);
    findings_blocks(&mut blocks, &report.findings);
    endpoints_blocks(&mut blocks, &assessment.endpoints);

    blocks.push(anchored(2, "DNS records", "dns"));
    let mut dns = String::new();
    policy_text(&mut dns, &assessment.policy);
    blocks.push(Block::Preformatted(dns.trim_matches('\n').to_owned()));
    let mut mta_sts = String::new();
    mta_sts_text(&mut mta_sts, assessment.mta_sts.as_ref());
    blocks.push(heading(3, "MTA-STS policy as a sender fetches it"));
    blocks.push(Block::Preformatted(
        mta_sts
            .trim_matches('\n')
            .trim_start_matches("MTA-STS policy\n")
            .to_owned(),
    ));
    connections_blocks(&mut blocks, assessment.connections, &assessment.endpoints);

    Document {
        title: format!("Mail security of {}", assessment.domain.to_unicode()),
        blocks,
        footer: footer(
            &assessment.generator.name,
            &assessment.generator.version,
            Some(report.ruleset_version),
            assessment.started_at,
        ),
    }
}

/// The report of `mailtls tls` with its findings and grades.
pub(crate) fn endpoint_report_document(report: &EndpointReport) -> Document {
    let mut document = observations_document(&report.observations);
    let mut blocks = Vec::new();
    if let Some(first) = document.blocks.first() {
        blocks.push(first.clone());
    }
    grade_blocks(&mut blocks, &report.grades);
    findings_blocks(&mut blocks, &report.findings);
    blocks.extend(document.blocks.drain(..).skip(1));
    document.blocks = blocks;
    document.footer = footer(
        &report.observations.generator.name,
        &report.observations.generator.version,
        Some(report.ruleset_version),
        report.observations.started_at,
    );
    document
}

/// The report of `mailtls tls`: one server at one or more addresses.
pub(crate) fn observations_document(observations: &Observations) -> Document {
    let target = match &observations.target {
        Target::Domain { domain } => domain.to_unicode(),
        Target::Endpoint { endpoint } => endpoint.to_string(),
    };
    let mut blocks = vec![Block::Paragraph(words(format!(
        "{} endpoint(s), {} TCP connection(s), {} ms.",
        observations.endpoints.len(),
        observations.connections,
        observations.duration_ms
    )))];
    endpoints_blocks(&mut blocks, &observations.endpoints);
    connections_blocks(&mut blocks, observations.connections, &observations.endpoints);
    Document {
        title: format!("TLS of {target}"),
        blocks,
        footer: footer(
            &observations.generator.name,
            &observations.generator.version,
            None,
            observations.started_at,
        ),
    }
}

/// The report of `mailtls dns`.
pub(crate) fn dns_document(report: &DnsReport) -> Document {
    let resolvers: Vec<String> = report.resolvers.iter().map(ToString::to_string).collect();
    let mut dns = String::new();
    policy_text(&mut dns, &report.policy);
    Document {
        title: format!("DNS policy of {}", report.policy.domain.to_unicode()),
        blocks: vec![
            Block::Paragraph(words(format!(
                "{} DNS queries to {}{}, {} ms.",
                report.queries,
                resolvers.join(", "),
                if report.validating_resolver {
                    " (validating)"
                } else {
                    " (not trusted to validate DNSSEC)"
                },
                report.duration_ms
            ))),
            anchored(2, "DNS records", "dns"),
            Block::Preformatted(dns.trim_matches('\n').to_owned()),
        ],
        footer: footer(
            &report.generator.name,
            &report.generator.version,
            None,
            report.started_at,
        ),
    }
}

fn footer(name: &str, version: &str, ruleset: Option<u32>, started_at: u64) -> Vec<Inline> {
    let mut text = format!("Made by {name} {version}");
    if let Some(ruleset) = ruleset {
        text.push_str(&format!(", ruleset {ruleset}"));
    }
    if started_at > 0 {
        text.push_str(&format!(", started at {started_at} (seconds since 1970, UTC)"));
    }
    text.push('.');
    words(text)
}

fn anchored(level: u8, text: &str, anchor: &str) -> Block {
    Block::Heading {
        level,
        content: words(text),
        anchor: Some(anchor.to_owned()),
    }
}

// ------------------------------------------------------------------ grades

fn grade_blocks(blocks: &mut Vec<Block>, grades: &Grades) {
    blocks.push(anchored(2, "Grade", "grade"));
    let graded_nothing = grades.categories.is_empty() && grades.endpoints.is_empty();
    match &grades.overall {
        Some(overall) => blocks.push(Block::Grade {
            letter: Some(overall.letter),
            because: overall.because.clone(),
            reduced: reduced(&overall.confidence),
        }),
        None if graded_nothing => blocks.push(Block::Grade {
            letter: None,
            because: vec!["This report carries no grades; the findings below are the judgement.".to_owned()],
            reduced: Vec::new(),
        }),
        None => blocks.push(Block::Grade {
            letter: None,
            because: vec![
                "Nothing could be graded: no part of the domain was observed completely enough.".to_owned(),
            ],
            reduced: Vec::new(),
        }),
    }
    if !grades.profile.is_empty() {
        blocks.push(Block::Paragraph(vec![
            Inline::text("Profile "),
            Inline::code(grades.profile.clone()),
            Inline::text("."),
        ]));
    }
    if !grades.categories.is_empty() {
        blocks.push(heading(3, "Categories"));
        blocks.push(Block::Table {
            header: ["Category", "Score", "Passed", "Warned", "Failed", "Not tested"]
                .map(str::to_owned)
                .to_vec(),
            rows: grades.categories.iter().map(category_row).collect(),
        });
    }
    if !grades.endpoints.is_empty() {
        blocks.push(heading(3, "TLS endpoints"));
        blocks.push(Block::Table {
            header: [
                "Endpoint",
                "Grade",
                "Score",
                "Protocol",
                "Key exchange",
                "Cipher",
                "Why",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: grades.endpoints.iter().map(endpoint_grade_row).collect(),
        });
    }
}

fn reduced(confidence: &Confidence) -> Vec<String> {
    match confidence {
        Confidence::Full => Vec::new(),
        Confidence::Reduced { reasons } => reasons.clone(),
    }
}

fn category_row(score: &CategoryScore) -> Vec<Vec<Inline>> {
    let mut shown = match (score.percent, &score.not_applicable) {
        (Some(percent), _) => vec![Inline::Strong(format!("{percent} %"))],
        (None, Some(reason)) => words(format!("not applicable: {reason}")),
        (None, None) => words("not applicable"),
    };
    if let Confidence::Reduced { reasons } = &score.confidence {
        shown.push(Inline::text(format!(" (partial: {})", reasons.join("; "))));
    }
    vec![
        words(score.category.title()),
        shown,
        words(score.passed.to_string()),
        words(score.warned.to_string()),
        words(score.failed.to_string()),
        words(score.not_tested.to_string()),
    ]
}

fn endpoint_grade_row(grade: &EndpointGrade) -> Vec<Vec<Inline>> {
    let letter = match (grade.letter, grade.letter_if_trusted) {
        (Some(letter), Some(trusted)) => vec![
            Inline::Letter(letter),
            Inline::text(format!(" ({trusted} if trusted)")),
        ],
        (Some(letter), None) => vec![Inline::Letter(letter)],
        (None, _) => words("not graded"),
    };
    let score = |value: Option<u8>| words(value.map_or_else(|| "–".to_owned(), |v| v.to_string()));
    let mut why = grade.explanation.clone();
    for cap in &grade.caps {
        why.push_str(&format!(
            " Capped at {} ({}): {}.",
            cap.letter, cap.rule, cap.reason
        ));
    }
    if let Confidence::Reduced { reasons } = &grade.confidence {
        why.push_str(&format!(" Partial: {}.", reasons.join("; ")));
    }
    vec![
        vec![
            Inline::code(grade.endpoint.to_string()),
            Inline::text(format!(" ({})", grade.address)),
        ],
        letter,
        score(grade.score),
        score(grade.protocol_score),
        score(grade.key_exchange_score),
        score(grade.cipher_score),
        words(why.trim().to_owned()),
    ]
}

// ---------------------------------------------------------------- findings

fn findings_blocks(blocks: &mut Vec<Block>, findings: &[Finding]) {
    blocks.push(anchored(2, "Findings", "findings"));
    if findings.is_empty() {
        blocks.push(Block::Paragraph(words("No findings.")));
        return;
    }
    let mut counts = Vec::new();
    for (status, count) in status_counts(findings) {
        if !counts.is_empty() {
            counts.push(Inline::text(", "));
        }
        counts.push(Inline::Status(status));
        counts.push(Inline::text(format!(" {count}")));
    }
    blocks.push(Block::Paragraph(counts));
    for group in group_findings(findings) {
        blocks.push(Block::Heading {
            level: 3,
            content: words(group.title()),
            anchor: Some(group.anchor()),
        });
        let passes: Vec<&Finding> = group
            .findings
            .iter()
            .filter(|(finding, _)| finding.status == Status::Pass)
            .map(|(finding, _)| *finding)
            .collect();
        for (finding, rule) in &group.findings {
            if finding.status != Status::Pass {
                blocks.push(finding_section(finding, *rule));
            }
        }
        if !passes.is_empty() {
            blocks.push(Block::Details {
                summary: vec![
                    Inline::Status(Status::Pass),
                    Inline::text(format!(" {} check(s) passed", passes.len())),
                ],
                blocks: vec![Block::List(
                    passes
                        .iter()
                        .map(|finding| {
                            vec![
                                Inline::text(format!("{} ", finding.title)),
                                Inline::code(finding.id.clone()),
                            ]
                        })
                        .collect(),
                )],
            });
        }
    }
}

fn finding_section(finding: &Finding, rule: Option<&Rule>) -> Block {
    let mut blocks = vec![
        Block::Heading {
            level: 4,
            content: vec![
                Inline::Status(finding.status),
                Inline::text(format!(" {}", finding.title)),
            ],
            anchor: None,
        },
        Block::Paragraph(vec![
            Inline::code(finding.id.clone()),
            Inline::text(format!(" · severity {:?}", finding.severity).to_lowercase()),
        ]),
    ];
    if !finding.detail.is_empty() && finding.detail != finding.title {
        blocks.push(Block::Paragraph(words(finding.detail.clone())));
    }
    for evidence in &finding.evidence {
        let source = format!("Evidence from {}", evidence.source);
        if evidence.text.trim().is_empty() {
            blocks.push(Block::Paragraph(words(source)));
            continue;
        }
        let long = evidence.text.lines().count() > OPEN_EVIDENCE_LINES
            || evidence.text.chars().count() > OPEN_EVIDENCE_CHARS;
        if long {
            blocks.push(Block::Details {
                summary: words(format!("{source} ({} lines)", evidence.text.lines().count())),
                blocks: vec![Block::Preformatted(evidence.text.clone())],
            });
        } else {
            blocks.push(Block::Paragraph(words(format!("{source}:"))));
            blocks.push(Block::Preformatted(evidence.text.clone()));
        }
    }
    if let Some(rule) = rule {
        blocks.push(Block::Details {
            summary: words("Why it matters"),
            blocks: vec![Block::Prose(rule.explanation.clone())],
        });
        let fix = vec![Block::Prose(rule.remediation.clone())];
        if matches!(finding.status, Status::Fail | Status::Warn) {
            blocks.push(Block::Paragraph(vec![Inline::Strong("How to fix".to_owned())]));
            blocks.extend(fix);
        } else {
            blocks.push(Block::Details {
                summary: words("How to fix"),
                blocks: fix,
            });
        }
    }
    if !finding.references.is_empty() {
        blocks.push(Block::List(
            finding
                .references
                .iter()
                .map(|reference| {
                    vec![Inline::Link {
                        text: reference.title.clone(),
                        url: reference.url.clone(),
                    }]
                })
                .collect(),
        ));
    }
    Block::Section {
        status: Some(finding.status),
        blocks,
    }
}

// --------------------------------------------------------------- endpoints

/// Labels whose values are a server's own words, shown as literals.
const LITERAL_FACTS: [&str; 6] = [
    "greeting",
    "STARTTLS",
    "before TLS",
    "inside TLS",
    "leaf sha256",
    "leaf names",
];

fn endpoints_blocks(blocks: &mut Vec<Block>, endpoints: &[EndpointObservation]) {
    blocks.push(anchored(2, "Endpoints", "endpoints"));
    if endpoints.is_empty() {
        blocks.push(Block::Paragraph(words("No endpoint was probed.")));
    }
    for observation in endpoints {
        blocks.push(Block::Heading {
            level: 3,
            content: vec![
                Inline::code(observation.endpoint.to_string()),
                Inline::text(format!(" at {}", observation.address)),
            ],
            anchor: None,
        });
        let mut label = "";
        let rows = endpoint_facts(observation)
            .into_iter()
            .map(|(fact, value)| {
                if !fact.is_empty() {
                    label = fact;
                }
                let value = if LITERAL_FACTS.contains(&label) {
                    vec![Inline::Code(value)]
                } else {
                    words(value)
                };
                vec![words(fact), value]
            })
            .collect();
        blocks.push(Block::Table {
            header: vec!["".to_owned(), "Observed".to_owned()],
            rows,
        });
        if let Some(scan) = &observation.tls_scan {
            blocks.extend(scan_blocks(scan));
        }
    }
}

fn connections_blocks(blocks: &mut Vec<Block>, total: u64, endpoints: &[EndpointObservation]) {
    blocks.push(anchored(2, "Connections used", "connections"));
    blocks.push(Block::Paragraph(words(format!(
        "{total} TCP connection(s) to servers in all (DNS queries not counted)."
    ))));
    if endpoints.is_empty() {
        return;
    }
    blocks.push(Block::Table {
        header: ["Endpoint", "Address", "Connections", "Of which the TLS scan"]
            .map(str::to_owned)
            .to_vec(),
        rows: endpoints
            .iter()
            .map(|observation| {
                vec![
                    vec![Inline::code(observation.endpoint.to_string())],
                    words(observation.address.to_string()),
                    words(observation.connections.to_string()),
                    words(
                        observation
                            .tls_scan
                            .as_ref()
                            .map_or_else(|| "no scan".to_owned(), |scan| scan.connections.to_string()),
                    ),
                ]
            })
            .collect(),
    });
}
