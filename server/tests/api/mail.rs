//! Notifications through the outbox, delivered by the real worker to a real SMTP server
//! on loopback (aiosmtpd, `server/tests/smtp_sink.py`, installed by `scripts/bootstrap
//! --test`): each message once, with its stable Message-ID; a refused recipient failing
//! alone; messages waiting while the server is down; and a kill -9 of the `atende`
//! binary in the middle of a batch.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::domain::account::Role;
use app::domain::desk::DeskAction;
use entity::outbox;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::accounts::staff_in;
use crate::helpers::{ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, customer};
use crate::tickets::{open_ticket, sign_in};

const NUATE: &str = "1º Nível - NUATE";

/// The aiosmtpd server, as a child process.
pub struct Smtp {
    pub port: u16,
    pub dir: PathBuf,
    child: Option<Child>,
}

/// One message the SMTP server accepted.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    pub message_id: String,
    pub subject: String,
    pub raw: String,
}

fn python() -> PathBuf {
    let tools = std::env::var_os("ATENDE_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools"));
    tools.join("venv/bin/python")
}

pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Smtp {
    /// Starts the server on `port` (0: a free one), keeping accepted messages in `dir`.
    pub fn start(dir: &Path, port: u16, extra: &[String]) -> AnyResult<Smtp> {
        let port = if port == 0 { free_port()? } else { port };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(script)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("{}: {e} (run scripts/bootstrap --test)", python().display()))?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        if !line.starts_with("ready") {
            let _ = child.kill();
            return Err(format!("SMTP server did not start: {line:?}").into());
        }
        Ok(Smtp {
            port,
            dir: dir.to_owned(),
            child: Some(child),
        })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops it (the port refuses connections until started again).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn received(&self) -> AnyResult<Vec<Received>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        let mut out = Vec::new();
        for name in names {
            let raw = std::fs::read_to_string(&name)?;
            let header = |key: &str| {
                raw.lines()
                    .take_while(|l| !l.is_empty())
                    .find_map(|l| {
                        l.split_once(':')
                            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                            .map(|(_, v)| v.trim().to_owned())
                    })
                    .unwrap_or_default()
            };
            out.push(Received {
                to: header("X-Envelope-To"),
                message_id: header("Message-ID"),
                subject: header("Subject"),
                raw: raw.clone(),
            });
        }
        Ok(out)
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn outbox_rows(db: &DatabaseConnection) -> AnyResult<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?)
}

