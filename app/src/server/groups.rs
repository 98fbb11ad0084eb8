//! Support groups ("1º Nível - NUATE"): created by administrators (the command line for
//! now; the administration pages will call the same function).

use entity::support_group;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::ids::GroupId;
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;

/// Longest group name.
pub const NAME_MAX: usize = 200;

/// Creates a group with this name (trimmed, one line, unique).
pub async fn create(db: &impl ConnectionTrait, name: &str) -> Result<GroupId, AppError> {
    let refuse = |problem| AppError::from(FieldErrors::single(Field::Group, problem));
    let name = name.trim();
    if name.is_empty() {
        return Err(refuse(Problem::Required));
    }
    if name.chars().count() > NAME_MAX {
        return Err(refuse(Problem::TooLong));
    }
    if name.chars().any(char::is_control) {
        return Err(refuse(Problem::InvalidCharacters));
    }
    let taken = support_group::Entity::find()
        .filter(support_group::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some();
    if taken {
        return Err(refuse(Problem::NameTaken));
    }
    let group = support_group::ActiveModel {
        name: Set(name.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(GroupId(group.id))
}
