//! What the user knows about an event: nothing (it may fire at random), that it happened in a
//! month, or that it had not happened by a month. Marks go into the model and the link.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::synced_select::use_synced_select;
use crate::scenario::{Observation, MAX_HORIZON};

#[derive(Properties, PartialEq)]
pub struct EventMarkProps {
    /// The event's id, for element ids.
    pub event: AttrValue,
    pub observed: Option<Observation>,
    /// The month a new mark starts at (today's month when the scenario states its start).
    pub suggested_month: u32,
    /// "2026-11" for a month, when the scenario states its start.
    pub calendar: Callback<u32, Option<String>>,
    pub on_mark: Callback<Option<Observation>>,
}

const NOT_MARKED: &str = "none";

#[component]
pub fn EventMark(props: &EventMarkProps) -> Html {
    let kind_value = props.observed.map_or(NOT_MARKED, |o| o.link_word());
    let picker = use_synced_select(kind_value.to_string());
    let month = props.observed.map_or(props.suggested_month, Observation::month);
    let onkind = {
        let on_mark = props.on_mark.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let kind = Observation::KINDS
                .into_iter()
                .find(|k| k(0).link_word() == select.value());
            on_mark.emit(kind.map(|k| k(month)));
        })
    };
    let onmonth = {
        let on_mark = props.on_mark.clone();
        let observed = props.observed;
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            match (observed, Observation::read_month(&input.value())) {
                (Some(o), Ok(m)) => on_mark.emit(Some(match o {
                    Observation::HappenedIn(_) => Observation::HappenedIn(m),
                    Observation::NotBy(_) => Observation::NotBy(m),
                })),
                // Not a month of a run: the field goes back to the month in use.
                (Some(o), Err(_)) => input.set_value(&o.month().to_string()),
                (None, _) => {}
            }
        })
    };
    let kind_id = format!("mark-{}", props.event);
    let month_id = format!("mark-month-{}", props.event);
    html! {
        <div class="event-mark" data-mark={kind_value}>
            <label for={kind_id.clone()}>{ "What is known" }</label>
            <select id={kind_id} ref={picker} onchange={onkind}>
                <option value={NOT_MARKED} selected={props.observed.is_none()}>{ "Nothing: it may happen at random" }</option>
                <option value="happened" selected={matches!(props.observed, Some(Observation::HappenedIn(_)))}>{ "It happened in month…" }</option>
                <option value="notby" selected={matches!(props.observed, Some(Observation::NotBy(_)))}>{ "It had not happened by month…" }</option>
            </select>
            if let Some(observed) = props.observed {
                <label for={month_id.clone()} class="visually-hidden">{ "Month" }</label>
                <input id={month_id} type="number" min="1" max={MAX_HORIZON.to_string()} step="1"
                    value={observed.month().to_string()} onchange={onmonth} />
                <span class="caption">{
                    match props.calendar.emit(observed.month()) {
                        Some(label) => format!("({label}); in every run, {}", what_it_does(observed)),
                        None => format!("in every run, {}", what_it_does(observed)),
                    }
                }</span>
            }
        </div>
    }
}

fn what_it_does(observed: Observation) -> &'static str {
    match observed {
        Observation::HappenedIn(_) => "it fires in this month",
        Observation::NotBy(_) => "it cannot fire up to this month",
    }
}
