//! The mail sender: SMTP through lettre when `ATENDE_SMTP_URL` is configured; otherwise
//! each message is written as an .eml file under `<data dir>/mail`, so that a local
//! installation can open what it would have sent.

use std::path::PathBuf;

use lettre::message::{Mailbox, MultiPart, header::ContentType};
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
}

impl MailError {
    /// A refusal that will not change by trying again: a 5xx answer, or a message that
    /// cannot be built (a malformed address). Anything else (4xx, the server unreachable,
    /// a full disk) is worth another attempt later.
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Address(_) | MailError::Build(_) => true,
            MailError::Smtp(err) => err.is_permanent(),
            MailError::File(_) | MailError::Dir(_) => false,
        }
    }
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Files(dir) => format!("files in {}", dir.display()),
        };
        f.debug_struct("Mailer")
            .field("transport", &kind)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// SMTP to `url` (`smtp://user:pass@host:587?tls=required`, `smtps://…`, see lettre).
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer {
            transport: Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
            ),
            from: from.parse()?,
        })
    }

    /// .eml files in `dir`.
    pub fn files(dir: PathBuf, from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer {
            transport: Transport::Files(dir),
            from: from.parse()?,
        })
    }

    /// The domain of the sender's address, for Message-IDs.
    fn domain(&self) -> &str {
        self.from.email.domain()
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
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(text, html))?;
        self.transmit(message).await
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)?;
        self.transmit(message).await
    }

    async fn transmit(&self, message: Message) -> Result<(), MailError> {
        match &self.transport {
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
