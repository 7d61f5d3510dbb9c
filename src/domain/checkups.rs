//! The digital check-up: Passerelle's own question bank (`assets/checkup.toml`, CC BY 4.0), an
//! organization's answers, the profile per dimension they give (0 to 100), the draft needs they
//! suggest (mapped to the taxonomy) and publishing the ones the organization keeps in one step.
//! Every check-up is kept, so a later one shows the change per dimension.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use entity::checkup::{self, Answers, DimensionScore, Profile, Published};
use entity::{Language, OutboxEntity, PostingKind, PostingStatus, TaxonomyKind, posting};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::accounts::Viewer;
use super::organizations::{self, require_member};
use super::postings::{self, PostingInput};
use super::taxonomy::Taxonomy;
use super::{begin_write, journal};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid};

const SOURCE: &str = include_str!("../../assets/checkup.toml");

/// The lowest and highest answer levels.
pub const LEVELS: std::ops::RangeInclusive<u8> = 1..=5;

/// A dimension of the profile.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Dimension {
    pub code: String,
    pub label_en: String,
    pub label_fr: String,
}

impl Dimension {
    pub fn label(&self, language: Language) -> &str {
        match language {
            Language::En => &self.label_en,
            Language::Fr => &self.label_fr,
        }
    }
}

/// One anchored answer level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Level {
    /// 1 (just starting) to 5 (leading).
    pub level: u8,
    pub text_en: String,
    pub text_fr: String,
}

impl Level {
    pub fn text(&self, language: Language) -> &str {
        match language {
            Language::En => &self.text_en,
            Language::Fr => &self.text_fr,
        }
    }
}

/// A suggestion a question offers when its answer is at or below `at_most`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SuggestionRule {
    pub code: String,
    pub at_most: u8,
}

/// One question of the bank.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Question {
    pub code: String,
    /// The code of its dimension.
    pub dimension: String,
    pub text_en: String,
    pub text_fr: String,
    /// Five levels, from 1 to 5.
    pub levels: Vec<Level>,
    /// The draft needs it suggests at low answers.
    pub suggest: Vec<SuggestionRule>,
}

impl Question {
    pub fn text(&self, language: Language) -> &str {
        match language {
            Language::En => &self.text_en,
            Language::Fr => &self.text_fr,
        }
    }
}

/// A draft need the bank can suggest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Suggestion {
    pub code: String,
    /// Taxonomy category code.
    pub category: String,
    /// Taxonomy skill codes.
    pub skills: Vec<String>,
    /// Whether the help can come from anywhere; otherwise it is asked for in the organization's
    /// province.
    pub remote: bool,
    pub title_en: String,
    pub title_fr: String,
    pub description_en: String,
    pub description_fr: String,
}

impl Suggestion {
    /// The open need it becomes, written in `language`, asked for in `province` unless it can
    /// be met remotely.
    pub fn need(&self, language: Language, province: &str) -> PostingInput {
        PostingInput {
            organization_id: None,
            title: self.title(language).to_owned(),
            description: self.description(language).to_owned(),
            language,
            category: self.category.clone(),
            skills: self.skills.clone(),
            province: (!self.remote).then(|| province.to_owned()),
            remote: self.remote,
            quantity: None,
            unit: None,
            filled_by_one: false,
            value_cad: None,
            hours: None,
            starts_on: None,
            ends_on: None,
            expires_at: None,
            status: Some(PostingStatus::Open),
            eligibility: None,
        }
    }

    pub fn title(&self, language: Language) -> &str {
        match language {
            Language::En => &self.title_en,
            Language::Fr => &self.title_fr,
        }
    }

    pub fn description(&self, language: Language) -> &str {
        match language {
            Language::En => &self.description_en,
            Language::Fr => &self.description_fr,
        }
    }
}

