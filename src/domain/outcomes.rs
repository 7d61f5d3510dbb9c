//! Outcomes followed over time: Passerelle's indicator list (`assets/indicators.toml`, CC BY 4.0),
//! the indicators an outcome report carries (a baseline, a target, the value at completion), the
//! follow-ups 3 and 12 months after completion with their reminders, the indicators a program
//! requires of its cohort, and the roll-up of indicators over many partnerships.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, Months, Utc};
use entity::follow_up::{self, FollowUpValue, FollowUpValues};
use entity::{
    FollowUpDue, Indicator, IndicatorValue, Language, OutboxEntity, PartnershipStatus, partnership,
    program,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::organizations::member_org_ids;
use super::schemas::{IndicatorCode, IndicatorValueInput, Note, ShortName, UnitName};
use super::{begin_write, journal, types};
use crate::error::{AppError, AppResult, ErrorCode, FieldErrors, Invalid, Parsed};

const SOURCE: &str = include_str!("../../assets/indicators.toml");

/// The units of the list's indicators (the pages translate them).
pub const UNITS: &[&str] = &[
    "people",
    "organizations",
    "percent",
    "hours",
    "cad",
    "devices",
    "count",
];

/// The most indicators one outcome reports, and one program requires.
pub const MAX_INDICATORS: usize = 10;

/// How long before its date a follow-up may be reported.
pub const EARLY_DAYS: i64 = 14;

/// One indicator of Passerelle's list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub code: String,
    pub name_en: String,
    pub name_fr: String,
    /// `people`, `organizations`, `percent`, `hours`, `cad`, `devices` or `count`.
    pub unit: String,
    /// The IRIS+ metric it reports (GIIN catalog), where one applies.
    #[serde(default)]
    pub iris: Option<String>,
    /// Whether a fall is the improvement (incidents, hours lost to paperwork).
    #[serde(default)]
    pub lower_is_better: bool,
}

impl IndicatorDef {
    pub fn name(&self, language: Language) -> &str {
        match language {
            Language::En => &self.name_en,
            Language::Fr => &self.name_fr,
        }
    }
}

/// The indicator list, as `GET /api/v1/indicators` serves it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorList {
    /// `CC BY 4.0`.
    pub licence: String,
    /// The credit the licence asks for.
    pub attribution: String,
    #[serde(rename(deserialize = "indicator"))]
    pub indicators: Vec<IndicatorDef>,
}

static LIST: LazyLock<IndicatorList> = LazyLock::new(|| {
    IndicatorList::parse(SOURCE).expect("assets/indicators.toml is checked by its tests")
});

/// The built-in indicator list.
pub fn indicator_list() -> &'static IndicatorList {
    &LIST
}

impl IndicatorList {
    /// Parses and checks a list: unique codes, names in both languages, known units, IRIS+ codes
    /// of the catalog's form (two letters and four digits).
    pub fn parse(source: &str) -> anyhow::Result<Self> {
        let list: IndicatorList = toml::from_str(source).context("indicator list")?;
        let mut codes = HashSet::new();
        for def in &list.indicators {
            if !codes.insert(def.code.as_str()) {
                bail!("indicator {} is listed twice", def.code);
            }
            if def.name_en.trim().is_empty() || def.name_fr.trim().is_empty() {
                bail!("indicator {} needs a name in English and French", def.code);
            }
            if !UNITS.contains(&def.unit.as_str()) {
                bail!("indicator {} has an unknown unit {}", def.code, def.unit);
            }
            if let Some(iris) = &def.iris {
                let (letters, digits) = iris.split_at(iris.len().min(2));
                if !["PI", "OI", "PD", "OD", "FP"].contains(&letters)
                    || digits.len() != 4
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    bail!("indicator {} has a malformed IRIS+ code {iris}", def.code);
                }
            }
        }
        Ok(list)
    }

    pub fn get(&self, code: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|d| d.code == code)
    }
}

/// An indicator's name in `language`: the list's for an indicator from it (`code`), else the one
/// given.
fn named(code: Option<&str>, name: &str, language: Language) -> String {
    code.and_then(|code| indicator_list().get(code))
        .map_or_else(|| name.to_owned(), |d| d.name(language).to_owned())
}

