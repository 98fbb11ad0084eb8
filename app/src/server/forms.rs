//! Forms posted without JavaScript. Every form of the site is a real
//! `<form method="post">` whose `action` is its own page; until the WebAssembly has
//! arrived (or when it never does), the browser posts it the plain way, as
//! `application/x-www-form-urlencoded`, and it lands here, on the page's own path (axum
//! merges these `POST` routes with Leptos' `GET` ones).
//!
//! Each post runs the very server-side logic its server function runs (`crate::api::*::ssr`,
//! validation included), inside a Leptos owner with the request's `Parts` and a
//! `ResponseOptions` in context, as `leptos_axum` runs server functions, so that sessions
//! read their cookie and set theirs the same way. Then:
//! - success: `303 See Other` to where the enhanced form would have gone, with the
//!   cookies the logic set;
//! - refusal: the page itself, rendered again with the error's status (401, 422, 429 …)
//!   and a [`FormPost`] in context: the message at the top of the form, each field's
//!   problem beside it, and the values sent, passwords and the CAPTCHA left out.
//!
//! Secrets (passwords, the reset token, the CAPTCHA's id) only ever travel in the body:
//! no form is a GET, and no redirect carries what was typed. Cross-site posts are refused
//! before they get here (`same_origin_writes` in the server crate), like any write.

use std::future::Future;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Form, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use leptos_axum::ResponseOptions;

use crate::api::{accounts, requests, tickets};
use crate::components::form_post::{FORM_NAME, FormPost};
use crate::components::header::LOGOUT_PATH;
use crate::domain::Field;
use crate::domain::account::{ProfileInput, RegistrationInput};
use crate::domain::request::{RequestInput, RequestProfileInput};
use crate::error::AppError;
use crate::pages::{forgot_password, login, profile, register, ticket};
use crate::server::session;
use crate::state::AppState;

/// The largest form accepted: a request's description (20,000 characters) takes up to
/// 240 KB percent-encoded, with room for the other fields.
const REQUEST_BODY_LIMIT: usize = 512 * 1024;
/// Every other form is a few short fields.
const BODY_LIMIT: usize = 64 * 1024;

/// Inputs never sent back into a page: passwords, and the CAPTCHA (a refused
/// registration gets a new one).
fn is_secret(name: &str) -> bool {
    let secrets = [
        Field::Password,
        Field::PasswordConfirm,
        Field::CurrentPassword,
        Field::Captcha,
    ];
    name == register::CAPTCHA_ID || secrets.iter().any(|field| field.id() == name)
}

/// The fields of a posted form, in the order sent.
#[derive(Clone, Debug, Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    /// Browsers send a text area's line breaks as CRLF; the enhanced form (and so the
    /// logic) sees LF.
    fn new(pairs: Vec<(String, String)>) -> Fields {
        Fields(
            pairs
                .into_iter()
                .map(|(name, value)| (name, value.replace("\r\n", "\n")))
                .collect(),
        )
    }

    /// The first value sent under `name`, or "" (a browser leaves nothing out, so a
    /// missing field is an empty one, which the logic refuses where it must).
    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    fn field(&self, field: Field) -> String {
        self.get(&field.id())
    }

    /// Which form of the page this is.
    fn form(&self) -> String {
        self.get(FORM_NAME)
    }

    /// What the page may show again.
    fn kept(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(name, _)| name != FORM_NAME && !is_secret(name))
            .cloned()
            .collect()
    }

    /// Staged uploads by id; one that is not a number is refused by the logic like an
    /// unknown one.
    fn attachments(&self) -> Vec<i64> {
        let name = Field::Attachments.id();
        self.0
            .iter()
            .filter(|(key, _)| *key == name)
            .map(|(_, value)| value.trim().parse().unwrap_or(-1))
            .collect()
    }

    /// Every value sent under `name` (checkboxes).
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// The activity's own fields (`campo-{id}`), in the order sent.
    fn extras(&self) -> Vec<(i32, String)> {
        self.0
            .iter()
            .filter_map(|(key, value)| Some((Field::extra_id(key)?, value.clone())))
            .collect()
    }

    fn profile(&self) -> ProfileInput {
        ProfileInput {
            name: self.field(Field::Name),
            person: self.field(Field::Person),
            phone: self.field(Field::Phone),
            cep: self.field(Field::Cep),
            address: self.field(Field::Address),
            email: self.field(Field::Email),
        }
    }
}

