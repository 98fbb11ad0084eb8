//! Integration tests: the real server, on a real SQLite file and a real PostgreSQL
//! database, spoken to over HTTP. One test binary (faster to link than one per file).

mod access;
mod accounts;
mod admin;
mod attachments;
mod binary;
mod catalog_admin;
mod database;
mod desk;
mod forms;
mod hardening;
mod hardening_tickets;
mod health;
mod helpers;
mod mail;
mod pages;
mod requests;
mod settings;
mod sla;
mod tickets;
