//! SPF macro strings (RFC 7208 §7): their syntax, canonical text and expansion.
//!
//! ```text
//! RFC 7208 §7.1
//!   domain-spec      = macro-string domain-end
//!   domain-end       = ( "." toplabel [ "." ] ) / macro-expand
//!
//!   toplabel         = ( *alphanum ALPHA *alphanum ) /
//!                      ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
//!   alphanum         = ALPHA / DIGIT
//!
//!   explain-string   = *( macro-string / SP )
//!
//!   macro-string     = *( macro-expand / macro-literal )
//!   macro-expand     = ( "%{" macro-letter transformers *delimiter "}" )
//!                      / "%%" / "%_" / "%-"
//!   macro-literal    = %x21-24 / %x26-7E
//!                      ; visible characters except "%"
//!   macro-letter     = "s" / "l" / "o" / "d" / "i" / "p" / "h" /
//!                      "c" / "r" / "t" / "v"
//!   transformers     = *DIGIT [ "r" ]
//!   delimiter        = "." / "-" / "+" / "," / "/" / "_" / "="
//! ```
//!
//! ABNF strings are case-insensitive, so `%{D}` is as valid as `%{d}`: an
//! upper-case letter asks for the expansion to be URL-escaped (§7.3).

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::net::IpAddr;

/// Which ABNF rule a macro string is parsed under: it decides which letters
/// and characters are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MacroGrammar {
    /// A `domain-spec` of a mechanism, `redirect=` or `exp=`. The letters
    /// `c`, `r` and `t` are not allowed (§7.2: "allowed only in exp text").
    DomainSpec,
    /// The value of an unknown modifier: any `macro-string`.
    MacroString,
    /// The text of an explanation TXT record: an `explain-string`, where
    /// spaces are allowed and every letter may be used.
    ExplainString,
}

/// What a macro letter stands for (RFC 7208 §7.2).
///
/// ```text
/// s = <sender>                       c = SMTP client IP (easily readable format)
/// l = local-part of <sender>         r = domain name of host performing the check
/// o = domain of <sender>             t = current timestamp
/// d = <domain>                       (c, r and t only in "exp" text)
/// i = <ip>
/// p = the validated domain name of <ip> (do not use)
/// v = the string "in-addr" if <ip> is ipv4, or "ip6" if <ip> is ipv6
/// h = HELO/EHLO domain
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacroLetter {
    /// `s`: the sender, `local-part@domain`.
    Sender,
    /// `l`: the local-part of the sender.
    LocalPart,
    /// `o`: the domain of the sender.
    SenderDomain,
    /// `d`: the domain whose record is being evaluated.
    Domain,
    /// `i`: the client IP, dotted quad or dot-separated nibbles for IPv6.
    Ip,
    /// `p`: the validated domain name of the client IP (RFC 7208 says: do not use).
    ValidatedDomain,
    /// `v`: `in-addr` or `ip6`.
    IpVersion,
    /// `h`: the HELO/EHLO domain.
    Helo,
    /// `c`: the client IP in its readable form (explanations only).
    ClientIp,
    /// `r`: the name of the host doing the check (explanations only).
    Receiver,
    /// `t`: seconds since the epoch (explanations only).
    Timestamp,
}

impl MacroLetter {
    /// The letter for a character, in either case.
    pub fn from_char(letter: char) -> Option<Self> {
        Some(match letter.to_ascii_lowercase() {
            's' => Self::Sender,
            'l' => Self::LocalPart,
            'o' => Self::SenderDomain,
            'd' => Self::Domain,
            'i' => Self::Ip,
            'p' => Self::ValidatedDomain,
            'v' => Self::IpVersion,
            'h' => Self::Helo,
            'c' => Self::ClientIp,
            'r' => Self::Receiver,
            't' => Self::Timestamp,
            _ => return None,
        })
    }

