//! The results: progress while probes run, then causes, fixes, probes, the response and the JSON.
//!
//! Everything from the network is shown as text nodes, never as HTML, except the HAR list's
//! rows: markup built with every value escaped by [`crate::html`], for speed.

use yew::prelude::*;

use super::clipboard::{CopyButton, Exported};
use super::evidence::HarView;
use super::fix::{fix_view, StackPicker};
use super::sequence::SequencePicture;
use super::state::{ProbeProgress, Status};
use crate::engine::check::markdown::report_markdown;
use crate::engine::check::observation::ResponseDetails;
use crate::engine::check::report::{
    report_json, seconds, whole, CauseReport, FixHeaderSet, ProbeRecord, Report, Source,
};
use std::rc::Rc;

use super::fix::FixState;
use crate::engine::stack::{Snippet, Stack};

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub status: Status,
    pub progress: Vec<ProbeProgress>,
    pub report: Option<Report>,
    pub elapsed_ms: f64,
    /// For a HAR report: its list, JSON and Markdown, as the worker wrote them.
    pub har: Option<HarView>,
    /// A click on a HAR entry loads it into the form.
    pub onharentry: Callback<usize>,
    /// The stack the fixes are written for, and its picker's callback.
    pub stack: Option<Stack>,
    pub onstack: Callback<Option<Stack>>,
    /// The chosen stack's fixes, one per cause, once the worker wrote them.
    pub fixes: Option<Rc<Vec<Option<Snippet>>>>,
}

#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let body = match (props.status, &props.report) {
        (Status::Running, _) => progress_view(&props.progress, props.elapsed_ms),
        (Status::Done, Some(report)) => report_view(report, props),
        _ => {
            html! { <p class="muted">{"Fill in the request your frontend makes and press Check."}</p> }
        }
    };
    html! {
        <section class="report" data-testid="report" data-status={props.status.as_str()} aria-live="polite">
            { body }
        </section>
    }
}

