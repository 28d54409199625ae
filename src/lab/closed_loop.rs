//! The closed loop: seeded, realistic CORS misconfigurations, each run through the page's probe
//! plan *in the simulator*, diagnosed, and scored against the simulator's own verdict for the
//! user's request. The same cases drive the lab's `/behaviour` endpoint for the Chromium sample.
//!
//! The generator is deliberately not the diagnosis's hypothesis space: it draws statuses, origins,
//! lists, header sets and up to three mistakes at random, the way real stacks get CORS wrong.

use std::collections::BTreeMap;

use crate::engine::check::diagnosis::{self, CheckContext, ProbeRun, Table};
use crate::engine::check::form::{parse_form, FormInput};
use crate::engine::check::observation::Outcome;
use crate::engine::check::predict::predict;
use crate::engine::check::report::Report;
use crate::engine::fetch::{
    simulate, AllowList, AllowOrigin, Behaviour, Code, CorsOn, Network, Options, Redirect,
    RedirectTarget, Verdict,
};

/// The page's origin in the native loop.
pub const PAGE: &str = "http://127.0.0.1:8080";
/// The API's origin in the native loop; the redirect target is [`OTHER`].
pub const API: &str = "http://127.0.0.1:9090";
pub const OTHER: &str = "http://127.0.0.1:9091";

/// A small, seeded, dependency-free PRNG (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One generated case: the user's request (as the form holds it) and the server's behaviour.
#[derive(Debug, Clone)]
pub struct Case {
    pub form: FormInput,
    pub behaviour: Behaviour,
    /// What was done to the server, for reports.
    pub mistakes: Vec<&'static str>,
}

const HEADERS: &[(&str, &str)] = &[
    ("Authorization", "Bearer t0ken"),
    ("X-Requested-With", "XMLHttpRequest"),
    ("X-Trace-Id", "7"),
    ("X-Api-Key", "k3y"),
];

/// The user's request: a realistic method, body, header set and credentials.
fn request(rng: &mut Rng, path: &str) -> FormInput {
    let (method, body, json) = *rng.pick(&[
        ("GET", "", false),
        ("GET", "", false),
        ("POST", "a=1", false),
        ("POST", "{\"a\":1}", true),
        ("PUT", "{\"a\":1}", true),
        ("PATCH", "{\"a\":1}", true),
        ("DELETE", "", false),
    ]);
    let mut headers = Vec::new();
    if json {
        headers.push("Content-Type: application/json".to_string());
    }
    for (name, value) in HEADERS {
        if rng.chance(0.2) {
            headers.push(format!("{name}: {value}"));
        }
    }
    FormInput {
        url: format!("{API}{path}"),
        method: method.into(),
        headers: headers.join("\n"),
        body: body.into(),
        credentials: rng.chance(0.35),
        allow_method_probe: rng.chance(0.1),
        want_headers: if rng.chance(0.1) {
            "X-Request-Id".into()
        } else {
            String::new()
        },
        ..FormInput::default()
    }
}

/// Names the request asks a preflight for (lower-case).
fn asked_names(form: &FormInput) -> Vec<String> {
    form.headers
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, _)| n.trim().to_ascii_lowercase())
        .collect()
}

/// A correct set-up in one of the styles real servers use.
fn correct(rng: &mut Rng, form: &FormInput) -> Behaviour {
    let mut b = Behaviour::default();
    if rng.chance(0.4) {
        b.allow_origin = AllowOrigin::Value(PAGE.into());
    }
    if !form.credentials {
        b.allow_credentials = rng.chance(0.5);
        if rng.chance(0.3) {
            b.allow_origin = AllowOrigin::Value("*".into());
        }
    }
    if rng.chance(0.5) {
        b.allow_methods = AllowList::Value("GET, HEAD, PUT, PATCH, POST, DELETE".into());
    }
    if rng.chance(0.5) {
        let mut names = asked_names(form);
        names.push("content-type".into());
        names.dedup();
        b.allow_headers = AllowList::Value(names.join(", "));
    }
    if rng.chance(0.3) {
        b.options = Options::CorsLayer(200);
    }
    if rng.chance(0.15) {
        b.expose_headers = Some("X-Request-Id".into());
    }
    b
}

const ERRORS: &[u16] = &[400, 401, 403, 404, 405, 409, 422, 500, 502, 503, 504];

