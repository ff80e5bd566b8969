//! All assumption sliders, grouped (actors, pairs, events, model), and the run settings.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::event_mark::EventMark;
use super::glossary::term_help;
use super::slider::AssumptionSlider;
use super::synced_select::use_synced_select;
use super::text::message;
use super::value_input::parsed;
use crate::app::Shared;
use crate::engine::Settings;
use crate::link::read_seed;
use crate::scenario::{Group, Observation, Scenario, MAX_HORIZON};
use crate::state::RUN_CHOICES;

/// What the assumption and run-setting controls ask for. The page makes these once, so that
/// they compare equal from one render to the next and unchanged sliders are not re-rendered.
#[derive(Clone, PartialEq)]
pub struct ControlsCallbacks {
    /// (assumption index, new value)
    pub on_value: Callback<(usize, f64)>,
    /// Reset one assumption to its default.
    pub on_reset: Callback<usize>,
    pub on_reset_all: Callback<()>,
    /// (event index, what is known about it)
    pub on_mark: Callback<(usize, Option<Observation>)>,
    pub on_seed: Callback<u64>,
    pub on_reroll: Callback<()>,
    pub on_runs: Callback<usize>,
    pub on_horizon: Callback<usize>,
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub scenario: Shared<Scenario>,
    pub values: Rc<Vec<f64>>,
    pub settings: Settings,
    pub callbacks: ControlsCallbacks,
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let scenario = &props.scenario;
    let changed = scenario
        .assumptions
        .iter()
        .zip(props.values.iter())
        .filter(|(a, v)| **v != a.default)
        .count();
    let onresetall = props.callbacks.on_reset_all.reform(|_: MouseEvent| ());
    let slider = |index: usize| {
        html! {
            <AssumptionSlider key={index} scenario={props.scenario.clone()} {index}
                value={props.values[index]} on_value={props.callbacks.on_value.clone()}
                on_reset={props.callbacks.on_reset.clone()} />
        }
    };
    // A new mark starts at today's month when the scenario states its start (else month 1).
    let today = scenario
        .start
        .map_or(1, |start| start.months_until_now(js_sys::Date::now()))
        .clamp(1, MAX_HORIZON as u32);
    let calendar = {
        let scenario = scenario.clone();
        Callback::from(move |month: u32| scenario.month_label(month as usize))
    };
    let mark = |event: usize| props.callbacks.on_mark.reform(move |observed| (event, observed));
    let key = &scenario.opening.key_assumptions;
    // Shown in the full list only when not already among the key assumptions above it.
    let in_group = |group: Group| -> Vec<usize> {
        (0..scenario.assumptions.len())
            .filter(|&i| scenario.assumptions[i].group == group && !key.contains(&i))
            .collect()
    };
    // The full list is put in the page only when opened or searched: ~90 sliders stay out of a
    // newcomer's way and out of the DOM until asked for.
    let all_open = use_state(|| key.is_empty());
    let filter = use_state(String::new);
    let searching = !filter.trim().is_empty();
    let ontoggle = {
        let all_open = all_open.clone();
        // A search opens the list by itself; only the user's own toggles are remembered, so that
        // clearing the search gives back the list as the user left it.
        Callback::from(move |event: Event| {
            if !searching {
                let details: web_sys::HtmlDetailsElement = event.target_unchecked_into();
                all_open.set(details.open());
            }
        })
    };
    let onfilter = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let words = search_words(&filter);
    // Each assumption's text is searched once per render, then looked up.
    let matched: Vec<bool> = (0..scenario.assumptions.len())
        .map(|index| words.is_empty() || assumption_matches(scenario, index, &words))
        .collect();
    let matches = |index: usize| matched[index];
    let shown_in = |group: Group| -> Vec<usize> { in_group(group).into_iter().filter(|&i| matches(i)).collect() };
    let others = scenario.assumptions.len() - key.len();
    let show_all = *all_open || searching;
    let found = (0..scenario.assumptions.len())
        .filter(|&i| !key.contains(&i) && matches(i))
        .count();
    let found_among_key = key.iter().filter(|&&i| searching && matches(i)).count();
    let headline_label = scenario
        .outcomes
        .get(scenario.opening.outcome)
        .map_or_else(String::new, |o| o.label.clone());
    html! {
        <section id="assumptions" tabindex="-1" class="controls" aria-labelledby="controls-heading">
            <div class="controls-head">
                <h2 id="controls-heading">{ "Assumptions" }</h2>
                <button type="button" onclick={onresetall}>{ format!("Reset all ({changed} changed)") }</button>
            </div>
            if !key.is_empty() {
                <div class="key-assumptions" role="group" aria-labelledby="key-heading">
                    <h3 id="key-heading">{ "Key assumptions" }</h3>
                    <p class="hint">{ format!(
                        "Start with these {}: the assumptions the question “{headline_label}” depends on most, most influential first (chosen in the scenario file from a variance-based sensitivity analysis). Every value is a speculative assumption.",
                        key.len()
                    ) }</p>
                    for index in key.iter().copied() {
                        <AssumptionSlider key={index} scenario={props.scenario.clone()} {index}
                            value={props.values[index]} on_value={props.callbacks.on_value.clone()}
                            on_reset={props.callbacks.on_reset.clone()}
                            context={event_of(scenario, index).map(|e| AttrValue::from(format!("Event: {}", e.label)))} />
                    }
                </div>
            }
            <RunSettings settings={props.settings} callbacks={props.callbacks.clone()} />
            <div class="assumption-filter">
                <label for="assumption-filter">{ "Find an assumption" }</label>
                <input id="assumption-filter" type="search" value={(*filter).clone()} oninput={onfilter}
                    placeholder="a word from its name, id or rationale" aria-describedby="assumption-filter-count" />
                <p id="assumption-filter-count" class="hint" aria-live="polite">
                    if searching {
                        { format!("{found} of the {others} {} match", if key.is_empty() { "assumptions" } else { "other assumptions" }) }
                        if found_among_key > 0 {
                            { format!("; {found_among_key} of the key assumptions above match too") }
                        }
                        { "." }
                    }
                </p>
            </div>
            <details class="all-assumptions" open={show_all} {ontoggle}>
                <summary><h3>{ if key.is_empty() {
                    format!("All {others} assumptions, grouped")
                } else {
                    format!("All {others} other assumptions, grouped")
                } }</h3></summary>
                if show_all {
                    { group("Actors: how much each one's stance counts (capability weights)", shown_in(Group::Actors), &slider, searching) }
                    { group("Pairs: where each relation starts and where it settles (baseline)", shown_in(Group::Pairs), &slider, searching) }
                    if !scenario.events.is_empty() && (!searching || scenario.events.iter().any(|e| event_assumptions(e).into_iter().any(|i| !key.contains(&i) && matches(i)))) {
                        <details open=true class="group">
                            <summary><h4>{ "Events: what may happen, how likely, and what it changes" }</h4></summary>
                            for (index, event) in scenario.events.iter().enumerate() {
                                if !searching || event_assumptions(event).into_iter().any(|i| !key.contains(&i) && matches(i)) {
                                    <div class="event-block">
                                        <h5>{ event.label.clone() }{ if event.repeatable { " (repeatable)" } else { "" } }</h5>
                                        <p class="event-description">{ event.description.clone() }</p>
                                        if let (Some(opens), Some(closes)) = (event.opens, event.closes) {
                                            if props.values[opens] > props.values[closes] {
                                                <p class="message" role="status">{ "The window now opens after it closes: this event cannot fire." }</p>
                                            }
                                        }
                                        <EventMark event={AttrValue::from(event.id.clone())} observed={event.observed}
                                            suggested_month={today} calendar={calendar.clone()}
                                            on_mark={mark(index)} />
                                        { for event_assumptions(event).into_iter().filter(|&i| !key.contains(&i) && matches(i)).map(&slider) }
                                    </div>
                                }
                            }
                        </details>
                    }
                    { group("Model: how relations move", shown_in(Group::Model), &slider, searching) }
                }
            </details>
        </section>
    }
}

