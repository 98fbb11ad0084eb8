use crate::helpers::{BUNDLE, Engine, TestApp, TestResult};

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// Every `nonce="…"` attribute value in a page.
fn nonces(html: &str) -> Vec<&str> {
    html.split("nonce=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[tokio::test]
async fn home_page_is_rendered_on_the_server_in_portuguese() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let response = app.get("/").await?;
    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    // Pages are personal and change: never kept by a browser or a proxy.
    assert_eq!(header(&response, "cache-control"), "no-cache, private");
    let html = response.text().await?;
    assert!(html.contains("<html lang=\"pt-BR\""), "{html}");
    assert!(html.contains("<h1>Central de Atendimento<"), "{html}");
    assert!(html.contains("href=\"/entrar\""));
    assert!(html.contains(">Entrar<"));
    assert!(html.contains("href=\"/cadastrar\""));
    assert!(html.contains(">Cadastrar<"));
    assert!(html.contains("<title>Atende</title>"));
    // The hydration script that loads the browser bundle, and the style sheet, from the
    // bundle's content-hashed directory; the page itself is never cached.
    assert!(html.contains(&format!("/pkg/{BUNDLE}/atende.js")), "{html}");
    assert!(
        html.contains(&format!("/pkg/{BUNDLE}/atende_bg.wasm")),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<link rel="stylesheet" href="/pkg/{BUNDLE}/atende.css">"#
        )),
        "{html}"
    );
    Ok(())
}

#[tokio::test]
async fn language_cookie_renders_english() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let html = app
        .client
        .get(app.url("/"))
        .header("cookie", "theme=x; atende_lang=en")
        .send()
        .await?
        .text()
        .await?;
    assert!(html.contains("<html lang=\"en\""), "{html}");
    assert!(html.contains(">Sign in<"));
    assert!(html.contains(">Register<"));
    assert!(!html.contains(">Entrar<"));
    Ok(())
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_that_lets_the_wasm_run() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let response = app.get("/").await?;
    let csp = header(&response, "content-security-policy").to_owned();
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert_eq!(header(&response, "x-frame-options"), "DENY");
    assert_eq!(
        header(&response, "referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    let html = response.text().await?;

    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert!(!csp.contains("'unsafe-eval'") || csp.contains("'wasm-unsafe-eval'"));
    let found = nonces(&html);
    assert!(!found.is_empty(), "inline scripts carry a nonce");
    for nonce in &found {
        assert!(
            csp.contains(&format!("'nonce-{nonce}'")),
            "{nonce} not in {csp}"
        );
    }

    // A fresh nonce for every response.
    let again = app.get("/").await?;
    let csp_again = header(&again, "content-security-policy").to_owned();
    assert_ne!(csp, csp_again);
    Ok(())
}

#[tokio::test]
async fn unknown_address_gets_the_not_found_page_with_404() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    let response = app.get("/nao/existe").await?;
    assert_eq!(response.status(), 404);
    assert!(header(&response, "content-security-policy").contains("nonce-"));
    let html = response.text().await?;
    assert!(html.contains("Página não encontrada"), "{html}");
    assert!(html.contains("Voltar ao início"));
    Ok(())
}

