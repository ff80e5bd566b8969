//! Two output formats of `run`: a table for people and JSON with everything (the third, the CSV of
//! quantiles, is [`crate::analysis::export::quantiles_csv`], shared with the page).

use std::fmt::Write;

use serde_json::{json, Value};

use super::Prepared;
use crate::analysis::convergence::caveat;
use crate::analysis::NOTICE;
use crate::engine::Summary;

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

/// "42.3%": a probability as the tables print it.
pub(super) fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

pub fn table(prepared: &Prepared, summary: &Summary) -> String {
    let s = &prepared.scenario;
    let settings = summary.settings;
    let horizon = settings.horizon;
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({})\n{NOTICE}", s.title, s.id);
    let _ = writeln!(
        out,
        "seed {}, {} runs, {} months",
        settings.seed, settings.runs, horizon
    );
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
            "  {:>6} ± {:<5} {}  [{}, {}]",
            pct(p.probability),
            pct(p.std_error),
            spec.label,
            spec.test,
            spec.outcome.when.keyword()
        );
        if let Some(caveat) = caveat(p, summary.settings.runs) {
            let _ = writeln!(out, "{:16}({caveat})", "");
        }
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
    if let Some(f) = &summary.frustration {
        let _ = writeln!(
            out,
            "\nFrustration (0 balanced … 1 all triads unbalanced): month 0 {:.3}; month {horizon} mean {:.3}, median {:.3} (5–95%: {:.3}–{:.3})",
            f.initial, f.mean, f.quantiles[2], f.quantiles[0], f.quantiles[4]
        );
    }
    out
}

/// One object with every output.
pub fn json(prepared: &Prepared, summary: &Summary) -> String {
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
        "scenario": {"id": s.id, "title": s.title, "content_hash": s.content_hash, "start": s.start.map(|d| d.to_string())},
        "view": view,
        "calendar_months": calendar,
        "settings": summary.settings,
        "quantile_levels": crate::engine::QUANTILE_LEVELS,
        "assumptions": assumptions,
        "pairs": pairs,
        "outcomes": outcomes,
        "events": events,
        "blocs": blocs,
        "frustration": summary.frustration,
        "link_notes": notes,
    });
    let mut text = serde_json::to_string_pretty(&object).expect("JSON of plain numbers and strings");
    text.push('\n');
    text
}