/// An indicator's name in `language`.
pub fn name_of(indicator: &Indicator, language: Language) -> String {
    named(indicator.code.as_deref(), &indicator.name, language)
}

/// The names in `language` of the list's indicators with these codes (a program's required ones).
pub fn names_of(codes: &[String], language: Language) -> Vec<String> {
    codes
        .iter()
        .filter_map(|code| indicator_list().get(code))
        .map(|d| d.name(language).to_owned())
        .collect()
}

/// One indicator of an outcome report: from the list (`code`) or the organization's own (`name`,
/// and a `unit` if it likes).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    /// A code of the indicator list (`GET /api/v1/indicators`): the list gives its name and unit,
    /// and its values are numbers (0 to 100 for a percentage).
    #[serde(default)]
    #[schema(value_type = Option<IndicatorCode>)]
    pub code: Option<String>,
    /// Your own indicator's name, 1 to 100 characters, e.g. "Meals delivered"; leave it out with
    /// a code.
    #[serde(default)]
    #[schema(value_type = Option<ShortName>)]
    pub name: Option<String>,
    /// Your own indicator's unit, 1 to 30 characters, e.g. "meals"; leave it out with a code.
    #[serde(default)]
    #[schema(value_type = Option<UnitName>)]
    pub unit: Option<String>,
    /// The baseline, before the partnership.
    #[schema(value_type = IndicatorValueInput)]
    pub before: Value,
    /// The value aimed for.
    #[serde(default)]
    #[schema(value_type = Option<IndicatorValueInput>)]
    pub target: Option<Value>,
    /// The value at completion.
    #[schema(value_type = IndicatorValueInput)]
    pub after: Value,
}

/// A value of one's own indicator: a number, or a short text when the measure is not one.
fn own_value(value: Value) -> Parsed<IndicatorValue> {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(n) if n.abs() <= 1e12 => Ok(IndicatorValue::Number(n)),
            _ => Err(Invalid::NumberTooLarge.with([("digits", json!(12))])),
        },
        Value::String(text) => types::line(&text, 1, 100).map(IndicatorValue::Text),
        Value::Null => Err(Invalid::Required.into()),
        _ => Err(Invalid::NumberOrText.into()),
    }
}

/// A value of a list indicator: a number from 0 (to 100 for a percentage).
fn list_value(value: Value, def: &IndicatorDef) -> Parsed<IndicatorValue> {
    let max = if def.unit == "percent" { 100.0 } else { 1e12 };
    match value.as_f64() {
        None if value.is_null() => Err(Invalid::Required.into()),
        Some(n) if (0.0..=max).contains(&n) => Ok(IndicatorValue::Number(n)),
        Some(_) => Err(Invalid::OutOfRange.with([("min", json!(0)), ("max", json!(max))])),
        None => Err(Invalid::NotANumber.into()),
    }
}

/// A value of an indicator from the list (`def`) or of one's own.
fn value_for(def: Option<&IndicatorDef>, value: Value) -> Parsed<IndicatorValue> {
    match def {
        Some(def) => list_value(value, def),
        None => own_value(value),
    }
}

/// A value of `indicator`, checked by its kind.
fn value_of(indicator: &Indicator, value: Value) -> Parsed<IndicatorValue> {
    let def = indicator
        .code
        .as_deref()
        .and_then(|c| indicator_list().get(c));
    value_for(def, value)
}

