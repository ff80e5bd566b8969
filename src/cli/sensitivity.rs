//! `sensitivity`: the tornado of one outcome as a ranked table (or CSV, JSON), its jobs spread
//! over threads.

use std::fmt::Write;

use serde_json::{json, Value};

use super::parallel::map_in_parallel;
use super::report::pct;
use super::{prepare, report_notes, thread_count, CliError, Format, Prepared, SensitivityOptions};
use crate::analysis::export::{tornado_csv, tornado_svg};
use crate::analysis::sensitivity::{assemble, run_job, tornado_jobs, Tornado, INFLUENTIAL_SWING, NOISE_MULTIPLE};
use crate::analysis::NOTICE;

/// The index of an outcome id, or an error listing the ids there are.
pub(super) fn outcome_index(prepared: &Prepared, id: &str) -> Result<usize, CliError> {
    let outcomes = &prepared.scenario.outcomes;
    outcomes.iter().position(|o| o.id == id).ok_or_else(|| {
        let ids: Vec<&str> = outcomes.iter().map(|o| o.id.as_str()).collect();
        CliError(format!(
            "--outcome {id}: `{}` has no such outcome (it has: {})",
            prepared.scenario.id,
            ids.join(", ")
        ))
    })
}

/// Runs every job of the tornado on `threads` threads and assembles the bars of `outcome`.
pub fn compute(prepared: &Prepared, outcome: usize, threads: usize) -> Result<Tornado, CliError> {
    let (scenario, settings) = (&prepared.scenario, prepared.settings);
    let jobs = tornado_jobs(scenario, &prepared.values);
    let results = map_in_parallel(&jobs, threads, |job| run_job(scenario, settings, job));
    assemble(scenario, &prepared.values, settings, &results, outcome).map_err(|e| CliError(e.to_string()))
}

pub fn run(options: &SensitivityOptions) -> Result<String, CliError> {
    let prepared = prepare(&options.state)?;
    report_notes(&prepared);
    let outcome = outcome_index(&prepared, &options.outcome)?;
    let tornado = compute(&prepared, outcome, thread_count(options.threads))?;
    Ok(match options.format.unwrap_or(Format::Table) {
        Format::Table => table(&prepared, &tornado),
        Format::Csv => tornado_csv(&prepared.scenario, &tornado),
        Format::Json => json(&prepared, &tornado),
        Format::Svg => tornado_svg(&prepared.scenario, &tornado, usize::MAX),
    })
}

fn rule() -> String {
    format!(
        "influential: swing ≥ {:.0} points and ≥ {NOISE_MULTIPLE} paired standard errors; flagged: influential and low confidence (where better evidence would matter most)",
        100.0 * INFLUENTIAL_SWING
    )
}

fn table(prepared: &Prepared, tornado: &Tornado) -> String {
    let s = &prepared.scenario;
    let spec = &s.outcomes[tornado.outcome];
    let settings = tornado.settings;
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({})\n{NOTICE}", s.title, s.id);
    let _ = writeln!(
        out,
        "seed {}, {} runs, {} months\n",
        settings.seed, settings.runs, settings.horizon
    );
    let _ = writeln!(
        out,
        "Sensitivity of: {}  [{}, {}]",
        spec.label,
        spec.test,
        spec.outcome.when.keyword()
    );
    let _ = writeln!(
        out,
        "At the current values: {} ± {}",
        pct(tornado.base.probability),
        pct(tornado.base.std_error)
    );
    let _ = writeln!(
        out,
        "Each assumption set to the low and the high end of its range, everything else as given, all on the\n\
         same random draws; swing = |P(high) − P(low)| ± its paired standard error, in percentage points.\n"
    );
    let _ = writeln!(
        out,
        "{:>4}  {:<46} {:>15}  {:>7} {:>7}  {:>13}  {:<10} flag",
        "rank", "assumption", "low → high", "P(low)", "P(high)", "swing ± SE", "confidence"
    );
    for (rank, bar) in tornado.bars.iter().enumerate() {
        let a = &s.assumptions[bar.assumption];
        let flag = if bar.flagged {
            "*"
        } else if bar.influential {
            "+"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<46} {:>15}  {:>7} {:>7}  {:>13}  {:<10} {flag}",
            rank + 1,
            a.id,
            format!("{} → {}", bar.low_value, bar.high_value),
            pct(bar.low.probability),
            pct(bar.high.probability),
            format!("{:.1} ± {:.1}", 100.0 * bar.swing, 100.0 * bar.change.std_error),
            a.confidence.as_str(),
        );
    }
    let influential = tornado.bars.iter().filter(|b| b.influential).count();
    let flagged = tornado.bars.iter().filter(|b| b.flagged).count();
    let _ = writeln!(
        out,
        "\n+ influential: swing ≥ {:.0} points and ≥ {NOISE_MULTIPLE} paired standard errors ({influential} assumptions)",
        100.0 * INFLUENTIAL_SWING
    );
    let _ = writeln!(
        out,
        "* flagged: influential and low confidence, where better evidence would matter most ({flagged} of them)"
    );
    out
}

fn json(prepared: &Prepared, tornado: &Tornado) -> String {
    let s = &prepared.scenario;
    let spec = &s.outcomes[tornado.outcome];
    let bars: Vec<Value> = tornado
        .bars
        .iter()
        .enumerate()
        .map(|(rank, bar)| {
            let a = &s.assumptions[bar.assumption];
            json!({
                "rank": rank + 1, "id": a.id, "label": a.label, "confidence": a.confidence.as_str(), "speculative": true,
                "value": prepared.values[bar.assumption], "low_value": bar.low_value, "high_value": bar.high_value,
                "low": bar.low, "high": bar.high, "change": bar.change.delta, "swing": bar.swing,
                "swing_std_error": bar.change.std_error, "unpaired_std_error": bar.change.unpaired_std_error,
                "influential": bar.influential, "flagged": bar.flagged,
            })
        })
        .collect();
    let notes: Vec<String> = prepared.notes.iter().map(|n| n.to_string()).collect();
    let object = json!({
        "notice": NOTICE,
        "scenario": {"id": s.id, "title": s.title, "content_hash": s.content_hash},
        "settings": tornado.settings,
        "outcome": {"id": spec.id, "label": spec.label, "test": spec.test, "when": spec.outcome.when},
        "base": tornado.base,
        "rule": rule(),
        "bars": bars,
        "link_notes": notes,
    });
    let mut text = serde_json::to_string_pretty(&object).expect("JSON of plain numbers and strings");
    text.push('\n');
    text
}