/// The whole question bank, as `GET /api/v1/checkup` serves it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bank {
    /// `CC BY 4.0`.
    pub licence: String,
    /// The credit the licence asks for.
    pub attribution: String,
    pub dimensions: Vec<Dimension>,
    pub questions: Vec<Question>,
    pub suggestions: Vec<Suggestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    code: String,
    dimension: String,
    text_en: String,
    text_fr: String,
    levels_en: Vec<String>,
    levels_fr: Vec<String>,
    #[serde(default)]
    suggest: Vec<SuggestionRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    licence: String,
    attribution: String,
    dimension: Vec<Dimension>,
    question: Vec<RawQuestion>,
    suggestion: Vec<Suggestion>,
}

static BANK: LazyLock<Bank> =
    LazyLock::new(|| Bank::parse(SOURCE).expect("assets/checkup.toml is checked by its tests"));

/// The built-in question bank.
pub fn bank() -> &'static Bank {
    &BANK
}

impl Bank {
    /// Parses and checks a bank: unique codes, five levels in each language, known dimensions
    /// and suggestions.
    pub fn parse(source: &str) -> anyhow::Result<Self> {
        let raw: RawBank = toml::from_str(source).context("the question bank is invalid")?;
        let dimensions: BTreeSet<&str> = raw.dimension.iter().map(|d| d.code.as_str()).collect();
        let suggestions: BTreeSet<&str> = raw.suggestion.iter().map(|s| s.code.as_str()).collect();
        if dimensions.len() != raw.dimension.len() || suggestions.len() != raw.suggestion.len() {
            bail!("a dimension or suggestion code appears twice");
        }
        let mut questions = Vec::new();
        let mut codes = BTreeSet::new();
        for q in raw.question {
            if !codes.insert(q.code.clone()) {
                bail!("question {} appears twice", q.code);
            }
            if !dimensions.contains(q.dimension.as_str()) {
                bail!("question {} names an unknown dimension", q.code);
            }
            if q.levels_en.len() != LEVELS.len() || q.levels_fr.len() != LEVELS.len() {
                bail!("question {} needs five levels in each language", q.code);
            }
            for rule in &q.suggest {
                if !suggestions.contains(rule.code.as_str()) || !LEVELS.contains(&rule.at_most) {
                    bail!("question {} suggests {} badly", q.code, rule.code);
                }
            }
            questions.push(Question {
                levels: LEVELS
                    .zip(q.levels_en.into_iter().zip(q.levels_fr))
                    .map(|(level, (text_en, text_fr))| Level {
                        level,
                        text_en,
                        text_fr,
                    })
                    .collect(),
                code: q.code,
                dimension: q.dimension,
                text_en: q.text_en,
                text_fr: q.text_fr,
                suggest: q.suggest,
            });
        }
        Ok(Self {
            licence: raw.licence,
            attribution: raw.attribution,
            dimensions: raw.dimension,
            questions,
            suggestions: raw.suggestion,
        })
    }

    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    pub fn suggestion(&self, code: &str) -> Option<&Suggestion> {
        self.suggestions.iter().find(|s| s.code == code)
    }

    /// The questions of a dimension, in the bank's order.
    pub fn questions_of<'a>(&'a self, dimension: &'a str) -> impl Iterator<Item = &'a Question> {
        self.questions
            .iter()
            .filter(move |q| q.dimension == dimension)
    }

    /// Checks every answer: each question answered once, with a level from 1 to 5; field
    /// `answers.<code>`.
    pub fn parse_answers(&self, input: BTreeMap<String, serde_json::Value>) -> AppResult<Answers> {
        let mut errors = FieldErrors::default();
        let mut answers = BTreeMap::new();
        for key in input.keys() {
            if !self.questions.iter().any(|q| &q.code == key) {
                errors.add(format!("answers.{key}"), Invalid::UnknownField);
            }
        }
        for question in &self.questions {
            let field = format!("answers.{}", question.code);
            let level = match input.get(&question.code) {
                None | Some(serde_json::Value::Null) => Err(Invalid::Required.into()),
                Some(value) => value
                    .as_u64()
                    .and_then(|n| u8::try_from(n).ok())
                    .filter(|n| LEVELS.contains(n))
                    .ok_or_else(|| {
                        Invalid::OutOfRange
                            .with([("min", json!(LEVELS.start())), ("max", json!(LEVELS.end()))])
                    }),
            };
            if let Some(level) = errors.check(&field, level) {
                answers.insert(question.code.clone(), level);
            }
        }
        errors.finish()?;
        Ok(Answers(answers))
    }

