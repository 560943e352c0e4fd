//! The machine-readable dataset: `/data/notices.json`, `/data/notices.csv`, `/data/schema.json`.
//!
//! One record per notice with DESIGN §3's fields, its id, URL and incident key, each vector's
//! VERIS action and each data kind's Have I Been Pwned data class. The CSV is for spreadsheet
//! tools: UTF-8 with a BOM (Excel otherwise guesses Shift_JIS), CRLF, RFC 4180 quoting.

use crate::archive::Archive;
use crate::config::Config;
use crate::output::OutputFile;
use crate::render::url::{Route, Urls};
use crate::vocab;
use serde::Serialize;

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    org: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incident: Option<&'a str>,
    labels: Vec<&'a str>,
    vectors: Vec<VectorRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    records: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cards: Option<u64>,
    data: Vec<DataRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exposure: Option<&'a crate::notice::Exposure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    discovered: Option<String>,
    follows: Vec<&'a str>,
    related: Vec<&'a str>,
    refers: &'a [crate::notice::Refer],
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    review: &'a [String],
}

#[derive(Serialize)]
struct VectorRecord<'a> {
    id: &'a str,
    name: &'a str,
    veris: &'a str,
}

#[derive(Serialize)]
struct DataRecord<'a> {
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hibp: Option<&'static str>,
}

/// The three dataset files.
pub fn dataset_files(archive: &Archive, config: &Config, urls: &Urls) -> Vec<OutputFile> {
    let records: Vec<Record> = archive
        .notices
        .iter()
        .enumerate()
        .map(|(i, n)| Record {
            id: &n.id,
            url: urls.abs(&Route::notice(&n.id)),
            title: &n.title,
            org: n.meta.org.as_deref(),
            published: n.meta.published.map(|d| d.to_string()),
            incident: archive.incident_of[i].map(|k| archive.incidents[k].key.as_str()),
            labels: n.meta.labels.iter().flatten().map(String::as_str).collect(),
            vectors: n
                .meta
                .vectors
                .iter()
                .flatten()
                .filter_map(|v| config.vector(v))
                .map(|v| VectorRecord {
                    id: &v.id,
                    name: &v.ja,
                    veris: &v.veris,
                })
                .collect(),
            records: n.meta.records,
            cards: n.meta.cards,
            data: n
                .meta
                .data
                .iter()
                .flatten()
                .map(|k| DataRecord {
                    kind: k,
                    hibp: vocab::hibp_class(k),
                })
                .collect(),
            exposure: n.meta.exposure.as_ref(),
            discovered: n.meta.discovered.map(|d| d.to_string()),
            follows: archive.follows[i]
                .iter()
                .map(|&j| archive.notices[j].id.as_str())
                .collect(),
            related: archive.related[i]
                .iter()
                .map(|&j| archive.notices[j].id.as_str())
                .collect(),
            refers: n.meta.refers.as_deref().unwrap_or(&[]),
            source: n.meta.source.as_deref(),
            review: n.meta.review.as_deref().unwrap_or(&[]),
        })
        .collect();
    let json = super::json_safe(serde_json::to_string(&records).expect("records serialize")) + "\n";
    vec![
        OutputFile::new("data/notices.json".into(), json),
        OutputFile {
            path: "data/notices.csv".into(),
            bytes: csv(&records).into_bytes(),
        },
        OutputFile::new("data/schema.json".into(), SCHEMA.to_string()),
    ]
}

const CSV_COLUMNS: [&str; 20] = [
    "id",
    "url",
    "title",
    "org",
    "published",
    "incident",
    "labels",
    "vectors",
    "veris",
    "records",
    "cards",
    "data",
    "hibp",
    "exposure_from",
    "exposure_to",
    "discovered",
    "follows",
    "related",
    "source",
    "review",
];

