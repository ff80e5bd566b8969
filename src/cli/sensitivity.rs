//! `sensitivity`: the tornado of one outcome as a ranked table (or CSV, JSON), its jobs spread
//! over threads.

use std::fmt::Write;

use serde_json::{json, Value};

use super::parallel::map_in_parallel;
use super::report::{json_text, outcome_heading, pct, write_title};
use super::{prepare, report_notes, thread_count, By, CliError, Format, Method, Prepared, SensitivityOptions};
use crate::analysis::export::{tornado_csv, tornado_svg};
use crate::analysis::per_run::KeptPlain;
use crate::analysis::per_run::{MatrixCache, Propagation};
use crate::analysis::sensitivity::{
    assemble, run_job_reusing, tornado_jobs, Tornado, INFLUENTIAL_SWING, NOISE_MULTIPLE,
};
use crate::analysis::sobol::{self, GroupBy, SobolResult, CHANCE};
use crate::analysis::NOTICE;
use crate::view::format;

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
    // The base first, on this thread: the jobs that move an effect size reuse its runs.
    let base = KeptPlain::simulate(jobs[0].model(scenario), settings);
    let results = map_in_parallel(&jobs, threads, |job| run_job_reusing(scenario, settings, job, &base));
    assemble(scenario, &prepared.values, settings, &results, outcome).map_err(|e| CliError(e.to_string()))
}

pub fn run(options: &SensitivityOptions) -> Result<String, CliError> {
    let prepared = prepare(&options.state)?;
    report_notes(&prepared);
    let outcome = outcome_index(&prepared, &options.outcome)?;
    if options.method == Method::Sobol {
        return sobol(&prepared, outcome, options);
    }
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
    write_title(&mut out, s);
    let _ = writeln!(out, "{}\n", format::recipe(&settings));
    let _ = writeln!(out, "Sensitivity of: {}", outcome_heading(spec));
    let _ = writeln!(
        out,
        "At the current values: {} ± {}",
        pct(tornado.base.probability),
        pct(tornado.base.std_error)
    );
    let _ = writeln!(
        out,
        "Each assumption set to the low and the high end of its plausible range, everything else as given, all on the\n\
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
    json_text(&object)
}

/// `--method sobol`: runs every matrix of the Saltelli design on threads and prints the indices.
fn sobol(prepared: &Prepared, outcome: usize, options: &SensitivityOptions) -> Result<String, CliError> {
    let (scenario, values, settings) = (&prepared.scenario, &prepared.values, prepared.settings);
    let by = match options.by {
        By::Assumption => GroupBy::Assumption,
        By::Source => GroupBy::Source,
        By::Kind => GroupBy::Kind,
    };
    let factors = sobol::factors(scenario, values, by);
    let matrices = sobol::matrices(&factors);
    let propagation = Propagation::new(scenario, values);
    thread_local! {
        /// Each thread's cache of what its matrices make (see `MatrixCache`).
        static CACHE: std::cell::RefCell<MatrixCache> = Default::default();
    }
    let results = map_in_parallel(&matrices, thread_count(options.threads), |&matrix| {
        CACHE.with_borrow_mut(|cache| sobol::run_matrix(&propagation, settings, &factors, matrix, cache))
    });
    let result = sobol::assemble(&results, outcome, settings.seed);
    let model_runs = settings.runs * matrices.len();
    Ok(match options.format.unwrap_or(Format::Table) {
        Format::Json => sobol_json(prepared, options.by, &factors, &result, model_runs),
        Format::Table => sobol_table(prepared, options.by, &factors, &result, model_runs),
        Format::Csv | Format::Svg => {
            return Err(CliError("--method sobol writes table or json".into()));
        }
    })
}

fn by_name(by: By) -> &'static str {
    match by {
        By::Assumption => "assumption",
        By::Source => "source",
        By::Kind => "kind",
    }
}

