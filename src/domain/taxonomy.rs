//! The project's bilingual taxonomy (categories, skills, cause areas), compiled into the binary from
//! `assets/taxonomy.toml`, mirrored into the `taxonomy` table at start, and used to validate codes.

use crate::error::{Invalid, Parsed};
use std::collections::HashMap;

use anyhow::{Context, bail};
use entity::{StringList, TaxonomyKind, taxonomy};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const SOURCE: &str = include_str!("../../assets/taxonomy.toml");

/// One taxonomy entry, as served by `GET /api/v1/taxonomy`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    /// Set from the section the entry is in.
    #[serde(default = "default_kind")]
    pub kind: TaxonomyKind,
    /// Category this entry belongs to (always set for skills).
    #[serde(default)]
    pub parent: Option<String>,
    pub label_en: String,
    pub label_fr: String,
    pub synonyms_en: Vec<String>,
    pub synonyms_fr: Vec<String>,
    pub description_en: String,
    pub description_fr: String,
}

fn default_kind() -> TaxonomyKind {
    TaxonomyKind::Category
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    category: Vec<Entry>,
    skill: Vec<Entry>,
    cause_area: Vec<Entry>,
}

/// The whole taxonomy, with lookups by code.
#[derive(Debug)]
pub struct Taxonomy {
    entries: Vec<Entry>,
    by_code: HashMap<String, usize>,
}

impl Taxonomy {
    /// Parses and checks the built-in taxonomy.
    pub fn builtin() -> anyhow::Result<Self> {
        Self::parse(SOURCE)
    }

    fn parse(source: &str) -> anyhow::Result<Self> {
        let file: File = toml::from_str(source).context("assets/taxonomy.toml is invalid")?;
        let sections = [
            (TaxonomyKind::Category, file.category),
            (TaxonomyKind::Skill, file.skill),
            (TaxonomyKind::CauseArea, file.cause_area),
        ];
        let mut entries = Vec::new();
        for (kind, section) in sections {
            entries.extend(section.into_iter().map(|entry| Entry { kind, ..entry }));
        }
        let mut by_code = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            if by_code.insert(entry.code.clone(), index).is_some() {
                bail!("taxonomy code {} appears twice", entry.code);
            }
        }
        let taxonomy = Self { entries, by_code };
        for entry in &taxonomy.entries {
            let parent_kind = entry
                .parent
                .as_deref()
                .map(|p| taxonomy.get(p).map(|e| e.kind));
            match (entry.kind, parent_kind) {
                (TaxonomyKind::Skill, Some(Some(TaxonomyKind::Category))) => {}
                (TaxonomyKind::Category, None | Some(Some(TaxonomyKind::Category))) => {}
                (TaxonomyKind::CauseArea, None) => {}
                _ => bail!("taxonomy entry {} has an invalid parent", entry.code),
            }
        }
        Ok(taxonomy)
    }

    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.by_code.get(code).map(|&index| &self.entries[index])
    }

    pub fn entries(&self, kind: TaxonomyKind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |entry| entry.kind == kind)
    }

    /// Checks that `code` is an entry of `kind`; the message lists a few valid codes.
    pub fn check(&self, kind: TaxonomyKind, code: &str) -> Parsed<String> {
        let code = code.trim();
        match self.get(code) {
            Some(entry) if entry.kind == kind => Ok(entry.code.clone()),
            _ => {
                let unknown = match kind {
                    TaxonomyKind::Category => Invalid::UnknownCategory,
                    TaxonomyKind::Skill => Invalid::UnknownSkill,
                    TaxonomyKind::CauseArea => Invalid::UnknownCauseArea,
                };
                Err(unknown.with([("value", serde_json::json!(code))]))
            }
        }
    }

    /// An entry's label in a language; the code itself if unknown.
    pub fn label(&self, code: &str, language: entity::Language) -> String {
        self.get(code).map_or(code.to_owned(), |e| match language {
            entity::Language::En => e.label_en.clone(),
            entity::Language::Fr => e.label_fr.clone(),
        })
    }

    /// Checks a list of codes; duplicates are dropped, order kept.
    pub fn check_all(
        &self,
        kind: TaxonomyKind,
        codes: &[String],
        max: usize,
    ) -> Parsed<Vec<String>> {
        if codes.len() > max {
            return Err(Invalid::TooMany.with([("max", serde_json::json!(max))]));
        }
        let mut checked: Vec<String> = Vec::with_capacity(codes.len());
        for code in codes {
            let code = self.check(kind, code)?;
            if !checked.contains(&code) {
                checked.push(code);
            }
        }
        Ok(checked)
    }

    /// Writes the taxonomy into the `taxonomy` table (insert or update every entry).
    pub async fn sync(&self, db: &impl ConnectionTrait) -> anyhow::Result<()> {
        let rows = self
            .entries
            .iter()
            .enumerate()
            .map(|(position, entry)| taxonomy::ActiveModel {
                code: Set(entry.code.clone()),
                kind: Set(entry.kind),
                parent: Set(entry.parent.clone()),
                label_en: Set(entry.label_en.clone()),
                label_fr: Set(entry.label_fr.clone()),
                synonyms_en: Set(StringList(entry.synonyms_en.clone())),
                synonyms_fr: Set(StringList(entry.synonyms_fr.clone())),
                description_en: Set(entry.description_en.clone()),
                description_fr: Set(entry.description_fr.clone()),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            });
        use taxonomy::Column as C;
        let on_conflict = OnConflict::column(C::Code)
            .update_columns([
                C::Kind,
                C::Parent,
                C::LabelEn,
                C::LabelFr,
                C::SynonymsEn,
                C::SynonymsFr,
                C::DescriptionEn,
                C::DescriptionFr,
                C::Position,
            ])
            .to_owned();
        taxonomy::Entity::insert_many(rows)
            .on_conflict(on_conflict)
            .exec(db)
            .await
            .context("cannot write the taxonomy table")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_taxonomy_is_large_and_bilingual() {
        let taxonomy = Taxonomy::builtin().unwrap();
        let digital = taxonomy.entries(TaxonomyKind::Category).count()
            + taxonomy.entries(TaxonomyKind::Skill).count();
        assert!(digital >= 40, "only {digital} categories and skills");
        for entry in &taxonomy.entries {
            assert!(
                !entry.label_fr.is_empty() && !entry.label_en.is_empty(),
                "{}",
                entry.code
            );
            assert!(
                !entry.synonyms_en.is_empty() && !entry.synonyms_fr.is_empty(),
                "{}",
                entry.code
            );
        }
        assert_eq!(
            taxonomy.get("cybersecurity").unwrap().label_fr,
            "Cybersécurité"
        );
    }

    #[test]
    fn codes_are_checked_by_kind() {
        let taxonomy = Taxonomy::builtin().unwrap();
        assert!(
            taxonomy
                .check(TaxonomyKind::Category, "cybersecurity")
                .is_ok()
        );
        assert!(
            taxonomy
                .check(TaxonomyKind::Skill, "cybersecurity")
                .is_err()
        );
        assert!(
            taxonomy
                .check(TaxonomyKind::Category, "nope")
                .unwrap_err()
                .message
                .contains("nope")
        );
    }

    #[test]
    fn skills_need_a_category_parent() {
        let source = r#"
            category = []
            cause_area = []
            [[skill]]
            code = "orphan"
            label_en = "a"
            label_fr = "a"
            synonyms_en = []
            synonyms_fr = []
            description_en = ""
            description_fr = ""
        "#;
        assert!(
            Taxonomy::parse(source)
                .unwrap_err()
                .to_string()
                .contains("orphan")
        );
    }
}
