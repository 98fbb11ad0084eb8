//! Attachments on the server: upload (streamed to disk, hashed, checked by content),
//! removal of a staged upload, and the authorised download. Files are stored once per
//! content under `<data dir>/anexos/<2 hex>/<sha256>`; the original name is metadata in
//! the `attachment` row. These are plain axum routes (not server functions): the
//! browser sends files with XMLHttpRequest to show upload progress, and downloads are
//! ordinary links.
//!
//! - `POST /anexos` (multipart, one field `arquivo`): stages a file for the caller's
//!   next request; answers `AttachmentInfo` or an `AppError` as JSON.
//! - `DELETE /anexos/{id}`: removes one of the caller's staged files.
//! - `GET /anexos/{id}`: the file, as `Content-Disposition: attachment`, for its owner,
//!   the customer of its ticket, or staff; "not found" for everybody else.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::extract::multipart::{Field as MultipartField, Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Duration;
use entity::{attachment, ticket};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set, Statement,
};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::domain::attachment::{
    self as rules, AttachmentInfo, AttachmentLimits, FILE_FIELD, Family,
};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::session::{self, SessionUser};
use crate::state::AppState;

/// Bytes looked at to recognise a file's type.
const SNIFF_BYTES: usize = 8 * 1024;
/// A staged upload nobody turned into a request is removed after this long.
const STAGED_TTL_HOURS: i64 = 24;
/// After refusing an oversized file, read (and discard) at most this much more of it, so
/// the client gets the answer instead of a reset connection.
const DRAIN_BYTES: u64 = 1024 * 1024;

/// A stored file no row refers to is removed once it is this old (younger ones may
/// belong to an upload whose row is being written).
const ORPHAN_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Where attachments live, and how big and how many they may be.
#[derive(Debug)]
pub struct AttachmentStore {
    root: PathBuf,
    /// Changed by administrators in "Configurações", without a restart.
    limits: std::sync::RwLock<AttachmentLimits>,
    /// Bytes one user may keep in attachments, staged and on tickets
    /// (`ATENDE_ATTACHMENT_QUOTA_BYTES`).
    pub quota_bytes: u64,
}

/// 500 MiB per user.
pub const DEFAULT_QUOTA_BYTES: u64 = 500 * 1024 * 1024;

