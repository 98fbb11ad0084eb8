//! The one error type of server functions. It crosses the wire as JSON, so the browser
//! can show a field's problem beside the field, and never carries internal details:
//! `Internal` is logged on the server and shown as a generic apology.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::de::{Error as _, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::FieldErrors;
use crate::i18n::Lang;

/// Crosses the wire as `[kind]` or `[kind, detail]` (`AppError::kind`), written and read
/// by hand: serde's derived reader matched each variant's name, 7 KiB in the code every
/// page of the browser bundle downloads.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The form has problems, field by field.
    #[error("invalid input")]
    Validation(FieldErrors),
    /// Wrong login/email or password (deliberately not saying which).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed attempts: try again after this many seconds.
    #[error("too many attempts")]
    Throttled { retry_after_secs: u64 },
    /// The right password for an account an administrator deactivated.
    #[error("account deactivated")]
    AccountDisabled,
    /// The caller must sign in first.
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    /// Nothing there, or nothing the caller may see.
    #[error("not found")]
    NotFound,
    /// A service this one depends on did not answer (e.g. the CEP lookup).
    #[error("service unavailable")]
    Unavailable,
    /// The server is at its limit for this kind of work (e.g. password hashing): the
    /// same request may succeed in a moment.
    #[error("busy")]
    Busy,
    /// Somebody else changed the ticket since the caller loaded it (staff desk): nothing
    /// was written; reload and decide again.
    #[error("conflict")]
    Conflict,
    /// Something failed on the server; details are in the server's log only.
    #[error("internal error")]
    Internal,
    /// The request did not reach the function (network, encoding).
    #[error("request failed: {0}")]
    Request(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

impl AppError {
    /// The HTTP status the server answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::InvalidCredentials | AppError::Unauthenticated => 401,
            AppError::Throttled { .. } => 429,
            AppError::Forbidden | AppError::AccountDisabled => 403,
            AppError::Conflict => 409,
            AppError::NotFound => 404,
            AppError::Unavailable | AppError::Busy => 503,
            AppError::Internal => 500,
            AppError::Request(_) => 400,
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    /// A sentence for the top of a form (field problems are shown beside their fields).
    pub fn message(&self, lang: Lang) -> String {
        let pt = lang == Lang::Pt;
        match self {
            AppError::Validation(_) => if pt {
                "Corrija os campos destacados."
            } else {
                "Correct the highlighted fields."
            }
            .into(),
            AppError::InvalidCredentials => if pt {
                "Usuário ou senha inválidos."
            } else {
                "Invalid user or password."
            }
            .into(),
            AppError::Throttled { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1);
                if pt {
                    format!(
                        "Muitas tentativas sem sucesso. Tente novamente em {minutes} minuto(s)."
                    )
                } else {
                    format!("Too many failed attempts. Try again in {minutes} minute(s).")
                }
            }
            AppError::AccountDisabled => if pt {
                "Este acesso foi desativado. Fale com a administração da Central de Atendimento."
            } else {
                "This account has been deactivated. Contact the service desk's administration."
            }
            .into(),
            AppError::Unauthenticated => if pt {
                "Sua sessão terminou. Entre novamente."
            } else {
                "Your session ended. Please sign in again."
            }
            .into(),
            AppError::Forbidden => if pt {
                "Você não tem permissão para esta ação."
            } else {
                "You are not allowed to do this."
            }
            .into(),
            AppError::Conflict => if pt {
                "Este ticket foi alterado por outra pessoa — recarregue"
            } else {
                "This ticket was changed by someone else — reload"
            }
            .into(),
            AppError::NotFound => if pt { "Não encontrado." } else { "Not found." }.into(),
            AppError::Unavailable => if pt {
                "Serviço indisponível no momento. Tente novamente mais tarde."
            } else {
                "Service unavailable right now. Try again later."
            }
            .into(),
            AppError::Busy => if pt {
                "O servidor está ocupado. Tente novamente em alguns segundos."
            } else {
                "The server is busy. Try again in a few seconds."
            }
            .into(),
            AppError::Internal | AppError::Request(_) => if pt {
                "Não foi possível concluir. Tente novamente."
            } else {
                "Could not complete. Please try again."
            }
            .into(),
        }
    }
}

