//! Which assumptions matter for one outcome, in two views computed off the UI thread on the
//! analysis pool: the variance-based Sobol indices over the plausible ranges (the main view; the
//! design's matrices spread over the workers), and the one-at-a-time tornado, with common random
//! numbers (every ensemble uses the page's seed, so run r draws the same numbers at both ends of
//! every range and the bars are effects, not sampling noise).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::chart_images::ChartImages;
use super::synced_select::use_synced_select;
use crate::analysis::export::{tornado_csv, tornado_svg};
use crate::analysis::sensitivity::{assemble, Tornado, INFLUENTIAL_SWING, NOISE_MULTIPLE};
use crate::analysis::sobol::{self, GroupBy, SobolResult};
use crate::app::browser::download;
use crate::app::Shared;
use crate::engine::Settings;
use crate::scenario::Scenario;
use crate::state::{SensitivityView, SobolRun, TornadoRun};
use crate::view::format;
use crate::view::tornado::{label_lines, BarEnd, Rect, TornadoLayout, PAGE_LABEL_CHARS, TICKS};

/// Bars shown before "show all".
const SHOWN_BARS: usize = 15;

#[derive(Properties, PartialEq)]
pub struct SensitivityProps {
    pub scenario: Shared<Scenario>,
    pub settings: Settings,
    /// Changes whenever an input changes: a tornado of older inputs is marked as such.
    pub generation: u64,
    /// The last tornado asked for, as far as the workers have answered.
    pub tornado: Option<TornadoRun>,
    /// The outcome it is drawn for.
    pub outcome: usize,
    pub on_compute: Callback<()>,
    pub on_cancel: Callback<()>,
    pub on_outcome: Callback<usize>,
    /// The share link, written into chart images.
    pub link: AttrValue,
    pub sobol: Option<SobolRun>,
    pub view: SensitivityView,
    pub by: GroupBy,
    pub on_view: Callback<SensitivityView>,
    pub on_by: Callback<GroupBy>,
    pub on_compute_sobol: Callback<()>,
    pub on_cancel_sobol: Callback<()>,
}

const GROUPINGS: [(GroupBy, &str, &str); 3] = [
    (GroupBy::Assumption, "assumption", "per assumption"),
    (
        GroupBy::Source,
        "source",
        "by source (each document, the data, judgement)",
    ),
    (GroupBy::Kind, "kind", "by kind (actors, pairs, events, model)"),
];

