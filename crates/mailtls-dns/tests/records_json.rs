//! The parsed policy records go into the JSON report: each must serialise,
//! come back equal, and have a JSON schema.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use mailtls_dns::caa::{self, Caa};
use mailtls_dns::mx::{self, Mx};
use mailtls_dns::srv::{self, MailService, Srv};
use mailtls_dns::tlsa::{self, Tlsa};
use mailtls_dns::{bimi, dkim, dmarc, mta_sts, tls_rpt};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value, "{json}");
}

#[test]
fn dmarc_record_json_names_its_fields() {
    let (record, _) = dmarc::parse("v=DMARC1; p=reject; rua=mailto:d@example.com!10m; adkim=s");
    let record = record.unwrap();
    assert_eq!(
        serde_json::to_value(&record).unwrap(),
        serde_json::json!({
            "policy": "reject",
            "subdomain_policy": null,
            "nonexistent_subdomain_policy": null,
            "public_suffix_domain": null,
            "testing": null,
            "percent": null,
            "dkim_alignment": "strict",
            "spf_alignment": null,
            "aggregate_report_uris": [{"uri": "mailto:d@example.com", "max_size": {"value": 10, "unit": "mega"}}],
            "failure_report_uris": [],
            "failure_options": [],
            "report_formats": [],
            "report_interval": null,
            "unknown_tags": []
        })
    );
    round_trips(&record);
}

#[test]
fn tag_list_records_round_trip_through_json() {
    round_trips(
        &dkim::parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
            .0
            .unwrap(),
    );
    round_trips(&mta_sts::parse_txt("v=STSv1; id=20160831085700Z;").0.unwrap());
    round_trips(
        &mta_sts::parse_policy("version: STSv1\nmode: enforce\nmx: *.example.net\nmax_age: 604800\n")
            .0
            .unwrap(),
    );
    round_trips(
        &tls_rpt::parse("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.net/x")
            .0
            .unwrap(),
    );
    round_trips(
        &bimi::parse("v=BIMI1; l=https://e.example/l.svg; a=https://e.example/a.pem")
            .0
            .unwrap(),
    );
}

#[test]
fn dns_value_records_round_trip_through_json() {
    round_trips(&Tlsa::new(3, 1, 1, vec![7; 32]));
    round_trips(&tlsa::rollover_scheme(&[
        Tlsa::new(3, 1, 1, vec![1; 32]),
        Tlsa::new(2, 1, 1, vec![2; 32]),
    ]));
    round_trips(&Caa::new(128, "issue", "ca.example.net; accounturi=x"));
    round_trips(
        &caa::parse_issuer_value("ca.example.net; accounturi=x", "issue")
            .0
            .unwrap(),
    );
    round_trips(&mx::analyse(&[Mx::new(10, "mx.example.com.")]).0);
    round_trips(
        &srv::analyse(
            MailService::Imaps,
            &[Srv {
                priority: 0,
                weight: 1,
                port: 993,
                target: "imap.example.com".into(),
            }],
        )
        .0,
    );
}

#[test]
fn every_record_type_has_a_json_schema() {
    let schemas = [
        schemars::schema_for!(dmarc::DmarcRecord),
        schemars::schema_for!(dmarc::ExternalDestination),
        schemars::schema_for!(dkim::DkimKeyRecord),
        schemars::schema_for!(mta_sts::MtaStsRecord),
        schemars::schema_for!(mta_sts::MtaStsPolicy),
        schemars::schema_for!(tls_rpt::TlsRptRecord),
        schemars::schema_for!(bimi::BimiRecord),
        schemars::schema_for!(Tlsa),
        schemars::schema_for!(tlsa::RolloverScheme),
        schemars::schema_for!(Caa),
        schemars::schema_for!(caa::IssuerValue),
        schemars::schema_for!(mx::MxSet),
        schemars::schema_for!(srv::ServiceOffer),
    ];
    for schema in &schemas {
        assert!(
            schema
                .as_object()
                .is_some_and(|object| object.contains_key("title"))
        );
    }
    let tlsa = serde_json::to_value(&schemas[7]).unwrap();
    assert_eq!(tlsa["properties"]["data"]["type"], "string");
}