/// The page a post arrived at.
#[derive(Clone, Copy, Debug)]
enum Target {
    Login,
    Register,
    Forgot,
    Reset,
    /// "Meu perfil": its data or its password (`_form`).
    Profile,
    /// An activity's request form.
    Request {
        activity: i32,
    },
    /// A staff action on a ticket's workspace (`_form`: the action).
    Desk {
        number: i64,
    },
    /// One of a ticket's actions (`_form`: the tab it is on).
    Ticket {
        number: i64,
    },
    /// "Configurações de SLA" (`_form`: which calendar, holiday or activity).
    Sla,
    /// "Usuários e grupos" (`_form`: which change, `crate::domain::admin`).
    People,
    /// "Portfólio de serviços" and an activity's editor (`_form`: which change,
    /// `crate::domain::catalog_admin`); `activity`: the editor's.
    Catalog {
        activity: Option<i32>,
    },
    /// "Configurações".
    Settings,
}

type Pairs = Form<Vec<(String, String)>>;

/// The `POST` routes of the pages with forms, and `POST /sair`. `context` is what every
/// render gets (the app state, the page's security policy), for the pages rendered again.
pub fn routes<C>(context: C) -> Router<AppState>
where
    C: Fn() + Clone + Send + Sync + 'static,
{
    let page = |target: Target, limit: usize| {
        let context = context.clone();
        post(
            move |State(state): State<AppState>, parts: Parts, Form(pairs): Pairs| {
                answer(context.clone(), state, parts, Fields::new(pairs), target)
            },
        )
        .layer(DefaultBodyLimit::max(limit))
    };
    let request = {
        let context = context.clone();
        post(
            move |State(state): State<AppState>,
                  Path((_, _, activity)): Path<(i32, i32, i32)>,
                  parts: Parts,
                  Form(pairs): Pairs| {
                answer(
                    context.clone(),
                    state,
                    parts,
                    Fields::new(pairs),
                    Target::Request { activity },
                )
            },
        )
        .layer(DefaultBodyLimit::max(REQUEST_BODY_LIMIT))
    };
    // A page of one ticket (the customer's, or the staff's workspace): its number in the
    // path says which.
    let numbered = |target: fn(i64) -> Target| {
        let context = context.clone();
        post(
            move |State(state): State<AppState>,
                  Path(number): Path<i64>,
                  parts: Parts,
                  Form(pairs): Pairs| {
                answer(
                    context.clone(),
                    state,
                    parts,
                    Fields::new(pairs),
                    target(number),
                )
            },
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
    };
    let ticket = numbered(|number| Target::Ticket { number });
    let desk = numbered(|number| Target::Desk { number });
    // An activity's editor: an id that is no activity's only changes where the browser
    // is sent back to (the form names the activity it changes).
    let activity_editor = numbered(|id| Target::Catalog {
        activity: i32::try_from(id).ok(),
    });
    let logout = {
        let context = context.clone();
        post(move |State(state): State<AppState>, parts: Parts| {
            sign_out(context.clone(), state, parts)
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
    };
    // The paths are written exactly as Leptos' route list writes them for axum, so each
    // `post` joins the page's `get` on the same route.
    Router::new()
        .route("/entrar", page(Target::Login, BODY_LIMIT))
        .route("/cadastrar", page(Target::Register, BODY_LIMIT))
        .route("/esqueci-senha", page(Target::Forgot, BODY_LIMIT))
        .route("/redefinir-senha", page(Target::Reset, BODY_LIMIT))
        .route("/perfil", page(Target::Profile, BODY_LIMIT))
        .route("/portal/{portfolio}/{service}/{activity}", request)
        .route("/meus-tickets/{number}", ticket)
        .route("/fila/{number}", desk)
        .route(crate::pages::admin_sla::PATH, page(Target::Sla, BODY_LIMIT))
        .route(
            crate::pages::admin_people::PATH,
            page(Target::People, BODY_LIMIT),
        )
        .route(
            crate::pages::admin_catalog::PATH,
            page(Target::Catalog { activity: None }, BODY_LIMIT),
        )
        .route("/admin/catalogo/{activity}", activity_editor)
        .route(
            crate::pages::admin_settings::PATH,
            page(Target::Settings, BODY_LIMIT),
        )
        .route(LOGOUT_PATH, logout)
}

/// Runs `work` as a server function runs: inside a Leptos owner with the request's
/// `Parts`, a fresh `ResponseOptions` and the app's context; returns its output and the
/// response options it set (cookies).
async fn in_leptos<C, F>(context: &C, parts: &Parts, work: F) -> (F::Output, ResponseOptions)
where
    C: Fn(),
    F: Future,
{
    let options = ResponseOptions::default();
    let owner = Owner::new();
    let output = owner
        .with(|| {
            provide_context(parts.clone());
            provide_context(options.clone());
            context();
            ScopedFuture::new(work)
        })
        .await;
    drop(owner);
    (output, options)
}

async fn answer<C>(
    context: C,
    state: AppState,
    parts: Parts,
    fields: Fields,
    target: Target,
) -> Response
where
    C: Fn() + Clone + Send + Sync + 'static,
{
    let (outcome, options) =
        in_leptos(&context, &parts, perform(&state, &parts, &fields, target)).await;
    match outcome {
        Ok(location) => see_other(&location, &options),
        Err(error) => {
            tracing::debug!(path = %parts.uri.path(), status = error.status(), "form refused");
            let post = FormPost {
                form: fields.form(),
                values: fields.kept(),
                error,
            };
            let mut response = render(context, &state, parts, post).await;
            add_headers(&mut response, &options);
            response
        }
    }
}

/// "Sair": ends the session, then home.
async fn sign_out<C>(context: C, state: AppState, parts: Parts) -> Response
where
    C: Fn() + Clone + Send + Sync + 'static,
{
    let (outcome, options) = in_leptos(&context, &parts, session::end_current(&state)).await;
    match outcome {
        Ok(()) => see_other("/", &options),
        Err(error) => (
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            error.message(crate::i18n::Lang::Pt),
        )
            .into_response(),
    }
}

/// What the post asks, through the same logic as the page's server function; on success,
/// where the browser goes next.
async fn perform(
    state: &AppState,
    parts: &Parts,
    fields: &Fields,
    target: Target,
) -> Result<String, AppError> {
    match target {
        Target::Login => {
            let user = accounts::ssr::login(
                state,
                fields.field(Field::Identifier),
                fields.field(Field::Password),
            )
            .await?;
            Ok(login::landing(user.role, query_value(parts, "next")))
        }
        Target::Register => {
            let profile = fields.profile();
            let input = RegistrationInput {
                name: profile.name,
                person: profile.person,
                phone: profile.phone,
                cep: profile.cep,
                address: profile.address,
                email: profile.email,
                login: fields.field(Field::Login),
                password: fields.field(Field::Password),
                password_confirm: fields.field(Field::PasswordConfirm),
            };
            accounts::ssr::register(
                state,
                input,
                fields.get(register::CAPTCHA_ID),
                fields.field(Field::Captcha),
            )
            .await?;
            Ok("/entrar?cadastro=ok".to_owned())
        }
        Target::Forgot => {
            accounts::ssr::request_password_reset(state, fields.field(Field::Email)).await?;
            Ok(format!("/esqueci-senha?{}=1", forgot_password::SENT_QUERY))
        }
        Target::Reset => {
            accounts::ssr::reset_password(
                state,
                fields.field(Field::Token),
                fields.field(Field::Password),
                fields.field(Field::PasswordConfirm),
            )
            .await?;
            Ok("/entrar?senha=ok".to_owned())
        }
        Target::Profile => match fields.form().as_str() {
            profile::DATA_FORM => {
                accounts::ssr::update_profile(state, fields.profile()).await?;
                Ok(format!("/perfil?{}=dados", profile::SAVED_QUERY))
            }
            profile::NOTICES_FORM => {
                let prefs = crate::domain::notices::NoticePrefs {
                    language: fields.field(Field::MailLanguage),
                    receive: fields.all(Field::Notices.id().as_str()),
                };
                accounts::ssr::update_notices(state, prefs).await?;
                Ok(format!(
                    "/perfil?{}={}",
                    profile::SAVED_QUERY,
                    profile::NOTICES_FORM
                ))
            }
            profile::PASSWORD_FORM => {
                accounts::ssr::change_password(
                    state,
                    fields.field(Field::CurrentPassword),
                    fields.field(Field::Password),
                    fields.field(Field::PasswordConfirm),
                )
                .await?;
                Ok(format!(
                    "/perfil?{}={}",
                    profile::SAVED_QUERY,
                    profile::PASSWORD_FORM
                ))
            }
            _ => Err(unknown_form()),
        },
        Target::Request { activity } => {
            let me = session::require(state).await?;
            let input = RequestInput {
                activity_id: activity,
                profile: RequestProfileInput {
                    nature: fields.field(Field::Nature),
                    document: fields.field(Field::Document),
                    cep: fields.field(Field::Cep),
                    street: fields.field(Field::Address),
                    number: fields.field(Field::AddressNumber),
                    complement: fields.field(Field::Complement),
                    district: fields.field(Field::District),
                    city: fields.field(Field::City),
                    uf: fields.field(Field::Uf),
                },
                title: fields.field(Field::Title),
                fields: fields.extras(),
                description: fields.field(Field::Description),
                attachments: fields.attachments(),
                request_key: fields.get(crate::domain::request::REQUEST_KEY_FIELD),
            };
            let created = requests::ssr::create(state, &me, input).await?;
            Ok(format!(
                "/meus-tickets/{}?{}=1",
                created.number,
                ticket::CREATED_QUERY
            ))
        }
        Target::Desk { number } => {
            use crate::domain::desk::{ActionKind, DeskAction, workspace_path};
            use crate::pages::desk::workspace::{DONE_QUERY, VERSION_FIELD};
            let number = crate::domain::ids::TicketNumber(number);
            let me = session::require(state).await?;
            if !me.role.is_staff() {
                return Err(AppError::NotFound);
            }
            let kind = ActionKind::from_code(&fields.form()).ok_or_else(unknown_form)?;
            let action = DeskAction::from_fields(kind, |field| fields.field(field));
            // A version that is not a number is no version the ticket ever had.
            let version = fields.get(VERSION_FIELD).trim().parse().unwrap_or(-1);
            crate::server::tickets::staff::act(state, &me, number, version, action).await?;
            Ok(format!(
                "{}?{DONE_QUERY}={}",
                workspace_path(number),
                kind.code()
            ))
        }
        Target::Sla => {
            use crate::pages::admin_sla as page;
            use crate::server::sla_settings;
            let me = admin_caller(state, &[crate::domain::account::Role::Admin]).await?;
            let actor = &crate::server::audit::Actor::of(state, &me).await;
            let form = fields.form();
            let checked = |name: &str| !fields.get(name).is_empty();
            if form.starts_with(&format!("{}-", page::CALENDAR_FORM)) {
                let input = crate::domain::calendar::CalendarInput {
                    id: fields.get(page::CALENDAR_ID).trim().parse().ok(),
                    name: fields.field(Field::CalendarName),
                    time_zone: fields.field(Field::TimeZone),
                    week: fields.field(Field::Week),
                    national_holidays: checked(page::NATIONAL),
                    optional_points: checked(page::OPTIONAL),
                };
                sla_settings::save_calendar(state, actor, input).await?;
            } else if form == page::HOLIDAY_REMOVE_FORM {
                let id = fields
                    .get(page::HOLIDAY_ID)
                    .trim()
                    .parse()
                    .map_err(|_| AppError::NotFound)?;
                sla_settings::remove_holiday(state, actor, id).await?;
            } else if form.starts_with(&format!("{}-", page::HOLIDAY_FORM)) {
                let input = crate::domain::calendar::HolidayInput {
                    calendar: fields.field(Field::Calendar).trim().parse().unwrap_or(0),
                    date: fields.field(Field::HolidayDate),
                    name: fields.field(Field::HolidayName),
                };
                sla_settings::add_holiday(state, actor, input).await?;
            } else if form.starts_with(&format!("{}-", page::ACTIVITY_FORM)) {
                let input = crate::domain::calendar::ActivitySlaInput {
                    activity: fields.field(Field::Activity).trim().parse().unwrap_or(0),
                    calendar: fields.field(Field::Calendar).trim().parse().unwrap_or(0),
                    hours: fields.field(Field::SlaHours),
                    first_response: fields.field(Field::FirstResponseHours),
                };
                sla_settings::set_activity_sla(state, actor, input).await?;
            } else {
                return Err(unknown_form());
            }
            Ok(format!("{}?{}=1", page::PATH, page::SAVED_QUERY))
        }
        Target::People => {
            use crate::domain::admin::PeopleCommand;
            use crate::pages::admin_people as page;
            let me = admin_caller(state, &[crate::domain::account::Role::Admin]).await?;
            let actor = crate::server::audit::Actor::of(state, &me).await;
            let command = PeopleCommand::from_form(
                &fields.form(),
                |name| fields.get(name),
                |name| fields.all(name),
            )?;
            crate::server::people::apply(
                &crate::server::people::Ctx::of(state, &actor),
                me.id,
                command,
            )
            .await?;
            // Back to the list the administrator was looking at.
            let query = fields.get(page::QUERY);
            Ok(if query.trim().is_empty() {
                format!("{}?{}={}", page::PATH, page::DONE_QUERY, fields.form())
            } else {
                format!(
                    "{}?{}={}&{}={}",
                    page::PATH,
                    page::QUERY,
                    crate::domain::percent_encode(query.trim(), b""),
                    page::DONE_QUERY,
                    fields.form()
                )
            })
        }
        Target::Catalog { activity } => {
            use crate::domain::catalog_admin::CatalogCommand;
            use crate::pages::admin_catalog as page;
            let me = admin_caller(state, &[crate::domain::account::Role::Admin]).await?;
            let actor = crate::server::audit::Actor::of(state, &me).await;
            let command = CatalogCommand::from_form(
                &fields.form(),
                |name| fields.get(name),
                |name| fields.all(name),
            )?;
            crate::server::catalog_admin::apply(state, &actor, command).await?;
            let back = activity.map_or_else(|| page::PATH.to_owned(), page::activity_path);
            Ok(format!("{back}?{}={}", page::DONE_QUERY, fields.form()))
        }
        Target::Settings => {
            use crate::pages::admin_settings as page;
            let me = admin_caller(state, &[crate::domain::account::Role::Admin]).await?;
            if fields.form() != crate::domain::settings::SETTINGS_FORM {
                return Err(unknown_form());
            }
            let actor = crate::server::audit::Actor::of(state, &me).await;
            let input = crate::domain::settings::SettingsInput::from_form(
                |name| fields.get(name),
                |name| fields.all(name),
            );
            crate::server::settings::save(state, &actor, input).await?;
            Ok(format!("{}?{}=1", page::PATH, page::DONE_QUERY))
        }
        Target::Ticket { number } => {
            let me = session::require(state).await?;
            let form = fields.form();
            match form.as_str() {
                "anotacao" => {
                    tickets::ssr::add_note(state, &me, number, &fields.field(Field::Note)).await?
                }
                "anexos" => tickets::ssr::attach(state, &me, number, fields.attachments()).await?,
                "opiniao" => {
                    tickets::ssr::opinion(
                        state,
                        &me,
                        number,
                        &fields.field(Field::OpinionKind),
                        &fields.field(Field::Opinion),
                    )
                    .await?
                }
                "pesquisa" => {
                    // As the enhanced form sends it: what is not a number is no score.
                    let score = fields.field(Field::Rating).trim().parse().unwrap_or(0);
                    tickets::ssr::rate(
                        state,
                        &me,
                        number,
                        score,
                        &fields.field(Field::RatingComment),
                    )
                    .await?
                }
                "reabrir" => {
                    tickets::ssr::reopen(state, &me, number, &fields.field(Field::Reason)).await?
                }
                _ => return Err(unknown_form()),
            }
            // A reopened ticket has no "Reabrir" tab any more; its history says so.
            let tab = if form == "reabrir" {
                "historico"
            } else {
                form.as_str()
            };
            Ok(format!(
                "{}&{}={form}",
                ticket::tab_action(crate::domain::ids::TicketNumber(number), tab),
                ticket::DONE_QUERY
            ))
        }
    }
}

/// The signed-in caller if they have one of `roles`: visitors must sign in (401), anyone
/// else is told there is nothing here (404), as the administration's server functions do.
async fn admin_caller(
    state: &AppState,
    roles: &[crate::domain::account::Role],
) -> Result<session::SessionUser, AppError> {
    let me = session::require(state).await?;
    if me.is(roles) {
        Ok(me)
    } else {
        Err(AppError::NotFound)
    }
}

fn unknown_form() -> AppError {
    AppError::Request("unknown form".to_owned())
}

/// A value of the request's query (the login page's `next`).
fn query_value(parts: &Parts, name: &str) -> Option<String> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).ok()?;
    pairs
        .into_iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// The headers the logic set (cookies), as a server function's response gets them.
fn add_headers(response: &mut Response, options: &ResponseOptions) {
    if let Ok(set) = options.0.read() {
        for (name, value) in &set.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
}

/// `303 See Other` to `location`, with the headers the logic set (the session cookie).
fn see_other(location: &str, options: &ResponseOptions) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    add_headers(&mut response, options);
    let location =
        HeaderValue::from_str(&encode_location(location)).unwrap_or(HeaderValue::from_static("/"));
    response.headers_mut().insert(header::LOCATION, location);
    response
}

/// `location` as a header value: every byte that is not visible ASCII percent-encoded.
fn encode_location(location: &str) -> String {
    let mut out = String::with_capacity(location.len());
    for byte in location.bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The page the post came from, rendered again with `post` in context and the error's
/// status. Not cached: it holds what the person typed.
async fn render<C>(context: C, state: &AppState, mut parts: Parts, post: FormPost) -> Response
where
    C: Fn() + Clone + Send + Sync + 'static,
{
    let status = StatusCode::from_u16(post.error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            context();
            provide_context(post.clone());
        },
        move || crate::shell(options.clone()),
    );
    let mut response = handler(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_never_kept() {
        let fields = Fields(
            [
                ("_form", "cadastro"),
                ("nome", "Maria"),
                ("senha", "segredo123"),
                ("senha-confirmacao", "segredo123"),
                ("senha-atual", "velha1234"),
                ("captcha", "5"),
                ("captcha-id", "abc"),
                ("login", "maria"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        );
        assert_eq!(fields.form(), "cadastro");
        assert_eq!(
            fields.kept(),
            vec![
                ("nome".to_owned(), "Maria".to_owned()),
                ("login".to_owned(), "maria".to_owned())
            ]
        );
    }

    #[test]
    fn line_breaks_are_those_of_the_enhanced_form() {
        let fields = Fields::new(vec![("descricao".into(), "a\r\nb\nc".into())]);
        assert_eq!(fields.get("descricao"), "a\nb\nc");
    }

    #[test]
    fn lists_and_extras_are_read_by_name() {
        let fields = Fields(
            [
                ("anexos", "3"),
                ("campo-7", "2026-000123"),
                ("anexos", "x"),
                ("campo-", "no"),
                ("anexos", " 5 "),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        );
        assert_eq!(fields.attachments(), vec![3, -1, 5]);
        assert_eq!(fields.extras(), vec![(7, "2026-000123".to_owned())]);
        assert_eq!(fields.get("nada"), "");
    }

    #[test]
    fn locations_are_header_safe() {
        assert_eq!(encode_location("/portal"), "/portal");
        assert_eq!(
            encode_location("/busca?q=ação x"),
            "/busca?q=a%C3%A7%C3%A3o%20x"
        );
        assert_eq!(encode_location("/\t/evil"), "/%09/evil");
    }
}
