//! sea-orm entities of Atende. Server-only: this crate is pulled into `app` only under
//! the `ssr` feature and never reaches the browser bundle.

pub mod activity;
pub mod activity_field;
pub mod attachment;
pub mod audit_entry;
pub mod calendar;
pub mod captcha;
pub mod cep_cache;
pub mod customer_profile;
pub mod holiday;
pub mod lease;
pub mod login_attempt;
pub mod outbox;
pub mod password_reset;
pub mod portfolio;
pub mod service;
pub mod session;
pub mod setting;
pub mod support_group;
pub mod ticket;
pub mod ticket_event;
pub mod ticket_pause;
pub mod user_account;
pub mod user_group;
pub mod workflow_step;

pub mod prelude {
    pub use super::activity::Entity as Activity;
    pub use super::activity_field::Entity as ActivityField;
    pub use super::attachment::Entity as Attachment;
    pub use super::audit_entry::Entity as AuditEntry;
    pub use super::calendar::Entity as Calendar;
    pub use super::captcha::Entity as Captcha;
    pub use super::cep_cache::Entity as CepCache;
    pub use super::customer_profile::Entity as CustomerProfile;
    pub use super::holiday::Entity as Holiday;
    pub use super::lease::Entity as Lease;
    pub use super::login_attempt::Entity as LoginAttempt;
    pub use super::outbox::Entity as Outbox;
    pub use super::password_reset::Entity as PasswordReset;
    pub use super::portfolio::Entity as Portfolio;
    pub use super::service::Entity as Service;
    pub use super::session::Entity as Session;
    pub use super::setting::Entity as Setting;
    pub use super::support_group::Entity as SupportGroup;
    pub use super::ticket::Entity as Ticket;
    pub use super::ticket_event::Entity as TicketEvent;
    pub use super::ticket_pause::Entity as TicketPause;
    pub use super::user_account::Entity as UserAccount;
    pub use super::user_group::Entity as UserGroup;
    pub use super::workflow_step::Entity as WorkflowStep;
}