impl AttachmentStore {
    /// Creates the store's folders under `root`, and empties `tmp/`: a `.part` file
    /// there belongs to an upload that a previous run never finished.
    pub fn open(
        root: PathBuf,
        limits: AttachmentLimits,
        quota_bytes: u64,
    ) -> std::io::Result<Self> {
        let tmp = root.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        let mut removed = 0;
        for entry in std::fs::read_dir(&tmp)? {
            let path = entry?.path();
            if path.is_file() {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
        }
        if removed > 0 {
            tracing::info!(
                removed,
                "unfinished uploads removed from the attachment store"
            );
        }
        Ok(AttachmentStore {
            root,
            limits: std::sync::RwLock::new(limits),
            quota_bytes,
        })
    }

    /// How big and how many attachments may be, now.
    pub fn limits(&self) -> AttachmentLimits {
        match self.limits.read() {
            Ok(limits) => *limits,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    pub fn set_limits(&self, limits: AttachmentLimits) {
        match self.limits.write() {
            Ok(mut current) => *current = limits,
            Err(poisoned) => *poisoned.into_inner() = limits,
        }
    }

    fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    fn temp_path(&self) -> PathBuf {
        self.root
            .join("tmp")
            .join(format!("{}.part", crate::server::tokens::random_token()))
    }
}

/// The routes above, to merge into the application's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/anexos",
            // The file is counted byte by byte below; the body limit only stops a client
            // that keeps sending after being refused.
            post(upload).layer(DefaultBodyLimit::max(
                (crate::domain::settings::MAX_ATTACHMENT_BYTES + DRAIN_BYTES + 64 * 1024) as usize,
            )),
        )
        .route("/anexos/{id}", get(download).delete(remove))
}

fn json_error(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(status, &err)
}

fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(body),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn refuse(problem: Problem) -> AppError {
    FieldErrors::single(Field::Attachments, problem).into()
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, AppError> {
    session::current_from(state, headers)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// Does the content at the start of a file (`head`) match the family its name
/// promises? Anything recognised as another type (an executable, a script, HTML, …) is
/// refused, whatever its name says.
pub fn content_matches(family: Family, head: &[u8]) -> bool {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mime = infer::get(head).map(|kind| kind.mime_type());
    match family {
        Family::Pdf => mime == Some("application/pdf"),
        Family::Image => matches!(
            mime,
            Some("image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/bmp")
                | Some("image/tiff")
        ),
        Family::Zip => mime.is_some_and(|m| {
            m == "application/zip"
                || m.starts_with("application/vnd.openxmlformats-officedocument.")
                || m.starts_with("application/vnd.oasis.opendocument.")
        }),
        Family::Ole => head.starts_with(OLE),
        Family::Rtf => mime.is_some_and(|m| m.ends_with("/rtf")),
        Family::Text => mime.is_none() && looks_like_text(head),
    }
}

/// Plain text: no NUL and no control characters other than tab, line feed, form feed and
/// carriage return (UTF-8 and Latin-1 both pass).
fn looks_like_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| !(b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r') || b == 0x7f))
}

/// Removes a temporary file, ignoring "already gone".
async fn discard(path: &Path) {
    if let Err(err) = tokio::fs::remove_file(path).await
        && err.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %err, path = %path.display(), "cannot remove a file");
    }
}

struct Received {
    sha256: String,
    size: u64,
    temp: PathBuf,
}

/// Streams one multipart field to a temporary file, hashing and checking as it goes.
/// Nothing but the first few kilobytes (for the type check) is ever held in memory.
async fn receive(
    store: &AttachmentStore,
    family: Family,
    field: &mut MultipartField<'_>,
) -> Result<Received, AppError> {
    let temp = store.temp_path();
    let result = receive_into(store, family, field, &temp).await;
    match result {
        Ok((sha256, size)) => Ok(Received { sha256, size, temp }),
        Err(err) => {
            discard(&temp).await;
            Err(err)
        }
    }
}

async fn receive_into(
    store: &AttachmentStore,
    family: Family,
    field: &mut MultipartField<'_>,
    temp: &Path,
) -> Result<(String, u64), AppError> {
    let io = |err: std::io::Error| {
        tracing::error!(error = %err, "cannot write an upload to disk");
        AppError::Internal
    };
    let mut file = tokio::fs::File::create(temp).await.map_err(io)?;
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut checked = false;
    let mut size: u64 = 0;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|_| AppError::Request("the upload was interrupted".into()))?
    {
        size += chunk.len() as u64;
        if size > store.limits().max_bytes {
            // Read a little more so the client sees this answer, then give up on it.
            let mut drained = 0u64;
            while drained < DRAIN_BYTES {
                match field.chunk().await {
                    Ok(Some(more)) => drained += more.len() as u64,
                    _ => break,
                }
            }
            return Err(refuse(Problem::FileTooLarge));
        }
        if !checked && head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        if !checked && head.len() >= SNIFF_BYTES {
            if !content_matches(family, &head) {
                return Err(refuse(Problem::FileContentMismatch));
            }
            checked = true;
        }
        if family == Family::Text && checked && !looks_like_text(&chunk) {
            return Err(refuse(Problem::FileContentMismatch));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(io)?;
    }
    if size == 0 {
        return Err(refuse(Problem::FileEmpty));
    }
    if !checked && !content_matches(family, &head) {
        return Err(refuse(Problem::FileContentMismatch));
    }
    file.sync_all().await.map_err(io)?;
    Ok((format!("{:x}", hasher.finalize()), size))
}

/// Orders, for the rest of `txn`, every placement and removal of the stored file of
/// `sha256` (and, on SQLite, every other write): a file is removed only while no row
/// refers to it, and never between an upload's check that it exists and its row.
/// PostgreSQL: an advisory lock on the content. SQLite: a write statement, which takes
/// the database's single write lock.
async fn lock_content(txn: &DatabaseTransaction, sha256: &str) -> Result<(), AppError> {
    let key = format!("anexo:{sha256}");
    lock_key(txn, &key).await
}

async fn lock_key(txn: &DatabaseTransaction, key: &str) -> Result<(), AppError> {
    let statement = match txn.get_database_backend() {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            [key.into()],
        ),
        backend => Statement::from_sql_and_values(
            backend,
            "UPDATE attachment SET sha256 = sha256 WHERE sha256 = ?",
            [key.into()],
        ),
    };
    txn.execute_raw(statement).await?;
    Ok(())
}

