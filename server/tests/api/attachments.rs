//! Attachments through the real HTTP path: multipart upload to `POST /anexos`, linking
//! inside the request's transaction, the authorised download, and every refusal
//! leaving neither a row nor a file behind.

use std::path::Path;

use app::api::requests::CreatedTicket;
use app::domain::attachment::{AttachmentInfo, DEFAULT_MAX_BYTES};
use app::domain::tickets::{TicketDetail, TicketFilter, TicketPage};
use app::domain::{Field, Problem};
use app::error::AppError;
use entity::{activity, attachment, service, support_group, ticket, ticket_event};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::helpers::{Browser, ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, catalog, customer, form, request};
use crate::tickets::open_ticket;

/// A multipart body with one file in the field `arquivo`, built by hand so the test
/// controls every byte of the file name.
fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "atende-test-boundary-7d1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"arquivo\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads one file; the status and the JSON answer.
pub async fn upload(browser: &Browser, name: &str, bytes: &[u8]) -> AnyResult<(u16, Value)> {
    let (content_type, body) = multipart(name, bytes);
    let response = browser
        .client
        .post(format!("{}/anexos", browser.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    let value = serde_json::from_str(&text).map_err(|e| format!("{status}: {e}: {text}"))?;
    Ok((status, value))
}

async fn uploaded(browser: &Browser, name: &str, bytes: &[u8]) -> AnyResult<AttachmentInfo> {
    match upload(browser, name, bytes).await? {
        (201, value) => Ok(serde_json::from_value(value)?),
        other => Err(format!("upload of {name}: {other:?}").into()),
    }
}

/// The problem an upload was refused with.
async fn refused(browser: &Browser, name: &str, bytes: &[u8]) -> AnyResult<Problem> {
    match upload(browser, name, bytes).await? {
        (422, value) => match serde_json::from_value::<AppError>(value)? {
            AppError::Validation(errors) => Ok(errors.get(Field::Attachments).ok_or("field")?),
            other => Err(format!("{name}: {other:?}").into()),
        },
        other => Err(format!("{name}: expected 422, got {other:?}").into()),
    }
}

/// Files under the attachment folder, temporary ones included.
pub fn files_on_disk(data_dir: &Path) -> AnyResult<Vec<String>> {
    let mut found = Vec::new();
    let mut folders = vec![data_dir.join("anexos")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            } else {
                found.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    Ok(found)
}

pub fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj\n<< /Title ({text}) >>\nendobj\ntrailer\n<<>>\n%%EOF\n").into_bytes()
}

fn png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend_from_slice(&[0, 0, 0, 0x0D, b'I', b'H', b'D', b'R']);
    bytes.extend((0..=255u8).cycle().take(3000));
    bytes
}

#[tokio::test]
async fn files_are_staged_attached_in_the_transaction_and_downloaded_byte_for_byte() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let maria = customer(&app, "maria").await?;
        let c = catalog(&maria).await?;
        let invoice = form(&maria, &c).await?.fields[0].id;

        let fatura = pdf("fatura");
        let first = uploaded(&maria, "Fatura março.pdf", &fatura).await?;
        let second = uploaded(&maria, "comprovante.png", &png()).await?;
        let copy = uploaded(&maria, "cópia.pdf", &fatura).await?;
        assert_eq!(
            (first.size, first.content_type.as_str()),
            (fatura.len() as u64, "application/pdf")
        );
        // Stored by content: the same bytes twice are one file.
        assert_eq!(
            files_on_disk(&app.storage.data_dir())?.len(),
            2,
            "{engine:?}"
        );
        // The form shows what is staged, so a reload loses nothing.
        let staged = form(&maria, &c).await?.staged;
        assert_eq!(
            staged.iter().map(|f| f.id).collect::<Vec<_>>(),
            [first.id, second.id, copy.id]
        );

        // Removed before sending: the row goes, the shared file stays for the other row.
        let removed = maria
            .client
            .delete(format!("{}/anexos/{}", maria.base, copy.id))
            .send()
            .await?;
        assert_eq!(removed.status().as_u16(), 204);
        assert_eq!(files_on_disk(&app.storage.data_dir())?.len(), 2);

        let mut body = request(c.correcao, invoice, "Segue a fatura.");
        body["input"]["attachments"] = serde_json::json!([first.id, second.id]);
        let created: CreatedTicket = maria
            .call("request-create", Some(body))
            .await?
            .map_err(|e| format!("{engine:?}: {e:?}"))?;
        let stored = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(created.number))
            .one(&app.db)
            .await?
            .ok_or("ticket")?;
        let linked = attachment::Entity::find()
            .filter(attachment::Column::TicketId.eq(stored.id))
            .count(&app.db)
            .await?;
        assert_eq!(linked, 2);
        let history: Vec<String> = ticket_event::Entity::find()
            .filter(ticket_event::Column::TicketId.eq(stored.id))
            .filter(ticket_event::Column::Kind.eq("attachment"))
            .all(&app.db)
            .await?
            .into_iter()
            .map(|e| e.detail)
            .collect();
        assert_eq!(history, ["Fatura março.pdf", "comprovante.png"]);
        assert!(form(&maria, &c).await?.staged.is_empty());

        // "Meus Tickets" marks the ticket that has files, and names its service,
        // activity and group as the catalog does; a ticket without files is unmarked.
        let plain = open_ticket(&maria, "Sem anexos.").await?;
        let list: TicketPage = maria
            .call(
                "my-tickets",
                Some(serde_json::json!({ "filter": TicketFilter::default() })),
            )
            .await?
            .map_err(|e| format!("{engine:?}: {e:?}"))?;
        let row = |number: i64| list.rows.iter().find(|r| r.number.get() == number);
        let with_files = row(created.number).ok_or("the ticket with files is listed")?;
        let without = row(plain).ok_or("the ticket without files is listed")?;
        assert_eq!(
            (with_files.has_attachments, without.has_attachments),
            (true, false)
        );
        let service = service::Entity::find_by_id(stored.service_id)
            .one(&app.db)
            .await?
            .ok_or("service")?;
        let activity = activity::Entity::find_by_id(stored.activity_id)
            .one(&app.db)
            .await?
            .ok_or("activity")?;
        let group = support_group::Entity::find_by_id(stored.group_id)
            .one(&app.db)
            .await?
            .ok_or("group")?;
        assert_eq!(
            (&with_files.service, &with_files.request, &with_files.group),
            (&service.name, &activity.name, &group.name),
            "{engine:?}"
        );
        assert!(!group.name.is_empty() && !activity.name.is_empty());
        // The ticket's own page shows the same row.
        let page: TicketDetail = maria
            .call(
                "ticket",
                Some(serde_json::json!({ "number": created.number })),
            )
            .await?
            .map_err(|e| format!("{engine:?}: {e:?}"))?;
        assert_eq!(&page.row, with_files);

        // Back byte for byte, as a download, with the original name.
        let response = maria
            .client
            .get(format!("{}/anexos/{}", maria.base, first.id))
            .send()
            .await?;
        assert_eq!(response.status().as_u16(), 200);
        let disposition = response
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition.contains("filename*=UTF-8''Fatura%20mar%C3%A7o.pdf"),
            "{disposition}"
        );
        assert_eq!(response.bytes().await?.as_ref(), fatura.as_slice());

        // Nobody else gets it: another customer and a visitor see nothing there.
        let joao = customer(&app, "joao").await?;
        for id in [first.id, second.id] {
            let other = joao
                .client
                .get(format!("{}/anexos/{id}", joao.base))
                .send()
                .await?;
            assert_eq!(other.status().as_u16(), 404);
            let visitor = app.get(&format!("/anexos/{id}")).await?;
            assert_eq!(visitor.status().as_u16(), 401);
        }
        // An attached file can no longer be removed through the staging route.
        let late = maria
            .client
            .delete(format!("{}/anexos/{}", maria.base, first.id))
            .send()
            .await?;
        assert_eq!(late.status().as_u16(), 404);
        let foreign = joao
            .client
            .delete(format!("{}/anexos/{}", joao.base, second.id))
            .send()
            .await?;
        assert_eq!(foreign.status().as_u16(), 404);
    }
    Ok(())
}

