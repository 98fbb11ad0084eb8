//! Who is signed in, for the whole interface: one resource, asked of the server on the
//! first render and again after every sign-in and sign-out.

use leptos::prelude::*;

use crate::api::accounts::{UserInfo, current_user};
use crate::resource::{Resource, resource};

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Option<UserInfo>>,
    version: RwSignal<u32>,
}

impl Auth {
    /// Asks the server again (after signing in or out).
    pub fn refresh(&self) {
        self.version.update(|version| *version += 1);
    }
}

pub fn provide_auth() {
    let version = RwSignal::new(0u32);
    let user = resource(
        move || version.get(),
        |_| async { current_user().await.ok().flatten() },
    );
    provide_context(Auth { user, version });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Shown instead of a page that needs a signed-in user: a link to sign in and come back.
#[component]
pub fn SignInPrompt(#[prop(into)] title: Signal<String>) -> impl IntoView {
    let texts = crate::locale::use_texts();
    let location = leptos_router::hooks::use_location();
    let next = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        let target = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        format!("/entrar?next={}", urlencode(&target))
    };
    view! {
        <section class="card narrow">
            <h1>{move || title.get()}</h1>
            <p>{texts.live(|t| t.sign_in_to_continue)}</p>
            <a href=next class="button button-primary">{texts.live(|t| t.nav_login)}</a>
        </section>
    }
}

/// Percent-encodes what may not stand raw in a query value.
pub fn urlencode(value: &str) -> String {
    crate::domain::percent_encode(value, b"/")
}