#[tokio::test]
async fn static_files_are_served_with_strict_headers() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;

    // The bundle's files are named by their content's hash: kept for good.
    let css_path = format!("/pkg/{BUNDLE}/atende.css");
    let css = app.get(&css_path).await?;
    assert_eq!(css.status(), 200);
    assert!(header(&css, "content-type").starts_with("text/css"));
    assert_eq!(header(&css, "cache-control"), server::assets::IMMUTABLE);
    assert_eq!(header(&css, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&css, "content-security-policy"),
        server::security::STRICT_CSP
    );
    assert_eq!(css.text().await?, "body { color: black; }\n");

    // The brotli file written by the build is served to browsers that accept it.
    let br = app
        .client
        .get(app.url(&css_path))
        .header("accept-encoding", "br")
        .send()
        .await?;
    assert_eq!(header(&br, "content-encoding"), "br");
    assert_eq!(header(&br, "cache-control"), server::assets::IMMUTABLE);

    // Outside the hashed directory (the hash file itself, an unhashed name) and a
    // missing file: never kept.
    let hash_file = app.get("/pkg/BUNDLE").await?;
    assert_eq!(header(&hash_file, "cache-control"), "no-cache");
    let missing = app.get(&format!("/pkg/{BUNDLE}/missing.wasm")).await?;
    assert_eq!(missing.status(), 404);
    assert_eq!(header(&missing, "cache-control"), "no-cache");
    assert_eq!(app.get("/pkg/atende.css").await?.status(), 404);

    let favicon = app.get("/favicon.svg").await?;
    assert_eq!(favicon.status(), 200);
    assert!(header(&favicon, "content-type").starts_with("image/svg+xml"));

    let health = app.get("/healthz").await?;
    assert_eq!(
        header(&health, "content-security-policy"),
        server::security::STRICT_CSP
    );
    Ok(())
}

#[tokio::test]
async fn path_traversal_does_not_escape_the_site_root() -> TestResult {
    let app = TestApp::spawn(Engine::Sqlite).await?;
    std::fs::write(app.storage.dir.path().join("secret.txt"), "secret")?;
    for path in [
        "/pkg/../../secret.txt",
        "/pkg/..%2f..%2fsecret.txt",
        "/..%2fsecret.txt",
    ] {
        let response = app.get(path).await?;
        let body = response.text().await?;
        assert_ne!(body, "secret", "{path}");
    }
    Ok(())
}

/// Pages rendered whole before answering (their data decides the status: the queue, a
/// ticket, a portfolio), a streamed page and the favicon, fetched by concurrent clients
/// as a desk's morning looks: every page answers its own status with its own nonce
/// policy, the file the strict one. Before `server::startup::whole_page` about one
/// page in two hundred answered 500 ("reactive value ... already disposed": the title
/// was read in another request's arena); before `files_or_not_found` a file could take
/// a page's headers, and that page came without its policy (its scripts refused).
#[tokio::test]
async fn pages_and_files_keep_their_own_answers_under_concurrent_clients() -> TestResult {
    use app::domain::account::Role;
    let app = TestApp::spawn(Engine::Sqlite).await?;
    crate::accounts::staff_in(&app, "ana", Role::Agent, vec!["1º Nível - NUATE".into()]).await?;
    let agent = crate::tickets::sign_in(&app, "ana", "equipe1234").await?;
    const CLIENTS: usize = 8;
    const EACH: usize = 200;
    let fetched = [
        ("/fila", 200),
        ("/favicon.svg", 200),
        ("/fila/999999", 404),
        ("/meus-tickets", 200),
        ("/portal/999999", 404),
        ("/favicon.svg", 200),
    ];
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let http = agent.client.clone();
        let base = agent.base.clone();
        clients.push(tokio::spawn(async move {
            let mut wrong = Vec::new();
            for i in 0..EACH {
                let (path, expected) = fetched[(client + i) % fetched.len()];
                let response = http.get(format!("{base}{path}")).send().await?;
                let status = response.status().as_u16();
                let csp = header(&response, "content-security-policy").to_owned();
                let body = response.text().await?;
                let right = if path.ends_with(".svg") {
                    csp == server::security::STRICT_CSP
                } else {
                    let nonce = nonces(&body).first().map(|n| n.to_string());
                    nonce.is_some_and(|nonce| csp.contains(&format!("'nonce-{nonce}'")))
                };
                if status != expected || !right {
                    wrong.push(format!("{path}: {status}, policy {csp:?}"));
                }
            }
            Ok::<_, reqwest::Error>(wrong)
        }));
    }
    let mut wrong = Vec::new();
    for client in clients {
        wrong.extend(client.await??);
    }
    assert!(
        wrong.is_empty(),
        "{} of {} answers wrong: {wrong:?}",
        wrong.len(),
        CLIENTS * EACH
    );
    Ok(())
}