/// One real-world mistake, applied to `b`.
fn mistake(rng: &mut Rng, form: &FormInput, b: &mut Behaviour) -> &'static str {
    let names = asked_names(form);
    match rng.below(17) {
        0 | 1 => {
            b.allow_origin = AllowOrigin::None;
            "no CORS layer"
        }
        2 => {
            let v = *rng.pick(&[
                "https://app.example.com",
                "http://localhost:3000",
                "http://127.0.0.1:8080/",
                "HTTP://127.0.0.1:8080",
                "http://127.0.0.1",
            ]);
            b.allow_origin = AllowOrigin::Value(v.into());
            "allow-origin names another origin"
        }
        3 => {
            b.allow_origin = AllowOrigin::Value("*".into());
            b.allow_credentials = rng.chance(0.5);
            "allow-origin *"
        }
        4 => {
            b.second_allow_origin = true;
            "a proxy adds a second Allow-Origin"
        }
        5 => {
            b.allow_origin = AllowOrigin::Value(format!("{PAGE}, https://app.example.com"));
            "allow-origin lists two origins"
        }
        6 => {
            b.allow_credentials = false;
            "no Allow-Credentials"
        }
        7 => {
            b.options = Options::Before {
                status: *rng.pick(&[401, 403]),
                cors_headers: rng.chance(0.2),
            };
            "auth answers OPTIONS before CORS"
        }
        8 => {
            b.options = Options::Before {
                status: *rng.pick(&[404, 405, 501]),
                cors_headers: rng.chance(0.5),
            };
            "no OPTIONS route"
        }
        9 => {
            let method = form.method.to_ascii_uppercase();
            let list: Vec<&str> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
                .into_iter()
                .filter(|m| *m != method && rng.chance(0.6))
                .collect();
            b.allow_methods = match rng.below(4) {
                0 => AllowList::Value("*".into()),
                1 => AllowList::Value(list.join("; ")),
                2 => AllowList::Value(method.to_ascii_lowercase()),
                _ => AllowList::Value(if list.is_empty() {
                    "GET".into()
                } else {
                    list.join(", ")
                }),
            };
            "allow-methods without the method"
        }
        10 => {
            let refused = rng.below(names.len().max(1));
            let rest: Vec<&str> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != refused)
                .map(|(_, n)| n.as_str())
                .collect();
            b.allow_headers = match rng.below(5) {
                0 => AllowList::Value("*".into()),
                1 => AllowList::None,
                2 => AllowList::Value(format!("{}; x-other", rest.join("; "))),
                _ => AllowList::Value(if rest.is_empty() {
                    "content-type".into()
                } else {
                    rest.join(", ")
                }),
            };
            "allow-headers without a header"
        }
        11 | 12 => {
            b.other_status = *rng.pick(ERRORS);
            b.cors_on = if rng.chance(0.8) {
                CorsOn::Success
            } else {
                CorsOn::Every
            };
            "the method errors"
        }
        13 => {
            let status = *rng.pick(ERRORS);
            b.get_status = status;
            b.other_status = status;
            b.cors_on = CorsOn::Success;
            "every method errors"
        }
        14 => {
            b.other_status = *rng.pick(&[400, 415, 422, 500]);
            b.bodiless_status = Some(200);
            b.cors_on = CorsOn::Success;
            "the payload errors"
        }
        15 => {
            b.redirect = Some(Redirect {
                status: *rng.pick(&[301, 302, 307, 308]),
                target: RedirectTarget::TrailingSlash,
                cors_headers: rng.chance(0.4),
                preflight_too: rng.chance(0.5),
            });
            "trailing-slash redirect"
        }
        _ => {
            let target = match rng.below(6) {
                0 => RedirectTarget::WithCredentials,
                1 => RedirectTarget::OtherScheme,
                _ => RedirectTarget::Origin(OTHER.into()),
            };
            b.redirect = Some(Redirect {
                status: *rng.pick(&[301, 302, 307, 308]),
                target,
                cors_headers: rng.chance(0.5),
                preflight_too: true,
            });
            "redirect to another origin"
        }
    }
}

/// `n` cases from `seed`: mostly one mistake, some two or three, a few servers down or hanging.
pub fn generate(seed: u64, n: usize, path: &str) -> Vec<Case> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let form = request(&mut rng, path);
            let mut behaviour = correct(&mut rng, &form);
            let mut mistakes = Vec::new();
            if rng.chance(0.01) {
                behaviour.network = Network::Down;
                mistakes.push("server down");
            } else if rng.chance(0.005) {
                behaviour.network = Network::Hangs;
                mistakes.push("server hangs");
            } else {
                let count = match rng.below(10) {
                    0..=5 => 1,
                    6..=8 => 2,
                    _ => 3,
                };
                for _ in 0..count {
                    let m = mistake(&mut rng, &form, &mut behaviour);
                    mistakes.push(m);
                }
            }
            Case {
                form,
                behaviour,
                mistakes,
            }
        })
        .collect()
}

