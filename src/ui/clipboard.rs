//! Copy to clipboard and share links: side effects at the edge.

use wasm_bindgen::JsValue;
use yew::html::IntoPropValue;
use yew::prelude::*;

/// What a copy button copies: text the page holds, or a JS string the worker wrote (a HAR
/// report's JSON or Markdown, copied out of JS only on a click).
#[derive(Debug, Clone, PartialEq)]
pub enum Exported {
    Text(AttrValue),
    Js(JsValue),
}

impl Exported {
    fn text(&self) -> String {
        match self {
            Exported::Text(text) => text.to_string(),
            Exported::Js(value) => value.as_string().unwrap_or_default(),
        }
    }
}

impl IntoPropValue<Exported> for String {
    fn into_prop_value(self) -> Exported {
        Exported::Text(self.into())
    }
}

impl IntoPropValue<Exported> for AttrValue {
    fn into_prop_value(self) -> Exported {
        Exported::Text(self)
    }
}

/// Copies `text`; resolves to whether the browser accepted it.
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The page's address without its fragment, for share links.
pub fn page_address() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The current fragment, e.g. `#url=…`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: Exported,
    #[prop_or(AttrValue::Static("Copy"))]
    pub label: AttrValue,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

/// A button that copies `text` and says so for two seconds.
#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let state = use_state(|| None::<bool>);
    let onclick = {
        let text = props.text.clone();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let text = text.text();
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                state.set(Some(copy(&text).await));
            });
        })
    };
    let label = match *state {
        Some(true) => "Copied".into(),
        Some(false) => "Copy failed".into(),
        None => props.label.clone(),
    };
    html! {
        <button type="button" class="copy" data-testid={props.testid.clone()} {onclick}>{ label }</button>
    }
}
