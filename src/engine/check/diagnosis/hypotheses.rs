//! The server behaviours the diagnosis weighs: a correct CORS set-up with up to
//! [`MAX_FAULTS`] of the mistakes real servers make, each with a prior weight (how often that
//! mistake is met in practice). Only the mistakes this request can meet are enumerated, so the
//! set stays small enough to simulate in the page.

use super::CheckContext;
use crate::engine::fetch::{
    is_safelisted_method, normalize_method, AllowList, AllowOrigin, Behaviour, CorsOn, Network,
    Options, Redirect, RedirectTarget,
};

/// Mistakes combined in one hypothesis at most.
pub const MAX_FAULTS: usize = 2;

/// A candidate behaviour and how likely it is before any probe ran.
#[derive(Debug, Clone)]
pub struct Hypothesis {
    pub behaviour: Behaviour,
    pub prior: f64,
}

/// One mistake: a change to the behaviour, and its prior weight.
struct Fault {
    prior: f64,
    apply: Box<dyn Fn(&mut Behaviour)>,
}

fn fault(prior: f64, apply: impl Fn(&mut Behaviour) + 'static) -> Fault {
    Fault {
        prior,
        apply: Box::new(apply),
    }
}

/// A stand-in origin that is not the page's or the app's.
const OTHER_ORIGIN: &str = "https://other.example";

/// Every hypothesis for this request: the correct set-up, each mistake alone, and each pair of
/// mistakes from different dimensions; a server that is down or never answers.
pub fn hypotheses(context: &CheckContext) -> Vec<Hypothesis> {
    let dimensions = dimensions(context);
    let mut out = vec![Hypothesis {
        behaviour: Behaviour::default(),
        prior: 1.0,
    }];
    for (i, dim) in dimensions.iter().enumerate() {
        for f in dim {
            let mut b = Behaviour::default();
            (f.apply)(&mut b);
            out.push(Hypothesis {
                behaviour: b.clone(),
                prior: f.prior,
            });
            if MAX_FAULTS < 2 {
                continue;
            }
            for other in dimensions.iter().skip(i + 1) {
                for g in other {
                    let mut b2 = b.clone();
                    (g.apply)(&mut b2);
                    out.push(Hypothesis {
                        behaviour: b2,
                        prior: f.prior * g.prior,
                    });
                }
            }
        }
    }
    // A redirect to another origin makes the Origin `null`, which a fixed allow-list answers
    // differently from a reflecting one: those hypotheses come in both forms (a third mistake
    // would otherwise be needed to express the fixed list).
    let page = context.page_origin.clone();
    let reflecting = Behaviour::default().allow_origin;
    let fixed: Vec<Hypothesis> = out
        .iter()
        .filter(|h| {
            h.behaviour.allow_origin == reflecting
                && h.behaviour
                    .redirect
                    .as_ref()
                    .is_some_and(|r| matches!(r.target, RedirectTarget::Origin(_)))
        })
        .map(|h| Hypothesis {
            behaviour: Behaviour {
                allow_origin: AllowOrigin::Value(page.clone()),
                ..h.behaviour.clone()
            },
            prior: h.prior * 0.5,
        })
        .collect();
    out.extend(fixed);
    // A server that is down or hangs looks the same whatever else is wrong with it: it stands
    // for all those combinations, so it carries their weight too.
    let others: f64 = dimensions.iter().flatten().map(|f| f.prior).sum();
    for (network, prior) in [(Network::Down, 0.1), (Network::Hangs, 0.02)] {
        out.push(Hypothesis {
            behaviour: Behaviour {
                network,
                ..Behaviour::default()
            },
            prior: prior * (1.0 + others),
        });
    }
    out
}

