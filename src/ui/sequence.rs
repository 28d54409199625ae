//! The sequence picture: what the browser exchanged with the server for the user's request, and
//! where it stopped. Drawn as SVG from the report's steps.

use yew::prelude::*;

use crate::engine::check::report::SequenceStep;

#[derive(Properties, PartialEq)]
pub struct SequenceProps {
    pub steps: Vec<SequenceStep>,
}

const WIDTH: i32 = 640;
const ROW: i32 = 44;
const TOP: i32 = 40;
const CODE_X: i32 = 60;
const BROWSER_X: i32 = 220;
const SERVER_X: i32 = 580;

#[component]
pub fn SequencePicture(props: &SequenceProps) -> Html {
    let height = TOP + ROW * i32::try_from(props.steps.len()).unwrap_or(0) + 16;
    let lifeline = |x: i32, name: &'static str| {
        html! {
            <g>
                <text x={x.to_string()} y="20" text-anchor="middle" class="lifeline-name">{ name }</text>
                <line x1={x.to_string()} y1="28" x2={x.to_string()} y2={height.to_string()} class="lifeline" />
            </g>
        }
    };
    let rows = props.steps.iter().enumerate().map(|(index, step)| {
        let y = TOP + ROW * i32::try_from(index).unwrap_or(0) + 24;
        let (from, to) = match step.direction.as_str() {
            "request" => (BROWSER_X, SERVER_X),
            "response" => (SERVER_X, BROWSER_X),
            _ => (BROWSER_X, CODE_X),
        };
        let mid = (from + to) / 2;
        let head = if to > from { to - 8 } else { to + 8 };
        let class = format!("arrow {}", step.state);
        let mark = match step.state.as_str() {
            "ok" => "✓",
            "failed" => "✗",
            "skipped" => "–",
            _ => "?",
        };
        html! {
            <g class={class} data-state={step.state.clone()}>
                <text x={mid.to_string()} y={(y - 8).to_string()} text-anchor="middle">{ format!("{mark} {}", step.label) }</text>
                <line x1={from.to_string()} y1={y.to_string()} x2={to.to_string()} y2={y.to_string()} />
                <polygon points={format!("{to},{y} {head},{} {head},{}", y - 5, y + 5)} />
            </g>
        }
    });
    // The same steps as text, for screen readers (the picture's text alternative).
    let described = props
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            format!(
                "{}. {} ({}): {}",
                i + 1,
                step.direction,
                step.state,
                step.label
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        <svg class="sequence" data-testid="sequence" role="img" viewBox={format!("0 0 {WIDTH} {height}")}
             aria-label={format!("What the browser exchanged with the server: {described}")}>
            { lifeline(CODE_X, "Your code") }
            { lifeline(BROWSER_X, "Browser") }
            { lifeline(SERVER_X, "Server") }
            { for rows }
        </svg>
    }
}
