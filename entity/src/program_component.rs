//! One kind of support a program gives, by one partner: "refurbished laptops — 60, at most 5
//! each". At confirmation it is published as an offer of its partner (`offer_id`).

use crate::PostingUnit;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "program_component")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub partner_org_id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Taxonomy category code.
    pub category: String,
    pub unit: PostingUnit,
    pub capacity: i32,
    pub per_org_max: Option<i32>,
    /// What one unit is worth in dollars, when it has a price.
    pub value_cad: Option<f64>,
    pub offer_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
