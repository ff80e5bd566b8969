//! Outcome probabilities with their Monte Carlo error.

use yew::prelude::*;

use crate::analysis::convergence::{caveat, trace, TracePoint};
use crate::analysis::OutcomeRuns;
use crate::app::Shared;
use std::rc::Rc;

use crate::engine::{Proportion, When};
use crate::scenario::Scenario;
use crate::view::fan::push_points;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct OutcomesProps {
    pub scenario: Shared<Scenario>,
    /// One per outcome of the scenario.
    pub outcomes: Rc<Vec<Proportion>>,
    /// Runs behind these estimates.
    pub runs: usize,
    /// Set while these are the outcomes of the first runs only: how many.
    #[prop_or_default]
    pub preliminary_runs: Option<usize>,
    /// Per-run indicators of the same ensemble, for the convergence traces.
    #[prop_or_default]
    pub indicators: Option<Shared<OutcomeRuns>>,
    /// The switch "over what we don't know" (absent: no switch), and what it shows when on: the
    /// per-run indicators of the propagated ensemble once computed for these inputs.
    #[prop_or_default]
    pub uncertain: Option<UncertainColumn>,
}

/// The switch and the column "over what we don't know".
#[derive(Clone, PartialEq)]
pub struct UncertainColumn {
    pub on: bool,
    pub runs: Option<Shared<OutcomeRuns>>,
    pub on_switch: Callback<bool>,
}

/// How the estimate settled as runs accumulated: the estimate after the first k runs, with a band
/// of ± 2 standard errors, k on a log scale.
fn convergence(points: &[TracePoint]) -> Html {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return html! {};
    };
    let (w, h) = (120.0, 28.0);
    let (k0, k1) = (
        (first.runs as f64).ln(),
        (last.runs as f64).ln().max((first.runs as f64).ln() + 1e-9),
    );
    let x = |k: usize| w * ((k as f64).ln() - k0) / (k1 - k0);
    // Each point's estimate and its band's half-width, 2 standard errors.
    let spread = |t: &TracePoint| (t.estimate.probability, 2.0 * t.estimate.std_error);
    // Zoomed to the band, so that its narrowing shows whatever the level.
    let (low, high) = points
        .iter()
        .map(spread)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (p, e)| {
            (lo.min(p - e), hi.max(p + e))
        });
    let (low, high) = (low.max(0.0), high.min(1.0).max(low.max(0.0) + 0.01));
    let y = |p: f64| h - h * ((p - low) / (high - low)).clamp(0.0, 1.0);
    // Point t of the estimate (`side` 0), or of the band's top (1) or bottom (−1) edge.
    let at = |t: &TracePoint, side: f64| {
        let (p, e) = spread(t);
        (x(t.runs), y(p + side * e))
    };
    let mut line = String::new();
    push_points(&mut line, 'M', points.iter().map(|t| at(t, 0.0)));
    let mut band = String::new();
    push_points(&mut band, 'M', points.iter().map(|t| at(t, 1.0)));
    push_points(&mut band, 'L', points.iter().rev().map(|t| at(t, -1.0)));
    band.push('Z');
    let description = format!(
        "After {} runs: {}; after {} runs: {} ± {:.1} points.",
        first.runs,
        format::percent(first.estimate.probability),
        last.runs,
        format::percent(last.estimate.probability),
        100.0 * last.estimate.std_error
    );
    html! {
        <svg class="convergence" viewBox={format!("0 0 {w} {h}")} role="img" aria-label={format!("Convergence: {description}")}>
            <title>{ format!("Convergence: {description}") }</title>
            <path class="convergence-band" d={band} />
            <path class="convergence-line" d={line} />
        </svg>
    }
}

fn when_words(when: When) -> &'static str {
    match when {
        When::Horizon => "at the horizon",
        When::AnyMonth => "in at least one month",
        When::EveryMonth => "in every month",
    }
}

#[component]
pub fn Outcomes(props: &OutcomesProps) -> Html {
    let over = props.uncertain.as_ref().filter(|u| u.on);
    let over_runs = over.and_then(|u| u.runs.as_ref());
    html! {
        <section class="outcomes" aria-labelledby="outcomes-heading">
            <h2 id="outcomes-heading">{ "Outcomes" }</h2>
            <p class="caption">{ "Share of runs in which each outcome happens under the current assumptions (± Monte Carlo standard error, in points). Not a forecast." }</p>
            if let Some(u) = &props.uncertain {
                <label class="switch">
                    <input type="checkbox" id="uncertain-switch" checked={u.on}
                        onchange={u.on_switch.reform(|e: Event| e.target_unchecked_into::<web_sys::HtmlInputElement>().checked())} />
                    { " Also over what we don't know: each run draws every assumption from its plausible range (same random draws otherwise)" }
                </label>
                if over.is_some() && over_runs.is_none() {
                    <span class="status" role="status" data-uncertain-status="running">{ " computing…" }</span>
                }
            }
            if let Some(runs) = props.preliminary_runs {
                <p class="caption preliminary" role="status">{ format!("From the first {runs} runs; refining as the rest are computed.") }</p>
            }
            <table data-preliminary={props.preliminary_runs.is_some().to_string()}>
                <thead><tr><th scope="col">{ "Outcome" }</th><th scope="col">{ if over.is_some() { "At these values" } else { "Probability" } }</th>
                    if over.is_some() { <th scope="col">{ "Over what we don't know" }</th> }
                    <th scope="col">{ "As runs accumulate" }</th></tr></thead>
                <tbody>
                    for (o, (spec, p)) in props.scenario.outcomes.iter().zip(props.outcomes.iter()).enumerate() {
                        <tr data-outcome={spec.id.clone()} data-probability={p.probability.to_string()} data-std-error={p.std_error.to_string()}>
                            <th scope="row">
                                { spec.label.clone() }
                                <span class="test">{ format::true_minus(&format!("{} {}", spec.test, when_words(spec.outcome.when))) }</span>
                            </th>
                            <td>
                                <span class="probability">{ format::percent_with_error(p.probability, p.std_error) }</span>
                                <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
                                    <rect class="bar-track" width="100" height="6" />
                                    <rect class="bar-fill" width={format!("{:.1}", 100.0 * p.probability)} height="6" />
                                </svg>
                                if let Some(caveat) = caveat(p, props.runs) {
                                    <span class="noisy">{ caveat }</span>
                                }
                            </td>
                            if over.is_some() {
                                <td class="over-uncertainty">
                                    if let Some(runs) = over_runs {
                                        {{
                                            let q = Proportion::of(runs.count(o), runs.runs());
                                            html! { <span class="probability" data-over={q.probability.to_string()} data-over-std-error={q.std_error.to_string()}>
                                                { format::percent_with_error(q.probability, q.std_error) }</span> }
                                        }}
                                    } else { { "…" } }
                                </td>
                            }
                            <td>
                                if let Some(runs) = &props.indicators {
                                    { convergence(&trace(runs, o)) }
                                }
                            </td>
                        </tr>
                    }
                </tbody>
            </table>
        </section>
    }
}