/// One group of the full list; left out while searching when nothing in it matches.
fn group(title: &str, indices: Vec<usize>, slider: &impl Fn(usize) -> Html, searching: bool) -> Html {
    if indices.is_empty() && searching {
        return html! {};
    }
    html! {
        <details open=true class="group">
            <summary><h4>{ title.to_string() }</h4></summary>
            { for indices.into_iter().map(slider) }
        </details>
    }
}

/// The filter's words, lower-cased (ASCII only: Unicode case tables would cost the bundle several KB, and the files' words are English); an assumption matches when it contains every one.
fn search_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_ascii_lowercase).collect()
}

/// Whether every word occurs in the assumption's label, id or rationale, or in its event's label.
fn assumption_matches(scenario: &Scenario, index: usize, words: &[String]) -> bool {
    let a = &scenario.assumptions[index];
    let event = event_of(scenario, index).map_or("", |e| e.label.as_str());
    let text = format!("{} {} {} {}", a.label, a.id, a.rationale, event).to_ascii_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

/// The event an assumption belongs to, if any.
fn event_of(scenario: &Scenario, index: usize) -> Option<&crate::scenario::EventSpec> {
    scenario.events.iter().find(|e| event_assumptions(e).contains(&index))
}

/// An event's assumptions in reading order: chance per year, window, conditions, effects.
fn event_assumptions(event: &crate::scenario::EventSpec) -> Vec<usize> {
    let mut indices: Vec<usize> = event.per_year.into_iter().collect();
    indices.extend(event.opens);
    indices.extend(event.closes);
    indices.extend(event.conditions.iter().map(|c| c.threshold));
    for effect in &event.effects {
        indices.extend(effect.jump);
        indices.extend(effect.shift);
    }
    indices
}

#[derive(Properties, PartialEq)]
struct RunSettingsProps {
    settings: Settings,
    callbacks: ControlsCallbacks,
}

/// Seed (with re-roll), number of runs and horizon: not assumptions, but part of the link.
#[component]
fn RunSettings(props: &RunSettingsProps) -> Html {
    let settings = props.settings;
    // A seed that is not one (−3, a number past 2⁶⁴ − 1, 1e5) is refused with a message, and the
    // field goes back to the seed in use, so it never shows a seed the numbers do not use.
    let seed_problem = use_state(|| None::<String>);
    {
        // A new seed in use (re-roll, a link) makes an old complaint stale.
        let seed_problem = seed_problem.clone();
        use_effect_with(settings.seed, move |_| seed_problem.set(None));
    }
    let onseed = {
        let on_seed = props.callbacks.on_seed.clone();
        let seed_problem = seed_problem.clone();
        let current = settings.seed;
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            match read_seed(input.value().trim()) {
                Ok(seed) => {
                    seed_problem.set(None);
                    on_seed.emit(seed);
                }
                Err(message) => {
                    seed_problem.set(Some(format!("{message}; the seed stays {current}.")));
                    input.set_value(&current.to_string());
                }
            }
        })
    };
    let onreroll = props.callbacks.on_reroll.reform(|_: MouseEvent| ());
    let onruns = parsed::<Event, HtmlSelectElement, usize>(props.callbacks.on_runs.clone());
    let onhorizon = parsed::<InputEvent, HtmlInputElement, usize>(props.callbacks.on_horizon.clone());
    let runs_picker = use_synced_select(settings.runs.to_string());
    let mut choices: Vec<usize> = RUN_CHOICES.to_vec();
    if !choices.contains(&settings.runs) {
        // In order (the choices are), by insertion rather than a sort: no sort of integers in the
        // page's bundle.
        choices.insert(choices.partition_point(|&c| c < settings.runs), settings.runs);
    }
    html! {
        <fieldset class="run-settings">
            <legend>{ "Run settings (not assumptions)" }</legend>
            <div class="setting">
                <label for="seed">{ "Seed" }</label>{ term_help("seed") }
                <input id="seed" type="number" min="0" step="1" value={settings.seed.to_string()} onchange={onseed}
                    aria-invalid={seed_problem.is_some().then_some("true")}
                    aria-describedby={seed_problem.is_some().then_some("seed-problem")} />
                <button type="button" onclick={onreroll}>{ "Re-roll" }</button>
                if let Some(problem) = &*seed_problem {
                    <p id="seed-problem" class="field-problem" role="alert">{ message(problem) }</p>
                }
            </div>
            <div class="setting">
                <label for="runs">{ "Runs" }</label>{ term_help("runs") }
                <select id="runs" ref={runs_picker} onchange={onruns}>
                    for runs in choices {
                        <option value={runs.to_string()} selected={runs == settings.runs}>{ runs.to_string() }</option>
                    }
                </select>
            </div>
            <div class="setting">
                <label for="horizon">{ "Horizon" }</label>{ term_help("horizon") }
                <input id="horizon" type="range" min="1" max={MAX_HORIZON.to_string()} step="1"
                    value={settings.horizon.to_string()} aria-valuetext={format!("{} months", settings.horizon)}
                    oninput={onhorizon} />
                <output for="horizon">{ format!("{} months", settings.horizon) }</output>
            </div>
        </fieldset>
    }
}
