//! The mail sender: SMTP through lettre when `ATENDE_SMTP_URL` is configured; otherwise
//! each message is written as an .eml file under `<data dir>/mail`, so that a local
//! installation can open what it would have sent.
//!
//! `smtp://` connections are opened here, with `TCP_NODELAY`, and kept for the next
//! message; lettre speaks SMTP on them (STARTTLS, AUTH, MAIL/RCPT/DATA). lettre's own
//! transport writes a message and its final `.` in two writes, and without
//! `TCP_NODELAY` the second waits for the server's delayed ACK: 40 ms a message,
//! measured as 22 messages/s to a local server. `smtps://` (TLS from the first byte)
//! goes through lettre's transport as it is.

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing the .eml file: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("cannot create the mail directory: {0}")]
    Dir(#[from] std::io::Error),
    #[error("invalid SMTP URL: {0}")]
    Url(String),
    #[error("connecting to the SMTP server: {0}")]
    Connect(std::io::Error),
}

impl MailError {
    /// A refusal that will not change by trying again: a 5xx answer, or a message that
    /// cannot be built (a malformed address). Anything else (4xx, the server unreachable,
    /// a full disk) is worth another attempt later.
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Address(_) | MailError::Build(_) => true,
            MailError::Smtp(err) => err.is_permanent(),
            MailError::Url(_) => true,
            MailError::File(_) | MailError::Dir(_) | MailError::Connect(_) => false,
        }
    }
}

#[derive(Clone)]
enum Transport {
    Direct(Arc<Direct>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// STARTTLS on a `smtp://` connection (`?tls=` of the URL, as lettre reads it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StartTls {
    Never,
    Opportunistic,
    Required,
}

/// A `smtp://` server and the connections to it that are free for the next message.
struct Direct {
    host: String,
    port: u16,
    tls: StartTls,
    credentials: Option<Credentials>,
    hello: ClientId,
    idle: tokio::sync::Mutex<Vec<AsyncSmtpConnection>>,
}

/// Connections kept open between messages.
const IDLE_CONNECTIONS: usize = 8;

impl Direct {
    fn parse(url: &str) -> Result<Direct, MailError> {
        let parsed = url::Url::parse(url).map_err(|e| MailError::Url(e.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| MailError::Url("no host".into()))?
            .trim_matches(['[', ']'])
            .to_owned();
        let tls = match parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v)
        {
            None => StartTls::Never,
            Some(v) if v == "opportunistic" => StartTls::Opportunistic,
            Some(v) if v == "required" => StartTls::Required,
            Some(v) => return Err(MailError::Url(format!("tls={v}"))),
        };
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let credentials = (!parsed.username().is_empty()).then(|| {
            Credentials::new(
                decode(parsed.username()),
                decode(parsed.password().unwrap_or_default()),
            )
        });
        Ok(Direct {
            port: parsed.port().unwrap_or(25),
            host,
            tls,
            credentials,
            hello: ClientId::default(),
            idle: tokio::sync::Mutex::new(Vec::new()),
        })
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, MailError> {
        let tcp = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| MailError::Connect(std::io::ErrorKind::TimedOut.into()))?
        .map_err(MailError::Connect)?;
        tcp.set_nodelay(true).map_err(MailError::Connect)?;
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?;
        let offered = connection.can_starttls();
        if self.tls == StartTls::Required || (self.tls == StartTls::Opportunistic && offered) {
            connection
                .starttls(TlsParameters::new(self.host.clone())?, &self.hello)
                .await?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await?;
        }
        Ok(connection)
    }

