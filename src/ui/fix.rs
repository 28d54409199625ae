//! The fix in the developer's own stack: the picker (remembered in `localStorage`) and, per
//! server-fixable cause, the snippet the engine writes for that stack.

use yew::prelude::*;

use super::clipboard::CopyButton;
use crate::engine::stack::{Snippet, Stack, Verified};

const STORAGE_KEY: &str = "cors-doctor.stack";

/// The chosen stack, read once from `localStorage` and written back on every change. An
/// unknown or unreadable value counts as no choice.
#[hook]
pub fn use_stack() -> (Option<Stack>, Callback<Option<Stack>>) {
    let stack = use_state(|| stored().as_deref().and_then(Stack::from_id));
    let onchange = {
        let stack = stack.clone();
        Callback::from(move |choice: Option<Stack>| {
            store(choice.map(Stack::id).unwrap_or(""));
            stack.set(choice);
        })
    };
    (*stack, onchange)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn stored() -> Option<String> {
    storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
}

fn store(value: &str) {
    if let Some(storage) = storage() {
        // A full or disabled storage only loses the remembered choice.
        let _ = storage.set_item(STORAGE_KEY, value);
    }
}

#[derive(Properties, PartialEq)]
pub struct StackPickerProps {
    pub value: Option<Stack>,
    pub onchange: Callback<Option<Stack>>,
}

/// The `stack` select.
#[component]
pub fn StackPicker(props: &StackPickerProps) -> Html {
    let onchange = {
        let cb = props.onchange.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            cb.emit(Stack::from_id(&value));
        })
    };
    let current = props.value.map(Stack::id).unwrap_or("");
    html! {
        <p class="stack-picker">
            <label for="stack">{"Fix it in your stack: "}</label>
            <select id="stack" data-testid="stack" {onchange}>
                <option value="" selected={current.is_empty()}>{"— pick your server —"}</option>
                { for Stack::ALL.iter().map(|s| html! {
                    <option value={s.id()} selected={s.id() == current}>{ s.label() }</option>
                }) }
            </select>
        </p>
    }
}

/// Where a cause's fix in the chosen stack stands.
#[derive(Debug, Clone, PartialEq)]
pub enum FixState {
    /// No stack picked (or no server change fixes this cause).
    NoStack,
    /// The worker is writing it.
    Writing,
    Written(Snippet),
}

/// The snippet for one cause in the chosen stack.
pub fn fix_view(fix: FixState) -> Html {
    let snippet = match fix {
        FixState::NoStack => return html! {},
        FixState::Writing => {
            return html! { <p class="muted" data-testid="fix-writing">{"Writing the fix for your stack…"}</p> }
        }
        FixState::Written(snippet) => snippet,
    };
    let text = snippet.text();
    html! {
        <div class="stack-fix">
            <p class="pitfall"><strong>{ format!("In {}: ", snippet.stack.label()) }</strong>{ &snippet.pitfall_text }</p>
            if snippet.verified() == Verified::FromDocumentation {
                <p class="muted" data-testid="fix-unverified">{"Not verified by our test suite: written from the documentation (the suite cannot run this stack)."}</p>
            }
            // JSON has no comments: where each part goes is said beside it.
            if snippet.stack.comment().prefix().is_none() {
                { for snippet.parts.iter().map(|p| html! { <p class="muted">{ format!("Where: {}", p.place) }</p> }) }
            }
            // Long lines scroll sideways (`white-space: pre`): focusable, so the keyboard can scroll it.
            <pre class="code" data-testid="fix-snippet" data-stack={snippet.stack.id()} tabindex="0">{ text.clone() }</pre>
            <CopyButton text={AttrValue::from(text)} />
        </div>
    }
}
