//! What a customer gives on the first request (Natureza, CPF/CNPJ, address) and sees
//! filled in on the next ones.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    /// "F" Pessoa Física, "J" Pessoa Jurídica.
    pub nature: String,
    /// CPF (11 digits) or CNPJ (14 characters), unmasked.
    pub document: String,
    pub cep: String,
    pub street: String,
    pub number: String,
    pub complement: String,
    pub district: String,
    pub city: String,
    pub uf: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
