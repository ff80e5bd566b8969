//! Two output formats of `run`: a table for people and JSON with everything (the third, the CSV of
//! quantiles, is [`crate::analysis::export::quantiles_csv`], shared with the page).

use std::fmt::Write;

use serde_json::{json, Value};

use super::{Prepared, Readings};
use crate::analysis::convergence::{caveat, MIN_RUNS_EACH_WAY as RARE_RUNS};
use crate::analysis::leans::BlocReading;
use crate::analysis::uncertainty::Spread;
use crate::analysis::PairedDifference;
use crate::analysis::NOTICE;
use crate::engine::{Proportion, Settings, Summary};
use crate::scenario::Confidence;
use crate::scenario::Scenario;
use crate::view::format;

/// The first lines of every command's table: the scenario's title and id, then the notice.
pub fn write_title(out: &mut String, s: &Scenario) {
    let _ = writeln!(out, "{}  ({})\n{NOTICE}", s.title, s.id);
}

/// A command's JSON as it is printed: pretty, with a final newline.
pub fn json_text(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON of plain numbers and strings");
    text.push('\n');
    text
}

/// "month 36 (2028-08)", or "month 36" when the scenario states no start date.
pub(super) fn month_text(scenario: &crate::scenario::Scenario, month: usize) -> String {
    match scenario.month_label(month) {
        Some(label) => format!("month {month} ({label})"),
        None => format!("month {month}"),
    }
}

/// How many values differ from what the named view sets over the defaults.
pub(super) fn view_changes(s: &crate::scenario::Scenario, view: &crate::scenario::View, values: &[f64]) -> usize {
    s.view_values(view).iter().zip(values).filter(|(a, b)| a != b).count()
}

/// "Label  [A-B < 0.3, horizon]": an outcome as every table names it.
pub(super) fn outcome_heading(spec: &crate::scenario::OutcomeSpec) -> String {
    format!("{}  [{}, {}]", spec.label, spec.test, spec.outcome.when.keyword())
}

/// "42.3%": a probability as the tables print it.
pub(super) fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