/// Puts a received file in its place by content (inside the transaction that writes
/// its row, after `lock_content`). When that content is stored already, the received
/// copy is dropped and the stored one touched, so the orphan sweep sees it as new.
async fn place(store: &AttachmentStore, received: &Received) -> Result<(), AppError> {
    let target = store.path_of(&received.sha256);
    let io = |err: std::io::Error| {
        tracing::error!(error = %err, "cannot store an upload");
        AppError::Internal
    };
    if tokio::fs::try_exists(&target).await.map_err(io)? {
        discard(&received.temp).await;
        let touched = std::fs::File::options()
            .append(true)
            .open(&target)
            .and_then(|file| file.set_modified(std::time::SystemTime::now()));
        return touched.map_err(io);
    }
    if let Some(folder) = target.parent() {
        tokio::fs::create_dir_all(folder).await.map_err(io)?;
    }
    tokio::fs::rename(&received.temp, &target).await.map_err(io)
}

/// Deletes these staged uploads (those still staged: one a request took meanwhile
/// stays) and every stored file no row refers to any more, one transaction each.
pub async fn delete_staged(state: &AppState, rows: Vec<attachment::Model>) -> Result<(), AppError> {
    for row in rows {
        let txn = crate::server::begin_write(&state.db).await?;
        lock_content(&txn, &row.sha256).await?;
        let deleted = attachment::Entity::delete_many()
            .filter(attachment::Column::Id.eq(row.id))
            .filter(attachment::Column::TicketId.is_null())
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 1 {
            forget_if_unreferenced(state, &txn, &row.sha256).await?;
        }
        txn.commit().await?;
    }
    Ok(())
}

/// Inside a transaction holding `lock_content`: removes the stored file of `sha256`
/// when no row refers to it.
async fn forget_if_unreferenced(
    state: &AppState,
    txn: &DatabaseTransaction,
    sha256: &str,
) -> Result<bool, AppError> {
    let still_used = attachment::Entity::find()
        .filter(attachment::Column::Sha256.eq(sha256))
        .count(txn)
        .await?;
    if still_used == 0 {
        discard(&state.attachments.path_of(sha256)).await;
    }
    Ok(still_used == 0)
}

/// Removes staged uploads older than a day (forms that were never sent) and their files.
pub async fn sweep_stale(state: &AppState) -> Result<(), AppError> {
    let cutoff = state.clock.now() - Duration::hours(STAGED_TTL_HOURS);
    let stale = attachment::Entity::find()
        .filter(attachment::Column::TicketId.is_null())
        .filter(attachment::Column::CreatedAt.lt(cutoff))
        .limit(100)
        .all(&state.db)
        .await?;
    delete_staged(state, stale).await
}

/// Removes stored files that no row refers to (an upload whose row was never written,
/// e.g. the server stopped in between) once they are an hour old. Returns how many.
pub async fn sweep_orphans(state: &AppState) -> Result<u64, AppError> {
    let root = state.attachments.root.clone();
    // The names of files old enough, read off the async runtime.
    let candidates = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<String>> {
        let mut found = Vec::new();
        let now = std::time::SystemTime::now();
        for folder in std::fs::read_dir(&root)? {
            let folder = folder?;
            let name = folder.file_name().to_string_lossy().into_owned();
            if name.len() != 2 || !folder.file_type()?.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(folder.path())? {
                let file = file?;
                let sha = file.file_name().to_string_lossy().into_owned();
                let age = file
                    .metadata()?
                    .modified()
                    .ok()
                    .and_then(|at| now.duration_since(at).ok());
                if sha.len() == 64 && sha.starts_with(&name) && age.is_some_and(|a| a >= ORPHAN_AGE)
                {
                    found.push(sha);
                }
            }
        }
        Ok(found)
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|err| {
        tracing::error!(error = %err, "cannot read the attachment store");
        AppError::Internal
    })?;
    let mut removed = 0;
    for sha in candidates {
        let known = attachment::Entity::find()
            .filter(attachment::Column::Sha256.eq(sha.as_str()))
            .count(&state.db)
            .await?;
        if known > 0 {
            continue;
        }
        let txn = crate::server::begin_write(&state.db).await?;
        lock_content(&txn, &sha).await?;
        // Checked again under the lock, and only if the file is still old: an upload
        // of the same content touches it before writing its row.
        let still_old = std::fs::metadata(state.attachments.path_of(&sha))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| std::time::SystemTime::now().duration_since(at).ok())
            .is_some_and(|age| age >= ORPHAN_AGE);
        if still_old && forget_if_unreferenced(state, &txn, &sha).await? {
            removed += 1;
        }
        txn.commit().await?;
    }
    if removed > 0 {
        tracing::info!(removed, "orphan attachment files removed");
    }
    Ok(removed)
}

