//! `compare`: state B (the options given) against state A (`--against`, `--against-link`, or
//! the scenario's defaults), both on B's seed, runs and horizon.

use std::fmt::Write;

use serde_json::{json, Value};

use super::report::{json_text, pct};
use super::{apply_view, prepare, report_notes, CliError, CompareOptions, Format, Prepared, StateOptions};
use crate::analysis::compare::{compare_states, StateComparison};
use crate::analysis::NOTICE;
use crate::view::format;

/// A difference at least this many paired standard errors from zero is marked as one that
/// sampling noise does not explain.
const MARKED_MULTIPLE: f64 = 2.0;

/// State A and how to describe it.
fn reference(options: &CompareOptions, b: &Prepared) -> Result<(Prepared, String), CliError> {
    if options.against.is_none() && options.against_link.is_none() {
        let mut values = b.scenario.defaults();
        let named_view = match &options.against_view {
            Some(id) => Some(apply_view(&b.scenario, id, &mut values)?),
            None => None,
        };
        let described = match &options.against_view {
            Some(id) => format!("the view `{id}`"),
            None => "the scenario's defaults".to_string(),
        };
        let a = Prepared {
            scenario: b.scenario.clone(),
            values,
            settings: b.settings,
            view: Default::default(),
            named_view,
            notes: Vec::new(),
        };
        return Ok((a, described));
    }
    let state = StateOptions {
        scenario: options.against.clone(),
        link: options.against_link.clone(),
        view: options.against_view.clone(),
        ..StateOptions::default()
    };
    let a = prepare(&state)?;
    for note in &a.notes {
        eprintln!("against link: {note}");
    }
    if options.against_link.is_some() && a.settings != b.settings {
        eprintln!(
            "note: state A is run with B's seed {}, {} runs and {} months (not its own), so that both use the same random draws",
            b.settings.seed, b.settings.runs, b.settings.horizon
        );
    }
    let described = match (&options.against, &options.against_link) {
        (Some(name), None) => match &options.against_view {
            Some(view) => format!("`{name}` with the view `{view}`"),
            None => format!("`{name}` at its defaults"),
        },
        (_, Some(_)) => "the state of --against-link".to_string(),
        (None, None) => unreachable!("handled above"),
    };
    Ok((a, described))
}

pub fn run(options: &CompareOptions) -> Result<String, CliError> {
    let b = prepare(&options.state)?;
    report_notes(&b);
    let (a, a_described) = reference(options, &b)?;
    let comparison = compare_states(&a.scenario, &a.values, &b.scenario, &b.values, b.settings)
        .map_err(|e| CliError(e.to_string()))?;
    Ok(match options.format.unwrap_or(Format::Table) {
        Format::Json => json(&a, &b, &comparison),
        _ => table(&a, &a_described, &b, &comparison),
    })
}

/// Assumptions whose values differ between A and B (same scenario only): (id, A, B).
fn changed(a: &Prepared, b: &Prepared) -> Vec<(String, f64, f64)> {
    if a.scenario.id != b.scenario.id || a.scenario.assumptions.len() != b.scenario.assumptions.len() {
        return Vec::new();
    }
    b.scenario
        .assumptions
        .iter()
        .zip(a.values.iter().zip(&b.values))
        .filter(|(_, (va, vb))| va != vb)
        .map(|(assumption, (&va, &vb))| (assumption.id.clone(), va, vb))
        .collect()
}

fn table(a: &Prepared, a_described: &str, b: &Prepared, comparison: &StateComparison) -> String {
    let settings = comparison.settings;
    let mut out = String::new();
    let _ = writeln!(out, "Comparison of two states\n{NOTICE}");
    let _ = writeln!(out, "A: {} ({}): {a_described}", a.scenario.title, a.scenario.id);
    let given = match b.named_view {
        Some(v) => format!("the view `{}` and the options given", b.scenario.views[v].id),
        None => "the state given".to_string(),
    };
    let _ = writeln!(out, "B: {} ({}): {given}", b.scenario.title, b.scenario.id);
    let _ = writeln!(
        out,
        "{}; both states on the same random draws\n",
        format::recipe(&settings)
    );
    let differences = changed(a, b);
    if a.scenario.id == b.scenario.id {
        if differences.is_empty() {
            let _ = writeln!(out, "The two states have the same assumption values.\n");
        } else {
            let _ = writeln!(out, "Assumptions that differ (A → B):");
            for (id, va, vb) in &differences {
                let _ = writeln!(out, "  {id:<44} {va} → {vb}");
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "Outcomes (B − A ± paired standard error, in percentage points):");
    let _ = writeln!(out, "  {:>6}  {:>6}  {:>14}  outcome", "P(A)", "P(B)", "B − A ± SE");
    for o in &comparison.outcomes {
        let d = &o.difference;
        let marked = d.delta != 0.0 && d.delta.abs() >= MARKED_MULTIPLE * d.std_error;
        let _ = writeln!(
            out,
            "  {:>6}  {:>6}  {:>14}{} {}{}",
            pct(o.a.probability),
            pct(o.b.probability),
            format!("{:+.1} ± {:.1}", 100.0 * d.delta, 100.0 * d.std_error),
            if marked { " *" } else { "  " },
            o.label,
            if o.tests_differ {
                "  (the two scenarios test this differently)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        out,
        "* the difference is at least {MARKED_MULTIPLE} paired standard errors: not sampling noise."
    );
    if !comparison.only_in_a.is_empty() {
        let _ = writeln!(out, "Only in A: {}", comparison.only_in_a.join(", "));
    }
    if !comparison.only_in_b.is_empty() {
        let _ = writeln!(out, "Only in B: {}", comparison.only_in_b.join(", "));
    }
    out
}

fn json(a: &Prepared, b: &Prepared, comparison: &StateComparison) -> String {
    let state = |p: &Prepared| {
        let view = p.named_view.map(|v| p.scenario.views[v].id.clone());
        json!({"scenario": p.scenario.id, "content_hash": p.scenario.content_hash, "view": view})
    };
    let outcomes: Vec<Value> = comparison
        .outcomes
        .iter()
        .map(|o| {
            json!({"id": o.id, "label": o.label, "a": o.a, "b": o.b, "delta": o.difference.delta,
                   "std_error": o.difference.std_error, "unpaired_std_error": o.difference.unpaired_std_error,
                   "gained": o.difference.gained, "lost": o.difference.lost, "tests_differ": o.tests_differ})
        })
        .collect();
    let differences: Vec<Value> = changed(a, b)
        .into_iter()
        .map(|(id, va, vb)| json!({"id": id, "a": va, "b": vb}))
        .collect();
    let object = json!({
        "notice": NOTICE,
        "a": state(a),
        "b": state(b),
        "settings": comparison.settings,
        "changed_assumptions": differences,
        "outcomes": outcomes,
        "only_in_a": comparison.only_in_a,
        "only_in_b": comparison.only_in_b,
    });
    json_text(&object)
}