    /// The profile the answers give: per dimension, the mean level on a scale of 0 to 100.
    pub fn profile(&self, answers: &Answers) -> Profile {
        Profile(
            self.dimensions
                .iter()
                .map(|d| {
                    let levels: Vec<u32> = self
                        .questions_of(&d.code)
                        .filter_map(|q| answers.0.get(&q.code))
                        .map(|&l| u32::from(l))
                        .collect();
                    let n = levels.len() as u32;
                    let above_one: u32 = levels.iter().map(|l| l - 1).sum();
                    // Rounded to the nearest point: 100 * above_one / (4 n).
                    let score = if n == 0 {
                        0
                    } else {
                        (200 * above_one + 4 * n) / (8 * n)
                    };
                    DimensionScore {
                        dimension: d.code.clone(),
                        score: score as u8,
                    }
                })
                .collect(),
        )
    }

    /// The suggestions the answers call for, in the bank's order of questions, each once, with
    /// the questions that called for it.
    pub fn suggested(&self, answers: &Answers) -> Vec<(&Suggestion, Vec<&str>)> {
        let mut out: Vec<(&Suggestion, Vec<&str>)> = Vec::new();
        for question in &self.questions {
            let Some(&level) = answers.0.get(&question.code) else {
                continue;
            };
            for rule in question.suggest.iter().filter(|r| level <= r.at_most) {
                match out.iter_mut().find(|(s, _)| s.code == rule.code) {
                    Some((_, from)) => from.push(&question.code),
                    None => {
                        if let Some(suggestion) = self.suggestion(&rule.code) {
                            out.push((suggestion, vec![question.code.as_str()]));
                        }
                    }
                }
            }
        }
        out
    }
}

/// The body of `POST /organizations/{id}/checkups`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckupInput {
    /// Question code to level (1 to 5), one for each question of the bank.
    #[schema(schema_with = answers_schema)]
    pub answers: BTreeMap<String, serde_json::Value>,
}

/// The answers' schema, from the bank: each question's code, a level from 1 to 5, all required.
fn answers_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    let mut object = ObjectBuilder::new()
        .additional_properties(Some(
            AdditionalProperties::<utoipa::openapi::Schema>::FreeForm(false),
        ))
        .description(Some(
            "One level (1 to 5) per question code of GET /api/v1/checkup",
        ));
    for question in &bank().questions {
        object = object
            .property(
                &question.code,
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(*LEVELS.start()))
                    .maximum(Some(*LEVELS.end())),
            )
            .required(&question.code);
    }
    object.build()
}

/// A dimension of a check-up's profile, with the change since the check-up before it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileEntry {
    pub dimension: String,
    pub label_en: String,
    pub label_fr: String,
    /// 0 (every answer at level 1) to 100 (every answer at level 5).
    pub score: u8,
    /// The score at the organization's check-up before this one.
    pub previous: Option<u8>,
    /// `score - previous`.
    pub change: Option<i16>,
}

impl ProfileEntry {
    pub fn label(&self, language: Language) -> &str {
        match language {
            Language::En => &self.label_en,
            Language::Fr => &self.label_fr,
        }
    }
}

/// A draft need a check-up suggests, and the need published from it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestedNeed {
    #[serde(flatten)]
    pub suggestion: Suggestion,
    /// The questions whose answers called for it.
    pub because_of: Vec<String>,
    /// The need published from it, from this check-up or an earlier one, if any.
    pub published_need_id: Option<i64>,
}