pub fn table(
    prepared: &Prepared,
    summary: &Summary,
    readings: &Readings,
    uncertain: Option<(&Summary, &Readings)>,
) -> String {
    let s = &prepared.scenario;
    let settings = summary.settings;
    let horizon = settings.horizon;
    let mut out = String::new();
    write_title(&mut out, s);
    let _ = writeln!(out, "{}", format::recipe(&settings));
    if let Some(start) = s.start {
        let _ = writeln!(out, "month 0 = {start}; {} is the last month", month_text(s, horizon));
    }
    if let Some(view) = prepared.named_view.map(|v| &s.views[v]) {
        let moved = view_changes(s, view, &prepared.values);
        let changed = if moved == 0 {
            String::new()
        } else {
            format!(" (then {moved} value{} changed)", if moved == 1 { "" } else { "s" })
        };
        let _ = writeln!(out, "view: {} — {}{changed}", view.id, view.title);
    }
    for (event, observed) in s.observations() {
        let when = s
            .month_label(observed.month() as usize)
            .map_or(String::new(), |m| format!(" ({m})"));
        let _ = writeln!(out, "marked: {} {}{when}", event.id, observed.describe());
    }
    out.push('\n');
    let changed: Vec<_> = s
        .assumptions
        .iter()
        .zip(&prepared.values)
        .filter(|(a, v)| **v != a.default)
        .collect();
    if !changed.is_empty() {
        let _ = writeln!(out, "Changed assumptions:");
        for (a, v) in changed {
            let _ = writeln!(out, "  {:<44} {} (default {})", a.id, v, a.default);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Outcomes (probability ± Monte Carlo standard error):");
    for (spec, p) in s.outcomes.iter().zip(&summary.outcomes) {
        let _ = writeln!(
            out,
            "  {:>6} ± {:<5} {}",
            pct(p.probability),
            pct(p.std_error),
            outcome_heading(spec)
        );
        if let Some(caveat) = caveat(p, summary.settings.runs) {
            let _ = writeln!(out, "{:16}({caveat})", "");
        }
    }
    if let Some(over) = uncertain {
        uncertain_table(&mut out, s, (summary, readings), over);
    }
    let _ = writeln!(
        out,
        "\nEvents (fired by {}; first month quartiles; mean firings):",
        month_text(s, horizon)
    );
    for (spec, e) in s.events.iter().zip(&summary.events) {
        let timing = e.first_month_quartiles.map_or("never fired".to_string(), |q| {
            let months = format!("months {:.0}/{:.0}/{:.0}", q[0], q[1], q[2]);
            match s.start {
                // Quartiles may fall between months; the calendar label is of the month rounded down.
                Some(start) => {
                    let label = |m: f64| start.month_label(m.floor().max(0.0) as usize);
                    format!("{months} ({}/{}/{})", label(q[0]), label(q[1]), label(q[2]))
                }
                None => months,
            }
        });
        let _ = writeln!(
            out,
            "  {:>6} ± {:<5} {:<40} {timing}; {:.2}",
            pct(e.fired.probability),
            pct(e.fired.std_error),
            spec.id,
            e.mean_firings
        );
    }
    let _ = writeln!(
        out,
        "\nAlignment at {} (5% / 25% / median / 75% / 95%; mean; without noise or events, from month 0):",
        month_text(s, horizon)
    );
    let drift = &summary.drift;
    for (p, bands) in summary.pairs.iter().enumerate() {
        let q = bands.quantiles[horizon];
        let _ = writeln!(
            out,
            "  {:<10} {:+.3} {:+.3} {:+.3} {:+.3} {:+.3}; {:+.3}; {:+.3} → {:+.3}",
            s.pair_label(p),
            q[0],
            q[1],
            q[2],
            q[3],
            q[4],
            bands.mean[horizon],
            drift[p][0],
            drift[p][horizon]
        );
    }
    let _ = writeln!(out, "\nMost frequent two-bloc splits at {}:", month_text(s, horizon));
    for bloc in &summary.blocs {
        let _ = writeln!(
            out,
            "  {:>6} ± {:<5} {}",
            pct(bloc.share.probability),
            pct(bloc.share.std_error),
            s.split_label(bloc.mask)
        );
    }
    bloc_leans_table(&mut out, s, &readings.blocs);
    conditional_table(&mut out, s, readings, settings);
    if let Some(f) = &summary.frustration {
        let _ = writeln!(
            out,
            "\nFrustration (0 balanced … 1 all triads unbalanced): month 0 {:.3}; month {horizon} mean {:.3}, median {:.3} (5–95%: {:.3}–{:.3})",
            f.initial, f.mean, f.quantiles[2], f.quantiles[0], f.quantiles[4]
        );
    }
    out
}

/// `run --uncertain`: each outcome and event at these values and over what we don't know.
fn uncertain_table(out: &mut String, s: &Scenario, at: (&Summary, &Readings), over: (&Summary, &Readings)) {
    let _ = writeln!(
        out,
        "\nOver what we don't know: each run draws every assumption from its plausible range (triangular around the value for high and medium confidence, uniform for low), on the same random draws."
    );
    let missing = without_plausible_range(s);
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "({} assumptions have no plausible range in the file and are drawn over their whole slider range: {})",
            missing.len(),
            missing.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "  {:>16}   {:>16}   {:>16}  outcome",
        "at these values", "over the unknown", "difference"
    );
    for (o, spec) in s.outcomes.iter().enumerate() {
        let (p_at, p_over) = (at.0.outcomes[o], over.0.outcomes[o]);
        let difference = PairedDifference::of(&at.1.outcome_runs, o, &over.1.outcome_runs, o);
        let _ = writeln!(
            out,
            "  {:>16}   {:>16}   {:>16}  {}",
            share_text(Some(p_at)),
            share_text(Some(p_over)),
            format!("{:+.1} ± {:.1}", 100.0 * difference.delta, 100.0 * difference.std_error),
            spec.id
        );
    }
    let _ = writeln!(out, "  events fired by the horizon:");
    for (e, spec) in s.events.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>16}   {:>16}   {:>16}  {}",
            share_text(Some(at.0.events[e].fired)),
            share_text(Some(over.0.events[e].fired)),
            "",
            spec.id
        );
    }
}

/// "42.3% ± 1.1%", or "—" for a part of the runs that is empty.
fn share_text(p: Option<Proportion>) -> String {
    p.map_or_else(
        || "—".to_string(),
        |p| format!("{} ± {}", pct(p.probability), pct(p.std_error)),
    )
}

