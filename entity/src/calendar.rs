//! A business calendar: hours per weekday in a time zone, with Brazil's national holidays
//! (computed for every year) when `national_holidays` is set, Carnaval and Corpus Christi
//! too when `optional_points` is, and its own holidays (`holiday`). Row 1 is the default.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    /// An IANA zone ("America/Sao_Paulo").
    pub time_zone: String,
    /// Seven days from Monday, `|`-separated, each a comma list of `HH:MM-HH:MM`.
    pub week: String,
    pub national_holidays: bool,
    pub optional_points: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
