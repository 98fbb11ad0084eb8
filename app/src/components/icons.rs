//! Icons drawn as inline SVG, so they render the same on every device: characters such
//! as "📎" or "🕘" showed as empty boxes where a phone's fonts lack them. Each icon is
//! decorative (`aria-hidden`): the text or the accessible name beside it says what it
//! means. Drawn on a 24-unit grid with strokes in the text's colour, so they follow the
//! link's colour, hover and high-contrast modes.

use leptos::prelude::*;

/// Which icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    /// A page with lines: a ticket's description.
    Document,
    /// A paper clip: attachments.
    Clip,
    /// A pencil: a note.
    Pencil,
    /// A speech bubble: praise or complaint.
    Bubble,
    /// A star: the satisfaction survey.
    Star,
    /// An arrow turning back: reopening.
    Reopen,
    /// A check mark: the solution, a met SLA.
    Check,
    /// A clock: the history.
    Clock,
    /// A circle crossed out: overdue.
    Stop,
    /// A triangle with an exclamation mark: at risk.
    Warning,
    /// A cross: violated.
    Cross,
    /// A padlock: internal, staff only.
    Lock,
}

impl Icon {
    /// The icon's strokes (SVG path data on a 24 × 24 grid).
    fn path(self) -> &'static str {
        match self {
            Icon::Document => {
                "M6 2.5h8l4.5 4.5v14.5h-12.5z M14 2.5v4.5h4.5 M9 12h6.5 M9 15.5h6.5 M9 19h4"
            }
            Icon::Clip => {
                "M20 11.5l-7.8 7.8a5 5 0 0 1-7.1-7.1l8.1-8.1a3.3 3.3 0 0 1 4.7 4.7l-8 8a1.7 1.7 0 0 1-2.4-2.4l7.3-7.3"
            }
            Icon::Pencil => "M4 20l1-4.5 11-11 3.5 3.5-11 11z M14 6.5l3.5 3.5 M4 20h16",
            Icon::Bubble => "M4 5h16v11h-9l-5 4v-4h-2z M8 9.5h8 M8 12.5h5",
            Icon::Star => "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1-5.4-2.9-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z",
            Icon::Reopen => "M4.5 12a7.5 7.5 0 1 0 2.2-5.3 M4 3.5v4.5h4.5",
            Icon::Check => "M4.5 12.5l4.5 4.5 10.5-10.5",
            Icon::Clock => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 7v5.5l3.5 2",
            Icon::Stop => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M5.6 5.6l12.8 12.8",
            Icon::Warning => "M12 3.5l9.5 16.5h-19z M12 10v4.5 M12 17v.5",
            Icon::Cross => "M6 6l12 12 M18 6l-12 12",
            Icon::Lock => "M5.5 10.5h13v10h-13z M8.5 10.5v-3a3.5 3.5 0 0 1 7 0v3",
        }
    }
}

/// An icon, hidden from assistive technology: always put a label beside it or on the
/// element that contains it.
#[component]
pub fn IconSvg(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d=icon.path() />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Icon; 12] = [
        Icon::Document,
        Icon::Clip,
        Icon::Pencil,
        Icon::Bubble,
        Icon::Star,
        Icon::Reopen,
        Icon::Check,
        Icon::Clock,
        Icon::Stop,
        Icon::Warning,
        Icon::Cross,
        Icon::Lock,
    ];

    /// Every path is plain SVG path data (commands, numbers, separators) that starts
    /// with a move: nothing a font has to supply.
    #[test]
    fn paths_are_svg_path_data() {
        for icon in ALL {
            let path = icon.path();
            assert!(path.starts_with('M'), "{icon:?}");
            assert!(
                path.chars()
                    .all(|c| "MmLlHhVvAaZzCc0123456789.- ".contains(c)),
                "{icon:?}: {path}"
            );
        }
    }

    /// Rendered on the server: an SVG with the path, hidden from assistive technology.
    #[cfg(feature = "ssr")]
    #[test]
    fn renders_inline_svg_hidden_from_screen_readers() {
        let owner = Owner::new();
        owner.with(|| {
            let html = view! { <IconSvg icon=Icon::Clip /> }.to_html();
            assert!(html.starts_with("<svg"), "{html}");
            assert!(html.contains(r#"aria-hidden="true""#), "{html}");
            assert!(html.contains(Icon::Clip.path()), "{html}");
        });
    }
}
