//! "Configurações": an administrator changes the settings in the app; they apply at once
//! (no restart), survive one, are refused beside the field when wrong (nothing saved),
//! and are in the audit trail.

use app::api::accounts::LoginPageInfo;
use app::domain::account::Role;
use app::domain::settings::{SettingsData, SettingsInput};
use app::domain::{Field, Problem};
use app::error::AppError;
use entity::audit_entry;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::accounts::staff_in;
use crate::helpers::{Browser, ENGINES, TestApp, TestResult};
use crate::requests::{AnyResult, customer};
use crate::tickets::sign_in;

async fn settings(admin: &Browser) -> AnyResult<SettingsData> {
    Ok(admin
        .call::<SettingsData>("admin-settings", None)
        .await?
        .map_err(|e| format!("{e:?}"))?)
}

async fn save(admin: &Browser, input: &SettingsInput) -> AnyResult<Result<(), (u16, AppError)>> {
    Ok(admin
        .call::<()>("admin-settings-save", Some(json!({ "input": input })))
        .await?)
}

#[tokio::test]
async fn settings_apply_at_once_and_survive_a_restart_on_both_engines() -> TestResult {
    for engine in ENGINES {
        let app = TestApp::spawn(engine).await?;
        staff_in(&app, "chefe", Role::Admin, vec![]).await?;
        let admin = sign_in(&app, "chefe", "equipe1234").await?;
        let before = settings(&admin).await?;
        assert!(before.input.allowed_types.contains(&"txt".to_owned()));

        // Wrong values: each refused beside its field, nothing saved.
        let wrong = SettingsInput {
            time_zone: "Marte/Base_Alfa".into(),
            public_url: "atende.gov.br".into(),
            allowed_types: vec![],
            ..before.input.clone()
        };
        let refused = save(&admin, &wrong).await?;
        let Err((422, AppError::Validation(errors))) = refused else {
            panic!("accepted: {refused:?}");
        };
        assert_eq!(errors.get(Field::TimeZone), Some(Problem::InvalidTimeZone));
        assert_eq!(errors.get(Field::PublicUrl), Some(Problem::InvalidUrl));
        assert_eq!(errors.get(Field::AllowedTypes), Some(Problem::Required));
        assert_eq!(settings(&admin).await?.input, before.input);

        let changed = SettingsInput {
            auth_domain: "orgao.gov.br".into(),
            public_url: "https://atende.orgao.gov.br/".into(),
            allowed_types: before
                .input
                .allowed_types
                .iter()
                .filter(|t| *t != "txt")
                .cloned()
                .collect(),
            max_files: "3".into(),
            reopen_hours: "48".into(),
            mail_from: "Central de Atendimento <central@orgao.gov.br>".into(),
            ..before.input.clone()
        };
        assert_eq!(save(&admin, &changed).await?, Ok(()), "{engine:?}");

        // At once: the sign-in page's domain, the attachment types, the links in mail.
        let info: LoginPageInfo = app
            .browser()?
            .call("login-options", None)
            .await?
            .map_err(|e| format!("{e:?}"))?;
        assert_eq!(info.auth_domain, "orgao.gov.br");
        let maria = customer(&app, "maria").await?;
        let (status, body) = crate::attachments::upload(&maria, "notas.txt", b"texto").await?;
        assert_eq!(status, 422, "{body}");
        assert!(
            matches!(
                serde_json::from_value::<AppError>(body.clone()),
                Ok(AppError::Validation(ref e)) if e.get(Field::Attachments) == Some(Problem::FileTypeNotAllowed)
            ),
            "{body}"
        );
        let (status, _) =
            crate::attachments::upload(&maria, "fatura.pdf", &crate::attachments::pdf("x")).await?;
        assert_eq!(status, 201);
        let invited = admin
            .call::<()>(
                "admin-people-change",
                Some(
                    json!({ "command": { "InviteStaff": { "name": "Ana", "login": "ana",
                    "email": "ana@orgao.gov.br", "role": "Agent", "groups": [] } } }),
                ),
            )
            .await?;
        assert_eq!(invited, Ok(()));
        let letter = entity::outbox::Entity::find()
            .filter(entity::outbox::Column::Recipient.eq("ana@orgao.gov.br"))
            .one(&app.db)
            .await?
            .ok_or("no invitation")?;
        assert!(
            letter
                .body_text
                .contains("https://atende.orgao.gov.br/redefinir-senha?token="),
            "{}",
            letter.body_text
        );
        let now = settings(&admin).await?.input;
        assert_eq!(now.public_url, "https://atende.orgao.gov.br");
        assert_eq!(
            app.state.tickets().reopen_window,
            chrono::Duration::hours(48)
        );
        assert_eq!(
            app.state.mailer.from().to_string(),
            "Central de Atendimento <central@orgao.gov.br>"
        );

        // In the audit trail, before → after.
        let entry = audit_entry::Entity::find()
            .filter(audit_entry::Column::Kind.eq("configuracao"))
            .one(&app.db)
            .await?
            .ok_or("no entry")?;
        let before_json: Value = serde_json::from_str(entry.before.as_deref().unwrap_or("null"))?;
        let after_json: Value = serde_json::from_str(entry.after.as_deref().unwrap_or("null"))?;
        assert_eq!(after_json["dominio_autenticacao"], "orgao.gov.br");
        assert_ne!(before_json["dominio_autenticacao"], "orgao.gov.br");

        // A restart keeps them (the environment still says otherwise).
        let config = app.storage.config()?;
        let again = server::startup::Application::build(&config).await?;
        assert_eq!(again.state().auth_domain(), "orgao.gov.br");
        assert_eq!(again.state().attachments.limits().max_files, 3);
        assert!(
            !again
                .state()
                .live
                .get()
                .allowed_types
                .contains(&"txt".to_owned())
        );
    }
    Ok(())
}
