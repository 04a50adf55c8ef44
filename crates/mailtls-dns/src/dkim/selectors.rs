//! Selectors worth trying when the user names none.
//!
//! DKIM selectors cannot be discovered from DNS (RFC 6376 §3.1 leaves their
//! names to the signer), so discovery guesses: the defaults that large mail
//! providers, email service providers and common mail software document for
//! their customers. A miss proves nothing; the CLI's `--dkim-selector` gives
//! the real ones.

/// Common DKIM selectors, most widespread first. Each group's comment says
/// where such names come from, in general terms.
pub const DKIM_COMMON_SELECTORS: &[&str] = &[
    // Defaults of large hosted mail suites (one name, or a pair for rotation).
    "google",
    "selector1",
    "selector2",
    // Date-stamped selectors, as a large webmail provider rotates them.
    "20230601",
    "20221208",
    "20210112",
    "20161025",
    // Defaults of mail server software and hosting control panels.
    "default",
    "dkim",
    "mail",
    "smtp",
    // Numbered keys used by bulk-mail and transactional-mail services.
    "k1",
    "k2",
    "k3",
    "s1",
    "s2",
    "key1",
    "key2",
    "sig1",
    "fm1",
    "fm2",
    "fm3",
    "hs1",
    "hs2",
    "protonmail",
    "protonmail2",
    "protonmail3",
    // Selectors named after the sending service, as its setup guide gives them.
    "mandrill",
    "mxvault",
    "everlytickey1",
    "everlytickey2",
    "mailjet",
    "zoho",
    "cm",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_unique_valid_labels() {
        for (index, selector) in DKIM_COMMON_SELECTORS.iter().enumerate() {
            assert!(
                !DKIM_COMMON_SELECTORS[..index].contains(selector),
                "{selector} twice"
            );
            assert!(selector.len() <= 63);
            assert!(
                selector
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
    }
}