/// The camps, each actor's lean, the pairs on the same side, and the gap to the runner-up split.
fn bloc_leans_table(out: &mut String, s: &Scenario, blocs: &BlocReading) {
    let _ = writeln!(
        out,
        "\nCamps: {} (the most frequent split, {} ± {} of runs)",
        s.split_label(blocs.camps),
        pct(blocs.camps_share.probability),
        pct(blocs.camps_share.std_error)
    );
    let _ = writeln!(
        out,
        "Lean toward the first camp (capability-weighted alignment with the first camp minus with the second, −1…+1):"
    );
    let _ = writeln!(out, "  actor      mean   5%–95%            toward first");
    for (actor, lean) in s.actors.iter().zip(&blocs.leans) {
        let line = format!(
            "  {:<8} {:+.3}   {:+.3} … {:+.3}   {:>6} ± {:<5}{}",
            actor.id,
            lean.mean,
            lean.quantiles[0],
            lean.quantiles[4],
            pct(lean.toward_first.probability),
            pct(lean.toward_first.std_error),
            if lean.too_weak_to_call {
                "  too weak to call"
            } else {
                ""
            }
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if let Some(gap) = blocs.gap {
        let runner_up = blocs.runner_up.map_or(String::new(), |(mask, share)| {
            format!(
                "; runner-up most often {} ({})",
                s.split_label(mask),
                pct(share.probability)
            )
        });
        let _ = writeln!(
            out,
            "Gap to the second-best split (mean alignment change needed): median {:.3} (5–95%: {:.3}–{:.3}){runner_up}",
            gap[2], gap[0], gap[4]
        );
    }
    let _ = writeln!(out, "Pairs on the same side of the split:");
    for (p, same) in blocs.same_side.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:<10} {:>6} ± {}",
            s.pair_label(p),
            pct(same.probability),
            pct(same.std_error)
        );
    }
}

/// P(outcome | event fired by the horizon) and P(outcome | not), per event.
fn conditional_table(out: &mut String, s: &Scenario, readings: &Readings, settings: Settings) {
    let (horizon, runs) = (settings.horizon, settings.runs);
    if readings.conditional.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nOutcomes in the runs where each event fired by {} and where it did not (same runs, no extra ones):",
        month_text(s, horizon)
    );
    let _ = writeln!(out, "    {:>16}  | {:>16}   outcome", "if fired", "if not fired");
    let mut event = usize::MAX;
    for c in &readings.conditional {
        if c.event != event {
            event = c.event;
            let _ = writeln!(
                out,
                "  {} (fired in {} of {} runs)",
                s.events[event].id, c.runs_fired, runs
            );
        }
        // As for the outcomes: with fewer than 10 runs holding (or failing) in a part, its ± is
        // itself unreliable.
        let rare =
            |p: Option<Proportion>, of: usize| p.is_some_and(|p| p.count < RARE_RUNS || of - p.count < RARE_RUNS);
        let mark = |p: Option<Proportion>, of: usize| if rare(p, of) { "†" } else { " " };
        let (fired_runs, not_runs) = (c.runs_fired, runs - c.runs_fired);
        let _ = writeln!(
            out,
            "    {:>16}{} | {:>16}{}  {}",
            share_text(c.fired),
            mark(c.fired, fired_runs),
            share_text(c.not_fired),
            mark(c.not_fired, not_runs),
            s.outcomes[c.outcome].id
        );
    }
    let _ = writeln!(
        out,
        "  † fewer than {RARE_RUNS} runs hold (or fail) in that part, so the ± is itself unreliable; a conditional share describes the runs, it is not the event's effect"
    );
}