/// Parses an outcome's indicators, with their errors under `field` (`outcome.indicators`).
pub fn parse_indicators(
    field: &str,
    inputs: Vec<IndicatorInput>,
    errors: &mut FieldErrors,
) -> Vec<Indicator> {
    if inputs.len() > MAX_INDICATORS {
        errors.add(
            field,
            Invalid::TooMany.with([("max", json!(MAX_INDICATORS))]),
        );
    }
    let mut keys: Vec<String> = Vec::new();
    let mut indicators = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let at = |name: &str| format!("{field}[{i}].{name}");
        let def = match &input.code {
            Some(code) => match indicator_list().get(code) {
                Some(def) => Some(def),
                None => {
                    errors.add(
                        at("code"),
                        Invalid::UnknownIndicator.with([("value", json!(code))]),
                    );
                    continue;
                }
            },
            None => None,
        };
        let (name, unit) = match def {
            Some(def) => {
                for (given, name) in [(&input.name, "name"), (&input.unit, "unit")] {
                    if given.is_some() {
                        errors.add(
                            at(name),
                            Invalid::FromList.with([("code", json!(def.code))]),
                        );
                    }
                }
                (Some(def.name_en.clone()), Some(def.unit.clone()))
            }
            None => {
                let name = match &input.name {
                    Some(name) => errors.check(&at("name"), types::line(name, 1, 100)),
                    None => {
                        errors.add(at("name"), Invalid::Required);
                        None
                    }
                };
                let unit = input
                    .unit
                    .as_deref()
                    .and_then(|unit| errors.check(&at("unit"), types::line(unit, 1, 30)));
                (name, unit)
            }
        };
        let key = def.map(|d| d.code.clone()).or_else(|| name.clone());
        if let Some(key) = key {
            if keys.contains(&key.to_lowercase()) {
                let which = if def.is_some() { "code" } else { "name" };
                errors.add(at(which), Invalid::DuplicateName);
            }
            keys.push(key.to_lowercase());
        }
        let check = |value: Value| value_for(def, value);
        let before = errors.check(&at("before"), check(input.before));
        let after = errors.check(&at("after"), check(input.after));
        let target = input
            .target
            .filter(|t| !t.is_null())
            .and_then(|t| errors.check(&at("target"), check(t)));
        if let (Some(name), Some(before), Some(after)) = (name, before, after) {
            indicators.push(Indicator {
                name,
                code: def.map(|d| d.code.clone()),
                unit,
                before,
                target,
                after,
            });
        }
    }
    indicators
}

/// Codes of the list, at most ten, each once (a program's required indicators).
pub fn parse_codes(field: &str, codes: Vec<String>, errors: &mut FieldErrors) -> Vec<String> {
    if codes.len() > MAX_INDICATORS {
        errors.add(
            field,
            Invalid::TooMany.with([("max", json!(MAX_INDICATORS))]),
        );
    }
    let mut kept: Vec<String> = Vec::new();
    for (i, code) in codes.into_iter().enumerate() {
        if indicator_list().get(&code).is_none() {
            errors.add(
                format!("{field}[{i}]"),
                Invalid::UnknownIndicator.with([("value", json!(code))]),
            );
        } else if kept.contains(&code) {
            errors.add(format!("{field}[{i}]"), Invalid::Duplicate);
        } else {
            kept.push(code);
        }
    }
    kept
}

/// The indicator codes a partnership's program requires of its outcome (none outside a program).
pub async fn required_codes(
    db: &impl ConnectionTrait,
    p: &partnership::Model,
) -> AppResult<Vec<String>> {
    let Some(program_id) = p.program_id else {
        return Ok(Vec::new());
    };
    Ok(program::Entity::find_by_id(program_id)
        .one(db)
        .await?
        .map(|program| program.indicators.0)
        .unwrap_or_default())
}

