//! "Meus Tickets" filters as they live in the URL (`?q=…&situacao=…&ordenar=…&ordem=…
//! &pagina=…`), shared by the page (reading and writing the query) and the server
//! (which turns them into SQL). Unknown values fall back to the seed's defaults, so a
//! hand-edited link never fails.

use serde::{Deserialize, Serialize};

use crate::domain::Problem;
use crate::i18n::Lang;

pub const PAGE_SIZE: u64 = 20;
/// Longest search text kept.
pub const QUERY_MAX: usize = 200;
/// The last page anybody can ask for (2,000,000 tickets deep at 20 a page).
pub const PAGE_MAX: u64 = 100_000;
/// Longest note, opinion, reason or comment.
pub const NOTE_MAX: usize = 5_000;

/// A ticket's situation ("Situação").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Situation {
    Open,
    Suspended,
    Closed,
    Cancelled,
}

impl Situation {
    pub const ALL: [Situation; 4] = [
        Situation::Open,
        Situation::Suspended,
        Situation::Closed,
        Situation::Cancelled,
    ];

    /// Stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Situation::Open => "em_andamento",
            Situation::Suspended => "suspensa",
            Situation::Closed => "fechada",
            Situation::Cancelled => "cancelada",
        }
    }

    pub fn from_code(code: &str) -> Option<Situation> {
        Situation::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Situation::Open, Lang::Pt) => "Em Andamento",
            (Situation::Suspended, Lang::Pt) => "Suspensa",
            (Situation::Closed, Lang::Pt) => "Fechada",
            (Situation::Cancelled, Lang::Pt) => "Cancelada",
            (Situation::Open, Lang::En) => "In progress",
            (Situation::Suspended, Lang::En) => "Suspended",
            (Situation::Closed, Lang::En) => "Closed",
            (Situation::Cancelled, Lang::En) => "Cancelled",
        }
    }
}

/// "Ordenar Por".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortBy {
    #[default]
    Created,
    Number,
    Deadline,
    Priority,
    Situation,
}

impl SortBy {
    pub const ALL: [SortBy; 5] = [
        SortBy::Created,
        SortBy::Number,
        SortBy::Deadline,
        SortBy::Priority,
        SortBy::Situation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortBy::Created => "criacao",
            SortBy::Number => "numero",
            SortBy::Deadline => "prazo",
            SortBy::Priority => "prioridade",
            SortBy::Situation => "situacao",
        }
    }

    pub fn from_code(code: &str) -> Option<SortBy> {
        SortBy::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SortBy::Created, Lang::Pt) => "Data/Hora Criação",
            (SortBy::Number, Lang::Pt) => "Número",
            (SortBy::Deadline, Lang::Pt) => "Prazo limite",
            (SortBy::Priority, Lang::Pt) => "Prioridade",
            (SortBy::Situation, Lang::Pt) => "Situação",
            (SortBy::Created, Lang::En) => "Date/time created",
            (SortBy::Number, Lang::En) => "Number",
            (SortBy::Deadline, Lang::En) => "Deadline",
            (SortBy::Priority, Lang::En) => "Priority",
            (SortBy::Situation, Lang::En) => "Situation",
        }
    }
}

/// The list's filters, search, order and page (1-based).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFilter {
    pub query: String,
    /// `None` is "Todas".
    pub situation: Option<Situation>,
    pub sort: SortBy,
    pub ascending: bool,
    pub page: u64,
}

impl Default for TicketFilter {
    /// The seed's defaults: Em Andamento, Data/Hora Criação, DESC.
    fn default() -> Self {
        TicketFilter {
            query: String::new(),
            situation: Some(Situation::Open),
            sort: SortBy::Created,
            ascending: false,
            page: 1,
        }
    }
}

