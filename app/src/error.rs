//! The one error type of server functions. It crosses the wire as JSON, so the browser
//! can show a field's problem beside the field, and never carries internal details:
//! `Internal` is logged on the server and shown as a generic apology.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::FieldErrors;
use crate::i18n::Lang;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
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
