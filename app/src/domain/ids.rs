//! Typed ids. A ticket's row id and its number are both `i64`, a portfolio's, a
//! service's and an activity's ids are all `i32`, and they sit side by side in the same
//! signatures: a newtype per kind makes swapping two of them a compile error instead of
//! a wrong ticket. Serde-transparent, so the JSON the browser and the tests exchange is
//! the bare number it always was. Compiled for the browser too (no sea-orm here): the
//! server unwraps them with `.get()` where it talks to the database.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl $name {
            /// The bare number, for the database and for views.
            pub const fn get(self) -> $inner {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for $inner {
            fn from(id: $name) -> $inner {
                id.0
            }
        }
    };
}

typed_id!(
    /// A user account (customer or staff): `user_account.id`.
    UserId(i32)
);
typed_id!(
    /// A ticket's row id (`ticket.id`): internal, never shown; attachments and history
    /// point at it.
    TicketId(i64)
);
typed_id!(
    /// A ticket's number ("31208", `ticket.number`): what people see, say and put in
    /// URLs; unique, increasing, without gaps.
    TicketNumber(i64)
);
typed_id!(
    /// A portfolio of the service catalog: `portfolio.id`.
    PortfolioId(i32)
);
typed_id!(
    /// A service of a portfolio: `service.id`.
    ServiceId(i32)
);
typed_id!(
    /// An activity of a service (what a request form is for): `activity.id`.
    ActivityId(i32)
);
typed_id!(
    /// An uploaded file: `attachment.id`.
    AttachmentId(i64)
);
typed_id!(
    /// A support group of agents ("1º Nível - NUATE"): `support_group.id`.
    GroupId(i32)
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_travel_as_bare_numbers() {
        assert_eq!(
            serde_json::to_string(&TicketNumber(31208)).ok(),
            Some("31208".into())
        );
        assert_eq!(
            serde_json::from_str::<Vec<AttachmentId>>("[1,2]").ok(),
            Some(vec![AttachmentId(1), AttachmentId(2)])
        );
        assert_eq!(TicketId(7).to_string(), "7");
    }
}