/// A check-up as its organization reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckupView {
    pub id: i64,
    pub organization_id: i64,
    pub taken_at: DateTime<Utc>,
    /// Question code to level.
    pub answers: BTreeMap<String, u8>,
    /// The organization's check-up before this one, if any.
    pub previous_id: Option<i64>,
    pub profile: Vec<ProfileEntry>,
    pub suggested_needs: Vec<SuggestedNeed>,
}

impl CheckupView {
    /// The view of `model`, against the check-up before it, knowing the needs the organization
    /// published from any of its check-ups.
    fn new(
        model: checkup::Model,
        previous: Option<&checkup::Model>,
        published: &BTreeMap<String, i64>,
    ) -> Self {
        let bank = bank();
        let score_of = |profile: &Profile, code: &str| {
            profile
                .0
                .iter()
                .find(|s| s.dimension == code)
                .map(|s| s.score)
        };
        let profile = model
            .profile
            .0
            .iter()
            .filter_map(|entry| {
                let dimension = bank.dimension(&entry.dimension)?;
                let before = previous.and_then(|p| score_of(&p.profile, &entry.dimension));
                Some(ProfileEntry {
                    dimension: entry.dimension.clone(),
                    label_en: dimension.label_en.clone(),
                    label_fr: dimension.label_fr.clone(),
                    score: entry.score,
                    previous: before,
                    change: before.map(|b| i16::from(entry.score) - i16::from(b)),
                })
            })
            .collect();
        let suggested_needs = bank
            .suggested(&model.answers)
            .into_iter()
            .map(|(suggestion, from)| SuggestedNeed {
                published_need_id: published.get(&suggestion.code).copied(),
                suggestion: suggestion.clone(),
                because_of: from.into_iter().map(str::to_owned).collect(),
            })
            .collect();
        Self {
            id: model.id,
            organization_id: model.organization_id,
            taken_at: model.created_at,
            answers: model.answers.0,
            previous_id: previous.map(|p| p.id),
            profile,
            suggested_needs,
        }
    }
}

fn not_found(id: i64) -> AppError {
    AppError::new(
        ErrorCode::CheckupNotFound,
        format!("There is no check-up {id} of this organization that you may see."),
    )
}

/// The organization's check-ups, oldest first.
async fn rows(db: &impl ConnectionTrait, organization_id: i64) -> AppResult<Vec<checkup::Model>> {
    Ok(checkup::Entity::find()
        .filter(checkup::Column::OrganizationId.eq(organization_id))
        .order_by_asc(checkup::Column::Id)
        .all(db)
        .await?)
}

/// The needs published from any of these check-ups and still asked for (a draft, open or
/// paused): suggestion code to need id. Once such a need is closed, fulfilled, expired or
/// deleted, a later check-up may suggest it again.
async fn published_from(
    db: &impl ConnectionTrait,
    rows: &[checkup::Model],
) -> AppResult<BTreeMap<String, i64>> {
    let mut published: BTreeMap<String, i64> = rows
        .iter()
        .flat_map(|row| row.published.0.clone())
        .collect();
    let live: BTreeSet<i64> = posting::Entity::find()
        .filter(posting::Column::Id.is_in(published.values().copied()))
        .filter(posting::Column::Status.is_in([
            PostingStatus::Draft,
            PostingStatus::Open,
            PostingStatus::Paused,
        ]))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    published.retain(|_, need| live.contains(need));
    Ok(published)
}

/// Records a check-up a member took for the organization.
pub async fn take(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    organization_id: i64,
    input: CheckupInput,
) -> AppResult<CheckupView> {
    let bank = bank();
    let txn = begin_write(db).await?;
    organizations::get(&txn, organization_id).await?;
    require_member(&txn, user_id, organization_id).await?;
    let answers = bank.parse_answers(input.answers)?;
    let earlier = rows(&txn, organization_id).await?;
    let created = checkup::ActiveModel {
        organization_id: Set(organization_id),
        taken_by: Set(Some(user_id)),
        profile: Set(bank.profile(&answers)),
        answers: Set(answers),
        published: Set(Published::default()),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "checkup.take",
            OutboxEntity::Checkup,
            created.id,
            json!({ "organization_id": organization_id, "profile": created.profile.0 }),
        ),
    )
    .await?;
    let published = published_from(&txn, &earlier).await?;
    journal::commit(txn).await?;
    Ok(CheckupView::new(created, earlier.last(), &published))
}

