//! "Run it from my app": the console snippet and bookmarklet for the form's request, the notice
//! for an `#observations=` link that could not be read, and both views side by side.

use yew::prelude::*;

use super::check::page_origin;
use super::clipboard::{page_address, CopyButton};
use crate::engine::check::app::{bookmarklet, snippet, SnippetContext};
use crate::engine::check::compare::compare;
use crate::engine::check::form::FormInput;
use crate::engine::check::report::{Report, Source};
use crate::engine::check::share::Notice;

#[derive(Properties, PartialEq)]
pub struct AppRunProps {
    pub form: FormInput,
    /// The report the app snippet's link showed, if the page was opened from one.
    pub app_report: Option<Report>,
    /// The report on screen now.
    pub report: Option<Report>,
    pub notice: Option<Notice>,
}

/// The section below the form.
#[component]
pub fn AppRun(props: &AppRunProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(details) = e.target_dyn_into::<web_sys::Element>() {
                open.set(details.has_attribute("open"));
            }
        })
    };
    let side_by_side = match (&props.app_report, &props.report) {
        (Some(app), Some(page)) if page.source == Source::Check => compare(app, page),
        _ => None,
    };
    html! {
        <section class="app-run" aria-label="Check from your app's origin">
            if let Some(notice) = &props.notice {
                <p class="notice" role="status" data-testid="app-link-notice" data-code={notice.code.to_string()}>{ &notice.message }</p>
            }
            if let Some(comparison) = side_by_side {
                <p class="notice" data-testid="app-compare" data-same={comparison.same.to_string()}>{ comparison.text }</p>
            }
            <details ontoggle={ontoggle}>
                <summary>{"Run it from my app's origin"}</summary>
                <p class="muted">{"The server may treat your app's origin (e.g. http://localhost:5173) differently from this page's. Paste this into the DevTools console of your app's tab (Chrome may ask you to type "}<code>{"allow pasting"}</code>{" first), or drag the bookmarklet to your bookmarks bar and click it there. It lists the requests and asks before sending them, then prints a link back here with what your app's browser saw; the link carries no secrets and opening it sends nothing."}</p>
                if *open { { snippet_view(&props.form) } }
            </details>
        </section>
    }
}

/// The snippet, its copy button and the bookmarklet; written only while the section is open.
fn snippet_view(form: &FormInput) -> Html {
    let address = page_address();
    let origin = page_origin();
    let at = SnippetContext {
        page_address: &address,
        page_origin: &origin,
    };
    match snippet(form, at) {
        Ok(text) => {
            let link = bookmarklet(&text);
            html! {
                <>
                    <pre class="snippet" data-testid="app-snippet" tabindex="0">{ text.clone() }</pre>
                    <p>
                        <CopyButton text={text} label="Copy the snippet" />
                        {" "}
                        <a href={link} data-testid="app-bookmarklet" class="bookmarklet">{"CORS Doctor: check from this tab"}</a>
                    </p>
                </>
            }
        }
        Err(message) => html! {
            <p class="muted" data-testid="app-snippet-problem">{ message }</p>
        },
    }
}