    /// The lower-case letter.
    pub fn as_char(self) -> char {
        match self {
            Self::Sender => 's',
            Self::LocalPart => 'l',
            Self::SenderDomain => 'o',
            Self::Domain => 'd',
            Self::Ip => 'i',
            Self::ValidatedDomain => 'p',
            Self::IpVersion => 'v',
            Self::Helo => 'h',
            Self::ClientIp => 'c',
            Self::Receiver => 'r',
            Self::Timestamp => 't',
        }
    }

    /// Whether RFC 7208 §7.2 allows the letter only in explanation text.
    pub fn is_explanation_only(self) -> bool {
        matches!(self, Self::ClientIp | Self::Receiver | Self::Timestamp)
    }
}

/// One `%{...}` macro with its transformers (RFC 7208 §7.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MacroExpand {
    /// The letter.
    pub letter: MacroLetter,
    /// Written in upper case: URL-escape the expansion.
    pub url_escape: bool,
    /// Keep only this many right-hand parts (never zero).
    pub keep: Option<u32>,
    /// The `r` transformer: reverse the parts first.
    pub reverse: bool,
    /// The delimiters to split on, as written; `.` when empty.
    pub delimiters: String,
}

/// One piece of a macro string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MacroItem {
    /// Text taken as is.
    Literal(String),
    /// A `%{...}` macro.
    Expand(MacroExpand),
    /// `%%`: a percent sign.
    Percent,
    /// `%_`: a space.
    Space,
    /// `%-`: a URL-encoded space, `%20`.
    UrlSpace,
}

/// A parsed macro string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MacroString {
    items: Vec<MacroItem>,
}

/// Why a macro string is invalid. Offsets are bytes into the macro string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MacroError {
    /// A `%` not followed by `{`, `%`, `_` or `-` (§7.1).
    #[error("'%' at offset {offset} is not followed by '{{', '%', '_' or '-'")]
    StrayPercent {
        /// Offset of the `%`.
        offset: usize,
    },
    /// `%{` without its closing `}`.
    #[error("the macro at offset {offset} has no closing '}}'")]
    Unterminated {
        /// Offset of the `%`.
        offset: usize,
    },
    /// A letter that is not a macro letter.
    #[error("{letter:?} at offset {offset} is not a macro letter (s, l, o, d, i, p, v, h, c, r, t)")]
    UnknownLetter {
        /// Offset of the letter.
        offset: usize,
        /// The letter.
        letter: char,
    },
    /// `c`, `r` or `t` outside an explanation (§7.2).
    #[error("macro letter {letter:?} at offset {offset} is allowed only in explanation text")]
    ExplanationOnlyLetter {
        /// Offset of the letter.
        offset: usize,
        /// The letter.
        letter: char,
    },
    /// A digit transformer of zero (§7.3: "the value MUST be nonzero").
    #[error("the macro at offset {offset} keeps zero parts; the number must be nonzero")]
    ZeroParts {
        /// Offset of the digits.
        offset: usize,
    },
    /// Something inside `%{...}` that is neither a transformer nor a delimiter.
    #[error("{character:?} at offset {offset} is not a transformer or delimiter")]
    BadTransformer {
        /// Offset of the character.
        offset: usize,
        /// The character.
        character: char,
    },
    /// A character that no macro string may contain (controls, non-ASCII,
    /// and spaces outside explanations).
    #[error("{character:?} at offset {offset} is not allowed in a macro string")]
    BadCharacter {
        /// Offset of the character.
        offset: usize,
        /// The character.
        character: char,
    },
}

impl MacroError {
    /// Offset of the offending text in the macro string.
    pub fn offset(&self) -> usize {
        match self {
            Self::StrayPercent { offset }
            | Self::Unterminated { offset }
            | Self::UnknownLetter { offset, .. }
            | Self::ExplanationOnlyLetter { offset, .. }
            | Self::ZeroParts { offset }
            | Self::BadTransformer { offset, .. }
            | Self::BadCharacter { offset, .. } => *offset,
        }
    }
}