/// The organization's check-ups, newest first, each with its change since the one before.
pub async fn history(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    organization_id: i64,
) -> AppResult<Vec<CheckupView>> {
    organizations::require_reader(db, viewer, organization_id, "check-ups").await?;
    let all = rows(db, organization_id).await?;
    let published = published_from(db, &all).await?;
    let mut views: Vec<CheckupView> = all
        .iter()
        .enumerate()
        .map(|(i, row)| {
            CheckupView::new(row.clone(), i.checked_sub(1).map(|p| &all[p]), &published)
        })
        .collect();
    views.reverse();
    Ok(views)
}

/// One check-up of the organization.
pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    organization_id: i64,
    id: i64,
) -> AppResult<CheckupView> {
    history(db, viewer, organization_id)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| not_found(id))
}

/// Publishes, as open needs of the organization written in `language`, the suggestions of a
/// check-up it keeps (field `suggestions[i]`); all or none, and each suggestion once across the
/// organization's check-ups.
pub async fn publish(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    organization_id: i64,
    id: i64,
    codes: &[String],
    language: Language,
    taxonomy: &Taxonomy,
) -> AppResult<Vec<posting::Model>> {
    let bank = bank();
    let txn = begin_write(db).await?;
    let organization = organizations::get(&txn, organization_id).await?;
    require_member(&txn, user_id, organization_id).await?;
    let all = rows(&txn, organization_id).await?;
    let published_before = published_from(&txn, &all).await?;
    let row = all
        .into_iter()
        .find(|row| row.id == id)
        .ok_or_else(|| not_found(id))?;
    let offered: BTreeSet<&str> = bank
        .suggested(&row.answers)
        .into_iter()
        .map(|(s, _)| s.code.as_str())
        .collect();
    let mut errors = FieldErrors::default();
    if codes.is_empty() {
        errors.add("suggestions", Invalid::Empty);
    }
    let mut seen = BTreeSet::new();
    for (i, code) in codes.iter().enumerate() {
        let field = format!("suggestions[{i}]");
        if !offered.contains(code.as_str()) {
            errors.add(&field, Invalid::NotSuggested);
        } else if let Some(need) = published_before.get(code) {
            errors.add(
                &field,
                Invalid::AlreadyPublished.with([("need_id", json!(need))]),
            );
        } else if !seen.insert(code.as_str()) {
            errors.add(&field, Invalid::Duplicate);
        }
    }
    errors.finish()?;
    let mut published = row.published.clone();
    let mut created = Vec::new();
    for code in codes {
        let suggestion = bank.suggestion(code).ok_or_else(|| not_found(id))?;
        let need = suggestion
            .need(language, &organization.province)
            .parse(PostingKind::Need, taxonomy)?;
        let posting = postings::insert(
            &txn,
            Some(user_id),
            organization_id,
            PostingKind::Need,
            need,
        )
        .await?;
        published.0.insert(code.clone(), posting.id);
        created.push(posting);
    }
    let mut active: checkup::ActiveModel = row.into();
    active.published = Set(published);
    active.update(&txn).await?;
    journal::commit(txn).await?;
    Ok(created)
}

