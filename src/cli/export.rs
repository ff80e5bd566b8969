//! `export`: the files the page offers for download, written to stdout.

use super::{prepare, report_notes, simulate, CliError, ExportKind, ExportOptions, Prepared};
use crate::analysis::export::{assumptions_markdown, fan_chart_svg, outcomes_csv, quantiles_csv};
use crate::engine::Ensemble;

/// `--pair`, else the link's `view.pair`, else the pair the file opens on (`[opening]`).
fn chosen_pair(prepared: &Prepared, asked: Option<&str>) -> Result<usize, CliError> {
    if let Some(key) = asked {
        return prepared.scenario.pair_by_key(key).ok_or_else(|| {
            let actors: Vec<&str> = prepared.scenario.actors.iter().map(|a| a.id.as_str()).collect();
            CliError(format!(
                "--pair {key}: write two actor ids of `{}` as A-B (actors: {})",
                prepared.scenario.id,
                actors.join(", ")
            ))
        });
    }
    Ok(prepared.view.pair.unwrap_or(prepared.scenario.opening.pair))
}

pub fn run(options: &ExportOptions) -> Result<String, CliError> {
    let prepared = prepare(&options.state)?;
    report_notes(&prepared);
    let scenario = &prepared.scenario;
    Ok(match options.what {
        ExportKind::Quantiles => quantiles_csv(scenario, &simulate(&prepared, None)),
        ExportKind::Outcomes => {
            // The outcomes need no fan-chart bands: same runs, same numbers, less work.
            let mut ensemble = Ensemble::outcomes_only(scenario.model(&prepared.values), prepared.settings);
            ensemble.finish();
            outcomes_csv(scenario, &ensemble.summary())
        }
        ExportKind::Assumptions => assumptions_markdown(scenario, &prepared.values),
        ExportKind::Svg => {
            let pair = chosen_pair(&prepared, options.pair.as_deref())?;
            fan_chart_svg(scenario, &simulate(&prepared, None), pair)
        }
    })
}