/// Refuses an outcome that leaves out an indicator the partnership's program requires.
pub async fn check_required(
    db: &impl ConnectionTrait,
    p: &partnership::Model,
    indicators: &[Indicator],
) -> AppResult<()> {
    let missing: Vec<String> = required_codes(db, p)
        .await?
        .into_iter()
        .filter(|code| !indicators.iter().any(|i| i.code.as_ref() == Some(code)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut errors = FieldErrors::default();
    errors.add(
        "outcome.indicators",
        Invalid::MissingIndicators.with([("codes", json!(missing.join(", ")))]),
    );
    errors.finish()
}

/// When a follow-up falls due, after a completion at `completed_at`.
pub fn due_at(due: FollowUpDue, completed_at: DateTime<Utc>) -> DateTime<Utc> {
    let months = match due {
        FollowUpDue::ThreeMonths => 3,
        FollowUpDue::TwelveMonths => 12,
    };
    completed_at
        .checked_add_months(Months::new(months))
        .unwrap_or(completed_at)
}

/// Plans a completed partnership's two follow-ups, in its completion's transaction.
pub async fn schedule(
    txn: &impl ConnectionTrait,
    partnership_id: i64,
    completed_at: DateTime<Utc>,
) -> AppResult<()> {
    let rows = FollowUpDue::ALL.iter().map(|&due| follow_up::ActiveModel {
        partnership_id: Set(partnership_id),
        due: Set(due),
        due_at: Set(due_at(due, completed_at)),
        values: Set(FollowUpValues::default()),
        note: Set(None),
        reported_at: Set(None),
        reported_by: Set(None),
        reminded_at: Set(None),
        created_at: Set(completed_at),
        ..Default::default()
    });
    follow_up::Entity::insert_many(rows).exec(txn).await?;
    Ok(())
}

/// A follow-up's report: values by indicator key, and a note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    /// The values measured now, by indicator key (its code from the list, or its name as
    /// reported at completion); leave out, or set to `null`, what was not measured. At least one.
    #[schema(value_type = BTreeMap<String, IndicatorValueInput>)]
    pub values: BTreeMap<String, Value>,
    #[serde(default)]
    #[schema(value_type = Option<Note>)]
    pub note: Option<String>,
}

impl FollowUpInput {
    /// Checks the values against the outcome's indicators, in their order.
    pub fn parse(self, indicators: &[Indicator]) -> AppResult<(FollowUpValues, Option<String>)> {
        let mut errors = FieldErrors::default();
        let mut values = self.values;
        for key in values.keys() {
            if !indicators.iter().any(|i| i.key() == key) {
                errors.add(format!("values.{key}"), Invalid::UnknownField);
            }
        }
        let mut kept = Vec::new();
        for indicator in indicators {
            let key = indicator.key();
            let Some(value) = values.remove(key).filter(|v| !v.is_null()) else {
                continue;
            };
            if let Some(value) = errors.check(&format!("values.{key}"), value_of(indicator, value))
            {
                kept.push(FollowUpValue {
                    key: key.to_owned(),
                    value,
                });
            }
        }
        if kept.is_empty() && errors.is_empty() {
            errors.add("values", Invalid::Required);
        }
        let note = self
            .note
            .filter(|n| !n.trim().is_empty())
            .and_then(|n| errors.check("note", types::text(&n, 1, 2_000)));
        errors.finish()?;
        Ok((FollowUpValues(kept), note))
    }
}

/// A follow-up as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUpView {
    pub due: FollowUpDue,
    pub due_at: DateTime<Utc>,
    /// Whether it can be reported now: from 14 days before its date.
    pub open: bool,
    pub reported_at: Option<DateTime<Utc>>,
    pub values: Vec<FollowUpValue>,
    pub note: Option<String>,
}

impl FollowUpView {
    pub fn of(row: follow_up::Model, now: DateTime<Utc>) -> Self {
        Self {
            due: row.due,
            due_at: row.due_at,
            open: now >= row.due_at - Duration::days(EARLY_DAYS),
            reported_at: row.reported_at,
            values: row.values.0,
            note: row.note,
        }
    }
}

fn follow_up_not_found(id: i64, due: &str) -> AppError {
    AppError::new(
        ErrorCode::FollowUpNotFound,
        format!(
            "Partnership {id} has no follow-up \"{due}\" (three_months or twelve_months, once completed)."
        ),
    )
}

/// A partnership's follow-ups, for anyone who may read the partnership (empty until completed).
pub async fn follow_ups(
    db: &DatabaseConnection,
    user_id: i64,
    partnership_id: i64,
) -> AppResult<Vec<FollowUpView>> {
    super::partnerships::get(db, user_id, partnership_id).await?;
    planned(db, partnership_id).await
}

/// The follow-ups of a partnership its reader was already let read (`partnerships::get`), by
/// date.
pub async fn planned(
    db: &impl ConnectionTrait,
    partnership_id: i64,
) -> AppResult<Vec<FollowUpView>> {
    let now = super::now();
    Ok(follow_up::Entity::find()
        .filter(follow_up::Column::PartnershipId.eq(partnership_id))
        .order_by_asc(follow_up::Column::DueAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| FollowUpView::of(row, now))
        .collect())
}

