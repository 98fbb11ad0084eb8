//! Unit enums that cross the wire by name, written and read through one table.
//!
//! serde's derived reader of such an enum is a visitor of its own, with its own match over
//! the names and its own error paths: about 1.5 KiB of browser code per enum and per page
//! that reads it. Here every enum shares one reader, which finds the name's place in the
//! table; what an enum adds is its table. The names are the ones the derive wrote, so the
//! JSON is unchanged.

use serde::de::{Error, Visitor};

/// Declares how `$ty` crosses the wire: each variant as its name. A variant left out is a
/// compile error (the match in `wire_name`), and one table serves both directions.
macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// The name this value crosses the wire as.
            pub fn wire_name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.wire_name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const VALUES: &[$ty] = &[$($ty::$variant),+];
                let index = $crate::domain::named::read(deserializer, &[$($name),+])?;
                Ok(VALUES[index])
            }
        }
    };
}

/// Reads a name and returns its place in `names`.
pub fn read<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer.deserialize_str(Place(names))
}

struct Place(&'static [&'static str]);

impl<'de> Visitor<'de> for Place {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("one of the names of an enum")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|name| *name == value)
            .ok_or_else(|| E::custom("an unknown name"))
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::account::Role;
    use crate::domain::tickets::{EventKind, Situation, SlaStatus, SortBy};
    use serde::{Deserialize, Serialize};
    use std::fmt::Debug;

    fn round_trips<T>(all: &[T], wire_name: fn(T) -> &'static str)
    where
        T: Copy + Debug + PartialEq + Serialize + for<'de> Deserialize<'de>,
    {
        let mut seen = std::collections::HashSet::new();
        for &value in all {
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{}\"", wire_name(value)));
            assert!(seen.insert(json.clone()), "{json} twice");
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
            assert_eq!(serde_json::from_slice::<T>(json.as_bytes()).unwrap(), value);
        }
        assert!(serde_json::from_str::<T>(r#""nenhum""#).is_err());
        assert!(serde_json::from_str::<T>("0").is_err());
    }

    #[test]
    fn every_variant_reads_back_from_its_name() {
        round_trips(&Situation::ALL, Situation::wire_name);
        round_trips(&SlaStatus::ALL, SlaStatus::wire_name);
        round_trips(&SortBy::ALL, SortBy::wire_name);
        round_trips(&EventKind::ALL, EventKind::wire_name);
        round_trips(&Role::ALL, Role::wire_name);
    }

    #[test]
    fn the_names_are_those_serde_derived() {
        // Pages open in a browser, and the API's clients, read these names.
        assert_eq!(
            serde_json::to_string(&Situation::Open).unwrap(),
            r#""Open""#
        );
        assert_eq!(
            serde_json::to_string(&SlaStatus::AtRisk).unwrap(),
            r#""em_risco""#
        );
        assert_eq!(
            serde_json::to_string(&SortBy::Deadline).unwrap(),
            r#""Deadline""#
        );
        assert_eq!(
            serde_json::to_string(&EventKind::InternalNote).unwrap(),
            r#""internal_note""#
        );
        assert_eq!(serde_json::to_string(&Role::Admin).unwrap(), r#""Admin""#);
        // An escaped name is read like any other.
        assert_eq!(
            serde_json::from_str::<SortBy>(r#""Dead\u006cine""#).unwrap(),
            SortBy::Deadline
        );
    }
}
