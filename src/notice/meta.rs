//! `Meta`: the metadata of one notice, as front matter states it and as extraction finds it.
//!
//! Every field is optional so that the two sources merge field by field: front matter wins
//! (`Meta::or`), extraction fills what is missing. The names and shapes are DESIGN §3's.

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// Metadata of a notice (DESIGN §3). Unknown keys are rejected when read from front matter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The notice's own heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Issuing organization, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// Date of this notice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// Key shared by every release of one incident (e.g. a casebook number `2024-244`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    /// Free labels; report stages in canonical spelling (`第1報`, `続報`, `最終報告`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// Attack vector ids (DESIGN §4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vectors: Option<Vec<String>>,
    /// People or records affected, as stated (the total).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
    /// Credit cards affected, where stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cards: Option<u64>,
    /// Leaked data kinds in the notice's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<String>>,
    /// When the data was exposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    /// When the organization learned of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovered: Option<Date>,
    /// Ids of earlier notices this one follows up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows: Option<Vec<String>>,
    /// Ids of other organizations' notices on the same incident.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<String>>,
    /// Earlier releases the text mentions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refers: Option<Vec<Refer>>,
    /// Where the notice was published (a URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Fields extraction was unsure of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Vec<String>>,
    /// A draft is left out of the build unless `--drafts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    /// Overrides the id taken from the file stem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
}

/// The period during which data was exposed; either end may be unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exposure {
    /// First day of exposure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Last day of exposure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

/// A mention of an earlier release: 「2024年7月5日に公表いたしました「…」」.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refer {
    /// Date of the earlier release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Its title, where quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its stage (`第1報`), where named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

impl Meta {
    /// Field-by-field merge: a field set in `self` wins; missing ones come from `other`.
    /// `review` is special: extraction's entries for fields that `self` sets are dropped,
    /// and an explicit `review` in `self` wins whole.
    pub fn or(self, other: Meta) -> Meta {
        let review = match self.review.clone() {
            Some(r) => Some(r),
            None => other.review.as_ref().map(|r| {
                r.iter()
                    .filter(|field| !self.has_field(field))
                    .cloned()
                    .collect::<Vec<_>>()
            }),
        }
        .filter(|r| !r.is_empty());
        Meta {
            title: self.title.or(other.title),
            org: self.org.or(other.org),
            published: self.published.or(other.published),
            incident: self.incident.or(other.incident),
            labels: self.labels.or(other.labels),
            vectors: self.vectors.or(other.vectors),
            records: self.records.or(other.records),
            cards: self.cards.or(other.cards),
            data: self.data.or(other.data),
            exposure: self.exposure.or(other.exposure),
            discovered: self.discovered.or(other.discovered),
            follows: self.follows.or(other.follows),
            related: self.related.or(other.related),
            refers: self.refers.or(other.refers),
            source: self.source.or(other.source),
            review,
            draft: self.draft.or(other.draft),
            slug: self.slug.or(other.slug),
        }
    }

    /// True when the field named `name` (a DESIGN §3 key) is set.
    pub fn has_field(&self, name: &str) -> bool {
        match name {
            "title" => self.title.is_some(),
            "org" => self.org.is_some(),
            "published" => self.published.is_some(),
            "incident" => self.incident.is_some(),
            "labels" => self.labels.is_some(),
            "vectors" => self.vectors.is_some(),
            "records" => self.records.is_some(),
            "cards" => self.cards.is_some(),
            "data" => self.data.is_some(),
            "exposure" => self.exposure.is_some(),
            "discovered" => self.discovered.is_some(),
            "follows" => self.follows.is_some(),
            "related" => self.related.is_some(),
            "refers" => self.refers.is_some(),
            "source" => self.source.is_some(),
            "draft" => self.draft.is_some(),
            "slug" => self.slug.is_some(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_wins_field_by_field() {
        let fm = Meta {
            title: Some("人が書いた題".into()),
            records: Some(10),
            ..Meta::default()
        };
        let ex = Meta {
            title: Some("抽出".into()),
            org: Some("株式会社例".into()),
            records: Some(99),
            review: Some(vec!["records".into(), "org".into()]),
            ..Meta::default()
        };
        let m = fm.or(ex);
        assert_eq!(m.title.as_deref(), Some("人が書いた題"));
        assert_eq!(m.org.as_deref(), Some("株式会社例"));
        assert_eq!(m.records, Some(10));
        assert_eq!(m.review, Some(vec!["org".to_string()]));
    }
}
