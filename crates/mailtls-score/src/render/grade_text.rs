//! The grades as text: the overall letter and why, each category's
//! percentage, each TLS endpoint's letter.

use std::fmt::Write;

use crate::grade::{CategoryScore, Confidence, EndpointGrade, Grades};

use super::ansi::{Colour, terminal_safe};

/// Writes the grade summary; nothing when the report has no grades at all.
pub(crate) fn grades_text(out: &mut String, grades: &Grades, colour: Colour) {
    if grades.overall.is_none() && grades.categories.is_empty() && grades.endpoints.is_empty() {
        return;
    }
    match &grades.overall {
        Some(overall) => {
            let letter = overall.letter.as_str();
            let because = if overall.because.is_empty() {
                String::new()
            } else {
                format!("  because {}", overall.because.join("; "))
            };
            let _ = writeln!(
                out,
                "\nGrade {}{because}",
                colour.letter(overall.letter, &format!(" {letter} "))
            );
            confidence(out, &overall.confidence);
        }
        None => {
            let _ = writeln!(out, "\nGrade  none: nothing could be graded");
        }
    }
    if !grades.profile.is_empty() {
        let _ = writeln!(out, "  profile {}", grades.profile);
    }
    for score in &grades.categories {
        category(out, score);
    }
    for grade in &grades.endpoints {
        endpoint_line(out, grade, colour);
    }
}

fn confidence(out: &mut String, confidence: &Confidence) {
    if let Confidence::Reduced { reasons } = confidence {
        for reason in reasons {
            let _ = writeln!(out, "  partial: {reason}");
        }
    }
}

fn category(out: &mut String, score: &CategoryScore) {
    let shown = match (score.percent, &score.not_applicable) {
        (Some(percent), _) => format!("{percent:>3} %"),
        (None, Some(reason)) => format!("not applicable: {reason}"),
        (None, None) => "not applicable".to_owned(),
    };
    let mut counts = Vec::new();
    for (count, word) in [
        (score.passed, "passed"),
        (score.warned, "warned"),
        (score.failed, "failed"),
        (score.not_tested, "not tested"),
    ] {
        if count > 0 {
            counts.push(format!("{count} {word}"));
        }
    }
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!("  ({})", counts.join(", "))
    };
    let partial = if matches!(score.confidence, Confidence::Reduced { .. }) {
        "  partial"
    } else {
        ""
    };
    let _ = writeln!(out, "  {:<40}  {shown}{counts}{partial}", score.category.title());
}

/// One endpoint's letter, score, explanation and caps.
pub fn endpoint_line(out: &mut String, grade: &EndpointGrade, colour: Colour) {
    let name = format!("{} ({})", grade.endpoint, grade.address);
    let letter = match (grade.letter, grade.letter_if_trusted) {
        (Some(letter), Some(trusted)) => format!(
            "{} (if trusted: {trusted})",
            colour.letter(letter, letter.as_str())
        ),
        (Some(letter), None) => colour.letter(letter, letter.as_str()),
        (None, _) => "not graded".to_owned(),
    };
    let score = grade
        .score
        .map(|score| format!("  score {score}"))
        .unwrap_or_default();
    let _ = writeln!(out, "  {name:<40}  {letter}{score}");
    if !grade.explanation.is_empty() {
        let _ = writeln!(out, "  {:<40}  {}", "", terminal_safe(&grade.explanation));
    }
    for cap in &grade.caps {
        let _ = writeln!(
            out,
            "  {:<40}  capped at {} by {}: {}",
            "", cap.letter, cap.rule, cap.reason
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{Cap, Category, Letter, OverallGrade};
    use mailtls_core::{Domain, Endpoint, Host, MailProtocol};

    #[test]
    fn empty_grades_print_nothing() {
        let mut out = String::new();
        grades_text(&mut out, &Grades::default(), Colour::Plain);
        assert_eq!(out, "");
    }

    #[test]
    fn grade_summary_names_the_letter_the_reasons_and_what_does_not_apply() {
        let host = Host::Domain(Domain::parse("mx1.example.test").unwrap());
        let grades = Grades {
            profile: "default".into(),
            endpoints: vec![EndpointGrade {
                endpoint: Endpoint::new(MailProtocol::Smtp, host),
                address: "192.0.2.1:25".parse().unwrap(),
                protocol_score: Some(95),
                key_exchange_score: Some(90),
                cipher_score: Some(90),
                score: Some(91),
                letter: Some(Letter::B),
                letter_if_trusted: None,
                caps: vec![Cap {
                    letter: Letter::B,
                    rule: "tls.version.tls1_0".into(),
                    reason: "TLS 1.0 is accepted".into(),
                }],
                trust_counts: false,
                explanation: "B: TLS 1.0 is accepted".into(),
                confidence: Confidence::Full,
            }],
            categories: vec![
                CategoryScore {
                    category: Category::Transport,
                    percent: Some(80),
                    not_applicable: None,
                    passed: 4,
                    warned: 1,
                    failed: 0,
                    not_tested: 0,
                    confidence: Confidence::Full,
                },
                CategoryScore {
                    category: Category::Dane,
                    percent: None,
                    not_applicable: Some("no TLSA records".into()),
                    passed: 0,
                    warned: 0,
                    failed: 0,
                    not_tested: 0,
                    confidence: Confidence::Full,
                },
            ],
            overall: Some(OverallGrade {
                letter: Letter::B,
                because: vec!["TLS 1.0 is accepted on mx1.example.test".into()],
                confidence: Confidence::Full,
            }),
        };
        let mut out = String::new();
        grades_text(&mut out, &grades, Colour::Plain);
        assert_eq!(
            out,
            "
Grade  B   because TLS 1.0 is accepted on mx1.example.test
  profile default
  Transport security (MX)                    80 %  (4 passed, 1 warned)
  DANE                                      not applicable: no TLSA records
  smtp://mx1.example.test:25 (192.0.2.1:25)  B  score 91
                                            B: TLS 1.0 is accepted
                                            capped at B by tls.version.tls1_0: TLS 1.0 is accepted
"
        );
    }
}
