//! Two states side by side on the same random draws: the current one against the scenario's
//! defaults (or another built-in scenario over the same actors), with outcome differences and
//! their paired standard errors, and the fan charts overlaid.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart_images::ChartImages;
use super::fan_chart::{axes, LARGE};
use super::synced_select::use_synced_select;
use crate::analysis::compare::{check_same_actors, compare_runs, StateComparison};
use crate::analysis::OutcomeRuns;
use crate::app::Shared;
use crate::engine::{PairBands, Settings, Summary};
use crate::scenario::{builtin, builtin_ids, Scenario};
use crate::state::ReferenceRun;
use crate::view::fan::fan_paths;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub scenario: Shared<Scenario>,
    pub settings: Settings,
    pub generation: u64,
    /// The current state's finished results (same generation), if any.
    pub summary: Option<Shared<Summary>>,
    pub indicators: Option<Shared<OutcomeRuns>>,
    pub pair: usize,
    /// The built-in scenario chosen as reference; empty for this scenario's defaults.
    pub choice: AttrValue,
    /// The last reference run asked for.
    pub reference: Option<ReferenceRun>,
    pub on_choice: Callback<String>,
    pub on_run: Callback<()>,
    /// The share link, written into chart images.
    pub link: AttrValue,
}

const DEFAULTS: &str = "";

#[component]
pub fn Compare(props: &CompareProps) -> Html {
    let scenario = &props.scenario;
    // Built-in scenarios over the same actors (in the same order) can be compared run by run.
    let others: Vec<(String, String)> = builtin_ids()
        .filter(|id| *id != scenario.id)
        .filter_map(|id| builtin(id)?.ok())
        .filter(|other| check_same_actors(scenario, other).is_ok())
        .map(|other| (other.id.clone(), other.title.clone()))
        .collect();
    let onchoice = props.on_choice.reform(|event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        select.value()
    });
    let choice = &props.choice;
    let picker = use_synced_select(choice.to_string());
    let onrun = props.on_run.reform(|_: MouseEvent| ());
    let reference = &props.reference;

    let comparison: Option<(StateComparison, Rc<Summary>, String)> = match (reference, &props.indicators) {
        (Some(r), Some(current)) if r.settings == props.settings => r.result.as_ref().map(|(summary, runs)| {
            (
                compare_runs(&r.scenario, runs, scenario, current, props.settings),
                summary.clone(),
                r.label.clone(),
            )
        }),
        _ => None,
    };
    let running = reference.as_ref().is_some_and(|r| r.result.is_none());
    let stale = reference.as_ref().is_some_and(|r| r.generation != props.generation);
    html! {
        <section class="compare" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{ "Compare" }</h2>
            <p class="caption">{ "The current state against a reference, run on the same random draws (same seed): differences are effects of the changed assumptions, with their paired standard error." }</p>
            <div class="setting">
                <label for="compare-with">{ "Against" }</label>
                <select id="compare-with" ref={picker} onchange={onchoice}>
                    <option value={DEFAULTS} selected={choice.is_empty()}>{ "this scenario's defaults" }</option>
                    for (id, title) in others {
                        <option value={id.clone()} selected={choice.as_str() == id}>{ title }</option>
                    }
                </select>
                <button type="button" id="run-compare" onclick={onrun} disabled={running}>{ "Compare" }</button>
            </div>
            if running {
                <p class="status" role="status">{ "Running the reference…" }</p>
            }
            if stale && !running {
                <p class="status" role="status"><strong>{ "The inputs have changed since the reference was run: compare again to update." }</strong></p>
            }
            if let Some((comparison, reference_summary, label)) = comparison {
                <table data-compare-status="done">
                    <caption>{ format!("Reference: {label}; current: your settings.") }</caption>
                    <thead><tr><th scope="col">{ "Outcome" }</th><th scope="col">{ "reference" }</th><th scope="col">{ "current" }</th><th scope="col">{ "difference (± paired SE)" }</th></tr></thead>
                    <tbody>
                        for delta in comparison.outcomes.iter() {
                            <tr data-outcome={delta.id.clone()} data-delta={delta.difference.delta.to_string()} data-std-error={delta.difference.std_error.to_string()}>
                                <th scope="row">{ delta.label.clone() }{ if delta.tests_differ { " (tests differ)" } else { "" } }</th>
                                <td>{ format::percent(delta.a.probability) }</td>
                                <td>{ format::percent(delta.b.probability) }</td>
                                <td>{ format!("{} points", format::points_change(delta.difference.delta, delta.difference.std_error)) }</td>
                            </tr>
                        }
                    </tbody>
                </table>
                if !comparison.only_in_a.is_empty() || !comparison.only_in_b.is_empty() {
                    <p class="caption">{ format!("Outcomes only in the reference: {}; only in the current scenario: {}.",
                        comparison.only_in_a.join(", "), comparison.only_in_b.join(", ")) }</p>
                }
                if let Some(current) = &props.summary {
                    if let (Some(reference_bands), Some(current_bands)) = (reference_summary.pairs.get(props.pair), current.pairs.get(props.pair)) {
                        { overlay(&scenario.pair_name(props.pair), reference_bands, current_bands, props.settings.horizon) }
                        <ChartImages target="compare-overlay" what={format!("{} against {label}", scenario.pair_name(props.pair))}
                            file={format!("{}-compare-{}", scenario.id, scenario.pair_key(props.pair))} scenario_title={scenario.title.clone()} link={props.link.clone()} />
                    }
                }
            }
        </section>
    }
}

/// The reference's fan (outlined, dashed) over the current one (filled), for one pair.
fn overlay(pair_name: &str, reference: &PairBands, current: &PairBands, horizon: usize) -> Html {
    let frame = LARGE;
    let (r, c) = (
        fan_paths(reference, horizon, &frame),
        fan_paths(current, horizon, &frame),
    );
    let describe = |b: &PairBands| b.quantiles.last().map_or(String::new(), |q| format::value(q[2], 0.01));
    let description = format!(
        "{pair_name}: median at month {horizon} is {} now and {} in the reference.",
        describe(current),
        describe(reference)
    );
    html! {
        <figure class="fan large overlay" id="compare-overlay">
            <svg viewBox={format!("0 0 {} {}", frame.width, frame.height)} role="img" aria-label={description.clone()}>
                <title>{ description.clone() }</title>
                { axes(&frame, horizon, true) }
                <path class="band-outer" d={c.outer} />
                <path class="band-inner" d={c.inner} />
                <path class="median" d={c.median} />
                <path class="reference-band" d={r.outer} />
                <path class="reference-median" d={r.median} />
            </svg>
            <figcaption>{ format!("{description} Filled: current; dashed: reference.") }</figcaption>
        </figure>
    }
}
