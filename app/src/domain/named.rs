//! Values that cross the wire by name, read through one table reader.
//!
//! serde's derived readers match names with a visitor of their own per type, with its own
//! error paths: about 1.5 KiB of browser code per unit enum, and more per struct, in every
//! pack that reads the type. Here a unit enum (`wire_names!`) and a struct's field names
//! (`read_as_map!`) are found by their place in a table, through one reader (`Key`); what
//! a type adds is its table. The names are the ones the derive wrote, so the JSON is
//! unchanged.

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

/// Implements `Deserialize` for a struct that crosses the wire as a JSON object (its
/// `Serialize` stays derived). serde's derived reader also reads the struct from an array,
/// and matches the field names with a visitor of its own: code that a JSON object never
/// runs, in every pack that reads the struct. Here the field names are found through the
/// one table reader above. As with the derive, unknown fields are skipped and a field
/// given twice is refused; unlike it, every field must be present (the server writes
/// them all), `Option`s too. `field = seed` reads a field with a `DeserializeSeed` (what
/// `#[serde(with)]` does for the derive).
macro_rules! read_as_map {
    (@value $map:ident) => {
        $map.next_value()?
    };
    (@value $map:ident $seed:expr) => {
        $map.next_value_seed($seed)?
    };
    ($ty:ident { $($field:ident $(= $seed:expr)?),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields;
                impl<'de> serde::de::Visitor<'de> for Fields {
                    type Value = $ty;

                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("an object")
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        use serde::de::Error;
                        $(let mut $field = None;)+
                        let names = &[$(stringify!($field)),+];
                        while let Some(key) = map.next_key_seed($crate::domain::named::Key(names))? {
                            let mut slot = 0usize;
                            $(
                                if key == Some(slot) {
                                    if $field.is_some() {
                                        return Err(A::Error::duplicate_field(stringify!($field)));
                                    }
                                    $field = Some(read_as_map!(@value map $($seed)?));
                                    continue;
                                }
                                slot += 1;
                            )+
                            let _ = slot;
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                        Ok($ty {
                            $($field: $field.ok_or_else(|| A::Error::missing_field(stringify!($field)))?,)+
                        })
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }
    };
}

// By path too, for modules declared before `domain` (the API's types).
pub(crate) use read_as_map;

/// A name's place in a table (a struct's field names, an enum's names), `None` for a
/// name the table lacks.
pub struct Key(pub &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == value))
    }
}

/// Reads a name and returns its place in `names`; a name not there is an error.
pub fn read<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer
        .deserialize_str(Key(names))?
        .ok_or_else(|| D::Error::custom("an unknown name"))
}

#[cfg(test)]
mod tests {
    use crate::api::accounts::{CaptchaChallenge, Profile, UserInfo};
    use crate::domain::account::{PersonType, Role};
    use crate::domain::attachment::{AttachmentInfo, AttachmentLimits};
    use crate::domain::catalog::{Crumb, RequestFormData};
    use crate::domain::cep::CepAddress;
    use crate::domain::ids::TicketNumber;
    use crate::domain::request::{FieldKind, FieldSpec, RequestProfileInput};
    use crate::domain::tickets::{EventKind, Situation, SlaStatus, SortBy, TicketRow};
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
        round_trips(&PersonType::ALL, PersonType::wire_name);
        round_trips(&FieldKind::ALL, FieldKind::wire_name);
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
        assert_eq!(
            serde_json::to_string(&PersonType::Juridica).unwrap(),
            r#""Juridica""#
        );
        assert_eq!(
            serde_json::to_string(&FieldKind::LongText).unwrap(),
            r#""LongText""#
        );
        // An escaped name is read like any other.
        assert_eq!(
            serde_json::from_str::<SortBy>(r#""Dead\u006cine""#).unwrap(),
            SortBy::Deadline
        );
    }

    fn row() -> TicketRow {
        TicketRow {
            number: TicketNumber(31208),
            ticket_type: "Requisição".into(),
            service: "Acesso".into(),
            request: "Criar conta".into(),
            created_at: "07/12/2026 10:00".into(),
            task: "Atender".into(),
            group: "1º Nível - NUATE".into(),
            situation: Situation::Suspended,
            sla_hours: None,
            deadline: Some("08/12/2026 10:00".into()),
            sla_status: SlaStatus::AtRisk,
            priority: 3,
            has_attachments: true,
        }
    }

