//! `discover`: what would have to be true for an outcome, by PRIM over the runs of `run --uncertain`.

use std::fmt::Write;

use serde_json::{json, Value};

use super::report::{json_text, outcome_heading, pct, write_title};
use super::sensitivity::outcome_index;
use super::{prepare, report_notes, simulate_uncertain, thread_count, CliError, DiscoverOptions, Format, Prepared};
use crate::analysis::discover::{discover, Discovery, MIN_COVERAGE, MIN_SUPPORT, PEEL_ALPHA};
use crate::analysis::uncertainty::{assumption_key, draw_range, run_values};
use crate::analysis::NOTICE;
use crate::view::format;

pub fn run(options: &DiscoverOptions) -> Result<String, CliError> {
    let prepared = prepare(&options.state)?;
    report_notes(&prepared);
    let outcome = outcome_index(&prepared, &options.outcome)?;
    let (scenario, values, settings) = (&prepared.scenario, &prepared.values, prepared.settings);
    let (_, readings) = simulate_uncertain(&prepared, None, thread_count(options.threads));
    // The dimensions: the assumptions that vary (a collapsed plausible range cannot restrict).
    let dims: Vec<usize> = (0..scenario.assumptions.len())
        .filter(|&i| {
            let (lo, hi) = draw_range(&scenario.assumptions[i], values[i]);
            lo < hi
        })
        .collect();
    let key = assumption_key(settings.seed);
    let points: Vec<Vec<f64>> = (0..settings.runs)
        .map(|run| {
            let drawn = run_values(scenario, values, key, run as u64);
            dims.iter().map(|&i| drawn[i]).collect()
        })
        .collect();
    let held: Vec<bool> = (0..settings.runs)
        .map(|r| readings.outcome_runs.held(outcome, r))
        .collect();
    let found = discover(&points, &held);
    Ok(match options.format.unwrap_or(Format::Table) {
        Format::Json => to_json(&prepared, outcome, &dims, &found),
        _ => to_table(&prepared, outcome, &dims, &found),
    })
}

/// "pair.RUS-CHN.baseline ≤ 0.41", "model.volatility ≥ 0.08" or "x in [a, b]": a restriction in words.
fn restriction_text(id: &str, (lo, hi): (f64, f64), (full_lo, full_hi): (f64, f64)) -> String {
    match (lo > full_lo, hi < full_hi) {
        (true, true) => format!("{id} in [{lo:.3}, {hi:.3}]"),
        (true, false) => format!("{id} ≥ {lo:.3}"),
        _ => format!("{id} ≤ {hi:.3}"),
    }
}

/// The sentence the box stands for.
fn sentence(prepared: &Prepared, outcome: usize, dims: &[usize], found: &Discovery) -> String {
    let s = &prepared.scenario;
    let Some(chosen) = found.chosen.map(|c| &found.trajectory[c]) else {
        return format!(
            "`{}` held in no run over the plausible ranges, so there is no box to find.",
            s.outcomes[outcome].id
        );
    };
    if found.restricted.is_empty() {
        return format!(
            "No range of any assumption makes `{}` more likely than overall ({}): it rests on chance.",
            s.outcomes[outcome].id,
            pct(found.overall)
        );
    }
    let full = &found.trajectory[0].bounds;
    let parts: Vec<String> = found
        .restricted
        .iter()
        .map(|&j| restriction_text(&s.assumptions[dims[j]].id, chosen.bounds[j], full[j]))
        .collect();
    format!(
        "In runs where {}, `{}` held in {} against {} overall (this box holds {} of the runs where it held, {} runs in all).",
        parts.join(" and "),
        s.outcomes[outcome].id,
        pct(chosen.density),
        pct(found.overall),
        pct(chosen.coverage),
        chosen.support
    )
}

fn to_json(prepared: &Prepared, outcome: usize, dims: &[usize], found: &Discovery) -> String {
    let s = &prepared.scenario;
    let spec = &s.outcomes[outcome];
    let full = &found.trajectory[0].bounds;
    let chosen = found.chosen.map(|c| {
        let b = &found.trajectory[c];
        let restrictions: Vec<Value> = found
            .restricted
            .iter()
            .map(|&j| {
                let a = &s.assumptions[dims[j]];
                json!({"id": a.id, "low": b.bounds[j].0, "high": b.bounds[j].1,
                       "drawn_range": [full[j].0, full[j].1], "confidence": a.confidence.as_str()})
            })
            .collect();
        json!({"step": c, "coverage": b.coverage, "density": b.density, "support": b.support, "restrictions": restrictions})
    });
    let trajectory: Vec<Value> = found
        .trajectory
        .iter()
        .map(|b| json!({"coverage": b.coverage, "density": b.density, "support": b.support}))
        .collect();
    let notes: Vec<String> = prepared.notes.iter().map(|n| n.to_string()).collect();
    let object = json!({
        "notice": NOTICE,
        "scenario": {"id": s.id, "title": s.title, "content_hash": s.content_hash},
        "settings": prepared.settings,
        "outcome": {"id": spec.id, "label": spec.label, "test": spec.test, "when": spec.outcome.when},
        "method": {"name": "PRIM", "peel_alpha": PEEL_ALPHA, "min_support": MIN_SUPPORT, "min_coverage": MIN_COVERAGE},
        "overall": found.overall,
        "box": chosen,
        "sentence": sentence(prepared, outcome, dims, found),
        "trajectory": trajectory,
        "link_notes": notes,
    });
    json_text(&object)
}

fn to_table(prepared: &Prepared, outcome: usize, dims: &[usize], found: &Discovery) -> String {
    let s = &prepared.scenario;
    let spec = &s.outcomes[outcome];
    let settings = prepared.settings;
    let mut out = String::new();
    write_title(&mut out, s);
    let _ = writeln!(
        out,
        "{}; every run draws every assumption from its plausible range\n",
        format::recipe(&settings)
    );
    let _ = writeln!(out, "What would have to be true for: {}", outcome_heading(spec));
    let _ = writeln!(out, "{}\n", sentence(prepared, outcome, dims, found));
    let _ = writeln!(
        out,
        "Peeling trajectory (PRIM, {:.0} % at a time; the box above is the densest holding at least {:.0} % of the runs where the outcome held):",
        100.0 * PEEL_ALPHA,
        100.0 * MIN_COVERAGE
    );
    let _ = writeln!(out, "  step  coverage  density  runs");
    for (i, b) in found.trajectory.iter().enumerate() {
        let mark = if found.chosen == Some(i) { "  ←" } else { "" };
        let _ = writeln!(
            out,
            "  {i:>4}  {:>8}  {:>7}  {:>4}{mark}",
            pct(b.coverage),
            pct(b.density),
            b.support
        );
    }
    out
}
