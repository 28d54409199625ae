//! "Run it from my app": the same probe plan, sent from the developer's own frontend tab.
//!
//! A page on another origin cannot send requests with the app's `Origin`, its cookies or its
//! place on the network, so the page writes a small console snippet ([`snippet`]) that does:
//! it carries the plan the engine made (phase 1, and phase 2 as a rule,
//! [`SecondPhase`](super::diagnosis::probes::SecondPhase)), asks before sending, sends the
//! requests with `fetch()` from the app's tab, records what the browser let it see in the
//! shape of an [`Observation`], and returns a link back to the page whose fragment
//! (`#observations=…`) carries them. Reading that link ([`read_link`]) runs the check's own
//! diagnosis for the app's origin, and never sends anything.
//!
//! The snippet's JavaScript is one file, `app_snippet.js`, filled with the plan as JSON.

use serde::{Deserialize, Serialize};

use super::diagnosis::{self, probes, CheckContext, ProbeRun};
use super::form::{check_form, first_app_origin, FormInput, ParsedForm};
use super::mask::MASK;
use super::observation::Observation;
use super::plan::{ProbeMode, ProbeRedirect, ProbeSpec};
use super::report::Report;
use super::share::{self, Notice, MAX_FRAGMENT_CHARS};
use crate::engine::fetch::Code;

/// The fragment key of a link the snippet gives back.
pub const OBSERVATIONS_KEY: &str = "observations";
/// A delivered body is kept up to this many bytes in the link (the diagnosis reads the status
/// and headers; the start of the body is for the reader).
pub const LINK_BODY_LIMIT: usize = 2_048;

/// The executor, filled with the plan at `__PLAN__`.
const TEMPLATE: &str = include_str!("app_snippet.js");

/// What the page needs from the form to write a snippet.
#[derive(Debug, Clone, Copy)]
pub struct SnippetContext<'a> {
    /// The page's own address without its fragment: the snippet's link comes back here.
    pub page_address: &'a str,
    /// This page's origin, the form's origin when it names no app origin.
    pub page_origin: &'a str,
}

/// The console snippet for the form's request, or why there is none (the form's mistakes).
pub fn snippet(form: &FormInput, at: SnippetContext) -> Result<String, String> {
    let origin = match first_app_origin(&form.app_origin) {
        "" => at.page_origin,
        named => named,
    };
    let parsed = check_form(form, origin).map_err(|problems| {
        let first = problems.first().map_or("", |p| p.message.as_str());
        format!("Correct the form first: {first}")
    })?;
    let context = CheckContext {
        page_origin: origin.to_string(),
        form: parsed,
    };
    let first = diagnosis::next_probes(&context, &[]);
    if first.is_empty() {
        return Err(
            "The browser would refuse this request before sending it; see the report.".into(),
        );
    }
    let names: Vec<&str> = first.iter().map(|p| p.name.as_str()).collect();
    let second = probes::second_phase_rule(&context, &names).map(|rule| PlanSecond {
        probe: PlanProbe::of(&rule.probe, &context.form),
        when: rule.when_blocked,
    });
    let plan = Plan {
        u: &context.form.url,
        h: &context.form.headers,
        back: at.page_address,
        form: share::to_fragment(form),
        t: context.form.timeout_ms,
        lim: LINK_BODY_LIMIT,
        p1: first
            .iter()
            .map(|p| PlanProbe::of(p, &context.form))
            .collect(),
        p2: second,
    };
    let json = serde_json::to_string(&plan).map_err(|e| e.to_string())?;
    // `</script>`-safe and never closes a string early: JSON in a JS expression position.
    Ok(compact(TEMPLATE).replace("__PLAN__", &json.replace('<', "\\u003c")))
}

/// The template without its indentation and its comment lines (the first one, which says what
/// the snippet is, stays): the snippet must stay small enough to paste and read.
fn compact(template: &str) -> String {
    let mut lines = template.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let mut out = String::from(first);
    let mut said = false;
    for line in lines {
        if line.starts_with("//") {
            if said {
                continue;
            }
            said = true;
        }
        out.push('\n');
        out.push_str(line);
    }
    out
}

/// The snippet as a bookmarklet (`javascript:` and the snippet, percent-encoded).
pub fn bookmarklet(snippet: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(snippet.as_bytes()).collect();
    format!("javascript:{}", encoded.replace('+', "%20"))
}

/// The plan as the snippet reads it: short keys, defaults left out (the snippet stays small).
#[derive(Serialize)]
struct Plan<'a> {
    /// The user's URL (probes without `u` use it).
    u: &'a str,
    /// The user's headers (probes name them by index).
    h: &'a [(String, String)],
    back: &'a str,
    /// The share-link fragment of the form, secrets masked: it comes back in the link.
    form: String,
    t: u32,
    lim: usize,
    p1: Vec<PlanProbe>,
    p2: Option<PlanSecond>,
}

#[derive(Serialize)]
struct PlanSecond {
    probe: PlanProbe,
    when: Vec<String>,
}

#[derive(Serialize)]
struct PlanProbe {
    n: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    m: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    u: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    h: Vec<PlanHeader>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cr: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    r: Option<&'static str>,
}

