//! One labelled slider for one assumption: value, default marked, reset, "speculative" badge,
//! confidence, and the rationale with its sources on demand.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::glossary::term_help;
use super::value_input::parsed;
use crate::app::Shared;
use crate::scenario::{Scenario, SourceKind};
use crate::view::format;
use crate::view::glossary::term_of_assumption;

#[derive(Properties, PartialEq)]
pub struct SliderProps {
    pub scenario: Shared<Scenario>,
    pub index: usize,
    pub value: f64,
    /// (assumption index, new value)
    pub on_value: Callback<(usize, f64)>,
    /// Reset the assumption with this index.
    pub on_reset: Callback<usize>,
    /// What the assumption belongs to, when shown away from it (an event's name in the key list).
    #[prop_or_default]
    pub context: Option<AttrValue>,
}

/// DOM id of an assumption's input (ids contain only letters, digits, '.', '-', '_').
pub fn input_id(assumption_id: &str) -> String {
    format!("a-{}", assumption_id.replace('.', "_"))
}

#[component]
pub fn AssumptionSlider(props: &SliderProps) -> Html {
    let assumption = &props.scenario.assumptions[props.index];
    let id = input_id(&assumption.id);
    let at_default = props.value == assumption.default;
    let index = props.index;
    let oninput = parsed::<InputEvent, HtmlInputElement, f64>(props.on_value.reform(move |value| (index, value)));
    let onreset = {
        let index = props.index;
        props.on_reset.reform(move |_: MouseEvent| index)
    };
    // The rationale and its quotes are only put in the page when opened: ~90 sliders stay light.
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |event: Event| {
            let details: web_sys::HtmlDetailsElement = event.target_unchecked_into();
            open.set(details.open());
        })
    };
    let step = assumption.step;
    let shown = format::value(props.value, step);
    let list_id = format!("{id}-default");
    html! {
        <div class={classes!("assumption", (!at_default).then_some("changed"))}>
            if let Some(context) = &props.context {
                <p class="assumption-context">{ context.clone() }</p>
            }
            <div class="assumption-head">
                <span class="assumption-label">
                    <label for={id.clone()}>{ assumption.label.clone() }</label>
                    { term_help(term_of_assumption(&assumption.id, assumption.quantity)) }
                </span>
                <output for={id.clone()} class="value">{ shown }</output>
            </div>
            <input
                type="range"
                id={id.clone()}
                min={assumption.range.0.to_string()}
                max={assumption.range.1.to_string()}
                step={step.to_string()}
                value={props.value.to_string()}
                list={list_id.clone()}
                aria-valuetext={format::value_text(assumption, props.value)}
                {oninput}
            />
            <datalist id={list_id}><option value={assumption.default.to_string()} label="default" /></datalist>
            <div class="assumption-meta">
                <span class="badge speculative" title="An assumption, not a fact">{ "speculative" }</span>
                <span class={classes!("badge", "confidence", assumption.confidence.as_str())}>
                    { format!("{} confidence", assumption.confidence.as_str()) }
                </span>
                <span class="default">{ format!("default {}", format::value(assumption.default, step)) }</span>
                <button type="button" class="reset" onclick={onreset} disabled={at_default}
                    aria-label={format!("Reset {} to its default", assumption.label)}>{ "reset" }</button>
            </div>
            <details class="rationale" {ontoggle}>
                <summary>{ "Why this value" }</summary>
                if *open {
                <p>{ assumption.rationale.clone() }</p>
                <ul class="refs">
                    for reference in assumption.sources.iter() {
                        <li>
                            <span class="ref-source">{ source_line(&props.scenario, reference.source) }</span>
                            if let Some(quote) = &reference.quote {
                                <blockquote>{ format!("“{quote}”") }</blockquote>
                            }
                            if let Some(note) = &reference.note {
                                <p class="ref-note">{ note.clone() }</p>
                            }
                        </li>
                    }
                </ul>
                <p class="assumption-id">{ format!("id: {} · range {} to {}", assumption.id, format::value(assumption.range.0, step), format::value(assumption.range.1, step)) }</p>
                }
            </details>
        </div>
    }
}

fn source_line(scenario: &Scenario, index: usize) -> String {
    let source = &scenario.sources[index];
    match source.kind {
        SourceKind::Document => format!("{} ({}), quoted passage:", source.title, source.date),
        SourceKind::Dataset => format!("{} (data set)", source.title),
        SourceKind::Judgement => source.title.clone(),
    }
}