/// The truth for a case: the simulator's verdict for the user's request, as a cause code (with
/// `ok/header-not-exposed` when a wanted header is hidden).
pub fn truth(context: &CheckContext, behaviour: &Behaviour) -> (Code, BTreeMap<String, String>) {
    let trace = simulate(&context.page_request(), behaviour);
    match &trace.verdict {
        Verdict::Delivered {
            exposed_headers, ..
        } => {
            let hidden = context
                .form
                .want_headers
                .iter()
                .find(|w| !exposed_headers.iter().any(|e| e.eq_ignore_ascii_case(w)));
            match hidden {
                Some(h) => (
                    Code::OkHeaderNotExposed,
                    [("header".to_string(), h.clone())].into_iter().collect(),
                ),
                None => (Code::Ok, BTreeMap::new()),
            }
        }
        Verdict::NoAnswer => (Code::NetworkTimeout, BTreeMap::new()),
        Verdict::Blocked(f) | Verdict::NotSent(f) => (f.code, f.params.clone()),
    }
}

/// The check context for a form, from [`PAGE`].
pub fn context(form: &FormInput) -> Option<CheckContext> {
    let form = parse_form(form, PAGE).ok()?;
    Some(CheckContext {
        page_origin: PAGE.into(),
        form,
    })
}

/// Runs the page's probe plan against `behaviour` in the simulator, in its phases, each probe
/// taking `ms_per_round_trip` per request the browser sends.
pub fn observe(
    context: &CheckContext,
    behaviour: &Behaviour,
    ms_per_round_trip: f64,
) -> (
    Vec<ProbeRun>,
    Vec<crate::engine::check::observation::BrowserReport>,
) {
    let mut runs: Vec<ProbeRun> = Vec::new();
    let mut reports = Vec::new();
    for _phase in 0..3 {
        let next = diagnosis::next_probes(context, &runs);
        if next.is_empty() {
            break;
        }
        for spec in next {
            let p = predict(&context.page_origin, &spec, behaviour);
            for id in &p.reports {
                if !reports
                    .iter()
                    .any(|r: &crate::engine::check::observation::BrowserReport| r.id == *id)
                {
                    reports.push(crate::engine::check::observation::BrowserReport {
                        kind: "deprecation".into(),
                        id: (*id).to_string(),
                        message: String::new(),
                    });
                }
            }
            runs.push(ProbeRun {
                observation: p.to_observation(ms_per_round_trip),
                spec,
            });
        }
    }
    (runs, reports)
}

/// A cause as the loop compares it: allow-origin details merged (the page never sees them),
/// and the refused header kept.
pub fn class(code: Code, params: &BTreeMap<String, String>) -> String {
    let code = match code {
        Code::PreflightAllowOrigin(_) | Code::ResponseAllowOrigin(_) => code.without_detail(),
        other => other,
    };
    match (code, params.get("header")) {
        (Code::PreflightHeaderNotAllowed, Some(h)) => format!("{code}:{h}"),
        _ => code.to_string(),
    }
}

/// What the page saw, as one comparable string: the request, each probe's outcome (and the
/// exposed headers of a delivered one), and each probe's round trips when timing counts.
pub fn view(
    context: &CheckContext,
    runs: &[ProbeRun],
    reports: &[crate::engine::check::observation::BrowserReport],
    timing: bool,
) -> String {
    let form = &context.form;
    let mut v: Vec<String> = vec![format!(
        "{} {:?} body={} credentials={} want={:?} method-probe={}",
        form.method,
        form.headers,
        form.body.is_some(),
        form.credentials,
        form.want_headers,
        form.allow_method_probe
    )];
    v.extend(runs.iter().map(|r| {
        let exposed: Vec<&str> = r
            .observation
            .response
            .iter()
            .flat_map(|d| d.headers.iter().map(|(n, _)| n.as_str()))
            .collect();
        format!(
            "{}={}{:?}",
            r.spec.name,
            r.observation.outcome.unwrap_or(Outcome::NotSent).as_str(),
            exposed
        )
    }));
    if timing {
        v.extend(runs.iter().map(|r| {
            format!(
                "{}@{}",
                r.spec.name,
                r.observation.duration_ms.unwrap_or(0.0) as u32
            )
        }));
    }
    v.extend(reports.iter().map(|r| format!("report={}", r.id)));
    v.join(" ")
}

