//! Forms posted the plain way, as a browser without JavaScript (or before the WebAssembly
//! has arrived) sends them: `application/x-www-form-urlencoded` to the page's own path.
//! Success answers `303 See Other`; a refusal renders the page again with the error's
//! status, the problems beside their fields and what was typed, passwords aside.

use app::api::tickets::TicketDetail;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::json;

use crate::helpers::{Browser, ENGINES, Engine, TestApp, TestResult};
use crate::requests::{AnyResult, catalog, customer, form};

const PASSWORD: &str = "segredo123";

/// A plain form post from a page of the site (the browser sends its `Origin`).
async fn post_form(
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> AnyResult<reqwest::Response> {
    Ok(browser
        .client
        .post(format!("{}{path}", browser.base))
        .form(fields)
        .send()
        .await?)
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The value of the hidden input `name` in a page.
fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].chars().take_while(|c| *c != '"').collect())
}

/// The text of the element with this id (up to its first tag).
fn text_of(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    let start = html.find(&marker)?;
    let open = html[start..].find('>')? + start + 1;
    Some(html[open..].chars().take_while(|c| *c != '<').collect())
}

async fn me(browser: &Browser) -> AnyResult<Option<app::api::accounts::UserInfo>> {
    Ok(browser
        .call("me", None)
        .await?
        .map_err(|e| format!("me: {e:?}"))?)
}

