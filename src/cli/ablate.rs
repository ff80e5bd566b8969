//! `ablate`: without this source, each outcome's change on common random numbers.

use std::fmt::Write;

use serde_json::{json, Value};

use super::report::{json_text, outcome_heading, pct, write_title};
use super::{prepare, report_notes, AblateOptions, CliError, Format};
use crate::analysis::ablate::{ablatable, ablation};
use crate::analysis::{OutcomeRuns, PairedDifference, NOTICE};
use crate::view::format;

pub fn run(options: &AblateOptions) -> Result<String, CliError> {
    let prepared = prepare(&options.state)?;
    report_notes(&prepared);
    let (s, values, settings) = (&prepared.scenario, &prepared.values, prepared.settings);
    let ids = || s.sources.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ");
    let source = match &options.without {
        Some(without) => s.sources.iter().position(|x| &x.id == without).ok_or_else(|| {
            CliError(format!(
                "--without {without}: `{}` has no such source (it has: {})",
                s.id,
                ids()
            ))
        })?,
        None => prepared.view.without.ok_or_else(|| {
            CliError(format!(
                "say which source to leave out: --without SOURCE_ID, or a --link with view.without (`{}` has: {})",
                s.id,
                ids()
            ))
        })?,
    };
    let ablated = ablation(s, source);
    let with = OutcomeRuns::simulate(s.model(values), settings);
    let without = OutcomeRuns::simulate(s.model(&ablated.values(values)), settings);
    let changes: Vec<PairedDifference> = (0..s.outcomes.len())
        .map(|o| PairedDifference::of(&with, o, &without, o))
        .collect();
    let share = |runs: &OutcomeRuns, o: usize| runs.count(o) as f64 / runs.runs() as f64;
    if options.format == Some(Format::Json) {
        let outcomes: Vec<Value> = s
            .outcomes
            .iter()
            .enumerate()
            .map(|(o, spec)| {
                json!({"id": spec.id, "label": spec.label, "with": share(&with, o), "without": share(&without, o),
                       "change": changes[o].delta, "change_se": changes[o].std_error})
            })
            .collect();
        let changed: Vec<Value> = ablated
            .changed
            .iter()
            .map(|&(a, value)| json!({"id": s.assumptions[a].id, "value": values[a], "without": value}))
            .collect();
        let object = json!({
            "notice": NOTICE,
            "scenario": {"id": s.id, "title": s.title, "content_hash": s.content_hash},
            "settings": settings,
            "source": {"id": s.sources[source].id, "title": s.sources[source].title, "kind": s.sources[source].kind.as_str()},
            "changed": changed,
            "unstated": ablated.unstated.iter().map(|&a| s.assumptions[a].id.as_str()).collect::<Vec<_>>(),
            "outcomes": outcomes,
            "ablatable": ablatable(s).into_iter().map(|x| s.sources[x].id.as_str()).collect::<Vec<_>>(),
            "link_notes": prepared.notes.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        });
        return Ok(json_text(&object));
    }
    let mut out = String::new();
    write_title(&mut out, s);
    let _ = writeln!(
        out,
        "{}; both states on the same random draws\n",
        format::recipe(&settings)
    );
    let _ = writeln!(out, "Without: {} ({})", s.sources[source].title, s.sources[source].id);
    if ablated.changed.is_empty() {
        let _ = writeln!(
            out,
            "No assumption rests on it alone with a value stated for its absence: nothing changes."
        );
    }
    for &(a, value) in &ablated.changed {
        let _ = writeln!(out, "  {}: {} → {}", s.assumptions[a].id, values[a], value);
    }
    if !ablated.unstated.is_empty() {
        let ids: Vec<&str> = ablated.unstated.iter().map(|&a| s.assumptions[a].id.as_str()).collect();
        let _ = writeln!(
            out,
            "  kept (rest on it alone, but the file states no `without` value): {}",
            ids.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n  {:>8}  {:>8}  {:>14}  outcome",
        "with", "without", "change (pts)"
    );
    for (o, spec) in s.outcomes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>8}  {:>8}  {:>14}  {}",
            pct(share(&with, o)),
            pct(share(&without, o)),
            format!("{:+.1} ± {:.1}", 100.0 * changes[o].delta, 100.0 * changes[o].std_error),
            outcome_heading(spec)
        );
    }
    Ok(out)
}
