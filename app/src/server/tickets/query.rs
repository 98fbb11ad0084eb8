//! Which tickets a caller sees (`Scope`) and the list's query: filter, search (with the
//! full-text index probe), order and page. One builder for every list: the customer's
//! "Meus Tickets" is `Scope::Customer`; a group's queue or everything are the same
//! query with another scope.

use entity::ticket;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Order};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, SelectModel, Selector, Statement,
};

use crate::domain::documents::search_key;
use crate::domain::ids::{GroupId, TicketNumber, UserId};
use crate::domain::tickets::{PAGE_SIZE, SortBy, TicketFilter};
use crate::error::AppError;

/// Who is looking, as the tickets they may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The tickets this user opened (a customer; any signed-in user acting as one).
    Customer(UserId),
    /// The tickets assigned to any of these support groups (an agent's queue). No
    /// groups, no tickets.
    Groups(Vec<GroupId>),
    /// Every ticket (managers, administrators, the command line).
    Everyone,
}

impl Scope {
    /// `condition` narrowed to this scope. The scope's column goes first, as the only
    /// condition it adds, so the customer's list keeps the exact SQL (and plans) it had
    /// before scopes existed.
    pub fn restrict(&self, condition: Condition) -> Condition {
        match self {
            Scope::Customer(user) => condition.add(ticket::Column::CustomerId.eq(user.get())),
            Scope::Groups(groups) => {
                condition.add(ticket::Column::GroupId.is_in(groups.iter().map(|g| g.get())))
            }
            Scope::Everyone => condition,
        }
    }
}

/// The words of a search, lower-case and accent-free, without LIKE wildcards.
pub(crate) fn words(query: &str) -> Vec<String> {
    search_key(query)
        .split_whitespace()
        .map(|w| w.replace(['%', '_', '\\'], ""))
        .filter(|w| !w.is_empty())
        .take(8)
        .collect()
}

/// A search whose words (of three letters or more) the full-text index finds in at
/// most this many tickets of the whole instance starts from those tickets; above it,
/// the scope's own tickets are the smaller set and are read instead.
pub const INDEX_PROBE: u64 = 256;

/// SQLite: the tickets whose search key contains every word of three letters or
/// more, through the FTS5 trigram index, when there are at most `INDEX_PROBE` of
/// them (reading at most `INDEX_PROBE + 1` index entries to find out); `None` when
/// the index cannot narrow the search (a common word, only short words). PostgreSQL
/// needs no probe: its planner weighs the trigram index against the customer's index
/// itself. The ids are ticket row ids (`ticket.id`), whatever the scope.
pub async fn indexed_matches(
    db: &impl ConnectionTrait,
    words: &[String],
) -> Result<Option<Vec<i64>>, AppError> {
    let long: Vec<&String> = words.iter().filter(|w| w.chars().count() >= 3).collect();
    if long.is_empty() || db.get_database_backend() != DbBackend::Sqlite {
        return Ok(None);
    }
    let mut sql = String::from("SELECT rowid FROM ticket_search WHERE ");
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(long.len() + 1);
    for (i, word) in long.iter().enumerate() {
        if i > 0 {
            sql.push_str(" AND ");
        }
        sql.push_str("search_key LIKE ?");
        values.push(format!("%{word}%").into());
    }
    sql.push_str(" LIMIT ?");
    values.push(((INDEX_PROBE + 1) as i64).into());
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    if rows.len() as u64 > INDEX_PROBE {
        return Ok(None);
    }
    let ids = rows
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(ids))
}

