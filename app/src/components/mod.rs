pub mod auth;
pub mod breadcrumb;
pub mod cep_button;
pub mod form;
pub mod header;
pub mod password_fields;
pub mod profile_fields;
pub mod skip_link;
