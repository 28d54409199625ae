//! The app's state and the reducer that changes it: every change goes through [`Action`].

use std::rc::Rc;

use yew::Reducible;

use super::evidence::HarView;
use crate::engine::check::form::{FormInput, FormProblem};
use crate::engine::check::observation::Outcome;
use crate::engine::check::report::Report;
use crate::engine::check::share::Notice;
use crate::engine::evidence::Analysis;
use crate::engine::stack::{Snippet, Stack};

/// Where the check is; mirrored in the report's `data-status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Idle,
    Running,
    Done,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Running => "running",
            Status::Done => "done",
        }
    }
}

/// A form field the user edits as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Url,
    Method,
    Headers,
    Body,
    WantHeaders,
    AppOrigin,
    Timeout,
}

/// One probe's progress while a check runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeProgress {
    pub name: String,
    pub method: String,
    pub mode: &'static str,
    /// `None` while it runs.
    pub outcome: Option<Outcome>,
    pub duration_ms: Option<f64>,
    /// When it was sent, in ms since the check started.
    pub started_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    pub form: FormInput,
    pub status: Status,
    pub problems: Vec<FormProblem>,
    pub progress: Vec<ProbeProgress>,
    pub report: Option<Report>,
    /// Milliseconds since the running check started; ticks while it runs.
    pub elapsed_ms: f64,
    /// Counts checks, so results of an older check never land in a newer one.
    pub run: u64,
    /// What the last analysis recognised (or that one is running).
    pub evidence_note: Option<String>,
    /// Counts analyses, so only the latest one's result lands.
    pub evidence_job: u64,
    /// For a HAR report: its list, JSON, Markdown and each entry's form, as the worker wrote
    /// them (never leaves the page).
    pub har: Option<HarView>,
    /// The current report's fixes in one stack (one per cause), as the worker wrote them.
    pub fixes: Option<(Stack, Rc<Vec<Option<Snippet>>>)>,
    /// The report an app snippet's link showed (kept to compare with this page's own check).
    pub app_report: Option<Report>,
    /// Why the page's `#observations=` link was not read.
    pub app_notice: Option<Notice>,
}

pub enum Action {
    /// An analysis with this job number was handed to the worker.
    Analysing {
        job: u64,
        bytes: usize,
    },
    /// Evidence was analysed: its report (when any) replaces the current one; a form it names
    /// is loaded, never run. A result for an older job than the latest is dropped; `u64::MAX`
    /// (the worker failed) always lands.
    Analysed {
        job: u64,
        analysis: Box<Analysis>,
        har: Option<HarView>,
    },
    /// The worker wrote `stack`'s fixes for the report of run `job`; an older run's are dropped.
    Fixed {
        job: u64,
        stack: Stack,
        snippets: Vec<Option<Snippet>>,
    },
    /// Load the `n`-th HAR entry's request into the form (never runs it).
    LoadHarEntry(usize),
    /// Pre-fill the whole form (from a share link); never runs it.
    Load(Box<FormInput>),
    /// The page was opened from the app snippet's link: its form and the diagnosis for the
    /// app's origin (nothing was sent from this page).
    FromApp {
        form: Box<FormInput>,
        report: Box<Report>,
    },
    /// The page's `#observations=` link could not be read.
    AppLinkRefused(Notice),
    Edit(Field, String),
    SetCredentials(bool),
    /// The user allows (or stops allowing) the `method-alone` probe.
    SetMethodProbe(bool),
    /// The form did not parse: nothing is sent; the problems show beside their fields.
    Invalid(Vec<FormProblem>),
    /// A check with this run number starts (the previous number plus one).
    Start {
        run: u64,
    },
    /// The probes of a phase were planned.
    Planned {
        run: u64,
        probes: Vec<ProbeProgress>,
    },
    ProbeDone {
        run: u64,
        index: usize,
        outcome: Outcome,
        duration_ms: Option<f64>,
    },
    Tick {
        run: u64,
        elapsed_ms: f64,
    },
    Finished {
        run: u64,
        report: Box<Report>,
    },
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Load(form) => next.form = *form,
            Action::FromApp { form, report } => {
                next.form = *form;
                next.run += 1;
                next.fixes = None;
                next.status = Status::Done;
                next.progress.clear();
                next.problems.clear();
                next.app_report = Some((*report).clone());
                next.report = Some(*report);
                next.har = None;
            }
            Action::AppLinkRefused(notice) => next.app_notice = Some(notice),
            Action::Analysing { job, bytes } => {
                next.evidence_job = job;
                next.evidence_note = Some(if bytes > 1_000_000 {
                    format!("Analysing {} MB…", bytes / 1_000_000)
                } else {
                    "Analysing…".to_string()
                });
            }
            Action::Analysed { job, analysis, har }
                if job == next.evidence_job || job == u64::MAX =>
            {
                let analysis = *analysis;
                next.evidence_note = Some(analysis.recognised);
                if let Some(form) = analysis.form {
                    next.form = form;
                }
                if let Some(report) = analysis.report {
                    // A newer run number, so a check still running cannot land over it.
                    next.run += 1;
                    next.fixes = None;
                    next.report = Some(report);
                    next.status = Status::Done;
                    next.progress.clear();
                    next.problems.clear();
                    next.har = har;
                }
            }
            Action::Fixed {
                job,
                stack,
                snippets,
            } if job == next.run => next.fixes = Some((stack, Rc::new(snippets))),
            Action::LoadHarEntry(index) => {
                if let Some(form) = next.har.as_ref().and_then(|h| h.form(index)) {
                    next.form = form;
                }
            }
            Action::Edit(field, value) => {
                let slot = match field {
                    Field::Url => &mut next.form.url,
                    Field::Method => &mut next.form.method,
                    Field::Headers => &mut next.form.headers,
                    Field::Body => &mut next.form.body,
                    Field::WantHeaders => &mut next.form.want_headers,
                    Field::AppOrigin => &mut next.form.app_origin,
                    Field::Timeout => &mut next.form.timeout,
                };
                *slot = value;
            }
            Action::SetCredentials(on) => next.form.credentials = on,
            Action::SetMethodProbe(on) => next.form.allow_method_probe = on,
            Action::Invalid(problems) => next.problems = problems,
            Action::Start { run } => {
                next.run = run;
                next.status = Status::Running;
                next.problems.clear();
                next.progress.clear();
                next.report = None;
                next.har = None;
                next.fixes = None;
                next.elapsed_ms = 0.0;
            }
            Action::Planned { run, probes } if run == next.run => {
                let started_ms = next.elapsed_ms;
                next.progress.extend(
                    probes
                        .into_iter()
                        .map(|p| ProbeProgress { started_ms, ..p }),
                );
            }
            Action::ProbeDone {
                run,
                index,
                outcome,
                duration_ms,
            } if run == next.run => {
                if let Some(slot) = next.progress.get_mut(index) {
                    slot.outcome = Some(outcome);
                    slot.duration_ms = duration_ms;
                }
            }
            Action::Tick { run, elapsed_ms } if run == next.run => next.elapsed_ms = elapsed_ms,
            Action::Finished { run, report } if run == next.run => {
                next.report = Some(*report);
                next.status = Status::Done;
            }
            Action::Analysed { .. }
            | Action::Fixed { .. }
            | Action::Planned { .. }
            | Action::ProbeDone { .. }
            | Action::Tick { .. }
            | Action::Finished { .. } => return self,
        }
        Rc::new(next)
    }
}