/// The caller's staged uploads (not yet part of a ticket).
pub async fn staged_count(db: &impl ConnectionTrait, owner: i32) -> Result<u64, AppError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::OwnerId.eq(owner))
        .filter(attachment::Column::TicketId.is_null())
        .count(db)
        .await?)
}

async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    match stage(&state, &headers, multipart).await {
        Ok(info) => json(StatusCode::CREATED, &info),
        Err(err) => json_error(err),
    }
}

async fn stage(
    state: &AppState,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<AttachmentInfo, AppError> {
    let me = caller(state, headers).await?;
    let mut multipart =
        multipart.map_err(|_| AppError::Request("expected multipart/form-data".into()))?;
    sweep_stale(state).await?;
    let store = &state.attachments;
    // Early answers, before a byte is received; checked again where they count.
    if staged_count(&state.db, me.id).await? >= u64::from(store.limits().max_files) {
        return Err(refuse(Problem::TooManyFiles));
    }
    if used_bytes(&state.db, me.id).await? >= store.quota_bytes {
        return Err(refuse(Problem::QuotaExceeded));
    }
    let mut field = loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some(FILE_FIELD) => break field,
            Ok(Some(_)) => continue,
            Ok(None) => return Err(refuse(Problem::Required)),
            Err(_) => return Err(AppError::Request("malformed multipart body".into())),
        }
    };
    let name = rules::file_name(field.file_name().unwrap_or_default()).map_err(refuse)?;
    let (family, content_type) =
        rules::kind_of(&name).ok_or(refuse(Problem::FileTypeNotAllowed))?;
    // Among the types the server can check, those the administrators allow.
    let allowed = state.live.get().allowed_types.clone();
    if !rules::extension(&name).is_some_and(|ext| allowed.contains(&ext)) {
        return Err(refuse(Problem::FileTypeNotAllowed));
    }
    let received = receive(store, family, &mut field).await?;
    match record(state, &me, &received, name.clone(), content_type).await {
        Ok(id) => Ok(AttachmentInfo {
            id,
            name,
            size: received.size,
            content_type: content_type.to_owned(),
        }),
        Err(err) => {
            discard(&received.temp).await;
            Err(err)
        }
    }
}

/// Writes the row of a received upload and puts its file in place, in one transaction
/// that checks the caller's limits where they count: after the caller's other uploads
/// are ordered (an advisory lock per user on PostgreSQL, the write lock on SQLite), so
/// parallel uploads cannot all pass the last free place.
async fn record(
    state: &AppState,
    me: &SessionUser,
    received: &Received,
    name: String,
    content_type: &str,
) -> Result<i64, AppError> {
    let store = &state.attachments;
    let txn = crate::server::begin_write(&state.db).await?;
    lock_key(&txn, &format!("anexos-de:{}", me.id)).await?;
    lock_content(&txn, &received.sha256).await?;
    if staged_count(&txn, me.id).await? >= u64::from(store.limits().max_files) {
        return Err(refuse(Problem::TooManyFiles));
    }
    if used_bytes(&txn, me.id).await? + received.size > store.quota_bytes {
        return Err(refuse(Problem::QuotaExceeded));
    }
    let row = attachment::ActiveModel {
        ticket_id: Set(None),
        owner_id: Set(me.id),
        sha256: Set(received.sha256.clone()),
        size: Set(received.size as i64),
        name: Set(name),
        content_type: Set(content_type.to_owned()),
        created_at: Set(state.clock.now()),
        ..Default::default()
    };
    let id = attachment::Entity::insert(row)
        .exec(&txn)
        .await?
        .last_insert_id;
    place(store, received).await?;
    txn.commit().await?;
    Ok(id)
}

