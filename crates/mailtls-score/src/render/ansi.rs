//! Colour for a terminal, and keeping what servers send from driving it.
//!
//! ```text
//! ECMA-48 §8.3.117 SGR: CSI Ps ... m
//!   0 reset   1 bold   31 red   32 green   33 yellow   35 magenta   36 cyan
//!   41 red background   97 bright white
//! ```
//!
//! Colour only ever marks words mailtls chose (a status, a grade); whatever
//! a server or DNS sent is passed through [`terminal_safe`] first, so a
//! hostile greeting cannot move the cursor, retitle the window or hide lines.

use std::borrow::Cow;

use mailtls_core::Status;

use crate::grade::Letter;

/// Whether text output carries ANSI colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colour {
    /// No escape sequences at all: files, pipes, `--no-color`, `NO_COLOR`.
    #[default]
    Plain,
    /// SGR colour for a terminal.
    Ansi,
}

const RESET: &str = "\x1b[0m";

impl Colour {
    /// `text` in the colour of `status`.
    pub(crate) fn status(self, status: Status, text: &str) -> String {
        let code = match status {
            Status::Fail => "1;31",
            Status::Warn => "33",
            Status::Error => "35",
            Status::NotTested => "36",
            Status::Info => "",
            Status::Pass => "32",
        };
        self.paint(code, text)
    }

    /// `text` in the colour of `letter`.
    pub(crate) fn letter(self, letter: Letter, text: &str) -> String {
        let code = match letter {
            Letter::APlus | Letter::A | Letter::AMinus => "1;32",
            Letter::B => "1;33",
            Letter::C | Letter::D | Letter::E => "1;31",
            Letter::F | Letter::T => "1;97;41",
        };
        self.paint(code, text)
    }

    /// `text` in bold.
    pub(crate) fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Self::Ansi if !code.is_empty() => format!("\x1b[{code}m{text}{RESET}"),
            _ => text.to_owned(),
        }
    }
}

/// `text` with every control character but line feed and tab replaced by
/// its visible `\u{..}` escape: C0 controls (ESC starts every terminal
/// command), DEL and the C1 controls (U+0080–U+009F, which some terminals
/// take as commands too).
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_adds_no_escape_sequences() {
        assert_eq!(Colour::Plain.status(Status::Fail, "FAIL"), "FAIL");
        assert_eq!(Colour::Plain.letter(Letter::F, "F"), "F");
    }

    #[test]
    fn ansi_wraps_the_word_and_resets() {
        assert_eq!(Colour::Ansi.status(Status::Fail, "FAIL"), "\x1b[1;31mFAIL\x1b[0m");
        assert_eq!(Colour::Ansi.status(Status::Pass, "pass"), "\x1b[32mpass\x1b[0m");
        assert_eq!(Colour::Ansi.letter(Letter::APlus, "A+"), "\x1b[1;32mA+\x1b[0m");
        assert_eq!(Colour::Ansi.status(Status::Info, "info"), "info");
    }

    #[test]
    fn terminal_commands_from_a_server_are_shown_not_obeyed() {
        assert_eq!(
            terminal_safe("220 mx\x1b]0;owned\x07 ESMTP\r"),
            "220 mx\\u{1b}]0;owned\\u{7} ESMTP\\u{d}"
        );
        assert_eq!(terminal_safe("a\u{9b}2J b"), "a\\u{9b}2J b");
        assert!(matches!(terminal_safe("line\n\tnext"), Cow::Borrowed(_)));
    }
}