/// The reported follow-ups of these partnerships (for roll-ups), in one read per thousand.
pub async fn reported_follow_ups(
    db: &impl ConnectionTrait,
    partnership_ids: &[i64],
) -> AppResult<Vec<follow_up::Model>> {
    let mut rows = Vec::new();
    for chunk in partnership_ids.chunks(1_000) {
        rows.extend(
            follow_up::Entity::find()
                .filter(follow_up::Column::PartnershipId.is_in(chunk.iter().copied()))
                .filter(follow_up::Column::ReportedAt.is_not_null())
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// Reports (or corrects) a follow-up: members of the need's organization, from 14 days before it
/// falls due. Tells the other organization.
pub async fn report(
    db: &(impl ConnectionTrait + TransactionTrait),
    user_id: i64,
    partnership_id: i64,
    due: &str,
    input: FollowUpInput,
) -> AppResult<FollowUpView> {
    let txn = begin_write(db).await?;
    let mine = member_org_ids(&txn, user_id).await?;
    let p = partnership::Entity::find_by_id(partnership_id)
        .one(&txn)
        .await?
        .filter(|p| mine.contains(&p.need_org_id) || mine.contains(&p.offer_org_id))
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::PartnershipNotFound,
                format!("No partnership {partnership_id} of your organizations."),
            )
        })?;
    if !mine.contains(&p.need_org_id) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "The need's organization, which reported the outcome, reports its follow-ups.",
        ));
    }
    let row = match FollowUpDue::parse(due) {
        Some(due) => {
            follow_up::Entity::find()
                .filter(follow_up::Column::PartnershipId.eq(partnership_id))
                .filter(follow_up::Column::Due.eq(due))
                .one(&txn)
                .await?
        }
        None => None,
    }
    .ok_or_else(|| follow_up_not_found(partnership_id, due))?;
    let now = super::now();
    if now < row.due_at - Duration::days(EARLY_DAYS) {
        return Err(AppError::new(
            ErrorCode::FollowUpNotOpen,
            format!(
                "This follow-up is due on {}; it can be reported from {}.",
                row.due_at.date_naive(),
                (row.due_at - Duration::days(EARLY_DAYS)).date_naive()
            ),
        ));
    }
    let indicators = p
        .outcome
        .as_ref()
        .filter(|_| p.status == PartnershipStatus::Completed)
        .map(|o| o.indicators.as_slice())
        .unwrap_or_default();
    let (values, note) = input.parse(indicators)?;
    let correction = row.reported_at.is_some();
    // The note goes with the notice to the other organization.
    let detail = json!({ "due": row.due, "correction": correction, "note": note });
    let mut active: follow_up::ActiveModel = row.into();
    active.values = Set(values);
    active.note = Set(note);
    active.reported_at = Set(Some(now));
    active.reported_by = Set(Some(user_id));
    let saved = active.update(&txn).await?;
    journal::record(
        &txn,
        journal::Event::new(
            Some(user_id),
            "partnership.follow_up",
            OutboxEntity::Partnership,
            partnership_id,
            detail,
        ),
    )
    .await?;
    journal::commit(txn).await?;
    Ok(FollowUpView::of(saved, now))
}

/// Reminds the need's organization of each follow-up that fell due unreported, once. Each
/// reminder is claimed by a conditional update, so several processes send it once. Returns how
/// many.
pub async fn remind_due(db: &DatabaseConnection) -> AppResult<usize> {
    use follow_up::Column as C;
    let txn = begin_write(db).await?;
    let now = super::now();
    let due = follow_up::Entity::find()
        .filter(C::DueAt.lte(now))
        .filter(C::ReportedAt.is_null())
        .filter(C::RemindedAt.is_null())
        .order_by_asc(C::Id)
        .all(&txn)
        .await?;
    let mut sent = 0;
    for row in due {
        let claimed = follow_up::Entity::update_many()
            .col_expr(C::RemindedAt, Expr::val(now))
            .filter(C::Id.eq(row.id))
            .filter(C::RemindedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            sent += 1;
            journal::record(
                &txn,
                journal::Event::new(
                    None,
                    "partnership.follow_up_due",
                    OutboxEntity::Partnership,
                    row.partnership_id,
                    json!({ "due": row.due }),
                ),
            )
            .await?;
        }
    }
    journal::commit(txn).await?;
    Ok(sent)
}

/// A follow-up's values summed (or averaged) over the partnerships that reported it, with the
/// same partnerships' values at completion to compare with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct FollowUpTotal {
    pub partnerships: usize,
    pub value: f64,
    /// The value at completion of the partnerships that reported the follow-up.
    pub completion: f64,
}