fn dimensions(context: &CheckContext) -> Vec<Vec<Fault>> {
    let form = &context.form;
    let method = normalize_method(&form.method);
    let names = context.unsafe_header_names();
    let preflights = context.preflighted() || !names.is_empty();
    let page = context.page_origin.clone();
    let page_slash = format!("{page}/");
    let mut dims = vec![vec![
        // Not a mistake: a fixed allow-list that names this origin (it differs from reflecting
        // only for the `null` origin after a cross-origin redirect).
        fault(0.5, move |b| {
            b.allow_origin = AllowOrigin::Value(page.clone())
        }),
        fault(0.6, |b| b.allow_origin = AllowOrigin::None),
        fault(0.2, |b| b.allow_origin = AllowOrigin::Value("*".into())),
        fault(0.15, |b| {
            b.allow_origin = AllowOrigin::Value(OTHER_ORIGIN.into())
        }),
        fault(0.03, move |b| {
            b.allow_origin = AllowOrigin::Value(page_slash.clone())
        }),
        fault(0.05, |b| b.second_allow_origin = true),
        fault(0.02, |b| {
            b.allow_origin = AllowOrigin::Value("null, null".into())
        }),
    ]];
    if form.credentials {
        dims.push(vec![fault(0.3, |b| b.allow_credentials = false)]);
    }
    if preflights {
        dims.push(vec![
            fault(0.3, |b| {
                b.options = Options::Before {
                    status: 401,
                    cors_headers: false,
                }
            }),
            fault(0.08, |b| {
                b.options = Options::Before {
                    status: 405,
                    cors_headers: true,
                }
            }),
        ]);
        let mut headers = vec![
            fault(0.1, |b| b.allow_headers = AllowList::None),
            fault(0.08, |b| b.allow_headers = AllowList::Value("*".into())),
            fault(0.02, |b| {
                b.allow_headers = AllowList::Value("content-type; x-requested-with".into())
            }),
        ];
        let share = 0.3 / names.len().max(1) as f64;
        for refused in &names {
            // A typical fixed list: the other headers asked for, and Content-Type.
            let mut rest: Vec<&str> = names
                .iter()
                .filter(|n| *n != refused)
                .map(String::as_str)
                .collect();
            if refused != "content-type" && !rest.contains(&"content-type") {
                rest.push("content-type");
            }
            if rest.is_empty() {
                rest.push("x-requested-with");
            }
            let list = rest.join(", ");
            headers.push(fault(share, move |b| {
                b.allow_headers = AllowList::Value(list.clone())
            }));
        }
        dims.push(headers);
    }
    if !is_safelisted_method(&method) {
        dims.push(vec![
            fault(0.45, |b| {
                b.allow_methods = AllowList::Value("GET, POST, HEAD".into())
            }),
            fault(0.04, |b| b.allow_methods = AllowList::Value("*".into())),
            fault(0.02, |b| {
                b.allow_methods = AllowList::Value("GET; POST; PUT; PATCH; DELETE".into())
            }),
        ]);
    }
    let mut statuses = vec![fault(0.15, |b| {
        b.get_status = 500;
        b.other_status = 500;
        b.cors_on = CorsOn::Success;
    })];
    if !matches!(method.as_str(), "GET" | "HEAD") {
        statuses.push(fault(0.3, |b| {
            b.other_status = 500;
            b.cors_on = CorsOn::Success;
        }));
        if form.body.is_some() {
            // The payload fails (validation, parsing); the method alone does not.
            statuses.push(fault(0.1, |b| {
                b.other_status = 400;
                b.bodiless_status = Some(200);
                b.cors_on = CorsOn::Success;
            }));
        }
    }
    dims.push(statuses);
    let other_origin = OTHER_ORIGIN.to_string();
    let mut redirects = Vec::new();
    for (target, prior) in [
        (RedirectTarget::TrailingSlash, 0.04),
        (RedirectTarget::Origin(other_origin), 0.04),
    ] {
        for (cors_headers, preflight_too) in
            [(false, true), (false, false), (true, true), (true, false)]
        {
            let target = target.clone();
            redirects.push(fault(prior, move |b| {
                b.redirect = Some(Redirect {
                    status: 308,
                    target: target.clone(),
                    cors_headers,
                    preflight_too,
                })
            }));
        }
    }
    for (target, prior) in [
        (RedirectTarget::WithCredentials, 0.02),
        (RedirectTarget::OtherScheme, 0.01),
    ] {
        for cors_headers in [true, false] {
            let target = target.clone();
            redirects.push(fault(prior, move |b| {
                b.redirect = Some(Redirect {
                    status: 302,
                    target: target.clone(),
                    cors_headers,
                    preflight_too: true,
                })
            }));
        }
    }
    dims.push(redirects);
    dims
}