/// The registration form as a person fills it, with the CAPTCHA the page shows.
async fn registration(app: &TestApp, page: &str, login: &str) -> AnyResult<Vec<(String, String)>> {
    let captcha_id = hidden(page, "captcha-id").ok_or("no CAPTCHA id in the page")?;
    let answer = app.captcha_answer(&captcha_id).await?.to_string();
    Ok([
        ("_form", "cadastro"),
        ("nome", "Maria da Silva"),
        ("pessoa", "F"),
        ("telefone", "(61) 99999-8888"),
        ("cep", "70040-020"),
        ("endereco", "SBN Quadra 2, Asa Norte, Brasília/DF"),
        ("email", &format!("{login}@exemplo.com.br")),
        ("login", login),
        ("senha", PASSWORD),
        ("senha-confirmacao", PASSWORD),
        ("captcha-id", &captcha_id),
        ("captcha", &answer),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect())
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn register_sign_in_and_out_with_plain_posts_on_both_engines() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = app.browser()?;

        // The pages carry real forms that post to themselves.
        let page = browser.get("/cadastrar").await?.text().await?;
        assert!(
            page.contains(r#"<form method="post" action="/cadastrar""#),
            "{engine:?}: {page}"
        );
        let login_page = browser.get("/entrar").await?.text().await?;
        assert!(login_page.contains(r#"<form method="post" action="/entrar""#));

        // A wrong CAPTCHA: the page again, 422, the problem beside the field, what was
        // typed kept, no password sent back, and a new operation.
        let mut fields = registration(&app, &page, "maria.form").await?;
        let first_captcha = hidden(&page, "captcha-id").unwrap_or_default();
        for (name, value) in fields.iter_mut() {
            if name == "captcha" {
                *value = (value.parse::<i32>().unwrap_or_default() + 1).to_string();
            }
        }
        let refused = post_form(&browser, "/cadastrar", &pairs(&fields)).await?;
        assert_eq!(refused.status(), 422, "{engine:?}");
        assert_eq!(
            refused
                .headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        let page = refused.text().await?;
        assert_eq!(
            text_of(&page, "captcha-erro").as_deref(),
            Some("Resultado incorreto. Resolva a nova operação.")
        );
        assert!(page.contains("Corrija os campos destacados."), "{page}");
        assert!(page.contains(r#"value="Maria da Silva""#), "{page}");
        assert!(page.contains(r#"value="maria.form""#));
        assert!(!page.contains(PASSWORD), "a password came back: {page}");
        let second_captcha = hidden(&page, "captcha-id").ok_or("no new CAPTCHA")?;
        assert_ne!(second_captcha, first_captcha);
        assert_eq!(app.user_count().await?, 0);

        // Put right, it goes through and leads to the login page.
        let fields = registration(&app, &page, "maria.form").await?;
        let created = post_form(&browser, "/cadastrar", &pairs(&fields)).await?;
        assert_eq!(created.status(), 303, "{engine:?}");
        assert_eq!(location(&created), "/entrar?cadastro=ok");
        assert_eq!(app.user_count().await?, 1);
        let confirmed = browser.get("/entrar?cadastro=ok").await?.text().await?;
        assert!(confirmed.contains("Cadastro realizado com sucesso."));

        // A wrong password: 401, the sentence, the user kept, the password not.
        let wrong = post_form(
            &browser,
            "/entrar",
            &[
                ("_form", "entrar"),
                ("usuario", "maria.form"),
                ("senha", "errada123"),
            ],
        )
        .await?;
        assert_eq!(wrong.status(), 401);
        assert!(wrong.headers().get(SET_COOKIE).is_none());
        let page = wrong.text().await?;
        assert!(page.contains("Usuário ou senha inválidos."), "{page}");
        assert!(page.contains(r#"value="maria.form""#));
        assert!(!page.contains("errada123"));
        assert_eq!(me(&browser).await?, None);

        // Right: the session cookie and the way on; the portal without `next`, the
        // page asked for with a safe one, never another site.
        let signed = post_form(
            &browser,
            "/entrar?next=/perfil",
            &[
                ("_form", "entrar"),
                ("usuario", "maria.form"),
                ("senha", PASSWORD),
            ],
        )
        .await?;
        assert_eq!(signed.status(), 303);
        assert_eq!(location(&signed), "/perfil");
        let cookie = signed
            .headers()
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            cookie.starts_with("atende_session=") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
        assert_eq!(
            me(&browser).await?.map(|u| u.login),
            Some("maria.form".to_owned())
        );
        for (next, expected) in [
            ("", "/portal"),
            ("?next=//evil.example", "/portal"),
            ("?next=https://evil.example", "/portal"),
            ("?next=/%09/evil.example", "/portal"),
            (
                "?next=/meus-tickets%3Fq%3Dfatura%20x",
                "/meus-tickets?q=fatura%20x",
            ),
        ] {
            let again = app.browser()?;
            let response = post_form(
                &again,
                &format!("/entrar{next}"),
                &[
                    ("_form", "entrar"),
                    ("usuario", "maria.form"),
                    ("senha", PASSWORD),
                ],
            )
            .await?;
            assert_eq!(response.status(), 303, "{next}");
            assert_eq!(location(&response), expected, "{next}");
        }

        // "Sair" is a form too.
        let out = post_form(&browser, "/sair", &[]).await?;
        assert_eq!(out.status(), 303);
        assert_eq!(location(&out), "/");
        assert_eq!(me(&browser).await?, None);
    }
    Ok(())
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = customer(&app, "alvo").await?;
    let fields = [
        ("_form", "entrar"),
        ("usuario", "alvo"),
        ("senha", PASSWORD),
    ];
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let foreign = plain
        .post(app.url("/entrar"))
        .header("origin", "https://evil.example")
        .form(&fields)
        .send()
        .await?;
    assert_eq!(foreign.status(), 403);
    assert!(foreign.headers().get(SET_COOKIE).is_none());
    let no_origin = plain.post(app.url("/entrar")).form(&fields).send().await?;
    assert_eq!(no_origin.status(), 403);

    // Nor can another site sign the customer out or write on their behalf.
    let out = browser
        .client
        .post(app.url("/sair"))
        .header("origin", "https://evil.example")
        .send()
        .await?;
    assert_eq!(out.status(), 403);
    assert!(me(&browser).await?.is_some());
    Ok(())
}

#[tokio::test]
async fn reset_a_forgotten_password_with_plain_posts() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = customer(&app, "esquece").await?;
    let visitor = app.browser()?;

    let bad = post_form(
        &visitor,
        "/esqueci-senha",
        &[("_form", "esqueci-senha"), ("email", "sem-arroba")],
    )
    .await?;
    assert_eq!(bad.status(), 422);
    let page = bad.text().await?;
    assert!(page.contains(r#"value="sem-arroba""#));
    assert_eq!(
        text_of(&page, "email-erro").as_deref(),
        Some("Informe um email válido, como nome@exemplo.com.br.")
    );

    let sent = post_form(
        &visitor,
        "/esqueci-senha",
        &[
            ("_form", "esqueci-senha"),
            ("email", "esquece@exemplo.com.br"),
        ],
    )
    .await?;
    assert_eq!(sent.status(), 303);
    assert_eq!(location(&sent), "/esqueci-senha?enviado=1");
    let page = visitor
        .get("/esqueci-senha?enviado=1")
        .await?
        .text()
        .await?;
    assert!(page.contains("Se o email estiver cadastrado"));
    // The mail leaves in the background: wait for it.
    let mail = crate::accounts::mails_when(&app, 1)
        .await?
        .pop()
        .ok_or("no mail")?;
    let token = crate::accounts::reset_token(&mail).ok_or("no token")?;

    // The page behind the link keeps the token inside its form, and posts to a URL
    // without it.
    let page = visitor
        .get(&format!("/redefinir-senha?token={token}"))
        .await?
        .text()
        .await?;
    assert!(page.contains(r#"<form method="post" action="/redefinir-senha""#));
    assert_eq!(hidden(&page, "token").as_deref(), Some(token.as_str()));

    let fields = |password: &'static str, confirm: &'static str| {
        let token = token.clone();
        move || {
            vec![
                ("_form".to_owned(), "redefinir-senha".to_owned()),
                ("token".to_owned(), token.clone()),
                ("senha".to_owned(), password.to_owned()),
                ("senha-confirmacao".to_owned(), confirm.to_owned()),
            ]
        }
    };
    let weak = post_form(
        &visitor,
        "/redefinir-senha",
        &pairs(&fields("fraca", "fraca")()),
    )
    .await?;
    assert_eq!(weak.status(), 422);
    let page = weak.text().await?;
    assert!(page.contains("no mínimo oito caracteres"), "{page}");
    assert_eq!(hidden(&page, "token").as_deref(), Some(token.as_str()));
    assert!(!page.contains(r#"value="fraca""#));

    let done = post_form(
        &visitor,
        "/redefinir-senha",
        &pairs(&fields("nova12345", "nova12345")()),
    )
    .await?;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/entrar?senha=ok");
    assert_eq!(me(&browser).await?, None, "the other sessions ended");
    let again = post_form(
        &visitor,
        "/entrar",
        &[
            ("_form", "entrar"),
            ("usuario", "esquece"),
            ("senha", "nova12345"),
        ],
    )
    .await?;
    assert_eq!(location(&again), "/portal");
    Ok(())
}

#[tokio::test]
async fn profile_forms_work_with_plain_posts() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = customer(&app, "perfil.form").await?;
    let data = |phone: &'static str| {
        [
            ("_form", "perfil"),
            ("nome", "Maria da Silva"),
            ("pessoa", "F"),
            ("telefone", phone),
            ("cep", "70040-020"),
            ("endereco", "SBN Quadra 2"),
            ("email", "perfil.form@exemplo.com.br"),
        ]
    };
    let refused = post_form(&browser, "/perfil", &data("123")).await?;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await?;
    assert!(page.contains(r#"value="123""#));
    assert!(text_of(&page, "telefone-erro").is_some_and(|t| t.contains("DDD")));

    let saved = post_form(&browser, "/perfil", &data("61 3333-4444")).await?;
    assert_eq!(location(&saved), "/perfil?salvo=dados");
    let page = browser.get("/perfil?salvo=dados").await?.text().await?;
    assert!(page.contains("Dados atualizados."));
    assert!(page.contains(r#"value="(61) 3333-4444""#), "{page}");

    let wrong = post_form(
        &browser,
        "/perfil",
        &[
            ("_form", "senha"),
            ("senha-atual", "errada123"),
            ("senha", "trocada123"),
            ("senha-confirmacao", "trocada123"),
        ],
    )
    .await?;
    assert_eq!(wrong.status(), 422);
    let page = wrong.text().await?;
    assert_eq!(
        text_of(&page, "senha-atual-erro").as_deref(),
        Some("Senha atual incorreta.")
    );
    assert!(!page.contains("trocada123") && !page.contains("errada123"));
    let changed = post_form(
        &browser,
        "/perfil",
        &[
            ("_form", "senha"),
            ("senha-atual", PASSWORD),
            ("senha", "trocada123"),
            ("senha-confirmacao", "trocada123"),
        ],
    )
    .await?;
    assert_eq!(location(&changed), "/perfil?salvo=senha");
    Ok(())
}

#[tokio::test]
async fn open_a_request_and_act_on_the_ticket_with_plain_posts_on_both_engines() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        let browser = customer(&app, "pede").await?;
        let c = catalog(&browser).await?;
        let invoice = form(&browser, &c).await?.fields[0].id;
        let path = format!("/portal/{}/{}/{}", c.portfolio, c.faturamento, c.correcao);
        let page = browser.get(&path).await?.text().await?;
        assert!(
            page.contains(&format!(r#"<form method="post" action="{path}""#)),
            "{engine:?}: {page}"
        );
        let invoice_name = format!("campo-{invoice}");
        let request = |document: &'static str| {
            let invoice_name = invoice_name.clone();
            move || {
                [
                    ("_form", "nova-solicitacao"),
                    ("natureza", "F"),
                    ("documento", document),
                    ("cep", "70040-020"),
                    ("endereco", "SBN Quadra 2"),
                    ("numero", "10"),
                    ("complemento", ""),
                    ("bairro", "Asa Norte"),
                    ("cidade", "Brasília"),
                    ("uf", "DF"),
                    ("solicitacao", "Fatura de outubro"),
                    (invoice_name.as_str(), "2026-000123"),
                    (
                        "descricao",
                        "A fatura <de outubro> veio com o valor errado & alto.",
                    ),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect::<Vec<_>>()
            }
        };

        let refused = post_form(&browser, &path, &pairs(&request("529.982.247-24")())).await?;
        assert_eq!(refused.status(), 422, "{engine:?}");
        let page = refused.text().await?;
        assert_eq!(
            text_of(&page, "documento-erro").as_deref(),
            Some("CPF inválido: confira os 11 dígitos.")
        );
        // What was typed is back, the description escaped inside its text area.
        assert!(page.contains(r#"value="529.982.247-24""#));
        assert!(page.contains(r#"value="2026-000123""#));
        assert!(page.contains("A fatura &lt;de outubro&gt; veio com o valor errado &amp; alto."));

        let created = post_form(&browser, &path, &pairs(&request("529.982.247-25")())).await?;
        assert_eq!(created.status(), 303, "{engine:?}");
        let target = location(&created);
        let number: i64 = target
            .strip_prefix("/meus-tickets/")
            .and_then(|rest| rest.strip_suffix("?criado=1"))
            .ok_or(format!("unexpected location {target}"))?
            .parse()?;
        let page = browser.get(&target).await?.text().await?;
        assert!(page.contains("Ticket(s) criado(s)"), "{page}");
        assert!(
            text_of(&page, "popup-titulo").is_some() && page.contains(&format!(">{number}<")),
            "{page}"
        );
        // "Fechar" is a link on to "Meus Tickets": it works without JavaScript.
        let close = page.find(r#"id="fechar-popup""#).ok_or("no Fechar")?;
        let tag = &page[page[..close].rfind('<').unwrap_or(close)..close];
        assert!(
            tag.starts_with("<a ") && tag.contains(r#"href="/meus-tickets""#),
            "{tag}"
        );

        // A note: refused when empty, then added; back on the tab with a message.
        let note_path = format!("/meus-tickets/{number}?aba=anotacao");
        let empty = post_form(
            &browser,
            &note_path,
            &[("_form", "anotacao"), ("anotacao", " ")],
        )
        .await?;
        assert_eq!(empty.status(), 422);
        assert_eq!(
            text_of(&empty.text().await?, "anotacao-erro").as_deref(),
            Some("Campo obrigatório.")
        );
        let noted = post_form(
            &browser,
            &note_path,
            &[
                ("_form", "anotacao"),
                ("anotacao", "A fatura é a 2026-000123."),
            ],
        )
        .await?;
        assert_eq!(noted.status(), 303);
        assert_eq!(
            location(&noted),
            format!("/meus-tickets/{number}?aba=anotacao&feito=anotacao")
        );
        let page = browser.get(&location(&noted)).await?.text().await?;
        assert!(page.contains("Anotação registrada."));
        let detail: TicketDetail = browser
            .call("ticket", Some(json!({ "number": number })))
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert!(
            detail
                .history
                .iter()
                .any(|h| h.kind == app::domain::tickets::EventKind::Note
                    && h.detail == "A fatura é a 2026-000123."),
            "{:?}",
            detail.history
        );

        // Another customer's ticket is not found, by form as by server function.
        let other = customer(&app, "outro").await?;
        let foreign = post_form(
            &other,
            &note_path,
            &[("_form", "anotacao"), ("anotacao", "x")],
        )
        .await?;
        assert_eq!(foreign.status(), 404);
        // An unknown form of the page is a bad request.
        let unknown = post_form(&browser, &note_path, &[("_form", "apagar")]).await?;
        assert_eq!(unknown.status(), 400);
    }
    Ok(())
}

#[tokio::test]
async fn act_on_a_closed_ticket_with_plain_posts() -> TestResult {
    use crate::accounts::ClockNow;
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let browser = customer(&app, "avalia").await?;
    let c = catalog(&browser).await?;
    let invoice = form(&browser, &c).await?.fields[0].id;
    let created: app::api::requests::CreatedTicket = browser
        .call(
            "request-create",
            Some(crate::requests::request(
                c.correcao,
                invoice,
                "Fatura errada.",
            )),
        )
        .await?
        .map_err(|e| format!("{e:?}"))?;
    let number = created.number;
    app::server::tickets::actions::close(
        &app.db,
        &app::server::notify::Notifier::of(&app.state),
        app.clock_now(),
        app::domain::ids::TicketNumber(number),
        "Reemitida.",
        None,
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    let tab = |name: &str| format!("/meus-tickets/{number}?aba={name}");

    let opinion = post_form(
        &browser,
        &tab("opiniao"),
        &[
            ("_form", "opiniao"),
            ("opiniao-tipo", "queixa"),
            ("opiniao", "Demorou."),
        ],
    )
    .await?;
    assert_eq!(
        location(&opinion),
        format!("{}&feito=opiniao", tab("opiniao"))
    );
    let page = browser.get(&location(&opinion)).await?.text().await?;
    assert!(page.contains("Opinião registrada."));
    assert!(page.contains("Demorou."));

    let unrated = post_form(
        &browser,
        &tab("pesquisa"),
        &[("_form", "pesquisa"), ("nota", ""), ("comentario", "Bom.")],
    )
    .await?;
    assert_eq!(unrated.status(), 422);
    let page = unrated.text().await?;
    assert_eq!(
        text_of(&page, "nota-erro").as_deref(),
        Some("Escolha uma das opções.")
    );
    assert!(page.contains("Bom."), "the comment is kept");
    let rated = post_form(
        &browser,
        &tab("pesquisa"),
        &[("_form", "pesquisa"), ("nota", "4"), ("comentario", "Bom.")],
    )
    .await?;
    assert_eq!(
        location(&rated),
        format!("{}&feito=pesquisa", tab("pesquisa"))
    );

    let reopened = post_form(
        &browser,
        &tab("reabrir"),
        &[("_form", "reabrir"), ("motivo", "Continua errada.")],
    )
    .await?;
    assert_eq!(
        location(&reopened),
        format!("{}&feito=reabrir", tab("historico"))
    );
    let detail: TicketDetail = browser
        .call("ticket", Some(json!({ "number": number })))
        .await?
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(detail.row.situation, app::domain::tickets::Situation::Open);
    assert_eq!(detail.opinion, Some(("queixa".into(), "Demorou.".into())));

    // Without JavaScript there is nothing to attach: the server says what is missing.
    let nothing = post_form(&browser, &tab("anexos"), &[("_form", "anexos")]).await?;
    assert_eq!(nothing.status(), 422);
    Ok(())
}

#[tokio::test]
async fn a_visitor_posting_a_request_is_asked_to_sign_in() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let visitor = app.browser()?;
    let response = post_form(
        &visitor,
        "/portal/1/1/1",
        &[("_form", "nova-solicitacao"), ("descricao", "x")],
    )
    .await?;
    assert_eq!(response.status(), 401);
    assert!(response.text().await?.contains("Entre para continuar."));
    Ok(())
}