/// The Sobol view: method note, grouping, compute/cancel with progress, and the ranked indices.
fn sobol_view(props: &SensitivityProps, outcome: usize, result: Option<&SobolResult>) -> Html {
    let run = props.sobol.as_ref();
    let running = run.is_some_and(SobolRun::is_running);
    let stale = run.is_some_and(|r| r.generation != props.generation);
    let onby = {
        let on_by = props.on_by.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some((by, ..)) = GROUPINGS.iter().find(|(_, key, _)| *key == select.value()) {
                on_by.emit(*by);
            }
        })
    };
    html! { <>
        <p class="caption">{ format!(
            "Every assumption drawn from its plausible range (as “over what we don't know”), {} base samples per design: first-order index = the share of the outcome's variance due to a factor alone; total = with its interactions; 95 % bootstrap intervals. “Chance” is the model's own noise. ★ marks a low-confidence assumption whose total index is at least {} with its interval above {}: where better evidence would matter most.",
            props.settings.runs, sobol::LARGE_TOTAL, sobol::SMALL_TOTAL
        ) }</p>
        <div class="setting">
            <label for="sobol-by">{ "Factors" }</label>
            <select id="sobol-by" onchange={onby}>
                for (by, key, label) in GROUPINGS {
                    <option value={key} selected={by == props.by}>{ label }</option>
                }
            </select>
            <button type="button" id="run-sobol" onclick={props.on_compute_sobol.reform(|_: MouseEvent| ())} disabled={running}>
                { if run.is_some() { "Recompute" } else { "Compute" } }
            </button>
            if running {
                <button type="button" id="cancel-sobol" onclick={props.on_cancel_sobol.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            }
        </div>
        if let Some(r) = run {
            <p class="status" role="status" data-sobol-status={if running { "running" } else { "done" }}>
                if running {
                    { format!("Computing {} ensembles of {} runs on {} workers… ", r.total(), r.settings.runs, r.workers()) }
                    <progress max={r.total().to_string()} value={r.completed().to_string()} aria-label="Progress of the Sobol indices" />
                } else if let Some(ms) = r.milliseconds {
                    <span data-milliseconds={format!("{ms:.0}")}>{ format!("{} ensembles of {} runs in {:.1} s on {} workers.", r.total(), r.settings.runs, ms / 1000.0, r.workers()) }</span>
                }
                if stale {
                    <strong>{ " The inputs have changed since: recompute to update." }</strong>
                }
            </p>
        }
        if let (Some(r), Some(result)) = (run, result) {
            {{
                let rows = sobol::ranked(&r.factors, result);
                let x = |v: f64| format!("{:.1}", 100.0 * v.clamp(0.0, 1.0));
                html! { <>
                    <p>{ format!("“{}”: {} over the plausible ranges.", r.scenario.outcomes[outcome].label, format::percent(result.probability)) }</p>
                    if rows.is_empty() {
                        <p>{ "The outcome came out the same in every run, so it has no variance to share out." }</p>
                    }
                    <table class="sobol">
                        <thead><tr><th scope="col">{ "Factor" }</th><th scope="col">{ "First order [95 %]" }</th><th scope="col">{ "Total [95 %]" }</th><th scope="col" aria-hidden="true"></th></tr></thead>
                        <tbody>
                            for (factor, ix) in rows.iter() {
                                {{
                                    let flagged = !factor.chance && sobol::flagged(&r.scenario, factor, ix);
                                    html! {
                                        <tr data-factor={factor.id.clone()} data-first={ix.first.to_string()} data-total={ix.total.to_string()} data-flagged={flagged.to_string()}>
                                            <th scope="row">{ format!("{}{}", if flagged { "★ " } else { "" }, if factor.chance { "Chance".to_string() } else { sobol::factor_label(&r.scenario, factor) }) }</th>
                                            <td>{ format::true_minus(&format!("{:.2} [{:.2}, {:.2}]", ix.first, ix.first_ci.0, ix.first_ci.1)) }</td>
                                            <td>{ format::true_minus(&format!("{:.2} [{:.2}, {:.2}]", ix.total, ix.total_ci.0, ix.total_ci.1)) }</td>
                                            <td><svg class="bar sobol-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
                                                <rect class="bar-track" width="100" height="8" />
                                                <rect class="total" width={x(ix.total)} height="8" />
                                                <rect class="bar-fill" width={x(ix.first)} y="2" height="4" />
                                                <line class="ci" x1={x(ix.total_ci.0)} x2={x(ix.total_ci.1)} y1="4" y2="4" />
                                            </svg></td>
                                        </tr>
                                    }
                                }}
                            }
                        </tbody>
                    </table>
                </> }
            }}
        }
    </> }
}

