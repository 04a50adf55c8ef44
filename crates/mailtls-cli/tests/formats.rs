//! `--format text|json|md|html` and `--no-color` as a user runs them.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::process::{Command, Output};

fn mailtls(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mailtls"));
    command.args(args).env_remove("NO_COLOR");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn demo_markdown_has_the_report_sections() {
    let markdown = stdout(&mailtls(&["demo", "--quiet", "--format", "md"], &[]));
    assert!(markdown.starts_with("# Mail security of demo.mailtls.test\n"));
    for heading in [
        "\n## Grade\n",
        "\n## Findings\n",
        "\n## Endpoints\n",
        "\n## DNS records\n",
        "\n## Connections used\n",
    ] {
        assert!(markdown.contains(heading), "{heading} missing");
    }
}

#[test]
fn markdown_alias_is_accepted() {
    let markdown = stdout(&mailtls(&["demo", "--quiet", "--format", "markdown"], &[]));
    assert!(markdown.starts_with("# Mail security of demo.mailtls.test\n"));
}

#[test]
fn demo_html_is_one_page() {
    let html = stdout(&mailtls(&["demo", "--quiet", "--format", "html"], &[]));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));
    assert!(!html.contains("<script"));
}

#[test]
fn text_through_a_pipe_has_no_colour() {
    // Standard output is a pipe here: no escape sequences, with or without the flag.
    let text = stdout(&mailtls(&["demo", "--quiet"], &[]));
    assert!(text.contains("\nFindings (ruleset 2;"), "{text}");
    assert!(!text.contains('\x1b'));
    let text = stdout(&mailtls(&["demo", "--quiet", "--no-color"], &[("NO_COLOR", "1")]));
    assert!(!text.contains('\x1b'));
}

#[test]
fn text_findings_are_grouped_with_fix_hints() {
    let text = stdout(&mailtls(&["demo", "--quiet"], &[]));
    assert!(
        text.contains("\nDANE\n  WARN       dane.tlsa.unusable  TLSA records are published but unusable\n"),
        "{text}"
    );
    assert!(
        text.contains("             fix: Sign the zone with DNSSEC"),
        "{text}"
    );
}

#[test]
fn spf_refuses_markdown_before_asking_dns() {
    let output = mailtls(
        &[
            "spf",
            "example.test",
            "--ip",
            "192.0.2.1",
            "--resolver",
            "127.0.0.1:9",
            "--format",
            "md",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("writes --format text or json only"));
}