/// `macro-literal = %x21-24 / %x26-7E`
fn is_macro_literal(character: char) -> bool {
    matches!(character, '\x21'..='\x24' | '\x26'..='\x7e')
}

/// `delimiter = "." / "-" / "+" / "," / "/" / "_" / "="`
fn is_delimiter(character: char) -> bool {
    matches!(character, '.' | '-' | '+' | ',' | '/' | '_' | '=')
}

impl MacroString {
    /// Parses `text` under `grammar`.
    pub fn parse(text: &str, grammar: MacroGrammar) -> Result<Self, MacroError> {
        let mut items = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((offset, character)) = chars.next() {
            if character != '%' {
                let allowed = is_macro_literal(character)
                    || (character == ' ' && grammar == MacroGrammar::ExplainString);
                if !allowed {
                    return Err(MacroError::BadCharacter { offset, character });
                }
                literal.push(character);
                continue;
            }
            let item = match chars.next() {
                Some((_, '%')) => MacroItem::Percent,
                Some((_, '_')) => MacroItem::Space,
                Some((_, '-')) => MacroItem::UrlSpace,
                Some((_, '{')) => MacroItem::Expand(parse_expand(&mut chars, offset, grammar)?),
                _ => return Err(MacroError::StrayPercent { offset }),
            };
            if !literal.is_empty() {
                items.push(MacroItem::Literal(std::mem::take(&mut literal)));
            }
            items.push(item);
        }
        if !literal.is_empty() {
            items.push(MacroItem::Literal(literal));
        }
        Ok(Self { items })
    }

    /// The pieces, in order.
    pub fn items(&self) -> &[MacroItem] {
        &self.items
    }

    /// Whether the string contains no macros, only literal text.
    pub fn is_literal(&self) -> bool {
        self.items
            .iter()
            .all(|item| matches!(item, MacroItem::Literal(_)))
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether a `%{...}` macro uses `letter`.
    pub fn uses(&self, letter: MacroLetter) -> bool {
        self.items
            .iter()
            .any(|item| matches!(item, MacroItem::Expand(expand) if expand.letter == letter))
    }

    /// Expands the macros with `values` (RFC 7208 §7.3).
    pub fn expand(&self, values: &MacroValues<'_>) -> String {
        let mut out = String::new();
        for item in &self.items {
            match item {
                MacroItem::Literal(text) => out.push_str(text),
                MacroItem::Percent => out.push('%'),
                MacroItem::Space => out.push(' '),
                MacroItem::UrlSpace => out.push_str("%20"),
                MacroItem::Expand(expand) => expand.expand_into(values, &mut out),
            }
        }
        out
    }
}

fn parse_expand(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    start: usize,
    grammar: MacroGrammar,
) -> Result<MacroExpand, MacroError> {
    let Some((letter_offset, letter_char)) = chars.next() else {
        return Err(MacroError::Unterminated { offset: start });
    };
    let letter = MacroLetter::from_char(letter_char).ok_or(MacroError::UnknownLetter {
        offset: letter_offset,
        letter: letter_char,
    })?;
    if grammar == MacroGrammar::DomainSpec && letter.is_explanation_only() {
        return Err(MacroError::ExplanationOnlyLetter {
            offset: letter_offset,
            letter: letter_char,
        });
    }
    // transformers = *DIGIT [ "r" ]
    let mut keep: Option<u32> = None;
    let mut digits_offset = None;
    while let Some(&(offset, digit)) = chars.peek() {
        let Some(value) = digit.to_digit(10) else { break };
        digits_offset.get_or_insert(offset);
        // More parts than a name can have mean "all of them"; saturate.
        keep = Some(keep.unwrap_or(0).saturating_mul(10).saturating_add(value));
        chars.next();
    }
    if let (Some(0), Some(offset)) = (keep, digits_offset) {
        return Err(MacroError::ZeroParts { offset });
    }
    let mut reverse = false;
    if let Some(&(_, 'r' | 'R')) = chars.peek() {
        reverse = true;
        chars.next();
    }
    let mut delimiters = String::new();
    loop {
        match chars.next() {
            Some((_, '}')) => break,
            Some((_, character)) if is_delimiter(character) => delimiters.push(character),
            Some((offset, character)) => return Err(MacroError::BadTransformer { offset, character }),
            None => return Err(MacroError::Unterminated { offset: start }),
        }
    }
    Ok(MacroExpand {
        letter,
        url_escape: letter_char.is_ascii_uppercase(),
        keep,
        reverse,
        delimiters,
    })
}

impl fmt::Display for MacroExpand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letter = self.letter.as_char();
        let letter = if self.url_escape {
            letter.to_ascii_uppercase()
        } else {
            letter
        };
        write!(f, "%{{{letter}")?;
        if let Some(keep) = self.keep {
            write!(f, "{keep}")?;
        }
        if self.reverse {
            f.write_char('r')?;
        }
        write!(f, "{}}}", self.delimiters)
    }
}