/// Bytes the user keeps in attachments (staged and on tickets).
pub async fn used_bytes(db: &impl ConnectionTrait, owner: i32) -> Result<u64, AppError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back to BIGINT for both engines.
    let total: Option<i64> = attachment::Entity::find()
        .select_only()
        .column_as(
            sea_orm::sea_query::Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"),
            "total",
        )
        .filter(attachment::Column::OwnerId.eq(owner))
        .into_tuple()
        .one(db)
        .await?;
    Ok(total.unwrap_or(0).max(0) as u64)
}

async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<i64>,
) -> Response {
    let result = async {
        let me = caller(&state, &headers).await?;
        let row = attachment::Entity::find_by_id(id)
            .filter(attachment::Column::OwnerId.eq(me.id))
            .filter(attachment::Column::TicketId.is_null())
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        delete_staged(&state, vec![row]).await
    }
    .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => json_error(err),
    }
}

/// May `me` read this attachment? Its uploader while staged; once on a ticket, the
/// ticket's customer and the staff who may read the ticket (`tickets::staff::access`).
pub async fn visible(
    state: &AppState,
    me: &SessionUser,
    row: &attachment::Model,
) -> Result<bool, AppError> {
    match row.ticket_id {
        None => Ok(row.owner_id == me.id),
        Some(ticket_id) => Ok(ticket::Entity::find_by_id(ticket_id)
            .filter(ticket::Column::CustomerId.eq(me.id))
            .count(&state.db)
            .await?
            > 0
            || crate::server::tickets::staff::may_read(
                &state.db,
                me,
                crate::domain::ids::TicketId(ticket_id),
            )
            .await?),
    }
}

/// `Content-Disposition: attachment` with the original name: an ASCII fallback and the
/// exact UTF-8 name (RFC 6266 / RFC 8187).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = crate::domain::percent_encode(name, b"");
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<i64>,
) -> Response {
    let result = async {
        let me = caller(&state, &headers).await?;
        let row = attachment::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        if !visible(&state, &me, &row).await? {
            return Err(AppError::NotFound);
        }
        let file = tokio::fs::File::open(state.attachments.path_of(&row.sha256))
            .await
            .map_err(|err| {
                tracing::error!(error = %err, id = row.id, "attachment file missing");
                AppError::Internal
            })?;
        Ok((row, file))
    }
    .await;
    let (row, file) = match result {
        Ok(found) => found,
        Err(err) => return json_error(err),
    };
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, row.content_type.clone()),
        (header::CONTENT_LENGTH, row.size.to_string()),
        (header::CONTENT_DISPOSITION, content_disposition(&row.name)),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_checked_against_the_name() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
        let png = [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
        ];
        let elf = [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let pe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";
        assert!(content_matches(Family::Pdf, pdf));
        assert!(content_matches(Family::Image, &png));
        assert!(!content_matches(Family::Pdf, &elf));
        assert!(!content_matches(Family::Pdf, pe));
        assert!(!content_matches(Family::Pdf, &png));
        assert!(!content_matches(Family::Text, pdf));
        assert!(!content_matches(Family::Text, &elf));
        assert!(content_matches(
            Family::Text,
            "Fatura nº 123;R$ 10,00\r\n".as_bytes()
        ));
        assert!(content_matches(Family::Zip, b"PK\x03\x04\x14\x00\x00\x00"));
        assert!(content_matches(
            Family::Ole,
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]
        ));
    }

    #[test]
    fn the_download_name_is_kept_and_safe_in_the_header() {
        assert_eq!(
            content_disposition("Fatura março \"2\".pdf"),
            "attachment; filename=\"Fatura mar_o _2_.pdf\"; filename*=UTF-8''Fatura%20mar%C3%A7o%20%222%22.pdf"
        );
    }
}