/// The `bloc_leans` and `conditional` objects of one ensemble.
fn readings_json(s: &Scenario, summary: &Summary, readings: &Readings) -> (Value, Vec<Value>) {
    let side_ids = |mask| {
        let [first, second] = s.split_sides(mask);
        let ids = |side: Vec<usize>| side.into_iter().map(|i| s.actors[i].id.clone()).collect::<Vec<_>>();
        [ids(first), ids(second)]
    };
    let reading = &readings.blocs;
    let leans: Vec<Value> = s
        .actors
        .iter()
        .zip(&reading.leans)
        .map(|(actor, lean)| {
            json!({"actor": actor.id, "lean": lean.mean, "lean_quantiles": lean.quantiles,
                   "lean_90": [lean.quantiles[0], lean.quantiles[4]],
                   "with_first": lean.with_first, "with_second": lean.with_second,
                   "toward_first": lean.toward_first.probability, "toward_first_std_error": lean.toward_first.std_error,
                   "too_weak_to_call": lean.too_weak_to_call})
        })
        .collect();
    let same_side: Vec<Value> = reading
        .same_side
        .iter()
        .enumerate()
        .map(|(p, same)| json!({"pair": s.pair_label(p).replace('–', "-"), "probability": same.probability, "std_error": same.std_error}))
        .collect();
    let bloc_leans = json!({
        "camps": side_ids(reading.camps),
        "camps_share": reading.camps_share.probability,
        "camps_std_error": reading.camps_share.std_error,
        "actors": leans,
        "same_side": same_side,
        "gap_quantiles": reading.gap,
        "runner_up": reading.runner_up.map(|(mask, share)| json!({"sides": side_ids(mask), "share": share.probability, "std_error": share.std_error})),
    });
    let conditional: Vec<Value> = readings
        .conditional
        .iter()
        .map(|c| {
            json!({"event": s.events[c.event].id, "outcome": s.outcomes[c.outcome].id,
                   "p_fired": c.fired.map(|p| p.probability), "se_fired": c.fired.map(|p| p.std_error),
                   "p_not": c.not_fired.map(|p| p.probability), "se_not": c.not_fired.map(|p| p.std_error),
                   "runs_fired": c.runs_fired, "runs_not": summary.settings.runs - c.runs_fired})
        })
        .collect();
    (bloc_leans, conditional)
}

/// `run --uncertain`: each outcome, event and pair at these values and over what we don't know,
/// side by side, with the paired difference of the outcomes (the two ensembles share their random
/// draws), and the readings of the propagated runs.
fn uncertain_json(prepared: &Prepared, at: (&Summary, &Readings), over: (&Summary, &Readings)) -> Value {
    let s = &prepared.scenario;
    let outcomes: Vec<Value> = s
        .outcomes
        .iter()
        .enumerate()
        .map(|(o, spec)| {
            let (p_at, p_over) = (at.0.outcomes[o], over.0.outcomes[o]);
            let difference = PairedDifference::of(&at.1.outcome_runs, o, &over.1.outcome_runs, o);
            json!({"id": spec.id, "at_values": p_at.probability, "at_values_se": p_at.std_error,
                   "over_uncertainty": p_over.probability, "over_uncertainty_se": p_over.std_error,
                   "difference": difference.delta, "difference_se": difference.std_error})
        })
        .collect();
    let events: Vec<Value> = s
        .events
        .iter()
        .enumerate()
        .map(|(e, spec)| {
            let (p_at, p_over) = (at.0.events[e].fired, over.0.events[e].fired);
            json!({"id": spec.id, "at_values": p_at.probability, "at_values_se": p_at.std_error,
                   "over_uncertainty": p_over.probability, "over_uncertainty_se": p_over.std_error})
        })
        .collect();
    let horizon = at.0.settings.horizon;
    let pairs: Vec<Value> = (0..s.pairs.len())
        .map(|p| {
            json!({"pair": s.pair_label(p).replace('–', "-"), "at_values": at.0.pairs[p].quantiles[horizon],
                   "over_uncertainty": over.0.pairs[p].quantiles[horizon]})
        })
        .collect();
    let (bloc_leans, conditional) = readings_json(s, over.0, over.1);
    json!({
        "distributions": {"high": Spread::for_confidence(Confidence::High).name(),
                          "medium": Spread::for_confidence(Confidence::Medium).name(),
                          "low": Spread::for_confidence(Confidence::Low).name()},
        "without_plausible_range": without_plausible_range(s),
        "outcomes": outcomes,
        "events": events,
        "pairs_at_horizon": pairs,
        "bloc_leans": bloc_leans,
        "conditional": conditional,
    })
}

/// Ids of the assumptions whose file gives no plausible range (drawn over the slider's range).
fn without_plausible_range(s: &Scenario) -> Vec<&str> {
    s.assumptions
        .iter()
        .filter(|a| a.plausible.is_none())
        .map(|a| a.id.as_str())
        .collect()
}