    /// Sends on a free connection (or a new one); a connection that failed is closed, one
    /// that worked is kept for the next message. A kept connection the server has closed
    /// meanwhile (an I/O error before any answer) is replaced once.
    async fn send(&self, message: &Message) -> Result<(), MailError> {
        let reused = self.idle.lock().await.pop();
        let fresh = reused.is_none();
        let mut connection = match reused {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let result = match connection
            .send(message.envelope(), &message.formatted())
            .await
        {
            Ok(response) => Ok(response),
            Err(err) => {
                connection.abort().await;
                if fresh || err.is_permanent() || err.is_transient() {
                    return Err(err.into());
                }
                connection = self.connect().await?;
                connection
                    .send(message.envelope(), &message.formatted())
                    .await
            }
        };
        match result {
            Ok(_) => {
                let mut idle = self.idle.lock().await;
                if idle.len() < IDLE_CONNECTIONS {
                    idle.push(connection);
                } else {
                    drop(idle);
                    let _ = connection.quit().await;
                }
                Ok(())
            }
            Err(err) => {
                connection.abort().await;
                Err(err.into())
            }
        }
    }
}

pub struct Mailer {
    transport: Transport,
    /// The sender, changed by administrators in "Configurações" without a restart.
    from: std::sync::RwLock<Mailbox>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Direct(direct) => format!("smtp to {}:{}", direct.host, direct.port),
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Files(dir) => format!("files in {}", dir.display()),
        };
        f.debug_struct("Mailer")
            .field("transport", &kind)
            .field("from", &self.from().to_string())
            .finish()
    }
}

impl Mailer {
    /// SMTP to `url` (`smtp://user:pass@host:587?tls=required`, `smtps://…`, see lettre).
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = if url.starts_with("smtp://") {
            Transport::Direct(Arc::new(Direct::parse(url)?))
        } else {
            Transport::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build())
        };
        Ok(Mailer {
            transport,
            from: std::sync::RwLock::new(from.parse()?),
        })
    }

    /// .eml files in `dir`.
    pub fn files(dir: PathBuf, from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer {
            transport: Transport::Files(dir),
            from: std::sync::RwLock::new(from.parse()?),
        })
    }

    /// The sender.
    pub fn from(&self) -> Mailbox {
        match self.from.read() {
            Ok(from) => from.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set_from(&self, from: Mailbox) {
        match self.from.write() {
            Ok(mut current) => *current = from,
            Err(poisoned) => *poisoned.into_inner() = from,
        }
    }

    /// The domain of the sender's address, for Message-IDs.
    fn domain(&self) -> String {
        self.from().email.domain().to_owned()
    }

    /// Sends one message of the outbox, in plain text and HTML, under the Message-ID
    /// `<{message_id}@{sender's domain}>` (the same on every attempt).
    pub async fn deliver(
        &self,
        message_id: &str,
        to: &str,
        subject: &str,
        text: String,
        html: String,
    ) -> Result<(), MailError> {
        let message = Message::builder()
            .message_id(Some(format!("<{message_id}@{}>", self.domain())))
            .from(self.from())
            .to(to.parse()?)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(text, html))?;
        self.transmit(message).await
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let message = Message::builder()
            .from(self.from())
            .to(to.parse()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)?;
        self.transmit(message).await
    }

    async fn transmit(&self, message: Message) -> Result<(), MailError> {
        match &self.transport {
            Transport::Direct(direct) => direct.send(&message).await?,
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_read_as_lettre_reads_them() {
        let d = Direct::parse("smtp://usu%C3%A1rio:p%40ss@mail.example:587?tls=required");
        let d = d.ok();
        assert!(d.is_some());
        let Some(d) = d else { return };
        assert_eq!(
            (d.host.as_str(), d.port, d.tls),
            ("mail.example", 587, StartTls::Required)
        );
        assert!(d.credentials.is_some());
        let plain = Direct::parse("smtp://127.0.0.1:2525").ok();
        assert_eq!(
            plain.map(|d| (d.port, d.tls)),
            Some((2525, StartTls::Never))
        );
        assert!(Direct::parse("smtp://relay?tls=sometimes").is_err());
        assert!(Direct::parse("smtp://").is_err());
    }
}
