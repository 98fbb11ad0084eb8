//! Server state shared by every request, every render and every server function.
//! It reaches server functions through Leptos context (`expect_context::<AppState>()`).

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
