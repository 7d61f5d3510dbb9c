//! A search as callers ask for it (the API's query string, the search page's address), read into
//! a `SearchRequest` with the same checks for both.

use entity::{Language, OrgKind, TaxonomyKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{SearchRequest, Sort};
use crate::domain::schemas::{CategoryList, KindList, OrgKindList, ProvinceList};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::types::{self, Province, cursor};
use crate::error::{AppError, AppResult};

/// What a search looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Need,
    Offer,
    Organization,
}

impl SearchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Need => "need",
            Self::Offer => "offer",
            Self::Organization => "organization",
        }
    }

    /// Reads a kind typed in an address (the search page's); anything else is 400
    /// `invalid_parameter`.
    pub fn parse(raw: &str) -> AppResult<Self> {
        [Self::Need, Self::Offer, Self::Organization]
            .into_iter()
            .find(|kind| kind.as_str() == raw)
            .ok_or_else(|| {
                AppError::parameter(
                    "kind",
                    format!("\"{raw}\" is not need, offer or organization"),
                )
            })
    }
}

impl Sort {
    /// Reads an order typed in an address (the search page's); anything else is 400
    /// `invalid_parameter`.
    pub fn parse(raw: &str) -> AppResult<Self> {
        match raw {
            "relevance" => Ok(Self::Relevance),
            "recent" => Ok(Self::Recent),
            other => Err(AppError::parameter(
                "sort",
                format!("\"{other}\" is not relevance or recent"),
            )),
        }
    }
}

/// Reads a comma-separated list of values, each checked by `one`, back as a comma-separated list
/// of their canonical forms, without repeats (`None` when empty).
fn list(
    name: &str,
    raw: Option<String>,
    one: impl Fn(&str) -> AppResult<String>,
) -> AppResult<Option<String>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let mut values: Vec<String> = Vec::new();
    for value in raw.split(',') {
        // As the document's pattern says: no space around a value.
        if value.trim() != value {
            return Err(AppError::parameter(
                name,
                format!("\"{value}\" has spaces around it; separate values with commas alone"),
            ));
        }
        let value = one(value)?;
        if !values.contains(&value) {
            values.push(value);
        }
    }
    Ok((!values.is_empty()).then(|| values.join(",")))
}

/// "Closing soon": within two weeks.
pub const CLOSING_SOON_DAYS: i64 = 14;

/// Deepest result reachable by paging.
pub const MAX_OFFSET: usize = 1_000;

/// A search as a caller asks for it: the API's query string, the search page's address.
#[derive(Debug, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words to look for, in English or French; any text is accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// `need`, `offer` or `organization`; several, comma-separated, find any of them.
    #[param(value_type = Option<KindList>, inline)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Category codes, comma-separated: any of them.
    #[param(value_type = Option<CategoryList>, inline)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Province or territory codes, comma-separated: any of them.
    #[param(value_type = Option<ProvinceList>, inline)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// Kinds of the publishing organization, comma-separated: any of them.
    #[param(value_type = Option<OrgKindList>, inline)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<bool>,
    /// `true`: only organizations an administrator verified, and their postings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// `true`: only what closes within two weeks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closing_soon: Option<bool>,
    /// Only postings worth at least this many dollars (0 to 100,000,000).
    #[param(minimum = 0, maximum = 100_000_000)]
    #[serde(default, deserialize_with = "types::whole_number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// Only postings worth at most this many dollars (0 to 100,000,000).
    #[param(minimum = 0, maximum = 100_000_000)]
    #[serde(default, deserialize_with = "types::whole_number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// `true`: only offers your organization may receive (signed in; with `kind=offer` or
    /// alone, it leaves out needs and organizations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible: Option<bool>,
    /// `relevance` (the default) or `recent`.
    #[param(inline)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<Sort>,
    /// 1 to 50, default 20.
    #[param(minimum = 1, maximum = 50)]
    #[serde(default, deserialize_with = "types::whole_number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl SearchQuery {
    /// Reads the parameters; a value that is not acceptable is 400 `invalid_parameter` naming it.
    pub fn parse(self, taxonomy: &Taxonomy) -> AppResult<SearchRequest> {
        let kind = list("kind", self.kind, |k| {
            SearchKind::parse(k).map(|k| k.as_str().to_owned())
        })?;
        let category = list("category", self.category, |c| {
            taxonomy
                .check(TaxonomyKind::Category, c)
                .map_err(|e| AppError::parameter("category", e))
        })?;
        let province = list("province", self.province, |p| {
            Province::parse(p)
                .map(|p| p.as_str().to_owned())
                .map_err(|e| AppError::parameter("province", e))
        })?;
        let org_kind = list("org_kind", self.org_kind, |k| {
            OrgKind::parse(k)
                .map(|k| k.as_str().to_owned())
                .ok_or_else(|| {
                    AppError::parameter(
                        "org_kind",
                        format!("\"{k}\" is not a kind of organization"),
                    )
                })
        })?;
        let sort = self.sort.unwrap_or_default();
        let limit = match self.limit {
            None => 20,
            Some(n @ 1..=50) => n,
            Some(_) => return Err(AppError::parameter("limit", "must be between 1 and 50")),
        };
        let offset = self
            .cursor
            .as_deref()
            .map(|c| cursor::decode_offset(c, MAX_OFFSET))
            .transpose()
            .map_err(|e| AppError::parameter("cursor", e))?
            .unwrap_or(0);
        let value = |name: &str, value: Option<i64>| match value {
            Some(v) if !(0..=100_000_000).contains(&v) => Err(AppError::parameter(
                name,
                "must be between 0 and 100,000,000",
            )),
            v => Ok(v),
        };
        let min_value = value("min_value", self.min_value)?;
        let max_value = value("max_value", self.max_value)?;
        if let (Some(min), Some(max)) = (min_value, max_value)
            && min > max
        {
            return Err(AppError::parameter(
                "max_value",
                "must not be below min_value",
            ));
        }
        Ok(SearchRequest {
            closing_by: self
                .closing_soon
                .filter(|soon| *soon)
                .map(|_| chrono::Utc::now() + chrono::Duration::days(CLOSING_SOON_DAYS)),
            min_value,
            max_value,
            eligible: self.eligible.unwrap_or(false),
            eligible_for: None,
            q: self.q.unwrap_or_default(),
            kind,
            category,
            province,
            org_kind,
            remote: self.remote,
            verified: self.verified,
            language: self.language.map(|l| l.as_str().to_owned()),
            sort,
            limit,
            offset,
            no_stemming: false,
            lean: false,
        })
    }
}
