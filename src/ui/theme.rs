//! Dark mode: follows the system unless the user picks light or dark (remembered).

use yew::prelude::*;

const STORAGE_KEY: &str = "cors-doctor.theme";

/// The user's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn id(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn from_id(id: &str) -> Theme {
        match id {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Dark,
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::System,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Sets `data-theme` on `<html>` (absent: the system decides) and remembers the choice.
fn apply(theme: Theme) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.id()),
        };
    }
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, theme.id());
    }
}

/// The button that cycles system → dark → light.
#[component]
pub fn ThemeToggle() -> Html {
    let theme = use_state(|| {
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        Theme::from_id(stored.as_deref().unwrap_or(""))
    });
    {
        let current = *theme;
        use_effect_with(current, move |&t| apply(t));
    }
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| theme.set(theme.next()))
    };
    let label = match *theme {
        Theme::System => "Theme: system",
        Theme::Dark => "Theme: dark",
        Theme::Light => "Theme: light",
    };
    html! {
        <button type="button" class="theme" data-testid="theme" data-theme={theme.id()} {onclick}
            title="Follow the system, or force dark or light">{ label }</button>
    }
}