/// A probe's header: the index of one of the user's headers, or a header of its own.
#[derive(Serialize)]
#[serde(untagged)]
enum PlanHeader {
    Index(usize),
    Own(String, String),
}

impl PlanProbe {
    fn of(spec: &ProbeSpec, form: &ParsedForm) -> PlanProbe {
        PlanProbe {
            n: spec.name.clone(),
            m: (spec.method != "GET").then(|| spec.method.clone()),
            u: (spec.url != form.url).then(|| spec.url.clone()),
            h: spec
                .headers
                .iter()
                .map(|pair| match form.headers.iter().position(|h| h == pair) {
                    Some(index) => PlanHeader::Index(index),
                    None => PlanHeader::Own(pair.0.clone(), pair.1.clone()),
                })
                .collect(),
            b: spec.body.clone(),
            mode: (spec.mode == ProbeMode::NoCors).then_some("no-cors"),
            cr: spec.include_credentials.then_some("include"),
            r: (spec.redirect == ProbeRedirect::Manual).then_some("manual"),
        }
    }
}

/// What the snippet gives back, as the link carries it.
#[derive(Debug, Deserialize)]
struct Link {
    v: u32,
    from: String,
    form: String,
    runs: Vec<LinkRun>,
    #[serde(default)]
    env: Vec<Environment>,
}

#[derive(Debug, Deserialize)]
struct LinkRun {
    n: String,
    o: Observation,
}

/// Something in the app's tab that is not the server's doing.
#[derive(Debug, Deserialize)]
struct Environment {
    /// `csp`: a `securitypolicyviolation` during the run; `frame`: the snippet ran in a frame.
    kind: String,
    #[serde(default)]
    detail: String,
}

/// What an `#observations=` link holds.
#[derive(Debug, Clone, PartialEq)]
pub enum AppLink {
    /// Not such a link.
    Nothing,
    /// The diagnosis for the app's origin, and the form to fill (secrets masked).
    Report {
        form: Box<FormInput>,
        report: Box<Report>,
    },
    /// A link that could not be read: why.
    Refused(Notice),
}

/// Reads the page's fragment as a link from the app snippet. Never sends anything, never panics.
pub fn read_link(fragment: &str) -> AppLink {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(encoded) = fragment
        .strip_prefix(OBSERVATIONS_KEY)
        .and_then(|rest| rest.strip_prefix('='))
    else {
        return AppLink::Nothing;
    };
    if fragment.chars().count() > MAX_FRAGMENT_CHARS {
        return refused(
            Code::InputTooLarge,
            format!("This link is longer than the {MAX_FRAGMENT_CHARS} characters the page reads, so it was not read and nothing was sent. Run the snippet again."),
        );
    }
    let json: String = url::form_urlencoded::parse(format!("x={encoded}").as_bytes())
        .map(|(_, value)| value.into_owned())
        .next()
        .unwrap_or_default();
    let link: Link = match serde_json::from_str(&json) {
        Ok(link) => link,
        Err(e) => {
            return refused(
                Code::InputInvalidUrl,
                format!("This link's observations could not be read ({e}); nothing was sent. Copy the whole link the snippet printed, or run it again."),
            )
        }
    };
    if link.v != 1 {
        return refused(
            Code::InputInvalidUrl,
            format!("This link was made by another version of the snippet (v{}); nothing was sent. Copy a new snippet from this page and run it again.", link.v),
        );
    }
    match diagnose(&link) {
        Ok(read) => read,
        Err(message) => refused(Code::InputInvalidUrl, message),
    }
}

fn refused(code: Code, message: String) -> AppLink {
    AppLink::Refused(Notice { code, message })
}

/// The check's own diagnosis of the link's observations, for the origin they came from.
fn diagnose(link: &Link) -> Result<AppLink, String> {
    let form = share::from_fragment(&link.form).ok_or_else(|| {
        "This link names no request; nothing was sent. Run the snippet again.".to_string()
    })?;
    // Secrets never travel in the link: the masked values stand in for them.
    let unmasked = FormInput {
        headers: form.headers.replace(MASK, "****"),
        url: form.url.replace(MASK, "****"),
        ..form.clone()
    };
    let parsed = check_form(&unmasked, &link.from).map_err(|problems| {
        let first = problems.first().map_or("", |p| p.message.as_str());
        format!("The request in this link does not parse ({first}); nothing was sent.")
    })?;
    let context = CheckContext {
        page_origin: link.from.clone(),
        form: parsed,
    };
    let mut planned = diagnosis::next_probes(&context, &[]);
    planned.push(probes::control(&context));
    let runs: Vec<ProbeRun> = link
        .runs
        .iter()
        .filter_map(|run| {
            let spec = planned.iter().find(|p| p.name == run.n)?.clone();
            Some(ProbeRun {
                spec,
                observation: run.o.clone(),
            })
        })
        .collect();
    let csp = link
        .env
        .iter()
        .find(|e| e.kind == "csp")
        .map(|e| e.detail.as_str());
    let framed = link.env.iter().any(|e| e.kind == "frame");
    let report = diagnosis::app_report(&context, &runs, csp, framed);
    Ok(AppLink::Report {
        form: Box::new(form),
        report: Box::new(report),
    })
}