fn progress_view(progress: &[ProbeProgress], elapsed_ms: f64) -> Html {
    html! {
        <div class="progress">
            <p>{ format!("Checking… {} s", seconds(elapsed_ms)) }</p>
            <table class="probes">
                <thead><tr><th>{"Probe"}</th><th>{"Method"}</th><th>{"Mode"}</th><th>{"State"}</th></tr></thead>
                <tbody>
                { for progress.iter().map(|p| html! {
                    <tr data-testid="probe-progress">
                        <td>{ &p.name }</td><td>{ &p.method }</td><td>{ p.mode }</td>
                        <td>{ match (p.outcome, p.duration_ms) {
                            (Some(outcome), Some(ms)) => format!("{} in {} ms", outcome.as_str(), whole(ms)),
                            (Some(outcome), None) => outcome.as_str().to_string(),
                            (None, _) => format!("running… {} s", seconds(elapsed_ms - p.started_ms)),
                        } }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </div>
    }
}

fn report_view(report: &Report, props: &ReportViewProps) -> Html {
    let fixable = report.causes.iter().any(|c| c.fix_headers.is_some());
    let onharentry = &props.onharentry;
    let fix_for = |index: usize| -> FixState {
        match (props.stack, &props.fixes) {
            (None, _) => FixState::NoStack,
            (Some(_), None) => FixState::Writing,
            (Some(_), Some(fixes)) => match fixes.get(index) {
                Some(Some(snippet)) => FixState::Written(snippet.clone()),
                _ => FixState::NoStack,
            },
        }
    };
    // A HAR report's JSON and Markdown (thousands of entries) come written by the worker.
    let (json, markdown, json_text) = match &props.har {
        Some(har) => (
            Exported::Js(har.json()),
            Exported::Js(har.markdown()),
            har.json_node(),
        ),
        None => {
            let json = AttrValue::from(report_json(report));
            (
                Exported::Text(json.clone()),
                Exported::Text(AttrValue::from(report_markdown(report))),
                html! { json },
            )
        }
    };
    html! {
        <>
            if let Some(origin) = &report.checked_from {
                <p class="muted" data-testid="checked-from" data-origin={origin.clone()}>{ format!("Checked from {origin}, your app's origin, by the app snippet (this page sent nothing).") }</p>
            }
            if let Some(note) = &report.recognised {
                <p class="muted" data-testid="report-source" data-source={report.source.as_str()}>{ note }</p>
            }
            if let Some(har) = &props.har { { har_view(har, onharentry) } }
            <h2>{"What the browser did"}</h2>
            <SequencePicture steps={report.sequence.clone()} />
            <h2>{"Likely causes"}</h2>
            if report.causes.is_empty() {
                <p class="muted" data-testid="no-cause">{"No cause named: the check was cancelled before the browser answered."}</p>
            }
            if fixable { <StackPicker value={props.stack} onchange={props.onstack.clone()} /> }
            <ol class="causes">
                { for report.causes.iter().enumerate().map(|(i, cause)| cause_view(cause, fix_for(i))) }
            </ol>
            if let Some(response) = &report.response {
                { response_view(response) }
            }
            <h2>{"Requests the page sent"}</h2>
            if report.probes.is_empty() && report.source != Source::Check {
                <p class="muted">{"None: this verdict comes from the evidence you gave, replayed through the same Fetch rules."}</p>
            } else if report.probes.is_empty() {
                <p class="muted">{"None: the problem is in the request itself, so nothing was sent."}</p>
            } else {
                { probe_table(&report.probes) }
            }
            if !report.curl.is_empty() {
                <h2>{"Confirm from outside the browser"}</h2>
                <p class="muted">{ format!("These send the Origin of your app ({}).", report.app_origin) }</p>
                { for report.curl.iter().map(|c| html! {
                    <div class="curl-row">
                        <pre class="code" data-testid="curl">{ c }</pre>
                        <CopyButton text={AttrValue::from(c.clone())} />
                    </div>
                }) }
            }
            // The copy buttons sit before the disclosure, not in its <summary>: a control inside
            // another control is neither announced nor reachable reliably (axe: nested-interactive).
            <p class="json-actions">
                <CopyButton text={json} label="Copy JSON" />
                <CopyButton text={markdown} label="Copy as Markdown" testid="copy-markdown" />
            </p>
            <details class="json">
                <summary>{"Report as JSON"}</summary>
                <pre data-testid="report-json">{ json_text }</pre>
            </details>
        </>
    }
}

fn har_view(har: &HarView, onharentry: &Callback<usize>) -> Html {
    // One click handler for the whole list: the rows are markup, not components.
    let onclick = {
        let cb = onharentry.clone();
        Callback::from(move |event: MouseEvent| {
            if let Some(index) = clicked_row(&event) {
                cb.emit(index);
            }
        })
    };
    html! {
        <>
            <h2>{"Requests in the HAR"}</h2>
            <p class="muted">{"Failures first; identical failures together. Click one to load it into the form (it is not sent)."}</p>
            <div class="har-list" {onclick}>{ har.list() }</div>
        </>
    }
}

/// The index of the HAR row whose button the click landed in.
fn clicked_row(event: &MouseEvent) -> Option<usize> {
    use wasm_bindgen::JsCast;
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let button = target.closest("button[data-index]").ok()??;
    button.get_attribute("data-index")?.parse().ok()
}

fn cause_view(cause: &CauseReport, fix: FixState) -> Html {
    let params = cause
        .params
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <li class="cause" data-testid="cause" data-code={cause.code.to_string()}>
            <header>
                <code class="code-tag">{ cause.code.to_string() }</code>
                <span class="confidence">{ format!("{}% sure", whole(cause.confidence * 100.0)) }</span>
                if !params.is_empty() { <span class="params">{ params }</span> }
            </header>
            <p class="summary">{ &cause.summary }</p>
            if !cause.evidence.is_empty() {
                <ul class="evidence">{ for cause.evidence.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            }
            if !cause.fix.is_empty() { <p class="fix"><strong>{"Fix: "}</strong>{ &cause.fix }</p> }
            if let Some(headers) = &cause.fix_headers { { fix_headers_view(headers) } }
            if cause.fix_headers.is_some() { { fix_view(fix) } }
            if !cause.alternatives.is_empty() {
                <p class="muted">{"Cannot be ruled out from the page:"}</p>
                <ul class="alternatives">{ for cause.alternatives.iter().map(|a| html! { <li>{ a }</li> }) }</ul>
            }
        </li>
    }
}

fn fix_headers_view(headers: &FixHeaderSet) -> Html {
    let lines = |list: &[(String, String)]| {
        list.iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    html! {
        <div class="fix-headers">
            if let Some(preflight) = &headers.preflight {
                <p>{"On the OPTIONS preflight response:"}<CopyButton text={AttrValue::from(lines(preflight))} /></p>
                <pre class="code" data-testid="fix-preflight">{ lines(preflight) }</pre>
            }
            <p>{"On the actual response (errors included):"}<CopyButton text={AttrValue::from(lines(&headers.actual))} /></p>
            <pre class="code" data-testid="fix-actual">{ lines(&headers.actual) }</pre>
        </div>
    }
}

fn response_view(response: &ResponseDetails) -> Html {
    html! {
        <div class="response" data-testid="response">
            <h2>{ format!("Response: {} {}", response.status, response.status_text) }</h2>
            if response.redirected { <p class="muted">{ format!("Redirected to {}", response.final_url) }</p> }
            <table class="headers">
                <tbody>
                { for response.headers.iter().map(|(n, v)| html! { <tr><th>{ n }</th><td>{ v }</td></tr> }) }
                </tbody>
            </table>
            <pre class="body-preview" data-testid="body-preview">{ &response.body_preview }</pre>
            if response.body_truncated { <p class="muted">{"(body preview truncated)"}</p> }
        </div>
    }
}

fn probe_table(probes: &[ProbeRecord]) -> Html {
    html! {
        <table class="probes" data-testid="probes">
            <thead><tr>
                <th>{"Probe"}</th><th>{"Request"}</th><th>{"Outcome"}</th><th>{"Status"}</th><th>{"Time"}</th><th>{"Why"}</th>
            </tr></thead>
            <tbody>
            { for probes.iter().map(|p| html! {
                <tr data-testid="probe" data-outcome={p.outcome.as_str()}>
                    <td>{ &p.name }</td>
                    <td><code>{ format!("{} {} ({}, credentials {})", p.method, p.url, p.mode, p.credentials) }</code></td>
                    <td>{ p.outcome.as_str() }{ p.detail.as_ref().map(|d| format!(" — {d}")).unwrap_or_default() }</td>
                    <td>{ p.status.map(|s| s.to_string()).unwrap_or_else(|| "—".into()) }</td>
                    <td>{ p.duration_ms.map(|d| format!("{} ms", whole(d))).unwrap_or_default() }</td>
                    <td class="muted">{ &p.purpose }</td>
                </tr>
            }) }
            </tbody>
        </table>
    }
}
