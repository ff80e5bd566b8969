//! Everything computed from the ensemble: progress, fan charts, network, outcomes, events, blocs,
//! and the share link.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::blocs::Blocs;
use super::chart_images::ChartImages;
use super::compare::Compare;
use super::events::Events;
use super::exports::Exports;
use super::fan_chart::FanChart;
use super::network::{network, NetworkProps};
use super::outcomes::{Outcomes, UncertainColumn};
use super::sensitivity::Sensitivity;
use super::share::Share;
use super::synced_select::use_synced_select;
use super::value_input::on_value;
use crate::analysis::sobol::GroupBy;
use crate::app::runner::pool_size;
use crate::app::{send, Shared};
use crate::engine::{PairBands, Proportion};
use crate::state::{Action, AnalysisAction, State};
use crate::view::format;

/// A typed callback that dispatches one analysis action.
fn analysis<T: 'static>(
    dispatch: &UseReducerDispatcher<State>,
    to_action: impl Fn(T) -> AnalysisAction + 'static,
) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |input| dispatch.dispatch(Action::Analysis(to_action(input))))
}

/// The bands the charts draw. The last finished fans stay drawn while a job runs (with its
/// progress over the chart); the running job's partial fans are drawn only where no finished
/// ones fit (another scenario or horizon), so that a long job does not blank the charts and
/// refill them month by month.
pub fn shown_bands(state: &State) -> Option<Shared<Vec<PairBands>>> {
    let finished = state
        .summary
        .as_ref()
        .filter(|s| s.pairs.len() == state.scenario.pairs.len() && s.settings.horizon == state.settings.horizon)
        .map(|s| Shared(Rc::new(s.pairs.clone())));
    finished.or_else(|| state.partial.clone().map(Shared))
}