/// One object with every output.
pub fn json(
    prepared: &Prepared,
    summary: &Summary,
    readings: &Readings,
    uncertain: Option<(&Summary, &Readings)>,
) -> String {
    let s = &prepared.scenario;
    let assumptions: Vec<Value> = s
        .assumptions
        .iter()
        .zip(&prepared.values)
        .map(|(a, v)| json!({"id": a.id, "value": v, "default": a.default, "confidence": a.confidence.as_str(), "speculative": true}))
        .collect();
    let pairs: Vec<Value> = summary
        .pairs
        .iter()
        .enumerate()
        .zip(&summary.drift)
        .map(|((p, b), drift)| json!({"pair": s.pair_label(p).replace('–', "-"), "quantiles": b.quantiles, "mean": b.mean, "without_noise_or_events": drift}))
        .collect();
    let outcomes: Vec<Value> = s
        .outcomes
        .iter()
        .zip(&summary.outcomes)
        .map(|(o, p)| json!({"id": o.id, "label": o.label, "test": o.test, "when": o.outcome.when, "probability": p.probability, "std_error": p.std_error, "count": p.count}))
        .collect();
    let events: Vec<Value> = s
        .events
        .iter()
        .zip(&summary.events)
        .map(|(e, st)| {
            let calendar = st.first_month_quartiles.and_then(|q| {
                s.start
                    .map(|start| q.map(|m| start.month_label(m.floor().max(0.0) as usize)))
            });
            let observed = e.observed.map(|o| json!({"kind": o.link_word(), "month": o.month(),
                "calendar_month": s.start.map(|start| start.month_label(o.month() as usize))}));
            json!({"id": e.id, "label": e.label, "observed": observed, "fired_probability": st.fired.probability, "std_error": st.fired.std_error,
                   "first_month_quartiles": st.first_month_quartiles, "first_month_calendar": calendar,
                   "mean_firings": st.mean_firings, "cumulative": st.cumulative})
        })
        .collect();
    let blocs: Vec<Value> = summary
        .blocs
        .iter()
        .map(|b| {
            let [first, second] = s.split_sides(b.mask);
            let ids = |side: Vec<usize>| side.into_iter().map(|i| s.actors[i].id.clone()).collect::<Vec<_>>();
            json!({"sides": [ids(first), ids(second)], "mask": b.mask, "share": b.share.probability, "std_error": b.share.std_error})
        })
        .collect();
    let (bloc_leans, conditional) = readings_json(s, summary, readings);
    let uncertain =
        uncertain.map(|(over, over_readings)| uncertain_json(prepared, (summary, readings), (over, over_readings)));
    let notes: Vec<String> = prepared.notes.iter().map(|n| n.to_string()).collect();
    // Calendar month of model months 0 … horizon (the index of every per-month series), when the
    // file states its start.
    let calendar: Option<Vec<String>> = s
        .start
        .map(|start| (0..=summary.settings.horizon).map(|m| start.month_label(m)).collect());
    let view = prepared
        .named_view
        .map(|v| json!({"id": s.views[v].id, "title": s.views[v].title}));
    let object = json!({
        "notice": NOTICE,
        "scenario": {"id": s.id, "title": s.title, "content_hash": s.content_hash, "start": s.start.map(|d| d.to_string()),
            "opening": {"outcome": s.outcomes[s.opening.outcome].id, "pair": s.pair_key(s.opening.pair),
                "key_assumptions": s.opening.key_assumptions.iter().map(|&i| &s.assumptions[i].id).collect::<Vec<_>>()}},
        "view": view,
        "calendar_months": calendar,
        "settings": summary.settings,
        // Which engine made these numbers: the same settings give the same numbers only from it.
        "engine": crate::engine::ENGINE_VERSION,
        "quantile_levels": crate::engine::QUANTILE_LEVELS,
        "assumptions": assumptions,
        "pairs": pairs,
        "outcomes": outcomes,
        "events": events,
        "blocs": blocs,
        "bloc_leans": bloc_leans,
        "conditional": conditional,
        "uncertain": uncertain,
        "frustration": summary.frustration,
        "link_notes": notes,
    });
    json_text(&object)
}
