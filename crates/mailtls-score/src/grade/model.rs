//! The shape of grades: what a report says about each TLS endpoint, each
//! category of the domain, and the domain as a whole. The arithmetic that
//! fills these in lives beside this file; renderers only read them.

use std::net::SocketAddr;

use mailtls_core::Endpoint;

use crate::rules::Category;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A letter grade, best first. `T` is SSL Labs' "not trusted": the
/// configuration would earn a letter, but the certificate is not trusted
/// where senders or clients validate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum Letter {
    /// Exemplary.
    #[serde(rename = "A+")]
    APlus,
    /// Good.
    #[serde(rename = "A")]
    A,
    /// Good, with a small gap.
    #[serde(rename = "A-")]
    AMinus,
    /// Adequate, with weaknesses.
    #[serde(rename = "B")]
    B,
    /// Weak.
    #[serde(rename = "C")]
    C,
    /// Poor.
    #[serde(rename = "D")]
    D,
    /// Very poor.
    #[serde(rename = "E")]
    E,
    /// Broken.
    #[serde(rename = "F")]
    F,
    /// Not trusted where it is validated.
    #[serde(rename = "T")]
    T,
}

impl Letter {
    /// The letter as printed: `A+`, `A`, `A-`, `B` … `F`, `T`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::APlus => "A+",
            Self::A => "A",
            Self::AMinus => "A-",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
            Self::E => "E",
            Self::F => "F",
            Self::T => "T",
        }
    }

    /// Parses `A+`, `a`, `A-`, … (for `--fail-under`).
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.trim().to_ascii_uppercase().as_str() {
            "A+" => Self::APlus,
            "A" => Self::A,
            "A-" => Self::AMinus,
            "B" => Self::B,
            "C" => Self::C,
            "D" => Self::D,
            "E" => Self::E,
            "F" => Self::F,
            "T" => Self::T,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Letter {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A limit on a grade, and the finding that imposed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Cap {
    /// The best letter allowed.
    pub letter: Letter,
    /// The rule id of the finding that caps it, e.g. `tls.version.tls1_0`.
    pub rule: String,
    /// Why, in words: "TLS 1.0 is accepted".
    pub reason: String,
}

/// How far a grade can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "level", rename_all = "snake_case")]
pub enum Confidence {
    /// Everything the grade needs was observed.
    #[default]
    Full,
    /// Some checks were not tested or some servers were unreachable; the
    /// grade covers only what was seen.
    Reduced {
        /// What was missing, one line each.
        reasons: Vec<String>,
    },
}

/// The grade of one TLS endpoint at one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EndpointGrade {
    /// The service.
    pub endpoint: Endpoint,
    /// The address probed.
    pub address: SocketAddr,
    /// Protocol support score, 0–100 (weight 30 %).
    pub protocol_score: Option<u8>,
    /// Key exchange score, 0–100 (weight 30 %).
    pub key_exchange_score: Option<u8>,
    /// Cipher strength score, 0–100 (weight 40 %).
    pub cipher_score: Option<u8>,
    /// The weighted score, 0–100.
    pub score: Option<u8>,
    /// The letter after caps; `None` when the endpoint could not be graded
    /// (unreachable, no TLS at all, not tested).
    pub letter: Option<Letter>,
    /// The letter the configuration earns before the trust cap, when the
    /// letter is `T`.
    pub letter_if_trusted: Option<Letter>,
    /// The caps that applied, strictest first.
    pub caps: Vec<Cap>,
    /// Whether certificate trust counts here (DANE or MTA-STS published, or a
    /// client port), and why.
    pub trust_counts: bool,
    /// One sentence: why this letter.
    pub explanation: String,
    /// How complete the observation behind it is.
    pub confidence: Confidence,
}

/// One category's score, internet.nl style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryScore {
    /// Which category.
    pub category: Category,
    /// Percentage of the weighted checks passed, 0–100; `None` when the
    /// category does not apply (a domain without MX has no transport
    /// security to score — not 100 %).
    pub percent: Option<u8>,
    /// Why it does not apply, when `percent` is `None`.
    pub not_applicable: Option<String>,
    /// Findings that passed.
    pub passed: u32,
    /// Findings that warned.
    pub warned: u32,
    /// Findings that failed.
    pub failed: u32,
    /// Findings that could not be tested (never counted as passes).
    pub not_tested: u32,
    /// How complete the observation behind it is.
    pub confidence: Confidence,
}

/// The domain's overall grade, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OverallGrade {
    /// The letter.
    pub letter: Letter,
    /// "B because TLS 1.0 is accepted on mx1.example.com and DMARC is p=none",
    /// as separate reasons, most important first.
    pub because: Vec<String>,
    /// How complete the observation behind it is.
    pub confidence: Confidence,
}

/// Every grade of a report, under one profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Grades {
    /// The profile that judged (`default`, `ncsc-nl`, `bsi-tr-03108`,
    /// `mozilla-intermediate`, `mozilla-modern`).
    pub profile: String,
    /// One per TLS endpoint and address.
    pub endpoints: Vec<EndpointGrade>,
    /// One per category.
    pub categories: Vec<CategoryScore>,
    /// The domain's grade; `None` when nothing could be graded.
    pub overall: Option<OverallGrade>,
}
