//! The samples menu: one click fills the form with an example against the CORS lab (never runs).

use yew::prelude::*;

use crate::engine::check::form::FormInput;
use crate::engine::check::samples::{lab_origin, Sample, SAMPLES};

#[derive(Properties, PartialEq)]
pub struct SamplesProps {
    /// A picked sample's form, to load (not run).
    pub onpick: Callback<FormInput>,
}

fn page_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

#[component]
pub fn Samples(props: &SamplesProps) -> Html {
    let lab = use_memo((), |_| lab_origin(&page_query()));
    let onchange = {
        let onpick = props.onpick.clone();
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            if let Some(sample) = Sample::by_id(&select.value()) {
                onpick.emit(sample.form(&lab));
            }
            select.set_value("");
        })
    };
    html! {
        <p class="samples">
            <label for="samples">{"Try an example: "}</label>
            <select id="samples" data-testid="samples" {onchange}>
                <option value="" selected=true>{ format!("— against the CORS lab at {lab} —") }</option>
                { for SAMPLES.iter().map(|s| html! { <option value={s.id}>{ s.label }</option> }) }
            </select>
            <small class="muted">{" (scripts/serve starts the lab; nothing is sent until you press Check)"}</small>
        </p>
    }
}