    #[test]
    fn structs_read_as_objects_read_back_what_serde_wrote() {
        let row = row();
        let json = serde_json::to_string(&row).unwrap();
        // The situation keeps its code through the seed, as the derive's `with` wrote it.
        assert!(json.contains(r#""situation":"suspensa""#), "{json}");
        assert_eq!(serde_json::from_str::<TicketRow>(&json).unwrap(), row);
        assert_eq!(
            serde_json::from_slice::<TicketRow>(json.as_bytes()).unwrap(),
            row
        );
        let profile = RequestProfileInput {
            nature: "fisica".into(),
            document: "529.982.247-25".into(),
            city: "Brasília".into(),
            uf: "DF".into(),
            ..RequestProfileInput::default()
        };
        let json = serde_json::to_string(&profile).unwrap();
        assert_eq!(
            serde_json::from_str::<RequestProfileInput>(&json).unwrap(),
            profile
        );
        // Fields in another order, an escaped name and an unknown field are read as the
        // derive read them.
        let reordered = r#"{"uf":"DF","extra":[1,{"a":2}],"nature":"fisica","document":"1",
            "cep":"","street":"","numb\u0065r":"","complement":"","district":"","city":""}"#;
        let read: RequestProfileInput = serde_json::from_str(reordered).unwrap();
        assert_eq!((read.uf.as_str(), read.document.as_str()), ("DF", "1"));
    }

    #[test]
    fn structs_read_as_objects_refuse_what_the_derive_refused_and_missing_fields() {
        let json = serde_json::to_string(&row()).unwrap();
        let twice = json.replacen('{', r#"{"priority":1,"#, 1);
        assert!(serde_json::from_str::<TicketRow>(&twice).is_err());
        let missing = json.replace(r#""sla_hours":null,"#, "");
        assert_ne!(missing, json);
        assert!(serde_json::from_str::<TicketRow>(&missing).is_err());
        let wrong = json.replace(r#""suspensa""#, r#""Suspended""#);
        assert!(serde_json::from_str::<TicketRow>(&wrong).is_err());
        assert!(serde_json::from_str::<RequestProfileInput>(r#"["fisica"]"#).is_err());
        assert!(serde_json::from_str::<RequestProfileInput>("null").is_err());
    }

    /// Writes `value` with its derived `Serialize` and reads it back with its own reader,
    /// from a string and from bytes (the two paths Leptos takes).
    fn reads_back<T>(value: &T) -> String
    where
        T: Debug + PartialEq + Serialize + for<'de> Deserialize<'de>,
    {
        let json = serde_json::to_string(value).unwrap();
        assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
        assert_eq!(
            &serde_json::from_slice::<T>(json.as_bytes()).unwrap(),
            value,
            "{json}"
        );
        json
    }

    #[test]
    fn the_accounts_and_request_form_types_read_back_what_serde_wrote() {
        reads_back(&UserInfo {
            id: 7,
            login: "maria".into(),
            name: "Maria \"da\" Silva".into(),
            role: Role::Agent,
        });
        reads_back(&CaptchaChallenge {
            id: "c1".into(),
            a: -3,
            sum: 12,
        });
        reads_back(&CepAddress {
            cep: "70040020".into(),
            street: "SIG Quadra 6".into(),
            district: "Zona Industrial".into(),
            city: "Brasília".into(),
            uf: "DF".into(),
        });
        reads_back(&Profile {
            login: "empresa".into(),
            name: "Empresa Ltda".into(),
            person: PersonType::Juridica,
            phone: "(61) 3333-4444".into(),
            cep: "70040-020".into(),
            address: "SIG Quadra 6".into(),
            email: "contato@empresa.gov.br".into(),
            role: Role::Customer,
            mail_language: "en".into(),
            optional_notices: vec!["reply".into(), "suspended".into()],
            receive: vec![],
        });
        let crumb = |id: i32, name: &str| Crumb {
            id,
            name: name.into(),
        };
        let form = RequestFormData {
            portfolio: crumb(1, "Faturamento"),
            service: crumb(2, "Faturas"),
            activity: crumb(3, "Correção de Faturas"),
            description: "Pedidos de correção".into(),
            ticket_type: "Requisição".into(),
            priority: 4,
            sla_hours: Some(24),
            fields: vec![
                FieldSpec {
                    id: 10,
                    label: "Valor".into(),
                    kind: FieldKind::Number,
                    required: true,
                    options: vec![],
                    help: "".into(),
                    max_length: None,
                },
                FieldSpec {
                    id: 11,
                    label: "Mês".into(),
                    kind: FieldKind::Select,
                    required: false,
                    options: vec!["Janeiro".into(), "Fevereiro".into()],
                    help: "O mês da fatura".into(),
                    max_length: Some(20),
                },
            ],
            profile: Some(RequestProfileInput {
                nature: "juridica".into(),
                ..RequestProfileInput::default()
            }),
            limits: AttachmentLimits {
                max_bytes: 10 * 1024 * 1024,
                max_files: 5,
            },
            staged: vec![AttachmentInfo {
                id: 99,
                name: "fatura.pdf".into(),
                size: 123_456,
                content_type: "application/pdf".into(),
            }],
            request_key: "k-1".into(),
        };
        let json = reads_back(&form);
        // Without a saved profile, and with a field of an unknown kind refused.
        reads_back(&RequestFormData {
            profile: None,
            sla_hours: None,
            ..form.clone()
        });
        let unknown_kind = json.replace(r#""Number""#, r#""Numero""#);
        assert_ne!(unknown_kind, json);
        assert!(serde_json::from_str::<RequestFormData>(&unknown_kind).is_err());
        let no_limits = json.replace(r#""max_files":5"#, r#""maximo":5"#);
        assert_ne!(no_limits, json);
        assert!(serde_json::from_str::<RequestFormData>(&no_limits).is_err());
    }
}