impl fmt::Display for MacroString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            match item {
                MacroItem::Literal(text) => f.write_str(text)?,
                MacroItem::Expand(expand) => write!(f, "{expand}")?,
                MacroItem::Percent => f.write_str("%%")?,
                MacroItem::Space => f.write_str("%_")?,
                MacroItem::UrlSpace => f.write_str("%-")?,
            }
        }
        Ok(())
    }
}

/// The values macros expand to during one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct MacroValues<'a> {
    /// `<sender>`, with `postmaster` as local-part when it had none.
    pub sender: &'a str,
    /// Its local-part.
    pub local_part: &'a str,
    /// Its domain.
    pub sender_domain: &'a str,
    /// `<domain>`: the domain whose record is being evaluated.
    pub domain: &'a str,
    /// `<ip>`, with IPv4-mapped IPv6 addresses already made IPv4.
    pub ip: IpAddr,
    /// The validated domain name of `<ip>`, if one was found.
    pub validated_domain: Option<&'a str>,
    /// The HELO/EHLO domain.
    pub helo: &'a str,
    /// The name of the host doing the check.
    pub receiver: &'a str,
    /// Seconds since the epoch.
    pub timestamp: u64,
}

impl MacroLetter {
    fn value<'a>(self, values: &MacroValues<'a>) -> Cow<'a, str> {
        match self {
            Self::Sender => Cow::Borrowed(values.sender),
            Self::LocalPart => Cow::Borrowed(values.local_part),
            Self::SenderDomain => Cow::Borrowed(values.sender_domain),
            Self::Domain => Cow::Borrowed(values.domain),
            Self::Ip => Cow::Owned(ip_dot_format(values.ip)),
            Self::ValidatedDomain => Cow::Borrowed(values.validated_domain.unwrap_or("unknown")),
            Self::IpVersion => Cow::Borrowed(match values.ip {
                IpAddr::V4(_) => "in-addr",
                IpAddr::V6(_) => "ip6",
            }),
            Self::Helo => Cow::Borrowed(values.helo),
            Self::ClientIp => Cow::Owned(values.ip.to_string()),
            Self::Receiver => Cow::Borrowed(values.receiver),
            Self::Timestamp => Cow::Owned(values.timestamp.to_string()),
        }
    }
}

/// The `i` macro's form of an address.
///
/// ```text
/// RFC 7208 §7.3: For IPv4 addresses, both the "i" and "c" macros expand
///   to the standard dotted-quad format.  For IPv6 addresses, the "i"
///   macro expands to a dot-format address; it is intended for use in %{ir}.
/// ```
///
/// The nibbles are upper-case hex, as the OpenSPF suite (`v-macro-ip6`)
/// expects; DNS names are case-insensitive, so only explanations can tell.
pub fn ip_dot_format(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for byte in v6.octets() {
                for nibble in [byte >> 4, byte & 0x0f] {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push(char::from_digit(u32::from(nibble), 16).map_or('0', |c| c.to_ascii_uppercase()));
                }
            }
            out
        }
    }
}