impl TicketFilter {
    /// Reads the URL query (`get` returns a parameter's value).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> TicketFilter {
        let defaults = TicketFilter::default();
        let query = get("q").unwrap_or_default();
        let situation = match get("situacao").as_deref() {
            Some("todas") => None,
            Some(code) => Situation::from_code(code).or(defaults.situation),
            None => defaults.situation,
        };
        TicketFilter {
            query,
            situation,
            sort: get("ordenar")
                .and_then(|c| SortBy::from_code(&c))
                .unwrap_or_default(),
            ascending: get("ordem").is_some_and(|o| o.eq_ignore_ascii_case("asc")),
            page: get("pagina")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1),
        }
        .normalized()
    }

    /// The filter within its bounds, whoever built it (the URL, or a client calling the
    /// server function with anything at all): the page between 1 and `PAGE_MAX`, the
    /// search text trimmed, without control characters and at most `QUERY_MAX` long.
    pub fn normalized(self) -> TicketFilter {
        let query: String = self
            .query
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(QUERY_MAX)
            .collect();
        TicketFilter {
            query,
            page: self.page.clamp(1, PAGE_MAX),
            ..self
        }
    }

    /// The URL of this list: `/meus-tickets` and only what differs from the defaults.
    pub fn href(&self) -> String {
        let defaults = TicketFilter::default();
        let mut parts = Vec::new();
        if !self.query.is_empty() {
            parts.push(format!(
                "q={}",
                crate::domain::percent_encode(&self.query, b"")
            ));
        }
        if self.situation != defaults.situation {
            parts.push(format!(
                "situacao={}",
                self.situation.map_or("todas", Situation::code)
            ));
        }
        if self.sort != defaults.sort {
            parts.push(format!("ordenar={}", self.sort.code()));
        }
        if self.ascending {
            parts.push("ordem=asc".to_owned());
        }
        if self.page > 1 {
            parts.push(format!("pagina={}", self.page));
        }
        if parts.is_empty() {
            "/meus-tickets".to_owned()
        } else {
            format!("/meus-tickets?{}", parts.join("&"))
        }
    }

    pub fn with_page(&self, page: u64) -> TicketFilter {
        TicketFilter {
            page,
            ..self.clone()
        }
    }
}

/// A note, opinion, reason or comment: trimmed, not empty (unless `optional`), not too
/// long.
pub fn free_text(value: &str, optional: bool) -> Result<String, Problem> {
    let value = super::text::multiline(value, NOTE_MAX)?;
    if value.is_empty() && !optional {
        return Err(Problem::Required);
    }
    Ok(value)
}

/// "Pesquisa de satisfação": 1 to 5.
pub fn rating(score: i16) -> Result<i16, Problem> {
    if (1..=5).contains(&score) {
        Ok(score)
    } else {
        Err(Problem::InvalidChoice)
    }
}

/// "Opinião": elogio (praise) or queixa (complaint).
pub fn opinion_kind(kind: &str) -> Result<&'static str, Problem> {
    match kind {
        "elogio" => Ok("elogio"),
        "queixa" => Ok("queixa"),
        _ => Err(Problem::InvalidChoice),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(query: &[(&str, &str)]) -> TicketFilter {
        let map: HashMap<String, String> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        TicketFilter::from_query(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_the_seeds_and_stay_out_of_the_url() {
        let filter = parse(&[]);
        assert_eq!(filter, TicketFilter::default());
        assert_eq!(filter.href(), "/meus-tickets");
        assert_eq!(filter.situation, Some(Situation::Open));
        assert!(!filter.ascending);
    }

    #[test]
    fn the_url_round_trips() {
        let filter = TicketFilter {
            query: "correção 12".into(),
            situation: None,
            sort: SortBy::Deadline,
            ascending: true,
            page: 3,
        };
        let href = filter.href();
        assert_eq!(
            href,
            "/meus-tickets?q=corre%C3%A7%C3%A3o%2012&situacao=todas&ordenar=prazo&ordem=asc&pagina=3"
        );
        let parsed = parse(&[
            ("q", "correção 12"),
            ("situacao", "todas"),
            ("ordenar", "prazo"),
            ("ordem", "asc"),
            ("pagina", "3"),
        ]);
        assert_eq!(parsed, filter);
    }

    #[test]
    fn nonsense_falls_back_to_defaults() {
        let filter = parse(&[
            ("situacao", "x"),
            ("ordenar", "y"),
            ("ordem", "z"),
            ("pagina", "-4"),
        ]);
        assert_eq!(filter, TicketFilter::default());
        assert_eq!(parse(&[("pagina", "0")]).page, 1);
    }

    #[test]
    fn free_texts_and_choices() {
        assert_eq!(free_text("  ok ", false), Ok("ok".into()));
        assert_eq!(free_text(" ", false), Err(Problem::Required));
        assert_eq!(free_text("", true), Ok(String::new()));
        assert_eq!(
            free_text(&"x".repeat(NOTE_MAX + 1), true),
            Err(Problem::TooLong)
        );
        assert_eq!(rating(0), Err(Problem::InvalidChoice));
        assert_eq!(rating(5), Ok(5));
        assert_eq!(opinion_kind("queixa"), Ok("queixa"));
        assert!(opinion_kind("x").is_err());
    }
}