/// One indicator over many partnerships: from the list by code, or the organizations' own by
/// name (case ignored). Values are summed, except percentages, which are averaged.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IndicatorTotal {
    /// Its code in the indicator list, if it comes from it.
    pub code: Option<String>,
    /// Its name (the list's English name for one from the list).
    pub name: String,
    pub unit: Option<String>,
    /// Partnerships reporting it as a number before and after.
    pub partnerships: usize,
    pub before: f64,
    pub after: f64,
    /// Partnerships among them that set a numeric target, and the targets' total (or mean).
    pub targets_set: usize,
    pub target: Option<f64>,
    /// Partnerships whose value at completion reached their target.
    pub targets_met: usize,
    /// The follow-ups reported for it.
    pub three_months: FollowUpTotal,
    pub twelve_months: FollowUpTotal,
}

impl IndicatorTotal {
    /// Its name in `language`: the list's for an indicator from it.
    pub fn label(&self, language: Language) -> String {
        named(self.code.as_deref(), &self.name, language)
    }

    fn averaged(&self) -> bool {
        self.unit.as_deref() == Some("percent")
    }
}

/// Outcomes rolled up from partnerships.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct CohortOutcomes {
    /// Partnerships proposed and waiting for an answer.
    pub proposed: usize,
    /// Accepted or active.
    pub under_way: usize,
    pub completed: usize,
    /// Declined, withdrawn, expired or cancelled.
    pub ended: usize,
    /// Hours given, over the completed partnerships' outcome reports.
    pub hours: f64,
    /// Value given in Canadian dollars, over the same reports.
    pub value_cad: f64,
    /// Numeric indicators, most reported first.
    pub indicators: Vec<IndicatorTotal>,
}

/// Whether `after` reached `target` from `before` (a target below the baseline aims for a fall).
fn reached(before: f64, target: f64, after: f64) -> bool {
    if target >= before {
        after >= target
    } else {
        after <= target
    }
}

