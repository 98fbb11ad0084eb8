//! Who is signed in, for the whole interface: one resource, asked of the server on the
//! first render and again after every sign-in and sign-out.

use leptos::prelude::*;

use crate::api::accounts::{UserInfo, current_user};

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
    let user = Resource::new(
        move || version.get(),
        |_| async { current_user().await.ok().flatten() },
    );
    provide_context(Auth { user, version });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
