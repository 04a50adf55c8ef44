//! The grade block at the top of a report: the overall letter and why, one
//! letter per endpoint and address, one percentage per category.

use std::fmt::Write;

use crate::grade::{Confidence, EndpointGrade, Grades};

/// Renders `grades` for a terminal; empty when nothing was graded.
pub fn grades_text(grades: &Grades) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nGrade (profile {})", grades.profile);
    match &grades.overall {
        Some(overall) => {
            let _ = writeln!(
                out,
                "  Overall  {}{}",
                overall.letter,
                confidence_note(&overall.confidence)
            );
            for reason in &overall.because {
                let _ = writeln!(out, "           because {reason}");
            }
        }
        None => {
            let _ = writeln!(out, "  Overall  not graded: no endpoint could be graded");
        }
    }
    for grade in &grades.endpoints {
        endpoint_line(&mut out, grade);
    }
    for category in &grades.categories {
        let value = match (category.percent, &category.not_applicable) {
            (Some(percent), _) => format!("{percent:>3} %"),
            (None, Some(reason)) => format!("  n/a ({reason})"),
            (None, None) => "  n/a".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:<42}{value}  pass {} warn {} fail {} not tested {}",
            category.category.title(),
            category.passed,
            category.warned,
            category.failed,
            category.not_tested
        );
    }
    out
}

/// One line: `smtp://mx1:25 (192.0.2.1)  B  (score 88) B because TLS 1.0 is accepted.`
pub fn endpoint_line(out: &mut String, grade: &EndpointGrade) {
    let letter = grade
        .letter
        .map_or_else(|| "-".to_owned(), |letter| letter.to_string());
    let score = grade
        .score
        .map(|score| format!(" score {score}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {:<2} {} ({}){score}{}: {}",
        letter,
        grade.endpoint,
        grade.address.ip(),
        confidence_note(&grade.confidence),
        grade.explanation
    );
}

fn confidence_note(confidence: &Confidence) -> &'static str {
    match confidence {
        Confidence::Full => "",
        Confidence::Reduced { .. } => " (reduced confidence)",
    }
}