/// One case run through the loop.
#[derive(Debug, Clone)]
pub struct Scored {
    pub truth: String,
    /// The diagnosis's ranked causes, as classes.
    pub ranked: Vec<String>,
    pub view: String,
    pub mistakes: Vec<&'static str>,
    pub query: String,
    /// Other server set-ups the diagnosis weighs fit every probe exactly and have another
    /// verdict: the probes cannot tell these causes apart.
    pub rivals: Vec<String>,
}

/// Runs every case through plan → simulated probes → diagnosis, reusing one hypothesis table
/// per request shape.
pub fn run(cases: &[Case], ms_per_round_trip: f64) -> Vec<Scored> {
    let mut tables: std::collections::HashMap<String, Table> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(cases.len());
    for case in cases {
        let Some(context) = context(&case.form) else {
            continue;
        };
        let table = tables
            .entry(format!("{:?}", case.form))
            .or_insert_with(|| Table::build(&context));
        let (runs, reports) = observe(&context, &case.behaviour, ms_per_round_trip);
        let report: Report = diagnosis::report_with(&context, &runs, &reports, Some(table));
        let (code, params) = truth(&context, &case.behaviour);
        let truth_class = class(code, &params);
        let fitted = table.fit(&context, &runs, &reports);
        let mut rivals: Vec<String> = Vec::new();
        if fitted.mismatches == 0 {
            for c in &fitted.causes {
                let k = class(c.code, &c.params);
                if k != truth_class && !rivals.contains(&k) {
                    rivals.push(k);
                }
            }
        }
        out.push(Scored {
            truth: truth_class,
            rivals,
            ranked: report
                .causes
                .iter()
                .filter(|c| c.code != Code::OkSameOrigin)
                .map(|c| class(c.code, &c.params))
                .collect(),
            view: view(&context, &runs, &reports, ms_per_round_trip >= 20.0),
            mistakes: case.mistakes.clone(),
            query: case.behaviour.to_query(),
        });
    }
    out
}

/// Whether a ranked class names the truth or a less certain prefix of it (`preflight` covers
/// `preflight/status`).
pub fn covers(ranked: &str, truth: &str) -> bool {
    truth == ranked
        || truth
            .strip_prefix(ranked)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with(':'))
}

/// The loop's figures.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub cases: usize,
    pub distinguishable: usize,
    pub top1_distinguishable: usize,
    pub top1_all: usize,
    pub top3_all: usize,
    /// Cases whose truth is named (not only covered by a family prefix) in the first three.
    pub top3_named: usize,
    /// Cases whose truth is anywhere in the ranked causes.
    pub listed: usize,
    /// Cases whose view admits at most three causes, and how many of them have the truth in
    /// the first three.
    pub few_candidates: usize,
    pub top3_few: usize,
    /// Truth classes that share a view, with how many cases they cover.
    pub pairs: BTreeMap<(String, String), usize>,
    /// (truth, diagnosed top) → count, for the misses.
    pub confusion: BTreeMap<(String, String), usize>,
    /// The same, for distinguishable cases only.
    pub confusion_distinguishable: BTreeMap<(String, String), usize>,
    /// Cases whose truth is not in the top 3, for the failure message.
    pub misses: Vec<Scored>,
    /// Distinguishable cases whose top cause is wrong.
    pub misses_distinguishable: Vec<Scored>,
}

/// What the page would see and the truth, for many more cases than are diagnosed: a view is
/// distinguishable when every case in this population that shows it has the same truth.
pub fn population(cases: &[Case], ms_per_round_trip: f64) -> Vec<(String, String)> {
    cases
        .iter()
        .filter_map(|case| {
            let context = context(&case.form)?;
            let (runs, reports) = observe(&context, &case.behaviour, ms_per_round_trip);
            let (code, params) = truth(&context, &case.behaviour);
            Some((
                view(&context, &runs, &reports, ms_per_round_trip >= 20.0),
                class(code, &params),
            ))
        })
        .collect()
}