impl MacroExpand {
    /// ```text
    /// RFC 7208 §7.3: the macro strings are split into parts ... on "."
    ///   by default, or on the given delimiters.  The "r" transformer
    ///   reverses, then the DIGIT transformer keeps that many right-hand
    ///   parts; the parts are rejoined using "." ...  Uppercase macros
    ///   expand exactly as their lowercase equivalents, and are then URL
    ///   escaped ... for characters not in the "unreserved" set [RFC3986].
    /// ```
    fn expand_into(&self, values: &MacroValues<'_>, out: &mut String) {
        let value = self.letter.value(values);
        let delimiters: &[char] = &self.delimiters.chars().collect::<Vec<_>>();
        let mut parts: Vec<&str> = if delimiters.is_empty() {
            value.split('.').collect()
        } else {
            value.split(delimiters).collect()
        };
        if self.reverse {
            parts.reverse();
        }
        let keep = self
            .keep
            .map_or(parts.len(), |keep| usize::try_from(keep).unwrap_or(usize::MAX));
        let skip = parts.len().saturating_sub(keep);
        let joined = parts.iter().skip(skip).copied().collect::<Vec<_>>().join(".");
        if self.url_escape {
            url_escape_into(&joined, out);
        } else {
            out.push_str(&joined);
        }
    }
}

/// `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"` (RFC 3986 §2.3);
/// everything else becomes `%XX` per UTF-8 octet.
fn url_escape_into(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// A `domain-spec`: a macro string that ends in a top-level label or a macro.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DomainSpec(MacroString);

/// Why a text is not a `domain-spec`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainSpecError {
    /// Nothing after the `:` or `=`.
    #[error("the domain-spec is empty")]
    Empty,
    /// The macro string itself is invalid.
    #[error(transparent)]
    Macro(#[from] MacroError),
    /// The end is neither `.toplabel` nor a macro (§7.1 `domain-end`).
    #[error(
        "{end:?} is not a valid end of a domain: it must be a macro or a dot and a top-level label of \
         letters, digits and inner hyphens, not all digits"
    )]
    DomainEnd {
        /// The text after the last dot, or the whole text when there is none.
        end: String,
    },
}

impl DomainSpec {
    /// Parses a `domain-spec`.
    pub fn parse(text: &str) -> Result<Self, DomainSpecError> {
        if text.is_empty() {
            return Err(DomainSpecError::Empty);
        }
        let macro_string = MacroString::parse(text, MacroGrammar::DomainSpec)?;
        match macro_string.items.last() {
            Some(MacroItem::Literal(last)) => {
                // domain-end = "." toplabel [ "." ], all inside the trailing literal.
                let without_dot = last.strip_suffix('.').unwrap_or(last);
                match without_dot.rsplit_once('.') {
                    Some((_, toplabel)) if is_toplabel(toplabel) => Ok(Self(macro_string)),
                    Some((_, toplabel)) => Err(DomainSpecError::DomainEnd {
                        end: toplabel.to_owned(),
                    }),
                    None => Err(DomainSpecError::DomainEnd {
                        end: without_dot.to_owned(),
                    }),
                }
            }
            Some(_) => Ok(Self(macro_string)),
            None => Err(DomainSpecError::Empty),
        }
    }

    /// The macro string.
    pub fn macro_string(&self) -> &MacroString {
        &self.0
    }
}