#[tokio::test]
async fn bad_files_are_refused_and_leave_nothing_behind() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let maria = customer(&app, "maria").await?;

    let executable = {
        let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 20_000));
        bytes
    };
    let elf = [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut too_big = pdf("grande");
    too_big.resize(DEFAULT_MAX_BYTES as usize + 1, b' ');
    let mut just_right = pdf("limite");
    just_right.resize(DEFAULT_MAX_BYTES as usize, b' ');

    let cases: [(&str, &[u8], Problem); 9] = [
        ("setup.pdf", &executable, Problem::FileContentMismatch),
        ("notas.txt", &elf, Problem::FileContentMismatch),
        ("foto.png", &pdf("x"), Problem::FileContentMismatch),
        ("setup.exe", &executable, Problem::FileTypeNotAllowed),
        ("../../etc/fatura.pdf", &pdf("x"), Problem::FileNameInvalid),
        ("..\\fatura.pdf", &pdf("x"), Problem::FileNameInvalid),
        ("fatura\t2.pdf", &pdf("x"), Problem::FileNameInvalid),
        ("vazio.txt", b"", Problem::FileEmpty),
        ("grande.pdf", &too_big, Problem::FileTooLarge),
    ];
    for (name, bytes, problem) in cases {
        assert_eq!(refused(&maria, name, bytes).await?, problem, "{name}");
    }
    assert_eq!(attachment::Entity::find().count(&app.db).await?, 0);
    assert!(files_on_disk(&app.storage.data_dir())?.is_empty());

    // Exactly the limit is fine; so are ten files, and the eleventh is refused.
    let big = uploaded(&maria, "limite.pdf", &just_right).await?;
    assert_eq!(big.size, DEFAULT_MAX_BYTES);
    let mut ids = vec![big.id];
    for i in 1..10 {
        ids.push(
            uploaded(
                &maria,
                &format!("nota {i}.txt"),
                format!("nota {i}\n").as_bytes(),
            )
            .await?
            .id,
        );
    }
    assert_eq!(
        refused(&maria, "nota 11.txt", b"nota 11\n").await?,
        Problem::TooManyFiles
    );
    assert_eq!(attachment::Entity::find().count(&app.db).await?, 10);

    // A request naming somebody else's upload fails whole: no ticket, nothing linked.
    let c = catalog(&maria).await?;
    let invoice = form(&maria, &c).await?.fields[0].id;
    let joao = customer(&app, "joao").await?;
    let theirs = uploaded(&joao, "deles.txt", b"de outra pessoa\n").await?;
    let mut body = request(c.correcao, invoice, "Com anexo alheio.");
    body["input"]["attachments"] = serde_json::json!([ids[0], theirs.id]);
    let result = maria
        .call::<CreatedTicket>("request-create", Some(body))
        .await?;
    assert!(
        matches!(result, Err((422, AppError::Validation(ref e))) if e.get(Field::Attachments) == Some(Problem::AttachmentMissing)),
        "{result:?}"
    );
    // Eleven ids are too many whatever they are.
    let mut body = request(c.correcao, invoice, "Onze anexos.");
    let mut eleven = ids.clone();
    eleven.push(theirs.id);
    body["input"]["attachments"] = serde_json::json!(eleven);
    let result = maria
        .call::<CreatedTicket>("request-create", Some(body))
        .await?;
    assert!(
        matches!(result, Err((422, AppError::Validation(ref e))) if e.get(Field::Attachments) == Some(Problem::TooManyFiles)),
        "{result:?}"
    );
    assert_eq!(ticket::Entity::find().count(&app.db).await?, 0);
    assert_eq!(ticket_event::Entity::find().count(&app.db).await?, 0);
    assert_eq!(
        attachment::Entity::find()
            .filter(attachment::Column::TicketId.is_not_null())
            .count(&app.db)
            .await?,
        0
    );

    // Visitors and other sites cannot upload.
    let (content_type, body) = multipart("x.txt", b"x\n");
    let visitor = app
        .client
        .post(app.url("/anexos"))
        .header("origin", app.base.clone())
        .header("content-type", content_type.clone())
        .body(body.clone())
        .send()
        .await?;
    assert_eq!(visitor.status().as_u16(), 401);
    let cross_site = maria
        .client
        .post(format!("{}/anexos", maria.base))
        .header("origin", "https://evil.example")
        .header("content-type", content_type)
        .body(body)
        .send()
        .await?;
    assert_eq!(cross_site.status().as_u16(), 403);
    assert_eq!(attachment::Entity::find().count(&app.db).await?, 11);
    Ok(())
}

#[tokio::test]
async fn stale_staged_uploads_are_swept_with_their_files() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let maria = customer(&app, "maria").await?;
    uploaded(&maria, "antigo.txt", b"esquecido\n").await?;
    assert_eq!(files_on_disk(&app.storage.data_dir())?.len(), 1);
    app.clock.advance(chrono::Duration::hours(25));
    // Sessions expire too: sign in again, then upload something else.
    let maria = customer(&app, "maria2").await?;
    uploaded(&maria, "novo.txt", b"novo\n").await?;
    assert_eq!(attachment::Entity::find().count(&app.db).await?, 1);
    assert_eq!(files_on_disk(&app.storage.data_dir())?.len(), 1);
    Ok(())
}
