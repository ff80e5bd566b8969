//! Two states side by side on the same random draws: the current one against the scenario's
//! defaults, another built-in scenario over the same actors, or the current state without one
//! source (`analysis::ablate`), with outcome differences and their paired standard errors, and the
//! fan charts overlaid.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart_images::ChartImages;
use super::fan_chart::{axes, LARGE};
use super::synced_select::use_synced_select;
use crate::analysis::ablate::ablatable;
use crate::analysis::compare::{check_same_actors, compare_runs, StateComparison};
use crate::analysis::OutcomeRuns;
use crate::app::Shared;
use crate::engine::{PairBands, Settings, Summary};
use crate::scenario::{builtin, builtin_ids, Scenario};
use crate::state::{Reference, ReferenceRun};
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
    pub choice: Reference,
    /// The last reference run asked for.
    pub reference: Option<ReferenceRun>,
    pub on_choice: Callback<Reference>,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The share link, written into chart images.
    pub link: AttrValue,
}

/// The picker's option values: "" for the defaults, `without:` and a source id, or a built-in
/// scenario's id (a slug, so never `without:`).
const WITHOUT: &str = "without:";

fn option_value(scenario: &Scenario, choice: &Reference) -> String {
    match choice {
        Reference::Defaults => String::new(),
        Reference::Builtin(id) => id.clone(),
        &Reference::Without(source) => format!("{WITHOUT}{}", scenario.sources[source].id),
    }
}

fn reference_of(scenario: &Scenario, value: &str) -> Reference {
    match value.strip_prefix(WITHOUT) {
        _ if value.is_empty() => Reference::Defaults,
        Some(id) => scenario
            .sources
            .iter()
            .position(|s| s.id == id)
            .map_or(Reference::Defaults, Reference::Without),
        None => Reference::Builtin(value.to_string()),
    }
}

#[component]
pub fn Compare(props: &CompareProps) -> Html {
    let scenario = &props.scenario;
    // The choices depend on the scenario alone, and this panel renders at every slider step:
    // worked out once per scenario (each built-in is a clone of a whole parsed file).
    let choices = use_memo(scenario.clone(), |scenario| {
        // Built-in scenarios over the same actors (in the same order) can be compared run by run.
        let others: Vec<(String, String)> = builtin_ids()
            .filter(|id| *id != scenario.id)
            .filter_map(|id| builtin(id)?.ok())
            .filter(|other| check_same_actors(scenario, other).is_ok())
            .map(|other| (other.id.clone(), other.title.clone()))
            .collect();
        (others, ablatable(scenario))
    });
    let (others, ablatable_sources) = &*choices;
    let onchoice = {
        let scenario = scenario.clone();
        props.on_choice.reform(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            reference_of(&scenario, &select.value())
        })
    };
    let choice = option_value(scenario, &props.choice);
    let picker = use_synced_select(choice.clone());
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
                    <option value="" selected={choice.is_empty()}>{ "this scenario's defaults" }</option>
                    for (id, title) in others {
                        <option value={id.clone()} selected={choice == *id}>{ title }</option>
                    }
                    for &source in ablatable_sources {
                        {{
                            let value = option_value(scenario, &Reference::Without(source));
                            html! { <option selected={choice == value} value={value.clone()}>{ format!("your settings without “{}”", scenario.sources[source].title) }</option> }
                        }}
                    }
                </select>
                <button type="button" id="run-compare" onclick={onrun} disabled={running}>{ "Compare" }</button>
            </div>
            if running {
                <p class="status" role="status">
                    { "Running the reference… " }
                    <button type="button" id="cancel-compare" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                </p>
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
                if let Some(dropped) = reference.as_ref().and_then(|r| r.ablation.as_ref()) {
                    <p class="caption" data-without={scenario.sources[dropped.source].id.clone()}>
                        { "The difference is what the model makes of this source's claims, with everything else as set. " }
                        if dropped.changed.is_empty() {
                            { "No assumption rests on this source alone with a value stated for its absence: nothing changed." }
                        } else {
                            { format!("Without it: {}.", dropped.changed.iter().map(|&(a, value)| format!("{} at {}",
                                scenario.assumptions[a].label, format::true_minus(&value.to_string()))).collect::<Vec<_>>().join("; ")) }
                        }
                        if !dropped.unstated.is_empty() {
                            { format!(" Kept as set (they rest on it alone, but the file states no value for its absence): {}.",
                                dropped.unstated.iter().map(|&a| scenario.assumptions[a].label.as_str()).collect::<Vec<_>>().join("; ")) }
                        }
                    </p>
                }
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