impl fmt::Display for DomainSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// ```text
/// toplabel = ( *alphanum ALPHA *alphanum ) /
///            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
/// ```
fn is_toplabel(label: &str) -> bool {
    let bytes = label.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-') {
        return false;
    }
    if bytes.contains(&b'-') {
        bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    } else {
        bytes.iter().any(u8::is_ascii_alphabetic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn values(ip: IpAddr) -> MacroValues<'static> {
        MacroValues {
            sender: "strong-bad@email.example.com",
            local_part: "strong-bad",
            sender_domain: "email.example.com",
            domain: "email.example.com",
            ip,
            validated_domain: Some("mx.example.org"),
            helo: "mx.example.org",
            receiver: "unknown",
            timestamp: 0,
        }
    }

    fn expand(text: &str, ip: IpAddr) -> String {
        MacroString::parse(text, MacroGrammar::ExplainString)
            .unwrap()
            .expand(&values(ip))
    }

    const V4: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 3));

    #[test]
    fn rfc7208_section_7_4_examples_expand_as_printed() {
        assert_eq!(expand("%{s}", V4), "strong-bad@email.example.com");
        assert_eq!(expand("%{o}", V4), "email.example.com");
        assert_eq!(expand("%{d}", V4), "email.example.com");
        assert_eq!(expand("%{d4}", V4), "email.example.com");
        assert_eq!(expand("%{d3}", V4), "email.example.com");
        assert_eq!(expand("%{d2}", V4), "example.com");
        assert_eq!(expand("%{d1}", V4), "com");
        assert_eq!(expand("%{dr}", V4), "com.example.email");
        assert_eq!(expand("%{d2r}", V4), "example.email");
        assert_eq!(expand("%{l}", V4), "strong-bad");
        assert_eq!(expand("%{l-}", V4), "strong.bad");
        assert_eq!(expand("%{lr}", V4), "strong-bad");
        assert_eq!(expand("%{lr-}", V4), "bad.strong");
        assert_eq!(expand("%{l1r-}", V4), "strong");
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", V4),
            "3.2.0.192.in-addr._spf.example.com"
        );
        assert_eq!(
            expand("%{lr-}.lp._spf.%{d2}", V4),
            "bad.strong.lp._spf.example.com"
        );
        assert_eq!(
            expand("%{d2}.trusted-domains.example.net", V4),
            "example.com.trusted-domains.example.net"
        );
    }

    #[test]
    fn ipv6_i_macro_is_dotted_nibbles() {
        let ip = IpAddr::V6("2001:db8::cb01".parse::<Ipv6Addr>().unwrap());
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", ip),
            "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com"
        );
        assert_eq!(expand("%{c}", ip), "2001:db8::cb01");
    }

    #[test]
    fn upper_case_letter_url_escapes() {
        assert_eq!(expand("%{S}", V4), "strong-bad%40email.example.com");
    }

    #[test]
    fn escapes_expand_to_percent_space_and_url_space() {
        assert_eq!(expand("a%%b%_c%-d", V4), "a%b c%20d");
    }

    #[test]
    fn explanation_only_letter_is_rejected_in_domain_spec() {
        assert_eq!(
            MacroString::parse("%{r}.example.com", MacroGrammar::DomainSpec),
            Err(MacroError::ExplanationOnlyLetter {
                offset: 2,
                letter: 'r'
            })
        );
    }

    #[test]
    fn zero_digit_transformer_is_rejected() {
        assert_eq!(
            MacroString::parse("%{d0}", MacroGrammar::DomainSpec),
            Err(MacroError::ZeroParts { offset: 3 })
        );
    }

    #[test]
    fn toplabel_follows_the_abnf() {
        assert!(is_toplabel("com"));
        assert!(is_toplabel("xn--zckzah"));
        assert!(is_toplabel("123-4"));
        assert!(!is_toplabel("123"));
        assert!(!is_toplabel("-com"));
        assert!(!is_toplabel("com-"));
        assert!(!is_toplabel("com:8080"));
        assert!(!is_toplabel(""));
    }
}