/// The outcome estimates to show: the running job's first runs while the finished ones are out
/// of date, else the finished ones (if they belong to this scenario).
pub fn shown_outcomes(state: &State) -> Option<Rc<Vec<Proportion>>> {
    match (&state.preliminary, state.is_stale()) {
        (Some((_, outcomes)), true) => Some(outcomes.clone()),
        _ => state
            .summary
            .as_ref()
            .filter(|s| s.outcomes.len() == state.scenario.outcomes.len())
            .map(|s| Rc::new(s.outcomes.clone())),
    }
}

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub state: UseReducerHandle<State>,
    pub link: AttrValue,
    /// The same state's compact view for an iframe.
    pub embed_url: AttrValue,
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let state = &props.state;
    let scenario = Shared(state.scenario.clone());
    let dispatch = state.dispatcher();
    let summary = state.summary.clone().map(Shared);
    let bands = shown_bands(state);
    // Shown once the job has reported progress at least once (a short job never flashes it).
    let long_job = state.partial.is_some().then_some(state.progress).flatten();
    let fits = |s: &Shared<crate::engine::Summary>| {
        s.outcomes.len() == scenario.outcomes.len() && s.pairs.len() == scenario.pairs.len()
    };
    let summary = summary.filter(fits);
    let indicators = state.indicators.clone().filter(|_| !state.is_stale()).map(Shared);
    // The outcomes' convergence traces go with the numbers beside them: the summary shown (dimmed
    // while a new run computes), whose indicators came with it. Dropped while stale, they blinked
    // out and back at every slider step.
    let traced = summary
        .as_ref()
        .and(state.indicators.clone())
        .filter(|runs| runs.outcome_count() == scenario.outcomes.len())
        .map(Shared);
    // Read from the same runs as the summary shown (they arrive together).
    let readings = state.readings.clone().map(Shared);
    let onpair = on_value::<Event, HtmlSelectElement, usize>(&dispatch, Action::SelectPair);
    let running = state.progress.is_some();
    // The status line shows a job's progress once it has reported some (the worker's first report
    // waits 150 ms), or from the start when no run has finished yet. A slider step of 60 ms keeps
    // the last line until its own replaces it, instead of flashing "Computing…" and a bar, and
    // having both announced, at every key.
    let progress = state
        .progress
        .filter(|_| long_job.is_some() || state.last_run_milliseconds.is_none());
    let status = match (progress, state.last_run_milliseconds) {
        (Some(fraction), _) => format!("Computing {} runs… {:.0} %", state.settings.runs, 100.0 * fraction),
        (None, Some(ms)) => format!(
            "{} runs × {} months computed in {:.0} ms (seed {}, {}).",
            state.settings.runs,
            state.settings.horizon,
            ms,
            state.settings.seed,
            format::engine()
        ),
        (None, None) => "Starting…".to_string(),
    };
    let horizon = state.settings.horizon;
    // Where each pair heads without noise or events, from the worker's last finished summary
    // (the engine stays off this thread), when it is about the chart's pairs and months.
    let drift = state
        .summary
        .as_ref()
        .filter(|s| s.drift.len() == scenario.pairs.len() && s.settings.horizon == horizon)
        .and_then(|s| s.drift.get(state.view.pair))
        .map(|path| Rc::new(path.clone()));
    let pair = state.view.pair;
    let values = Rc::new(state.values.clone());
    let pair_picker = use_synced_select(pair.to_string());
    let title = AttrValue::from(scenario.title.clone());
    html! {
        <section id="results" tabindex="-1" class={classes!("results", running.then_some("running"))} aria-labelledby="results-heading"
            data-status={if running { "running" } else { "done" }} data-generation={state.generation.to_string()}>
            <h2 id="results-heading" class="visually-hidden">{ "Results" }</h2>
            <div class="status" role="status" aria-live="polite">
                <span>{ status }</span>
                if let Some(fraction) = progress {
                    <progress max="1" value={fraction.to_string()} aria-label="Progress of the simulation" />
                }
            </div>
            <section class="fan-main" id="fan-main" aria-labelledby="fan-heading">
                <div class="fan-head">
                    <h2 id="fan-heading">{ "Alignment over time" }</h2>
                    <label for="pair-picker">{ "Pair" }</label>
                    <select id="pair-picker" ref={pair_picker} onchange={onpair}>
                        for p in 0..scenario.pairs.len() {
                            <option value={p.to_string()} selected={p == pair}>{ scenario.pair_name(p) }</option>
                        }
                    </select>
                </div>
                if let Some(bands) = &bands {
                    <FanChart title={AttrValue::from(scenario.pair_name(pair))} bands={bands[pair].clone()} {horizon} large=true
                        {drift} calendar={scenario.start.map(|start| (AttrValue::from(start.month_label(0)),
                            start.months_until_now(js_sys::Date::now()) as usize))} />
                }
                if let Some(fraction) = long_job {
                    <div class="fan-progress" aria-hidden="true">
                        { format!("Computing… {:.0} %", 100.0 * fraction) }
                        <progress max="1" value={fraction.to_string()} />
                    </div>
                }
                <ChartImages target="fan-main" what={format!("alignment over time, {}", scenario.pair_name(pair))}
                    file={format!("{}-{}", scenario.id, scenario.pair_key(pair))} scenario_title={title.clone()} link={props.link.clone()} />
            </section>
            if let (Some((runs, outcomes)), true) = (&state.preliminary, state.is_stale()) {
                <Outcomes scenario={scenario.clone()} outcomes={outcomes.clone()} runs={*runs} preliminary_runs={Some(*runs)} />
            } else if let Some(summary) = &summary {
                <Outcomes scenario={scenario.clone()} outcomes={Rc::new(summary.outcomes.clone())} runs={summary.settings.runs} indicators={traced}
                    uncertain={UncertainColumn {
                        on: state.view.uncertain,
                        runs: state.analyses.uncertain.as_ref().filter(|(id, _)| *id == state.generation && !state.is_stale()).map(|(_, runs)| Shared(runs.clone())),
                        on_switch: { let dispatch = dispatch.clone(); Callback::from(move |on| dispatch.dispatch(Action::SetUncertain(on))) },
                    }} />
            }
            if let Some(bands) = &bands {
                <div id="network-chart">
                    { network(NetworkProps { scenario: &scenario, bands, month: state.view.month, horizon,
                        on_month: send(&dispatch, Action::SetMonth) }) }
                </div>
                <ChartImages target="network-chart" what={format!("network at month {}", state.view.month)}
                    file={format!("{}-network-{}", scenario.id, state.view.month)} scenario_title={title.clone()} link={props.link.clone()} />
            }
            if let Some(summary) = &summary {
                <Events scenario={scenario.clone()} summary={summary.clone()} readings={readings.clone()} />
                <Blocs scenario={scenario.clone()} summary={summary.clone()} readings={readings.clone()} />
            }
            if let Some(bands) = &bands {
                <section class="multiples" aria-labelledby="multiples-heading">
                    <h2 id="multiples-heading">{ "All pairs" }</h2>
                    <div class="grid" id="multiples-grid">
                        for p in 0..scenario.pairs.len() {
                            <FanChart key={p} title={AttrValue::from(scenario.pair_label(p))} bands={bands[p].clone()} {horizon} />
                        }
                    </div>
                    <ChartImages target="multiples-grid" captions=".fan.small figcaption" what="all pairs"
                        file={format!("{}-all-pairs", scenario.id)} scenario_title={title.clone()} link={props.link.clone()} />
                </section>
            }
            <Sensitivity scenario={scenario.clone()} settings={state.settings} generation={state.generation}
                tornado={state.analyses.tornado.clone()} outcome={state.analyses.tornado_outcome}
                on_compute={analysis(&dispatch, |()| AnalysisAction::ComputeTornado { workers: pool_size(), now: js_sys::Date::now() })}
                on_cancel={analysis(&dispatch, |()| AnalysisAction::CancelTornado)}
                on_outcome={analysis(&dispatch, AnalysisAction::ChooseTornadoOutcome)} link={props.link.clone()}
                sobol={state.analyses.sobol.clone()} view={state.analyses.view} by={state.analyses.by.unwrap_or(GroupBy::Assumption)}
                on_view={analysis(&dispatch, AnalysisAction::ChooseView)} on_by={analysis(&dispatch, AnalysisAction::ChooseGrouping)}
                on_compute_sobol={analysis(&dispatch, |()| AnalysisAction::ComputeSobol { workers: pool_size(), now: js_sys::Date::now() })}
                on_cancel_sobol={analysis(&dispatch, |()| AnalysisAction::CancelSobol)} />
            <Compare scenario={scenario.clone()} settings={state.settings} generation={state.generation}
                summary={(!state.is_stale()).then(|| summary.clone()).flatten()} indicators={indicators.clone()} pair={pair}
                choice={state.analyses.reference_choice.clone()} reference={state.analyses.reference.clone()}
                on_choice={analysis(&dispatch, AnalysisAction::ChooseReference)}
                on_run={analysis(&dispatch, |()| AnalysisAction::RunReference)}
                on_cancel={analysis(&dispatch, |()| AnalysisAction::CancelReference)} link={props.link.clone()} />
            if let Some(summary) = &summary {
                <Exports scenario={scenario.clone()} values={values.clone()} summary={summary.clone()} {pair} />
            }
            <Share url={props.link.clone()} embed_url={props.embed_url.clone()} scenario={scenario.clone()} values={values.clone()} settings={state.settings} />
        </section>
    }
}