fn csv(records: &[Record]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for r in records {
        let mut hibp: Vec<&str> = r.data.iter().filter_map(|d| d.hibp).collect();
        hibp.sort_unstable();
        hibp.dedup();
        let row: [String; 20] = [
            r.id.to_string(),
            r.url.clone(),
            r.title.to_string(),
            r.org.unwrap_or("").to_string(),
            r.published.clone().unwrap_or_default(),
            r.incident.unwrap_or("").to_string(),
            r.labels.join(";"),
            r.vectors.iter().map(|v| v.id).collect::<Vec<_>>().join(";"),
            r.vectors
                .iter()
                .map(|v| v.veris)
                .collect::<Vec<_>>()
                .join(";"),
            r.records.map(|n| n.to_string()).unwrap_or_default(),
            r.cards.map(|n| n.to_string()).unwrap_or_default(),
            r.data.iter().map(|d| d.kind).collect::<Vec<_>>().join(";"),
            hibp.join(";"),
            r.exposure
                .and_then(|e| e.from)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.exposure
                .and_then(|e| e.to)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.discovered.clone().unwrap_or_default(),
            r.follows.join(";"),
            r.related.join(";"),
            r.source.unwrap_or("").to_string(),
            r.review.join(";"),
        ];
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// RFC 4180 quoting; a leading `= + - @` is prefixed with `'` so spreadsheets never run a
/// notice's text as a formula (CSV injection).
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "notices.schema.json",
  "title": "jikenbo incident-notice dataset",
  "description": "One object per notice of the archive, newest first. Dates are YYYY-MM-DD. Fields follow jikenbo's front matter (DESIGN §3).",
  "type": "array",
  "items": {
    "type": "object",
    "required": ["id", "url", "title", "labels", "vectors", "data", "follows", "related", "refers", "review"],
    "additionalProperties": false,
    "properties": {
      "id": { "type": "string", "pattern": "^[a-z0-9-]+$", "description": "Notice id, unique in the archive." },
      "url": { "type": "string", "format": "uri", "description": "The notice's page." },
      "title": { "type": "string" },
      "org": { "type": "string", "description": "Issuing organization, as written." },
      "published": { "type": "string", "format": "date" },
      "incident": { "type": "string", "description": "Key of the incident the notice belongs to, when it has one." },
      "labels": { "type": "array", "items": { "type": "string" }, "description": "Labels; report stages are 第N報, 続報, 最終報告." },
      "vectors": {
        "type": "array",
        "items": {
          "type": "object",
          "required": ["id", "name", "veris"],
          "properties": {
            "id": { "type": "string", "description": "Vector id (DESIGN §4)." },
            "name": { "type": "string", "description": "Japanese name." },
            "veris": { "type": "string", "description": "VERIS action category." }
          }
        }
      },
      "records": { "type": "integer", "minimum": 0, "description": "People or records affected, as stated." },
      "cards": { "type": "integer", "minimum": 0, "description": "Credit cards affected." },
      "data": {
        "type": "array",
        "items": {
          "type": "object",
          "required": ["kind"],
          "properties": {
            "kind": { "type": "string", "description": "Data kind in the notice's words." },
            "hibp": { "type": "string", "description": "Matching Have I Been Pwned data class." }
          }
        }
      },
      "exposure": {
        "type": "object",
        "properties": { "from": { "type": "string", "format": "date" }, "to": { "type": "string", "format": "date" } }
      },
      "discovered": { "type": "string", "format": "date" },
      "follows": { "type": "array", "items": { "type": "string" }, "description": "Ids of earlier notices this one follows up." },
      "related": { "type": "array", "items": { "type": "string" }, "description": "Ids of other organizations' notices on the same incident." },
      "refers": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": { "date": { "type": "string", "format": "date" }, "title": { "type": "string" }, "stage": { "type": "string" } }
        },
        "description": "Earlier releases the text mentions."
      },
      "source": { "type": "string", "format": "uri" },
      "review": { "type": "array", "items": { "type": "string" }, "description": "Fields still to be reviewed by a person." }
    }
  }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("株式会社銀時"), "株式会社銀時");
    }

    #[test]
    fn schema_is_json() {
        let v: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        assert_eq!(v["type"], "array");
    }
}