/// Waits until no message is pending (the worker runs in the background).
async fn settled(db: &DatabaseConnection, within: Duration) -> AnyResult<Vec<outbox::Model>> {
    let started = Instant::now();
    loop {
        let rows = outbox_rows(db).await?;
        if rows.iter().all(|r| r.state != "pendente") {
            return Ok(rows);
        }
        if started.elapsed() > within {
            return Err(format!("outbox still pending after {within:?}: {rows:#?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn decoded_subject(subject: &str) -> String {
    // lettre encodes non-ASCII subjects as RFC 2047 words; the tests look for ASCII parts.
    subject.to_owned()
}

#[tokio::test]
async fn notices_go_out_once_each_and_a_refused_recipient_fails_alone() -> TestResult {
    for engine in ENGINES {
        let spool = tempfile::tempdir()?;
        let smtp = Smtp::start(
            spool.path(),
            0,
            &["--refuse".into(), "bia@atende.example".into()],
        )?;
        let url = smtp.url();
        let app = TestApp::spawn_configured(engine, |c| {
            c.smtp_url = Some(url);
            c.mail_retry_seconds = 1;
        })
        .await?;
        let maria = customer(&app, "maria").await?;
        staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
        staff_in(&app, "bia", Role::Agent, vec![NUATE.into()]).await?;
        let number = open_ticket(&maria, "Minha fatura veio com valor errado.").await?;

        let rows = settled(&app.db, Duration::from_secs(20)).await?;
        let by_to: HashMap<&str, &outbox::Model> =
            rows.iter().map(|r| (r.recipient.as_str(), r)).collect();
        let opened = by_to
            .get("maria@exemplo.com.br")
            .ok_or("no mail to the customer")?;
        assert_eq!(opened.kind, "aberto");
        assert_eq!(opened.state, "enviada");
        assert!(
            opened.subject.contains(&format!("[Atende #{number}]")),
            "{}",
            opened.subject
        );
        assert!(
            opened.body_text.contains("Prioridade"),
            "{}",
            opened.body_text
        );
        assert!(
            opened
                .body_text
                .contains(&format!("/meus-tickets/{number}"))
        );
        let to_ana = by_to.get("ana@atende.example").ok_or("no mail to ana")?;
        assert_eq!(
            (to_ana.kind.as_str(), to_ana.state.as_str()),
            ("novo-no-grupo", "enviada")
        );
        assert!(to_ana.body_text.contains(&format!("/fila/{number}")));
        // bia's address is refused for good: recorded, not retried, and nobody else held up.
        let to_bia = by_to.get("bia@atende.example").ok_or("no row for bia")?;
        assert_eq!((to_bia.state.as_str(), to_bia.attempts), ("falhou", 1));
        assert!(
            to_bia.last_error.as_deref().unwrap_or("").contains("550"),
            "{:?}",
            to_bia.last_error
        );

        // An agent's public reply reaches the customer, with the reply's text.
        let ana = sign_in(&app, "ana", "equipe1234").await?;
        let version: app::domain::desk::Workspace = ana
            .call("desk-ticket", Some(json!({ "number": number })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let reply = DeskAction::Reply {
            text: "Corrigimos o valor <b>da fatura</b>.".into(),
        };
        let _: i32 = ana
            .call(
                "desk-act",
                Some(json!({ "number": number, "version": version.version, "action": reply })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        let rows = settled(&app.db, Duration::from_secs(20)).await?;
        let reply_row = rows
            .iter()
            .find(|r| r.kind == "resposta")
            .ok_or("no reply notice")?;
        assert_eq!(reply_row.recipient, "maria@exemplo.com.br");
        assert!(
            reply_row
                .body_text
                .contains("Corrigimos o valor <b>da fatura</b>.")
        );
        assert!(
            reply_row
                .body_html
                .contains("Corrigimos o valor &lt;b&gt;da fatura&lt;/b&gt;.")
        );
        // ana did it herself: she is not told.
        assert!(
            !rows
                .iter()
                .any(|r| r.kind == "resposta" && r.recipient.starts_with("ana"))
        );

        // What the server accepted: every sent row once, under its own Message-ID, as
        // plain text and HTML; nothing for the refused address.
        let received = smtp.received()?;
        let sent: Vec<&outbox::Model> = rows.iter().filter(|r| r.state == "enviada").collect();
        assert_eq!(received.len(), sent.len(), "{received:#?}");
        let ids: HashSet<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
        assert_eq!(ids.len(), received.len(), "a Message-ID arrived twice");
        for row in &sent {
            let id = format!("<{}@localhost>", row.message_id);
            let message = received
                .iter()
                .find(|m| m.message_id == id)
                .ok_or(format!("{id} not received"))?;
            assert_eq!(message.to, row.recipient);
            assert!(decoded_subject(&message.subject).contains(&format!("[Atende #{number}]")));
            assert!(message.raw.contains("multipart/alternative"));
            assert!(message.raw.contains("text/html"));
        }
        assert!(!received.iter().any(|m| m.to.contains("bia@")));
        drop(app);
    }
    Ok(())
}

#[tokio::test]
async fn mail_waits_while_the_server_is_down_and_goes_once_it_is_back() -> TestResult {
    for engine in ENGINES {
        let spool = tempfile::tempdir()?;
        let mut smtp = Smtp::start(spool.path(), 0, &[])?;
        let url = smtp.url();
        let app = TestApp::spawn_configured(engine, |c| {
            c.smtp_url = Some(url);
            c.mail_retry_seconds = 1;
        })
        .await?;
        let maria = customer(&app, "maria").await?;
        smtp.stop();
        let number = open_ticket(&maria, "Sem luz na rua.").await?;
        // Tried, refused by the closed port, and waiting for a later attempt.
        let started = Instant::now();
        let row = loop {
            let rows = outbox_rows(&app.db).await?;
            if let Some(row) = rows.into_iter().find(|r| r.attempts >= 1) {
                break row;
            }
            if started.elapsed() > Duration::from_secs(20) {
                return Err("no attempt while the server was down".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(row.state, "pendente");
        assert!(row.last_error.is_some());
        assert!(row.next_attempt_at > row.created_at);

        let smtp = Smtp::start(spool.path(), smtp.port, &[])?;
        // Time passes past any backoff: the worker's next look sends it.
        app.clock.advance(chrono::Duration::hours(2));
        let rows = settled(&app.db, Duration::from_secs(20)).await?;
        assert!(rows.iter().all(|r| r.state == "enviada"), "{rows:#?}");
        let received = smtp.received()?;
        assert_eq!(received.len(), rows.len());
        assert!(
            received
                .iter()
                .all(|m| m.subject.contains(&format!("#{number}")))
        );
        drop(app);
    }
    Ok(())
}

const ATENDE: &str = env!("CARGO_BIN_EXE_atende");

fn spawn_atende(data_dir: &Path, smtp: &str, pid_file: &Path) -> AnyResult<Child> {
    let child = Command::new(ATENDE)
        .env_clear()
        .env("ATENDE_DATA_DIR", data_dir)
        .env("ATENDE_ADDR", "127.0.0.1:0")
        .env("ATENDE_SMTP_URL", smtp)
        .env("ATENDE_DEMO_CATALOG", "false")
        .env("ATENDE_SITE_ROOT", data_dir.with_file_name("site"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::fs::write(pid_file, child.id().to_string())?;
    Ok(child)
}

#[tokio::test]
async fn a_kill_in_the_middle_of_a_batch_loses_nothing_and_sends_nothing_twice() -> TestResult {
    const MESSAGES: usize = 60;
    let storage = crate::helpers::TestStorage::new(Engine::Sqlite).await?;
    let config = storage.config()?;
    // The schema, and a batch of queued mail, as changes would have left them.
    let db = server::startup::prepare_database(&config).await?;
    let letters = (0..MESSAGES)
        .map(|i| app::server::outbox::Letter {
            kind: "aberto",
            ticket_id: None,
            recipient: format!("pessoa{i}@exemplo.com.br"),
            subject: format!("Mensagem {i}"),
            text: format!("Texto {i}"),
            html: format!("<p>Texto {i}</p>"),
        })
        .collect();
    app::server::outbox::enqueue(&db, chrono::Utc::now(), letters).await?;
    let queued: HashSet<String> = outbox_rows(&db)
        .await?
        .into_iter()
        .map(|r| format!("<{}@localhost>", r.message_id))
        .collect();
    assert_eq!(queued.len(), MESSAGES);
    db.close().await?;

    let spool = tempfile::tempdir()?;
    let pid_file = storage.dir.path().join("atende.pid");
    // The server kills Atende when the 25th message's data has arrived, before answering.
    let mut smtp = Smtp::start(
        spool.path(),
        0,
        &[
            "--kill-pid-file".into(),
            pid_file.display().to_string(),
            "--kill-at".into(),
            "25".into(),
        ],
    )?;
    let mut first = spawn_atende(&storage.data_dir(), &smtp.url(), &pid_file)?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = first.try_wait()? {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = first.kill();
            return Err("atende was not killed mid-batch".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "{status:?}");
    }
    assert_eq!(
        smtp.received()?.len(),
        24,
        "the first 24 were accepted before the kill"
    );

    // Back up (the SMTP server too, without the trap): the rest go, the first 24 not again.
    let port = smtp.port;
    smtp.stop();
    let smtp = Smtp::start(spool.path(), port, &[])?;
    let mut second = spawn_atende(&storage.data_dir(), &smtp.url(), &pid_file)?;
    let started = Instant::now();
    while smtp.received()?.len() < MESSAGES && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    // A moment more, in case anything would arrive twice.
    std::thread::sleep(Duration::from_millis(500));
    let _ = second.kill();
    let _ = second.wait();
    let received = smtp.received()?;
    let ids: Vec<String> = received.iter().map(|m| m.message_id.clone()).collect();
    let unique: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(
        ids.len(),
        MESSAGES,
        "delivered {} for {MESSAGES} queued",
        ids.len()
    );
    assert_eq!(
        unique, queued,
        "every queued message exactly once, by Message-ID"
    );
    let db = sea_orm::Database::connect(&config.database_url).await?;
    let rows = outbox::Entity::find()
        .filter(outbox::Column::State.ne("enviada"))
        .all(&db)
        .await?;
    assert!(rows.is_empty(), "{rows:#?}");
    Ok(())
}

/// Who is told what, along a ticket's life: each notice to the right people, in their
/// language, never to whoever caused it, and not at all when they turned it off.
#[tokio::test]
async fn every_change_tells_the_right_people_in_their_language() -> TestResult {
    use app::domain::ids::UserId;
    use entity::user_account;
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    for engine in ENGINES {
        let app = TestApp::spawn_configured(engine, |c| c.sla_watch_seconds = 24 * 3600).await?;
        let maria = customer(&app, "maria").await?;
        staff_in(&app, "ana", Role::Agent, vec![NUATE.into()]).await?;
        staff_in(&app, "bia", Role::Agent, vec![NUATE.into()]).await?;
        // Maria reads English and turned "Ticket retomado" off; bia turned off new tickets.
        let prefs: serde_json::Value = maria
            .call(
                "profile-notices",
                Some(json!({ "prefs": { "language": "en", "receive": ["reaberto"] } })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(prefs["mail_language"], "en");
        let bia_row = user_account::Entity::find()
            .filter(user_account::Column::Login.eq("bia"))
            .one(&app.db)
            .await?
            .ok_or("bia")?;
        let bia_id = bia_row.id;
        let mut bia_row = bia_row.into_active_model();
        bia_row.mail_muted = Set("novo-no-grupo".into());
        bia_row.update(&app.db).await?;

        let ana = sign_in(&app, "ana", "equipe1234").await?;
        let number = open_ticket(&maria, "Minha fatura veio com valor errado.").await?;
        let act = |action: DeskAction| {
            let ana = &ana;
            async move {
                let ws: app::domain::desk::Workspace = ana
                    .call("desk-ticket", Some(json!({ "number": number })))
                    .await?
                    .map_err(|e| format!("{e:?}"))?;
                let _: i32 = ana
                    .call(
                        "desk-act",
                        Some(json!({ "number": number, "version": ws.version, "action": action })),
                    )
                    .await?
                    .map_err(|e| format!("{e:?}"))?;
                AnyResult::Ok(())
            }
        };
        act(DeskAction::Assign {
            agent: UserId(bia_id),
        })
        .await?;
        act(DeskAction::Suspend {
            reason: "Envie a fatura em PDF.".into(),
        })
        .await?;
        maria
            .call::<serde_json::Value>(
                "ticket-note",
                Some(json!({ "number": number, "text": "Segue a fatura." })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        act(DeskAction::Resolve {
            solution: "Valor corrigido.".into(),
        })
        .await?;
        maria
            .call::<serde_json::Value>(
                "ticket-reopen",
                Some(json!({ "number": number, "reason": "Ainda errado." })),
            )
            .await?
            .map_err(|e| format!("{e:?}"))?;
        act(DeskAction::Cancel {
            reason: "Aberto em duplicidade.".into(),
        })
        .await?;

        let rows = outbox_rows(&app.db).await?;
        let sent = |kind: &str| {
            let mut to: Vec<&str> = rows
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.recipient.as_str())
                .collect();
            to.sort_unstable();
            to
        };
        let maria_at = "maria@exemplo.com.br";
        assert_eq!(sent("aberto"), vec![maria_at]);
        assert_eq!(
            sent("novo-no-grupo"),
            vec!["ana@atende.example"],
            "bia turned it off"
        );
        assert_eq!(sent("atribuido"), vec!["bia@atende.example"]);
        assert_eq!(sent("suspenso"), vec![maria_at]);
        // The customer's note: the group is told; maria turned "retomado" off.
        assert_eq!(
            sent("cliente-respondeu"),
            vec!["ana@atende.example", "bia@atende.example"]
        );
        assert_eq!(sent("retomado"), Vec::<&str>::new());
        assert_eq!(sent("resolvido"), vec![maria_at]);
        assert_eq!(sent("reaberto"), vec![maria_at]);
        assert_eq!(sent("cancelado"), vec![maria_at]);
        // Nobody is told of what they did themselves.
        assert!(
            !rows
                .iter()
                .any(|r| r.kind == "atribuido" && r.recipient.starts_with("ana"))
        );
        // In maria's language, with what she needs to act.
        let suspended = rows
            .iter()
            .find(|r| r.kind == "suspenso")
            .ok_or("suspenso")?;
        assert!(
            suspended.subject.contains("Ticket suspended"),
            "{}",
            suspended.subject
        );
        assert!(
            suspended
                .body_text
                .contains("Reason: Envie a fatura em PDF.")
        );
        let resolved = rows
            .iter()
            .find(|r| r.kind == "resolvido")
            .ok_or("resolvido")?;
        assert!(resolved.body_text.contains("Valor corrigido."));
        assert!(
            resolved
                .body_text
                .contains(&format!("/meus-tickets/{number}?aba=pesquisa"))
        );
        assert!(
            resolved
                .body_text
                .contains(&format!("/meus-tickets/{number}?aba=reabrir"))
        );
        assert!(resolved.body_html.contains("satisfaction survey"));
        // Staff get Portuguese.
        let to_bia = rows
            .iter()
            .find(|r| r.kind == "atribuido")
            .ok_or("atribuido")?;
        assert!(
            to_bia.subject.contains("Ticket atribuído a você"),
            "{}",
            to_bia.subject
        );
        drop(app);
    }
    Ok(())
}