#[component]
pub fn Sensitivity(props: &SensitivityProps) -> Html {
    let show_all = use_state(|| false);
    let onrun = props.on_compute.reform(|_: MouseEvent| ());
    let oncancel = props.on_cancel.reform(|_: MouseEvent| ());
    let onoutcome = {
        let on_outcome = props.on_outcome.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(index) = select.value().parse::<usize>() {
                on_outcome.emit(index);
            }
        })
    };
    let picker = use_synced_select(props.outcome.to_string());
    let scenario = &props.scenario;
    let outcome_index = props.outcome.min(scenario.outcomes.len().saturating_sub(1));
    let run = props.tornado.as_ref();

    // The indices of the chosen outcome, assembled (with their bootstrap) once per finished run.
    let sobol_result = {
        let sobol = props.sobol.clone();
        let key = (sobol.as_ref().map(|r| (r.id, r.is_running())), outcome_index);
        use_memo(key, move |_| {
            let r = sobol.filter(|r| !r.is_running())?;
            Some(sobol::assemble(&r.finished()?, outcome_index, r.settings.seed))
        })
    };
    let onview = |view: SensitivityView| props.on_view.reform(move |_: Event| view);
    let tornado: Option<Tornado> = run.and_then(|r| {
        let results = r.finished()?;
        assemble(&r.scenario, &r.values, r.settings, &results, outcome_index).ok()
    });
    let running = run.is_some_and(TornadoRun::is_running);
    let stale = run.is_some_and(|r| r.generation != props.generation);

    let downloads = tornado.as_ref().map(|t| {
        let (scenario, t1, t2) = (scenario.clone(), t.clone(), t.clone());
        let scenario2 = scenario.clone();
        let id = scenario.outcomes[t.outcome].id.clone();
        let (id1, id2) = (id.clone(), id);
        (
            Callback::from(move |_| {
                let _ = download(&format!("tornado-{id1}.csv"), &tornado_csv(&scenario, &t1), "text/csv");
            }),
            Callback::from(move |_| {
                let _ = download(
                    &format!("tornado-{id2}.svg"),
                    &tornado_svg(&scenario2, &t2, usize::MAX),
                    "image/svg+xml",
                );
            }),
        )
    });

    html! {
        <section class="sensitivity" aria-labelledby="sensitivity-heading">
            <h2 id="sensitivity-heading">{ "Which assumptions matter" }</h2>
            <div class="setting">
                <label for="tornado-outcome">{ "Outcome" }</label>
                <select id="tornado-outcome" ref={picker} onchange={onoutcome}>
                    for (i, o) in scenario.outcomes.iter().enumerate() {
                        <option value={i.to_string()} selected={i == outcome_index}>{ o.label.clone() }</option>
                    }
                </select>
            </div>
            <fieldset class="views">
                <legend>{ "View" }</legend>
                <label><input type="radio" name="sensitivity-view" id="view-sobol" checked={props.view == SensitivityView::Sobol} onchange={onview(SensitivityView::Sobol)} />{ " Variance shares (Sobol)" }</label>
                <label><input type="radio" name="sensitivity-view" id="view-tornado" checked={props.view == SensitivityView::Tornado} onchange={onview(SensitivityView::Tornado)} />{ " One at a time (tornado)" }</label>
            </fieldset>
            if props.view == SensitivityView::Sobol {
                { sobol_view(props, outcome_index, sobol_result.as_ref().as_ref()) }
            } else {
            <p class="caption">{ format!(
                "Each assumption set to the low and to the high end of its plausible range, everything else as it is now, {} runs each on the same random draws. Bars ranked by how far they move the outcome; ★ marks assumptions that matter (a swing of at least {:.0} points and {} paired standard errors) and rest on low confidence: where better evidence would matter most.",
                props.settings.runs, 100.0 * INFLUENTIAL_SWING, NOISE_MULTIPLE
            ) }</p>
            <div class="setting">
                <button type="button" id="run-sensitivity" onclick={onrun} disabled={running}>
                    { if run.is_some() { "Recompute sensitivity" } else { "Compute sensitivity" } }
                </button>
                if running {
                    <button type="button" id="cancel-sensitivity" onclick={oncancel}>{ "Cancel" }</button>
                }
            </div>
            if let Some(r) = run {
                <p class="status" role="status" data-tornado-status={if running { "running" } else { "done" }}>
                    if running {
                        { format!("Computing {} ensembles on {} workers… ", r.total(), r.workers()) }
                        <progress max={r.total().to_string()} value={r.done.iter().sum::<usize>().to_string()} aria-label="Progress of the sensitivity analysis" />
                    } else if let Some(ms) = r.milliseconds {
                        <span data-milliseconds={format!("{ms:.0}")}>{ format!("{} ensembles of {} runs in {:.1} s on {} workers.", r.total(), r.settings.runs, ms / 1000.0, r.workers()) }</span>
                    }
                    if stale {
                        <strong>{ " The inputs have changed since: recompute to update." }</strong>
                    }
                </p>
            }
            if let (Some(t), Some(r)) = (&tornado, run) {
                { tornado_chart(&r.scenario, t, if *show_all { usize::MAX } else { SHOWN_BARS }) }
                <ChartImages target="tornado-chart" what={format!("which assumptions matter for “{}”", r.scenario.outcomes[t.outcome].label)}
                    file={format!("tornado-{}", r.scenario.outcomes[t.outcome].id)} scenario_title={r.scenario.title.clone()} link={props.link.clone()} />
                <p>
                    if t.bars.len() > SHOWN_BARS {
                        <button type="button" onclick={let show_all = show_all.clone(); Callback::from(move |_| show_all.set(!*show_all))}>
                            { if *show_all { "Show the top 15".to_string() } else { format!("Show all {}", t.bars.len()) } }
                        </button>
                        { " " }
                    }
                    if let Some((csv, svg)) = downloads {
                        <button type="button" onclick={csv}>{ "Tornado as CSV" }</button>{ " " }
                        <button type="button" onclick={svg}>{ "Tornado as SVG" }</button>
                    }
                </p>
            }
            }
        </section>
    }
}

