//! Picking a scenario, and what it is based on: its summary and its sources with their
//! reliability.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::custom::ScenarioLoader;
use super::glossary::term_help;
use super::synced_select::use_synced_select;
use super::value_input::parsed;
use crate::app::Shared;
use crate::scenario::{builtin, builtin_ids, Scenario};

#[derive(Properties, PartialEq)]
pub struct ScenarioPanelProps {
    pub scenario: Shared<Scenario>,
    /// The scenario was loaded by the user (not built in).
    pub carried: bool,
    /// The named view the values started from (`None`: the defaults), and how many values
    /// were changed since.
    pub named_view: Option<usize>,
    pub changed_since_view: usize,
    pub callbacks: ScenarioCallbacks,
}

/// What the scenario panel asks for; made once by the page (see `ControlsCallbacks`).
#[derive(Clone, PartialEq)]
pub struct ScenarioCallbacks {
    /// Open the built-in scenario with this id.
    pub on_scenario: Callback<String>,
    /// Start from the named view with this index, or from the defaults (`None`).
    pub on_view: Callback<Option<usize>>,
    /// Use a scenario file the user loaded (the scenario and its text).
    pub on_file: Callback<(Rc<Scenario>, Rc<String>)>,
}

/// The view picker's value for "the scenario's defaults".
const DEFAULTS: &str = "defaults";

#[component]
pub fn ScenarioPanel(props: &ScenarioPanelProps) -> Html {
    let scenario = &props.scenario;
    let onchange = parsed::<Event, HtmlSelectElement, String>(props.callbacks.on_scenario.clone());
    let picker = use_synced_select(if props.carried {
        String::new()
    } else {
        scenario.id.clone()
    });
    let view_picker = use_synced_select(
        props
            .named_view
            .map_or(DEFAULTS.to_string(), |v| scenario.views[v].id.clone()),
    );
    let onview = {
        let scenario = scenario.clone();
        props.callbacks.on_view.reform(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            scenario.views.iter().position(|v| v.id == select.value())
        })
    };
    let shown_view = props.named_view.map(|v| &scenario.views[v]);
    let summary_open = use_state(|| false);
    let ontogglesummary = {
        let summary_open = summary_open.clone();
        Callback::from(move |_| summary_open.set(!*summary_open))
    };
    // Once: the built-ins never change, and each is a clone of a whole parsed file, while this
    // panel renders at every slider step.
    let titles = use_memo((), |()| {
        builtin_ids()
            .map(|id| {
                let title = builtin(id)
                    .and_then(Result::ok)
                    .map_or_else(|| id.to_string(), |s| s.title);
                // The picker is narrow; the page says "speculative" everywhere, and the summary
                // below the picker says it of this scenario, so the title's own tag is left out.
                let title = title
                    .strip_suffix(" (speculative)")
                    .map_or(title.clone(), str::to_string);
                (id.to_string(), title)
            })
            .collect::<Vec<(String, String)>>()
    });
    html! {
        <section class="scenario-panel" aria-labelledby="scenario-heading">
            <h2 id="scenario-heading">{ "Scenario" }</h2>
            <label for="scenario-picker" class="visually-hidden">{ "Scenario" }</label>
            <select id="scenario-picker" ref={picker} {onchange}>
                if props.carried {
                    <option value="" selected=true disabled=true>{ format!("Your scenario: {}", scenario.title) }</option>
                }
                for (id, title) in titles.iter() {
                    <option value={id.clone()} selected={!props.carried && *id == scenario.id}>{ title.clone() }</option>
                }
            </select>
            if props.carried {
                <p class="caption">{ format!("“{}” was loaded from a file; it is not one of the built-in scenarios. Its text travels inside the share link.", scenario.title) }</p>
            }
            if !scenario.views.is_empty() {
                <div class="view-picker">
                    <label for="view-picker">{ "View: a reading of the documents" }</label>
                    { term_help("view") }
                    <select id="view-picker" ref={view_picker} onchange={onview}>
                        <option value={DEFAULTS} selected={props.named_view.is_none()}>{ "The scenario's defaults" }</option>
                        for view in scenario.views.iter() {
                            <option value={view.id.clone()} selected={shown_view.is_some_and(|v| v.id == view.id)}>{ view.title.clone() }</option>
                        }
                    </select>
                    if props.changed_since_view > 0 {
                        <p class="caption" data-changed={props.changed_since_view.to_string()}>{
                            format!("{} assumption{} now differ{} from this choice.", props.changed_since_view,
                                if props.changed_since_view == 1 { "" } else { "s" },
                                if props.changed_since_view == 1 { "s" } else { "" })
                        }</p>
                    }
                    if let Some(view) = shown_view {
                        <details class="view-rationale">
                            <summary>{ "Why these values (speculative: one reading of opinion and unverified reports)" }</summary>
                            <p>{ view.rationale.clone() }</p>
                            <ul>
                                for source in view.sources.iter() {
                                    <li>
                                        { scenario.sources[source.source].title.clone() }
                                        if let Some(quote) = &source.quote {
                                            { ": “" }{ quote.clone() }{ "”" }
                                        }
                                        if let Some(note) = &source.note {
                                            { ": " }{ note.clone() }
                                        }
                                    </li>
                                }
                            </ul>
                        </details>
                    }
                </div>
            }
            // On a phone the summary is cut to three lines until asked for, so that the chart is
            // near the top of the screen (CSS applies the cut only on narrow screens).
            <p id="scenario-summary" class={classes!("summary", (!*summary_open).then_some("clamped"))}>{ scenario.summary.clone() }</p>
            <button type="button" class="summary-toggle" aria-controls="scenario-summary" aria-expanded={summary_open.to_string()}
                onclick={ontogglesummary}>{ if *summary_open { "Less" } else { "More about this scenario" } }</button>
            <details class="sources">
                <summary>{ format!("Sources ({}) and how far to trust them", scenario.sources.len()) }</summary>
                <ul>
                    for source in scenario.sources.iter() {
                        <li>
                            <strong>{ source.title.clone() }</strong>
                            { format!(" — {}, {} ({})", source.description, source.date, source.kind.as_str()) }
                            <br/>
                            <span class="reliability">{ "Reliability: " }{ source.reliability.clone() }</span>
                        </li>
                    }
                </ul>
            </details>
            <ScenarioLoader on_file={props.callbacks.on_file.clone()} />
        </section>
    }
}
