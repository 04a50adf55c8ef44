//! ManageSieve: the capability greeting and STARTTLS.
//!
//! ```text
//! RFC 5804 §1.7: the server greets with its capabilities, one per line, as
//!   quoted strings ("STARTTLS", "SASL" "PLAIN", "IMPLEMENTATION" "…"),
//!   followed by an OK response.
//! RFC 5804 §2.2: "STARTTLS" is answered OK; after the TLS handshake the
//!   server sends its capabilities again, unasked.
//! ```

use mailtls_core::DialogueObservation;

use crate::session::{Session, Stop};

/// The response word that ends a capability list, if `line` is one.
pub fn response_word(line: &str) -> Option<&'static str> {
    let word = line.split_whitespace().next()?;
    ["OK", "NO", "BYE"]
        .into_iter()
        .find(|w| w.eq_ignore_ascii_case(word))
}

/// The capability name of a capability line (`"SASL" "PLAIN"` → `SASL`).
pub fn capability_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('"')?;
    rest.get(..rest.find('"')?)
}

/// Reads a capability list up to its response; the response line is returned.
async fn capabilities(session: &mut Session<'_>) -> Result<(Vec<String>, String), Stop> {
    let mut lines = Vec::new();
    loop {
        let line = session.recv().await?;
        if response_word(&line).is_some() {
            return Ok((lines, line));
        }
        lines.push(line);
    }
}

async fn logout(session: &mut Session<'_>) {
    if session.send("LOGOUT").await.is_ok() {
        let _ = session.recv().await;
    }
}

/// The plaintext phase: capability greeting, STARTTLS. Returns whether TLS may start now.
pub(crate) async fn before_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
) -> Result<bool, Stop> {
    let (lines, response) = capabilities(session).await?;
    dialogue.greeting = lines
        .iter()
        .cloned()
        .chain(std::iter::once(response.clone()))
        .collect();
    if response_word(&response) != Some("OK") {
        return Err(Stop::NotTested(format!(
            "the server refused the session: {response}"
        )));
    }
    dialogue.starttls_offered = lines
        .iter()
        .any(|line| capability_name(line).is_some_and(|name| name.eq_ignore_ascii_case("STARTTLS")));
    dialogue.capabilities_before_tls = lines;
    if !dialogue.starttls_offered {
        logout(session).await;
        return Ok(false);
    }
    session.send("STARTTLS").await?;
    let reply = session.recv().await?;
    let ok = response_word(&reply) == Some("OK");
    dialogue.starttls_reply = Some(reply);
    if !ok {
        logout(session).await;
    }
    Ok(ok)
}

/// The phase inside TLS: the capabilities the server sends unasked, LOGOUT.
pub(crate) async fn after_tls(
    session: &mut Session<'_>,
    dialogue: &mut DialogueObservation,
) -> Result<(), Stop> {
    let (lines, _) = capabilities(session).await?;
    dialogue.capabilities_after_tls = lines;
    logout(session).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_words_end_the_list() {
        assert_eq!(response_word("OK \"Dovecot ready.\""), Some("OK"));
        assert_eq!(response_word("no"), Some("NO"));
        assert_eq!(response_word("\"STARTTLS\""), None);
        assert_eq!(response_word(""), None);
    }

    #[test]
    fn capability_names_are_unquoted() {
        assert_eq!(capability_name("\"SASL\" \"PLAIN\""), Some("SASL"));
        assert_eq!(capability_name("\"STARTTLS\""), Some("STARTTLS"));
        assert_eq!(capability_name("\"broken"), None);
        assert_eq!(capability_name("OK"), None);
    }
}