impl AppError {
    /// The number a variant travels as. A page open in a browser reads the numbers of the
    /// release it was loaded from, so they never change: a new variant takes a new one.
    fn kind(&self) -> u8 {
        match self {
            AppError::Validation(_) => 0,
            AppError::InvalidCredentials => 1,
            AppError::Throttled { .. } => 2,
            AppError::AccountDisabled => 3,
            AppError::Unauthenticated => 4,
            AppError::Forbidden => 5,
            AppError::NotFound => 6,
            AppError::Unavailable => 7,
            AppError::Busy => 8,
            AppError::Conflict => 9,
            AppError::Internal => 10,
            AppError::Request(_) => 11,
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let detailed = matches!(
            self,
            AppError::Validation(_) | AppError::Throttled { .. } | AppError::Request(_)
        );
        let mut tuple = serializer.serialize_tuple(if detailed { 2 } else { 1 })?;
        tuple.serialize_element(&self.kind())?;
        match self {
            AppError::Validation(errors) => tuple.serialize_element(errors)?,
            AppError::Throttled { retry_after_secs } => {
                tuple.serialize_element(retry_after_secs)?
            }
            AppError::Request(message) => tuple.serialize_element(message)?,
            _ => {}
        }
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Wire;
        impl<'de> Visitor<'de> for Wire {
            type Value = AppError;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an error as [kind] or [kind, detail]")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AppError, A::Error> {
                fn detail<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
                    seq: &mut A,
                ) -> Result<T, A::Error> {
                    seq.next_element()?
                        .ok_or_else(|| A::Error::custom("an error without its detail"))
                }
                let kind: u8 = detail(&mut seq)?;
                Ok(match kind {
                    0 => AppError::Validation(detail(&mut seq)?),
                    1 => AppError::InvalidCredentials,
                    2 => AppError::Throttled {
                        retry_after_secs: detail(&mut seq)?,
                    },
                    3 => AppError::AccountDisabled,
                    4 => AppError::Unauthenticated,
                    5 => AppError::Forbidden,
                    6 => AppError::NotFound,
                    7 => AppError::Unavailable,
                    8 => AppError::Busy,
                    9 => AppError::Conflict,
                    10 => AppError::Internal,
                    11 => AppError::Request(detail(&mut seq)?),
                    _ => return Err(A::Error::custom("an error of an unknown kind")),
                })
            }
        }
        deserializer.deserialize_seq(Wire)
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation(errors)
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(err) => err.into(),
            sea_orm::TransactionError::Transaction(err) => err,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Field, Problem};

    fn every_kind() -> Vec<AppError> {
        let mut errors = FieldErrors::new();
        errors.add(Field::Email, Problem::InvalidEmail);
        vec![
            AppError::Validation(errors),
            AppError::InvalidCredentials,
            AppError::Throttled {
                retry_after_secs: 90,
            },
            AppError::AccountDisabled,
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Unavailable,
            AppError::Busy,
            AppError::Conflict,
            AppError::Internal,
            AppError::Request("offline".into()),
        ]
    }

    #[test]
    fn every_error_reads_back_as_it_was_written() {
        let all = every_kind();
        for (number, error) in all.iter().enumerate() {
            assert_eq!(usize::from(error.kind()), number, "{error:?}");
            let json = serde_json::to_string(error).unwrap();
            assert_eq!(
                serde_json::from_str::<AppError>(&json).unwrap(),
                *error,
                "{json}"
            );
            assert_eq!(
                serde_json::from_slice::<AppError>(json.as_bytes()).unwrap(),
                *error
            );
        }
        assert_eq!(
            serde_json::to_string(&all[0]).unwrap(),
            format!(r#"[0,[["email",{}]]]"#, Problem::InvalidEmail as u8)
        );
        assert_eq!(serde_json::to_string(&all[2]).unwrap(), "[2,90]");
        assert_eq!(serde_json::to_string(&all[6]).unwrap(), "[6]");
    }

    #[test]
    fn malformed_errors_are_refused() {
        let unknown = every_kind().len();
        for json in [
            format!("[{unknown}]"),
            "[]".into(),
            "[0]".into(),
            "[2]".into(),
            "[11]".into(),
            "[6,1]".into(),
            r#"[2,"soon"]"#.into(),
            r#""NotFound""#.into(),
        ] {
            assert!(serde_json::from_str::<AppError>(&json).is_err(), "{json}");
        }
    }
}