/// Whether a suggestion's codes are in the taxonomy (checked by the bank's tests).
pub fn check_suggestion(suggestion: &Suggestion, taxonomy: &Taxonomy) -> bool {
    taxonomy
        .check(TaxonomyKind::Category, &suggestion.category)
        .is_ok()
        && taxonomy
            .check_all(TaxonomyKind::Skill, &suggestion.skills, 10)
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_at(level: u8) -> Answers {
        Answers(
            bank()
                .questions
                .iter()
                .map(|q| (q.code.clone(), level))
                .collect(),
        )
    }

    #[test]
    fn builtin_bank_is_complete_and_bilingual() {
        let bank = bank();
        let taxonomy = Taxonomy::builtin().unwrap();
        assert_eq!(bank.licence, "CC BY 4.0");
        assert!((18..=24).contains(&bank.questions.len()));
        for dimension in &bank.dimensions {
            assert!(
                bank.questions_of(&dimension.code).count() >= 2,
                "{}",
                dimension.code
            );
        }
        for suggestion in &bank.suggestions {
            assert!(
                check_suggestion(suggestion, &taxonomy),
                "{}",
                suggestion.code
            );
            for language in [Language::En, Language::Fr] {
                suggestion
                    .need(language, "ON")
                    .parse(PostingKind::Need, &taxonomy)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", suggestion.code));
            }
            assert!(
                bank.questions
                    .iter()
                    .any(|q| q.suggest.iter().any(|r| r.code == suggestion.code)),
                "no question suggests {}",
                suggestion.code
            );
        }
    }

    #[test]
    fn profile_is_the_mean_level_per_dimension() {
        let bank = bank();
        assert!(bank.profile(&all_at(1)).0.iter().all(|d| d.score == 0));
        assert!(bank.profile(&all_at(5)).0.iter().all(|d| d.score == 100));
        assert!(bank.profile(&all_at(3)).0.iter().all(|d| d.score == 50));
        // Security: levels 2, 3 and 5 are 1, 2 and 4 above the first: 7 of 12, 58 out of 100.
        let mut answers = all_at(3);
        answers.0.insert("mfa".into(), 2);
        answers.0.insert("backups".into(), 5);
        let profile = bank.profile(&answers);
        let security = profile
            .0
            .iter()
            .find(|d| d.dimension == "security")
            .unwrap();
        assert_eq!(security.score, 58);
    }

    #[test]
    fn no_mfa_suggests_training_and_a_rollout() {
        let bank = bank();
        let mut answers = all_at(4);
        answers.0.insert("mfa".into(), 1);
        let codes: Vec<&str> = bank
            .suggested(&answers)
            .iter()
            .map(|(s, _)| s.code.as_str())
            .collect();
        assert_eq!(codes, ["mfa_rollout", "security_training"]);
        let mfa = bank.suggestion("mfa_rollout").unwrap();
        assert_eq!(mfa.category, "cybersecurity");
        assert_eq!(mfa.skills, ["multi_factor_authentication"]);
        // At level 3 only the training is still suggested; at 4, nothing.
        answers.0.insert("mfa".into(), 3);
        assert_eq!(bank.suggested(&answers).len(), 1);
        assert!(bank.suggested(&all_at(4)).is_empty());
        // Two questions calling for the same suggestion give it once, naming both.
        let mut answers = all_at(4);
        answers.0.insert("staff_skills".into(), 1);
        answers.0.insert("learning_time".into(), 2);
        let suggested = bank.suggested(&answers);
        assert_eq!(suggested.len(), 1);
        assert_eq!(suggested[0].1, ["staff_skills", "learning_time"]);
    }

    #[test]
    fn answers_are_checked_one_by_one() {
        let bank = bank();
        let mut input: BTreeMap<String, serde_json::Value> = bank
            .questions
            .iter()
            .map(|q| (q.code.clone(), json!(3)))
            .collect();
        assert!(bank.parse_answers(input.clone()).is_ok());
        input.remove("mfa");
        input.insert("backups".into(), json!(6));
        input.insert("privacy".into(), json!("3"));
        input.insert("internet".into(), json!(2.5));
        input.insert("favourite_colour".into(), json!(1));
        let Err(AppError::Validation(errors)) = bank.parse_answers(input) else {
            panic!("accepted bad answers");
        };
        let fields: Vec<(&str, &str)> = errors
            .fields()
            .map(|(field, e)| (field, e[0].code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("answers.backups", "out_of_range"),
                ("answers.favourite_colour", "unknown_field"),
                ("answers.internet", "out_of_range"),
                ("answers.mfa", "required"),
                ("answers.privacy", "out_of_range"),
            ]
        );
    }
}