impl Tally {
    /// The figures for `scored`; `population` (views and truths of further cases) only widens
    /// what counts as indistinguishable.
    pub fn of(scored: &[Scored], population: &[(String, String)]) -> Tally {
        let mut truths_by_view: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let pairs = scored
            .iter()
            .map(|s| (s.view.as_str(), s.truth.as_str()))
            .chain(population.iter().map(|(v, t)| (v.as_str(), t.as_str())));
        for (view, truth) in pairs {
            let t = truths_by_view.entry(view).or_default();
            if !t.contains(&truth) {
                t.push(truth);
            }
        }
        let mut tally = Tally {
            cases: scored.len(),
            ..Tally::default()
        };
        for s in scored {
            let mut truths: Vec<&str> = truths_by_view[s.view.as_str()].clone();
            for r in &s.rivals {
                if !truths.contains(&r.as_str()) {
                    truths.push(r.as_str());
                }
            }
            let top = s.ranked.first().map(String::as_str).unwrap_or("none");
            let hit1 = top == s.truth;
            let hit3 = s.ranked.iter().take(3).any(|r| covers(r, &s.truth));
            if truths.len() == 1 {
                tally.distinguishable += 1;
                tally.top1_distinguishable += usize::from(hit1);
                if !hit1 {
                    tally.misses_distinguishable.push(s.clone());
                    *tally
                        .confusion_distinguishable
                        .entry((s.truth.clone(), top.to_string()))
                        .or_default() += 1;
                }
            } else {
                for other in truths.iter().filter(|t| **t != s.truth) {
                    let (a, b) = if s.truth.as_str() < *other {
                        (s.truth.clone(), other.to_string())
                    } else {
                        (other.to_string(), s.truth.clone())
                    };
                    *tally.pairs.entry((a, b)).or_default() += 1;
                }
            }
            tally.top1_all += usize::from(hit1);
            tally.top3_all += usize::from(hit3);
            tally.top3_named += usize::from(s.ranked.iter().take(3).any(|r| *r == s.truth));
            tally.listed += usize::from(s.ranked.iter().any(|r| covers(r, &s.truth)));
            if truths.len() <= 3 {
                tally.few_candidates += 1;
                tally.top3_few += usize::from(hit3);
            }
            if !hit1 {
                *tally
                    .confusion
                    .entry((s.truth.clone(), top.to_string()))
                    .or_default() += 1;
            }
            if !hit3 {
                tally.misses.push(s.clone());
            }
        }
        tally
    }

    fn percent(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            100.0
        } else {
            part as f64 * 100.0 / whole as f64
        }
    }

    pub fn top1_distinguishable_percent(&self) -> f64 {
        Tally::percent(self.top1_distinguishable, self.distinguishable)
    }

    pub fn top3_percent(&self) -> f64 {
        Tally::percent(self.top3_all, self.cases)
    }

    pub fn top3_few_percent(&self) -> f64 {
        Tally::percent(self.top3_few, self.few_candidates)
    }

    pub fn listed_percent(&self) -> f64 {
        Tally::percent(self.listed, self.cases)
    }

    /// The figures as a table, the misses first.
    pub fn render(&self, limit: usize) -> String {
        let mut out = format!(
            "closed loop: {} cases; distinguishable {} ({:.1}%); top-1 on distinguishable {:.2}%; top-1 on all {:.2}%; top-3 on all {:.2}% (by name {:.2}%, the rest by a family prefix); top-3 where a view admits at most 3 causes ({} cases) {:.2}%; truth listed {:.2}%\n",
            self.cases,
            self.distinguishable,
            Tally::percent(self.distinguishable, self.cases),
            self.top1_distinguishable_percent(),
            Tally::percent(self.top1_all, self.cases),
            self.top3_percent(),
            Tally::percent(self.top3_named, self.cases),
            self.few_candidates,
            self.top3_few_percent(),
            self.listed_percent()
        );
        let mut distinct: Vec<_> = self.confusion_distinguishable.iter().collect();
        distinct.sort_by(|a, b| b.1.cmp(a.1));
        out.push_str("top-1 misses where the probes can tell (truth → diagnosed):\n");
        for ((t, d), n) in distinct.iter().take(limit) {
            out.push_str(&format!("  {n:6}  {t} → {d}\n"));
        }
        let mut confusion: Vec<_> = self.confusion.iter().collect();
        confusion.sort_by(|a, b| b.1.cmp(a.1));
        out.push_str("top-1 misses (truth → diagnosed):\n");
        for ((t, d), n) in confusion.iter().take(limit) {
            out.push_str(&format!("  {n:6}  {t} → {d}\n"));
        }
        let mut pairs: Vec<_> = self.pairs.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1));
        out.push_str("indistinguishable pairs (cases):\n");
        for ((a, b), n) in pairs.iter().take(limit) {
            out.push_str(&format!("  {n:6}  {a} ~ {b}\n"));
        }
        for m in self.misses_distinguishable.iter().take(limit) {
            out.push_str(&format!(
                "  wrong top: truth {} ranked {:?} mistakes {:?} behaviour ?{}\n    view {}\n",
                m.truth, m.ranked, m.mistakes, m.query, m.view
            ));
        }
        for m in self.misses.iter().take(limit) {
            out.push_str(&format!(
                "  not in top 3: truth {} ranked {:?} mistakes {:?} behaviour ?{}\n    view {}\n",
                m.truth, m.ranked, m.mistakes, m.query, m.view
            ));
        }
        out
    }
}
