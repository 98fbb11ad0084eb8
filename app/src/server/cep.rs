//! CEP (postal code) lookup behind a small trait. The real provider speaks ViaCEP's
//! JSON API (`GET {base}/{cep}/json/`); answers, also "unknown CEP", are cached in the
//! database. When the provider cannot be reached the caller is told so and the user
//! types the address by hand.

use std::time::Duration;

use chrono::Duration as Age;
use entity::cep_cache;
use sea_orm::{EntityTrait, Set, sea_query::OnConflict};
use serde::Deserialize;

use crate::domain::cep::CepAddress;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum CepError {
    #[error("CEP provider unreachable: {0}")]
    Unreachable(String),
    #[error("CEP provider answered something unexpected: {0}")]
    BadAnswer(String),
}

#[async_trait::async_trait]
pub trait CepProvider: Send + Sync + std::fmt::Debug {
    /// `Ok(None)` when the provider does not know the CEP (8 digits).
    async fn lookup(&self, cep: &str) -> Result<Option<CepAddress>, CepError>;
}

#[derive(Debug)]
pub struct ViaCep {
    client: reqwest::Client,
    base: String,
}

impl ViaCep {
    pub const DEFAULT_BASE: &str = "https://viacep.com.br/ws";
    pub const TIMEOUT: Duration = Duration::from_secs(3);

    pub fn new(base: &str) -> Result<ViaCep, CepError> {
        let client = reqwest::Client::builder()
            .timeout(Self::TIMEOUT)
            .connect_timeout(Self::TIMEOUT)
            .user_agent(concat!("atende/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|err| CepError::Unreachable(err.to_string()))?;
        Ok(ViaCep {
            client,
            base: base.trim_end_matches('/').to_owned(),
        })
    }
}

#[derive(Deserialize)]
struct ViaCepAnswer {
    #[serde(default)]
    erro: Option<serde_json::Value>,
    #[serde(default)]
    logradouro: String,
    #[serde(default)]
    complemento: String,
    #[serde(default)]
    bairro: String,
    #[serde(default)]
    localidade: String,
    #[serde(default)]
    uf: String,
}

#[async_trait::async_trait]
impl CepProvider for ViaCep {
    async fn lookup(&self, cep: &str) -> Result<Option<CepAddress>, CepError> {
        let url = format!("{}/{cep}/json/", self.base);
        let response = self
            .client
            .get(&url)
            .send()
            .await
            .map_err(|err| CepError::Unreachable(err.to_string()))?;
        // ViaCEP answers 400 for a malformed CEP and `{"erro": true}` for an unknown one.
        if response.status() == reqwest::StatusCode::BAD_REQUEST {
            return Ok(None);
        }
        if !response.status().is_success() {
            return Err(CepError::Unreachable(format!("HTTP {}", response.status())));
        }
        let answer: ViaCepAnswer = response
            .json()
            .await
            .map_err(|err| CepError::BadAnswer(err.to_string()))?;
        if answer
            .erro
            .is_some_and(|erro| erro != serde_json::Value::Bool(false))
        {
            return Ok(None);
        }
        if answer.localidade.is_empty() || answer.uf.len() != 2 {
            return Err(CepError::BadAnswer("no city or state".into()));
        }
        let street = if answer.complemento.is_empty() {
            answer.logradouro
        } else {
            format!("{} {}", answer.logradouro, answer.complemento)
        };
        Ok(Some(CepAddress {
            cep: cep.to_owned(),
            street,
            district: answer.bairro,
            city: answer.localidade,
            uf: answer.uf.to_uppercase(),
        }))
    }
}

/// How long an answer is trusted: addresses rarely change, unknown CEPs may appear.
const FOUND_TTL: Age = Age::days(90);
const NOT_FOUND_TTL: Age = Age::days(1);

/// Looks `cep` (8 digits) up, through the cache.
pub async fn lookup(state: &AppState, cep: &str) -> Result<Option<CepAddress>, AppError> {
    let now = state.clock.now();
    if let Some(hit) = cep_cache::Entity::find_by_id(cep.to_owned())
        .one(&state.db)
        .await?
    {
        let ttl = if hit.found { FOUND_TTL } else { NOT_FOUND_TTL };
        if now - hit.fetched_at < ttl {
            return Ok(hit.found.then(|| CepAddress {
                cep: hit.cep,
                street: hit.street,
                district: hit.district,
                city: hit.city,
                uf: hit.uf,
            }));
        }
    }
    let answer = state.cep.lookup(cep).await.map_err(|err| {
        tracing::warn!(error = %err, "CEP lookup failed");
        AppError::Unavailable
    })?;
    let row = cep_cache::ActiveModel {
        cep: Set(cep.to_owned()),
        found: Set(answer.is_some()),
        street: Set(answer
            .as_ref()
            .map(|a| truncate(&a.street, 300))
            .unwrap_or_default()),
        district: Set(answer
            .as_ref()
            .map(|a| truncate(&a.district, 200))
            .unwrap_or_default()),
        city: Set(answer
            .as_ref()
            .map(|a| truncate(&a.city, 200))
            .unwrap_or_default()),
        uf: Set(answer.as_ref().map(|a| a.uf.clone()).unwrap_or_default()),
        fetched_at: Set(now),
    };
    cep_cache::Entity::insert(row)
        .on_conflict(
            OnConflict::column(cep_cache::Column::Cep)
                .update_columns([
                    cep_cache::Column::Found,
                    cep_cache::Column::Street,
                    cep_cache::Column::District,
                    cep_cache::Column::City,
                    cep_cache::Column::Uf,
                    cep_cache::Column::FetchedAt,
                ])
                .to_owned(),
        )
        .exec(&state.db)
        .await?;
    Ok(answer)
}

fn truncate(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}
