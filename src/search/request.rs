//! A search as callers ask for it (the API's query string, the search page's address), read into
//! a `SearchRequest` with the same checks for both.

use entity::{Language, OrgKind, TaxonomyKind};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{SearchRequest, Sort};
use crate::domain::taxonomy::Taxonomy;
use crate::domain::types::{self, Province, cursor};
use crate::error::{AppError, AppResult};

/// Deepest result reachable by paging.
pub const MAX_OFFSET: usize = 1_000;

/// A search as a caller asks for it: the API's query string, the search page's address.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words to look for, in English or French; any text is accepted.
    pub q: Option<String>,
    /// `need`, `offer` or `organization`.
    pub kind: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// Two-letter province or territory code.
    pub province: Option<String>,
    /// Kind of the publishing organization.
    pub org_kind: Option<OrgKind>,
    pub remote: Option<bool>,
    pub language: Option<Language>,
    /// `relevance` (default when `q` is given) or `recent`.
    pub sort: Option<String>,
    /// 1 to 50, default 20.
    #[param(minimum = 1, maximum = 50)]
    #[serde(default, deserialize_with = "types::whole_number")]
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl SearchQuery {
    /// Reads the parameters; a value that is not acceptable is 400 `invalid_parameter` naming it.
    pub fn parse(self, taxonomy: &Taxonomy) -> AppResult<SearchRequest> {
        let kind = match self.kind.as_deref() {
            None => None,
            Some(kind @ ("need" | "offer" | "organization")) => Some(kind.to_owned()),
            Some(other) => {
                return Err(AppError::parameter(
                    "kind",
                    format!("\"{other}\" is not need, offer or organization"),
                ));
            }
        };
        let category = self
            .category
            .map(|c| taxonomy.check(TaxonomyKind::Category, &c))
            .transpose()
            .map_err(|e| AppError::parameter("category", e))?;
        let province = self
            .province
            .map(|p| Province::parse(&p).map(|p| p.as_str().to_owned()))
            .transpose()
            .map_err(|e| AppError::parameter("province", e))?;
        let sort = match self.sort.as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("recent") => Sort::Recent,
            Some(other) => {
                return Err(AppError::parameter(
                    "sort",
                    format!("\"{other}\" is not relevance or recent"),
                ));
            }
        };
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
        Ok(SearchRequest {
            q: self.q.unwrap_or_default(),
            kind,
            category,
            province,
            org_kind: self.org_kind.map(|k| k.as_str().to_owned()),
            remote: self.remote,
            language: self.language.map(|l| l.as_str().to_owned()),
            sort,
            limit,
            offset,
            no_stemming: false,
            lean: false,
        })
    }
}
