pub mod forgot_password;
pub mod home;
pub mod login;
pub mod not_found;
pub mod profile;
pub mod register;
pub mod reset_password;