/// Rolls the outcome reports of partnerships up, with their reported follow-ups.
pub fn cohort_outcomes(
    partnerships: &[partnership::Model],
    follow_ups: &[follow_up::Model],
) -> CohortOutcomes {
    use IndicatorValue::Number;
    let mut outcomes = CohortOutcomes::default();
    let mut later_of: HashMap<i64, Vec<&follow_up::Model>> = HashMap::new();
    for f in follow_ups {
        later_of.entry(f.partnership_id).or_default().push(f);
    }
    for p in partnerships {
        match p.status {
            PartnershipStatus::Proposed => outcomes.proposed += 1,
            PartnershipStatus::Accepted | PartnershipStatus::Active => outcomes.under_way += 1,
            PartnershipStatus::Completed => outcomes.completed += 1,
            _ => outcomes.ended += 1,
        }
        let Some(outcome) = p
            .outcome
            .as_ref()
            .filter(|_| p.status == PartnershipStatus::Completed)
        else {
            continue;
        };
        outcomes.hours += outcome.hours;
        outcomes.value_cad += outcome.value_cad;
        let later = later_of.get(&p.id).map(Vec::as_slice).unwrap_or_default();
        for indicator in &outcome.indicators {
            let (Number(before), Number(after)) = (&indicator.before, &indicator.after) else {
                continue;
            };
            let same = |t: &IndicatorTotal| match (&indicator.code, &t.code) {
                (Some(a), Some(b)) => a == b,
                (None, None) => t.name.to_lowercase() == indicator.name.trim().to_lowercase(),
                _ => false,
            };
            let at = match outcomes.indicators.iter().position(same) {
                Some(at) => at,
                None => {
                    outcomes.indicators.push(IndicatorTotal {
                        code: indicator.code.clone(),
                        name: indicator.name.trim().to_owned(),
                        unit: indicator.unit.clone(),
                        partnerships: 0,
                        before: 0.0,
                        after: 0.0,
                        targets_set: 0,
                        target: None,
                        targets_met: 0,
                        three_months: FollowUpTotal::default(),
                        twelve_months: FollowUpTotal::default(),
                    });
                    outcomes.indicators.len() - 1
                }
            };
            let total = &mut outcomes.indicators[at];
            total.partnerships += 1;
            total.before += before;
            total.after += after;
            if let Some(Number(target)) = indicator.target {
                total.targets_set += 1;
                total.target = Some(total.target.unwrap_or(0.0) + target);
                if reached(*before, target, *after) {
                    total.targets_met += 1;
                }
            }
            for f in later {
                let Some(Number(value)) = f.values.get(indicator.key()) else {
                    continue;
                };
                let stage = match f.due {
                    FollowUpDue::ThreeMonths => &mut total.three_months,
                    FollowUpDue::TwelveMonths => &mut total.twelve_months,
                };
                stage.partnerships += 1;
                stage.value += value;
                stage.completion += after;
            }
        }
    }
    for total in &mut outcomes.indicators {
        if total.averaged() {
            let mean = |sum: f64, n: usize| if n == 0 { 0.0 } else { sum / n as f64 };
            total.before = mean(total.before, total.partnerships);
            total.after = mean(total.after, total.partnerships);
            total.target = total.target.map(|t| mean(t, total.targets_set));
            for stage in [&mut total.three_months, &mut total.twelve_months] {
                stage.value = mean(stage.value, stage.partnerships);
                stage.completion = mean(stage.completion, stage.partnerships);
            }
        }
    }
    outcomes.indicators.sort_by(|a, b| {
        b.partnerships
            .cmp(&a.partnerships)
            .then(a.name.cmp(&b.name))
    });
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_parses_and_names_each_indicator_in_both_languages() {
        let list = indicator_list();
        assert!(list.indicators.len() >= 12);
        assert_eq!(list.licence, "CC BY 4.0");
        let trained = IndicatorList::get(list, "staff_trained").unwrap();
        assert_eq!(trained.iris.as_deref(), Some("PI2998"));
        assert_ne!(trained.name(Language::En), trained.name(Language::Fr));
        assert!(
            IndicatorList::get(list, "security_incidents")
                .unwrap()
                .lower_is_better
        );
    }

    #[test]
    fn a_list_with_a_repeated_code_or_an_unknown_unit_is_refused() {
        let one = |code: &str, unit: &str| {
            format!(
                "[[indicator]]\ncode = \"{code}\"\nname_en = \"A\"\nname_fr = \"B\"\nunit = \"{unit}\"\n"
            )
        };
        let head = "licence = \"CC BY 4.0\"\nattribution = \"x\"\n";
        assert!(IndicatorList::parse(&format!("{head}{}", one("a", "people"))).is_ok());
        let twice = format!("{head}{}{}", one("a", "people"), one("a", "hours"));
        assert!(IndicatorList::parse(&twice).is_err());
        assert!(IndicatorList::parse(&format!("{head}{}", one("a", "furlongs"))).is_err());
        let bad_iris = format!("{head}{}iris = \"XX12\"\n", one("a", "people"));
        assert!(IndicatorList::parse(&bad_iris).is_err());
    }

    fn field_names(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation(errors) => errors.fields().map(|(f, _)| f.to_owned()).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn fields(result: AppResult<(FollowUpValues, Option<String>)>) -> Vec<String> {
        result.map_or_else(field_names, |_| Vec::new())
    }

    fn indicators() -> Vec<Indicator> {
        let mut errors = FieldErrors::default();
        let parsed = parse_indicators(
            "outcome.indicators",
            serde_json::from_value(json!([
                { "code": "accounts_mfa", "before": 10, "target": 90, "after": 80 },
                { "name": "Meals delivered", "unit": "meals", "before": 100, "after": 140 }
            ]))
            .unwrap(),
            &mut errors,
        );
        assert!(errors.is_empty());
        parsed
    }

    #[test]
    fn list_indicators_take_their_name_and_unit_from_the_list_and_numbers_only() {
        let parsed = indicators();
        assert_eq!(
            parsed[0].name,
            "Accounts protected by multi-factor authentication"
        );
        assert_eq!(parsed[0].unit.as_deref(), Some("percent"));
        assert_eq!(parsed[0].target, Some(IndicatorValue::Number(90.0)));
        assert_eq!(parsed[1].key(), "Meals delivered");
        let mut errors = FieldErrors::default();
        parse_indicators(
            "outcome.indicators",
            serde_json::from_value(json!([
                { "code": "accounts_mfa", "name": "Mine", "before": "some", "after": 120 },
                { "code": "no_such", "before": 1, "after": 2 },
                { "before": 1, "after": 2 },
                { "code": "accounts_mfa", "before": 1, "after": 2 }
            ]))
            .unwrap(),
            &mut errors,
        );
        assert_eq!(
            field_names(errors.finish().unwrap_err()),
            [
                "outcome.indicators[0].after",
                "outcome.indicators[0].before",
                "outcome.indicators[0].name",
                "outcome.indicators[1].code",
                "outcome.indicators[2].name",
                "outcome.indicators[3].code",
            ]
        );
    }

    #[test]
    fn follow_up_values_are_checked_by_indicator_key() {
        let list = indicators();
        let parse = |values: Value| {
            serde_json::from_value::<FollowUpInput>(json!({ "values": values }))
                .unwrap()
                .parse(&list)
        };
        let (values, _) = parse(json!({ "accounts_mfa": 95, "Meals delivered": null })).unwrap();
        assert_eq!(values.0.len(), 1);
        assert_eq!(
            values.get("accounts_mfa"),
            Some(&IndicatorValue::Number(95.0))
        );
        assert_eq!(
            fields(parse(json!({ "accounts_mfa": 101, "unknown": 3 }))),
            ["values.accounts_mfa", "values.unknown"]
        );
        assert_eq!(fields(parse(json!({}))), ["values"]);
    }

    #[test]
    fn roll_ups_sum_counts_average_percentages_and_count_targets_met() {
        let now = Utc::now();
        let completed = |id: i64, mfa: (f64, f64, f64)| partnership::Model {
            id,
            status: PartnershipStatus::Completed,
            outcome: Some(entity::Outcome {
                hours: 1.0,
                value_cad: 0.0,
                delivered: "x".into(),
                indicators: vec![
                    Indicator {
                        name: "MFA".into(),
                        code: Some("accounts_mfa".into()),
                        unit: Some("percent".into()),
                        before: IndicatorValue::Number(mfa.0),
                        target: Some(IndicatorValue::Number(mfa.1)),
                        after: IndicatorValue::Number(mfa.2),
                    },
                    Indicator {
                        name: "Staff trained".into(),
                        code: Some("staff_trained".into()),
                        unit: Some("people".into()),
                        before: IndicatorValue::Number(0.0),
                        target: None,
                        after: IndicatorValue::Number(5.0),
                    },
                ],
            }),
            need_id: 1,
            offer_id: 2,
            need_org_id: 1,
            offer_org_id: 2,
            proposer_org_id: 1,
            proposer_user_id: None,
            responder_user_id: None,
            message: "x".into(),
            score: None,
            reasons: None,
            response_note: None,
            closing_note: None,
            reason_code: None,
            expires_at: now,
            reminders_sent: 0,
            responded_at: None,
            started_at: None,
            completed_at: Some(now),
            units: 1,
            need_units: None,
            offer_units: None,
            need_public: false,
            offer_public: false,
            program_id: None,
            component_id: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let follow = |partnership_id: i64, value: f64| follow_up::Model {
            id: partnership_id,
            partnership_id,
            due: FollowUpDue::ThreeMonths,
            due_at: now,
            values: FollowUpValues(vec![FollowUpValue {
                key: "accounts_mfa".into(),
                value: IndicatorValue::Number(value),
            }]),
            note: None,
            reported_at: Some(now),
            reported_by: None,
            reminded_at: None,
            created_at: now,
        };
        let rolled = cohort_outcomes(
            &[
                completed(1, (20.0, 90.0, 95.0)),
                completed(2, (40.0, 80.0, 60.0)),
            ],
            &[follow(1, 100.0)],
        );
        let mfa = rolled
            .indicators
            .iter()
            .find(|i| i.code.as_deref() == Some("accounts_mfa"))
            .unwrap();
        assert_eq!(
            (mfa.before, mfa.target, mfa.after),
            (30.0, Some(85.0), 77.5)
        );
        assert_eq!((mfa.targets_set, mfa.targets_met), (2, 1));
        assert_eq!(
            mfa.three_months,
            FollowUpTotal {
                partnerships: 1,
                value: 100.0,
                completion: 95.0
            }
        );
        let trained = rolled
            .indicators
            .iter()
            .find(|i| i.code.as_deref() == Some("staff_trained"))
            .unwrap();
        assert_eq!((trained.partnerships, trained.after), (2, 10.0));
        assert_eq!(rolled.hours, 2.0);
    }
}