fn sobol_json(
    prepared: &Prepared,
    by: By,
    factors: &[sobol::Factor],
    result: &SobolResult,
    model_runs: usize,
) -> String {
    let s = &prepared.scenario;
    let spec = &s.outcomes[result.outcome];
    let rows: Vec<Value> = sobol::ranked(factors, result)
        .into_iter()
        .map(|(factor, ix)| {
            let confidence = match factor.assumptions.as_slice() {
                [single] if !factor.chance && by == By::Assumption => Some(s.assumptions[*single].confidence.as_str()),
                _ => None,
            };
            json!({
                "id": factor.id, "label": sobol::factor_label(&prepared.scenario, factor),
                "assumptions": factor.assumptions.iter().map(|&i| s.assumptions[i].id.as_str()).collect::<Vec<_>>(),
                "first": ix.first, "first_ci": [ix.first_ci.0, ix.first_ci.1],
                "total": ix.total, "total_ci": [ix.total_ci.0, ix.total_ci.1],
                "confidence": confidence, "flagged": !factor.chance && sobol::flagged(s, factor, &ix),
            })
        })
        .collect();
    let notes: Vec<String> = prepared.notes.iter().map(|n| n.to_string()).collect();
    let object = json!({
        "notice": NOTICE,
        "scenario": {"id": s.id, "title": s.title, "content_hash": s.content_hash},
        "settings": prepared.settings,
        "method": "sobol",
        "by": by_name(by),
        "outcome": {"id": spec.id, "label": spec.label, "test": spec.test, "when": spec.outcome.when},
        "base_samples": prepared.settings.runs,
        "model_runs": model_runs,
        "bootstrap_resamples": sobol::BOOTSTRAP_RESAMPLES,
        "probability_over_uncertainty": result.probability,
        "variance": result.variance,
        "defined": result.indices.is_some(),
        "without_plausible_range": s.assumptions.iter().filter(|a| a.plausible.is_none()).map(|a| a.id.as_str()).collect::<Vec<_>>(),
        "factors": rows,
        "link_notes": notes,
    });
    json_text(&object)
}

fn sobol_table(
    prepared: &Prepared,
    by: By,
    factors: &[sobol::Factor],
    result: &SobolResult,
    model_runs: usize,
) -> String {
    let s = &prepared.scenario;
    let spec = &s.outcomes[result.outcome];
    let settings = prepared.settings;
    let mut out = String::new();
    write_title(&mut out, s);
    let _ = writeln!(
        out,
        "seed {}, {} base samples × {} matrices = {model_runs} runs, {} months, {}\n",
        settings.seed,
        settings.runs,
        factors.len() + 2,
        settings.horizon,
        format::engine()
    );
    let _ = writeln!(out, "Sobol indices of: {}", outcome_heading(spec));
    let _ = writeln!(
        out,
        "Over the plausible ranges: {} (every assumption drawn as run --uncertain draws it)",
        pct(result.probability)
    );
    let _ = writeln!(
        out,
        "first = share of the outcome's variance due to the factor alone; total = including its interactions.\n\
         95 % bootstrap intervals in brackets; `{CHANCE}` is the model's own noise. Grouped by {}.\n",
        by_name(by)
    );
    let rows = sobol::ranked(factors, result);
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "The outcome came out the same in every run, so it has no variance to share out."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{:>4}  {:<46} {:>22}  {:>22}  flag",
        "rank", "factor", "first [95 %]", "total [95 %]"
    );
    for (rank, (factor, ix)) in rows.iter().enumerate() {
        let flag = if !factor.chance && sobol::flagged(s, factor, ix) {
            "*"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<46} {:>22}  {:>22}  {flag}",
            rank + 1,
            factor.id,
            format!("{:.3} [{:.3}, {:.3}]", ix.first, ix.first_ci.0, ix.first_ci.1),
            format!("{:.3} [{:.3}, {:.3}]", ix.total, ix.total_ci.0, ix.total_ci.1),
        );
    }
    let _ = writeln!(
        out,
        "\n* flagged: one low-confidence assumption whose total index is at least {} with its interval above {}:\n  where better evidence would matter most.",
        sobol::LARGE_TOTAL,
        sobol::SMALL_TOTAL
    );
    out
}
