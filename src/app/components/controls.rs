//! All assumption sliders, grouped (actors, pairs, events, model), and the run settings.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::event_mark::EventMark;
use super::slider::AssumptionSlider;
use super::synced_select::use_synced_select;
use super::text::message;
use super::value_input::on_value;
use crate::app::{Dispatch, Shared};
use crate::engine::Settings;
use crate::link::read_seed;
use crate::scenario::{Group, Scenario, MAX_HORIZON};
use crate::state::{Action, RUN_CHOICES};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub scenario: Shared<Scenario>,
    pub values: Rc<Vec<f64>>,
    pub settings: Settings,
    pub dispatch: Dispatch,
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
    let onresetall = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::ResetAll))
    };
    let slider = |index: usize| {
        html! {
            <AssumptionSlider key={index} scenario={props.scenario.clone()} {index}
                value={props.values[index]} dispatch={props.dispatch.clone()} />
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
    let mark = |event: usize| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |observed| dispatch.dispatch(Action::MarkEvent(event, observed)))
    };
    let in_group = |group: Group| -> Vec<usize> {
        (0..scenario.assumptions.len())
            .filter(|&i| scenario.assumptions[i].group == group)
            .collect()
    };
    html! {
        <section id="assumptions" tabindex="-1" class="controls" aria-labelledby="controls-heading">
            <div class="controls-head">
                <h2 id="controls-heading">{ "Assumptions" }</h2>
                <button type="button" onclick={onresetall}>{ format!("Reset all ({changed} changed)") }</button>
            </div>
            <RunSettings settings={props.settings} dispatch={props.dispatch.clone()} />
            <details open=true class="group">
                <summary><h3>{ "Actors: capability weights" }</h3></summary>
                { for in_group(Group::Actors).into_iter().map(slider) }
            </details>
            <details open=true class="group">
                <summary><h3>{ "Pairs: starting alignment and baseline" }</h3></summary>
                { for in_group(Group::Pairs).into_iter().map(slider) }
            </details>
            <details open=true class="group">
                <summary><h3>{ "Events" }</h3></summary>
                for (index, event) in scenario.events.iter().enumerate() {
                    <div class="event-block">
                        <h4>{ event.label.clone() }{ if event.repeatable { " (repeatable)" } else { "" } }</h4>
                        <p class="event-description">{ event.description.clone() }</p>
                        if let (Some(opens), Some(closes)) = (event.opens, event.closes) {
                            if props.values[opens] > props.values[closes] {
                                <p class="message" role="status">{ "The window now opens after it closes: this event cannot fire." }</p>
                            }
                        }
                        <EventMark event={AttrValue::from(event.id.clone())} observed={event.observed}
                            suggested_month={today} calendar={calendar.clone()}
                            on_mark={mark(index)} />
                        { for event_assumptions(event).into_iter().map(slider) }
                    </div>
                }
            </details>
            <details open=true class="group">
                <summary><h3>{ "Model" }</h3></summary>
                { for in_group(Group::Model).into_iter().map(slider) }
            </details>
        </section>
    }
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
    dispatch: Dispatch,
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
        let dispatch = props.dispatch.clone();
        let seed_problem = seed_problem.clone();
        let current = settings.seed;
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            match read_seed(input.value().trim()) {
                Ok(seed) => {
                    seed_problem.set(None);
                    dispatch.dispatch(Action::SetSeed(seed));
                }
                Err(message) => {
                    seed_problem.set(Some(format!("{message}; the seed stays {current}.")));
                    input.set_value(&current.to_string());
                }
            }
        })
    };
    let onreroll = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::RerollSeed))
    };
    let onruns = on_value::<Event, HtmlSelectElement, usize>(&props.dispatch, Action::SetRuns);
    let onhorizon = on_value::<InputEvent, HtmlInputElement, usize>(&props.dispatch, Action::SetHorizon);
    let runs_picker = use_synced_select(settings.runs.to_string());
    let mut choices: Vec<usize> = RUN_CHOICES.to_vec();
    if !choices.contains(&settings.runs) {
        choices.push(settings.runs);
        choices.sort_unstable();
    }
    html! {
        <fieldset class="run-settings">
            <legend>{ "Run settings (not assumptions)" }</legend>
            <div class="setting">
                <label for="seed">{ "Seed" }</label>
                <input id="seed" type="number" min="0" step="1" value={settings.seed.to_string()} onchange={onseed}
                    aria-invalid={seed_problem.is_some().then_some("true")}
                    aria-describedby={seed_problem.is_some().then_some("seed-problem")} />
                <button type="button" onclick={onreroll}>{ "Re-roll" }</button>
                if let Some(problem) = &*seed_problem {
                    <p id="seed-problem" class="field-problem" role="alert">{ message(problem) }</p>
                }
            </div>
            <div class="setting">
                <label for="runs">{ "Runs" }</label>
                <select id="runs" ref={runs_picker} onchange={onruns}>
                    for runs in choices {
                        <option value={runs.to_string()} selected={runs == settings.runs}>{ runs.to_string() }</option>
                    }
                </select>
            </div>
            <div class="setting">
                <label for="horizon">{ "Horizon" }</label>
                <input id="horizon" type="range" min="1" max={MAX_HORIZON.to_string()} step="1"
                    value={settings.horizon.to_string()} aria-valuetext={format!("{} months", settings.horizon)}
                    oninput={onhorizon} />
                <output for="horizon">{ format!("{} months", settings.horizon) }</output>
            </div>
        </fieldset>
    }
}
