//! What the service portal shows: catalog levels (portfolios → services → activities),
//! search hits and the request form of an activity. Plain data for the browser and the
//! server alike; the server builds it in `crate::server::catalog`.
//!
//! Cards and crumbs keep a bare `i32` id: one breadcrumb trail holds a portfolio's and a
//! service's crumbs side by side, and the page turns each into a URL segment either way.

use serde::{Deserialize, Serialize};

use crate::domain::attachment::{AttachmentInfo, AttachmentLimits};
use crate::domain::request::{FieldSpec, RequestProfileInput};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub id: i32,
    pub name: String,
    pub description: String,
}

/// One step of the breadcrumb "Portal / portfolio / service / activity".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Crumb {
    pub id: i32,
    pub name: String,
}

read_as_map!(Crumb { id, name });

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogLevel {
    /// The way here: empty for the portfolios, [portfolio] for its services, …
    pub trail: Vec<Crumb>,
    pub items: Vec<Card>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub portfolio: Crumb,
    pub service: Crumb,
    pub activity: Card,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestFormData {
    pub portfolio: Crumb,
    pub service: Crumb,
    pub activity: Crumb,
    pub description: String,
    pub ticket_type: String,
    pub priority: i16,
    pub sla_hours: Option<i32>,
    pub fields: Vec<FieldSpec>,
    /// The profile saved with the customer's last request, to fill the form.
    pub profile: Option<RequestProfileInput>,
    /// How many and how large attachments may be.
    pub limits: AttachmentLimits,
    /// Files the customer uploaded for a request not sent yet (a reload keeps them).
    pub staged: Vec<AttachmentInfo>,
    /// This form's key, new each time the form is served (idempotent creation).
    pub request_key: String,
}

read_as_map!(RequestFormData {
    portfolio,
    service,
    activity,
    description,
    ticket_type,
    priority,
    sla_hours,
    fields,
    profile,
    limits,
    staged,
    request_key,
});

/// The longest portal search (the search box's `maxlength`).
pub const SEARCH_MAX: usize = 100;
