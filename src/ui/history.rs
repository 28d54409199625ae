//! Recent checks and analyses: the list under the form, kept in `localStorage` (the engine's
//! [`History`] decides what is kept and masked; this file only reads and writes the storage).

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::check::form::FormInput;
use crate::engine::check::history::{Entry, History, STORAGE_KEY};
use crate::engine::check::report::Report;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The history and what to do with it.
#[derive(Clone, PartialEq)]
pub struct HistoryHandle {
    pub history: Rc<History>,
    /// Set when the stored value was set aside or could not be written.
    pub notice: Option<String>,
    pub record: Callback<(FormInput, Report)>,
    pub clear: Callback<()>,
}

/// Loads the history once and writes every change back.
#[hook]
pub fn use_history() -> HistoryHandle {
    let state = use_state(|| {
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let (history, notice) = History::load(stored.as_deref());
        (Rc::new(history), notice)
    });
    let record = {
        let state = state.clone();
        Callback::from(move |(form, report): (FormInput, Report)| {
            let mut history = (*state.0).clone();
            history.record(Entry::new(&form, &report, now_ms()));
            let notice = save(&history).err().or_else(|| state.1.clone());
            state.set((Rc::new(history), notice));
        })
    };
    let clear = {
        let state = state.clone();
        Callback::from(move |()| {
            if let Some(storage) = storage() {
                let _ = storage.remove_item(STORAGE_KEY);
            }
            state.set((Rc::new(History::default()), None));
        })
    };
    HistoryHandle {
        history: state.0.clone(),
        notice: state.1.clone(),
        record,
        clear,
    }
}

fn save(history: &History) -> Result<(), String> {
    let storage = storage()
        .ok_or("This browser keeps no local storage: the history lasts until the page closes.")?;
    storage
        .set_item(STORAGE_KEY, &history.to_json())
        .map_err(|_| "The history could not be saved (storage full or disabled).".to_string())
}

#[derive(Properties, PartialEq)]
pub struct HistoryListProps {
    pub handle: HistoryHandle,
    /// A click loads the entry's form (never runs it).
    pub onload: Callback<FormInput>,
}

/// The `history` list.
#[component]
pub fn HistoryList(props: &HistoryListProps) -> Html {
    let history = &props.handle.history;
    let onclear = {
        let clear = props.handle.clear.clone();
        Callback::from(move |_: MouseEvent| clear.emit(()))
    };
    html! {
        <details class="history" open={!history.entries.is_empty()}>
            <summary>{ format!("Recent ({})", history.entries.len()) }</summary>
            if let Some(notice) = &props.handle.notice {
                <p class="muted" data-testid="history-notice" role="status">{ notice }</p>
            }
            <ol data-testid="history">
                { for history.entries.iter().map(|entry| {
                    let onclick = {
                        let onload = props.onload.clone();
                        let form = entry.form.clone();
                        Callback::from(move |_: MouseEvent| onload.emit(form.clone()))
                    };
                    html! {
                        <li data-testid="history-item">
                            <button type="button" class="link" {onclick}>{ entry.label() }</button>
                        </li>
                    }
                }) }
            </ol>
            if !history.entries.is_empty() {
                <button type="button" data-testid="history-clear" onclick={onclear}>{"Clear history"}</button>
            }
        </details>
    }
}