/// The tornado: one row per assumption, two bars from the current value's probability to the
/// probability at the low and at the high end of its range ([`TornadoLayout`], as in the SVG file).
fn tornado_chart(scenario: &Scenario, tornado: &Tornado, max_bars: usize) -> Html {
    let layout = TornadoLayout::PAGE;
    let bars: Vec<_> = tornado.bars.iter().take(max_bars).collect();
    let (height, bottom) = (layout.height(bars.len()), layout.rows_bottom(bars.len()));
    let base = tornado.base.probability;
    let outcome = &scenario.outcomes[tornado.outcome];
    let description = format!(
        "Sensitivity of “{}” (now {}): the most influential assumption is {}.",
        outcome.label,
        format::percent(base),
        bars.first()
            .map_or("none".to_string(), |b| scenario.assumptions[b.assumption].label.clone())
    );
    let rect = |r: Rect, class: &'static str| {
        html! {
            <rect class={class} x={format!("{:.1}", r.x)} y={format!("{:.1}", r.y)} width={format!("{:.1}", r.width)} height={format!("{:.1}", r.height)} />
        }
    };
    html! {
        <figure class="tornado">
            <div class="chart-scroll" id="tornado-chart">
            <svg viewBox={format!("0 0 {} {height}", layout.width)} role="img" aria-label={description.clone()}>
                <title>{ description.clone() }</title>
                for tick in TICKS {
                    <line class="grid" x1={layout.x(tick).to_string()} x2={layout.x(tick).to_string()} y1={(layout.top - 6.0).to_string()} y2={bottom.to_string()} />
                    <text class="tick" x={layout.x(tick).to_string()} y={layout.tick_label_y().to_string()} text-anchor="middle">{ format::percent(tick) }</text>
                }
                <line class="base" x1={layout.x(base).to_string()} x2={layout.x(base).to_string()} y1={(layout.top - 4.0).to_string()} y2={bottom.to_string()} />
                for (row, bar) in bars.iter().enumerate() {
                    {{
                        let label = &scenario.assumptions[bar.assumption].label;
                        let (lo, hi) = (bar.low.probability, bar.high.probability);
                        html! {
                            <g class={classes!("bar-row", bar.flagged.then_some("flagged"))} data-assumption={scenario.assumptions[bar.assumption].id.clone()}>
                                <text class="bar-label" x={layout.label_x().to_string()} y={layout.text_y(row).to_string()} text-anchor="end">
                                    {{
                                        let lines = label_lines(&format!("{}{}", if bar.flagged { "★ " } else { "" }, label), PAGE_LABEL_CHARS);
                                        // Centred on the row: the first line moves up half a line per extra line.
                                        let first = format!("{:.2}em", -0.55 * (lines.len().max(1) - 1) as f64);
                                        lines.into_iter().enumerate().map(|(i, line)| html! {
                                            <tspan x={layout.label_x().to_string()} dy={if i == 0 { first.clone() } else { "1.1em".to_string() }}>{ line }</tspan>
                                        }).collect::<Html>()
                                    }}
                                </text>
                                { rect(layout.bar(row, base, lo, BarEnd::Low), "low-end") }
                                { rect(layout.bar(row, base, hi, BarEnd::High), "high-end") }
                                <text class="swing" x={layout.swing_x().to_string()} y={layout.text_y(row).to_string()}>
                                    { format!("{:.1} ± {:.1}", 100.0 * bar.swing, 100.0 * bar.change.std_error) }
                                </text>
                                <title>{ format!(
                                    "{label}: {} at the low end ({}), {} at the high end ({}); change {} points{}",
                                    format::percent(lo), format::true_minus(&bar.low_value.to_string()), format::percent(hi), format::true_minus(&bar.high_value.to_string()),
                                    format::points_change(bar.change.delta, bar.change.std_error),
                                    if bar.flagged { "; influential and low confidence" } else { "" }
                                ) }</title>
                            </g>
                        }
                    }}
                }
            </svg>
            </div>
            <figcaption>
                <span class="swatch low-end"></span>{ " low end of the plausible range (upper bar, dashed)  " }
                <span class="swatch high-end"></span>{ " high end (lower bar); the line is the current value; right: swing ± paired standard error, in points. " }
                { description }
            </figcaption>
            <details class="data-table">
                <summary>{ "Table" }</summary>
                <table>
                    <thead><tr><th scope="col">{ "Assumption" }</th><th scope="col">{ "low end" }</th><th scope="col">{ "high end" }</th>
                        <th scope="col">{ "change (± paired SE)" }</th><th scope="col">{ "confidence" }</th></tr></thead>
                    <tbody>
                        for bar in bars.iter() {
                            <tr data-assumption={scenario.assumptions[bar.assumption].id.clone()} data-swing={bar.swing.to_string()}>
                                <th scope="row">{ format!("{}{}", if bar.flagged { "★ " } else { "" }, scenario.assumptions[bar.assumption].label) }</th>
                                <td>{ format::percent(bar.low.probability) }</td>
                                <td>{ format::percent(bar.high.probability) }</td>
                                <td>{ format::points_change(bar.change.delta, bar.change.std_error) }</td>
                                <td>{ scenario.assumptions[bar.assumption].confidence.as_str() }</td>
                            </tr>
                        }
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