/// The list's condition: the scope, the situation and the search (narrowed to
/// `indexed` when the full-text index found few tickets). A search that is a number
/// also finds the ticket with that number.
fn condition(
    backend: DbBackend,
    scope: &Scope,
    filter: &TicketFilter,
    words: &[String],
    indexed: Option<Vec<i64>>,
) -> Condition {
    let mut condition = scope.restrict(Condition::all());
    if let Some(situation) = filter.situation {
        condition = condition.add(ticket::Column::Situation.eq(situation.code()));
    }
    if !words.is_empty() {
        let mut all_words = Condition::all();
        if let Some(ids) = indexed {
            all_words = all_words.add(ticket::Column::Id.is_in(ids));
        }
        // Only the longest word is an indexable LIKE. PostgreSQL estimates each LIKE
        // on its own and multiplies: two common words looked rare together and sent
        // it through the trigram index (27 ms) where the customer's rows take 4 ms.
        // The other words are checked on the rows found, with a function no index
        // serves (`strpos` / `instr`: the key and the words are both lower-case).
        let longest = words
            .iter()
            .enumerate()
            .max_by_key(|(_, word)| word.chars().count())
            .map(|(i, _)| i);
        let position = match backend {
            DbBackend::Postgres => "strpos",
            _ => "instr",
        };
        for (i, word) in words.iter().enumerate() {
            all_words = all_words.add(if Some(i) == longest {
                ticket::Column::SearchKey.contains(word.as_str())
            } else {
                Expr::expr(
                    Func::cust(position)
                        .arg(Expr::col((ticket::Entity, ticket::Column::SearchKey)))
                        .arg(word.clone()),
                )
                .gt(0)
            });
        }
        condition = match filter.query.trim().parse::<i64>() {
            Ok(number) => condition.add(
                Condition::any()
                    .add(ticket::Column::Number.eq(number))
                    .add(all_words),
            ),
            Err(_) => condition.add(all_words),
        };
    }
    condition
}

/// One page of a list, as rows of the database.
#[derive(Clone, Debug)]
pub struct Found<T> {
    /// How many tickets match, on every page.
    pub total: u64,
    /// The filter as applied (within its bounds).
    pub filter: TicketFilter,
    pub tickets: Vec<T>,
}

/// One page of the tickets in `scope` that match `filter`, reading of each ticket what
/// `shape` selects (a list's columns, say, or the whole row). Every sort ends with the
/// number in the same direction, so the order is total and paging is stable.
pub async fn page_as<M>(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: TicketFilter,
    shape: impl FnOnce(Select<ticket::Entity>) -> Selector<SelectModel<M>>,
) -> Result<Found<M>, AppError>
where
    M: FromQueryResult + Send + Sync,
{
    let filter = filter.normalized();
    let words = words(&filter.query);
    let indexed = indexed_matches(db, &words).await?;
    let backend = db.get_database_backend();
    let query = ticket::Entity::find().filter(condition(backend, scope, &filter, &words, indexed));
    let total = query.clone().count(db).await?;
    let order = if filter.ascending {
        Order::Asc
    } else {
        Order::Desc
    };
    let query = match filter.sort {
        SortBy::Created => query.order_by(ticket::Column::CreatedAt, order.clone()),
        SortBy::Number => query,
        // Tickets without a deadline ("A combinar") come last either way.
        SortBy::Deadline => query
            .order_by(Expr::col(ticket::Column::Deadline).is_null(), Order::Asc)
            .order_by(ticket::Column::Deadline, order.clone()),
        SortBy::Priority => query.order_by(ticket::Column::Priority, order.clone()),
        SortBy::Situation => query.order_by(ticket::Column::Situation, order.clone()),
    };
    let query = query
        .order_by(ticket::Column::Number, order)
        .limit(PAGE_SIZE)
        .offset((filter.page - 1) * PAGE_SIZE);
    let tickets = shape(query).all(db).await?;
    Ok(Found {
        total,
        filter,
        tickets,
    })
}

/// The ticket with this number in `scope`, or "not found" (also when it exists outside
/// the scope: another customer's ticket looks exactly like a number that does not exist).
pub async fn one(
    db: &impl ConnectionTrait,
    scope: &Scope,
    number: TicketNumber,
) -> Result<ticket::Model, AppError> {
    ticket::Entity::find()
        .filter(scope.restrict(Condition::all().add(ticket::Column::Number.eq(number.get()))))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}
