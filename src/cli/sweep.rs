//! `sweep`: one or two assumptions over a grid, a CSV of outcome probabilities, grid points spread
//! over threads.

use super::parallel::map_in_parallel;
use super::{prepare, report_notes, thread_count, CliError, Prepared, SweepOptions, Vary};
use crate::analysis::export::sweep_csv;
use crate::analysis::sweep::{run_point, sweep_jobs, Axis, MAX_POINTS};

/// Points per axis when `--vary` does not say.
pub const DEFAULT_POINTS: usize = 11;

fn axis(prepared: &Prepared, vary: &Vary) -> Result<Axis, CliError> {
    let scenario = &prepared.scenario;
    let index = scenario.assumption_index(&vary.id).ok_or_else(|| {
        CliError(format!(
            "--vary {}: `{}` has no such assumption (see `alignment-sim list`)",
            vary.id, scenario.id
        ))
    })?;
    let points = vary.points.unwrap_or(DEFAULT_POINTS);
    if !(2..=MAX_POINTS).contains(&points) {
        return Err(CliError(format!(
            "--vary {}: a grid has 2 to {MAX_POINTS} points, not {points}",
            vary.id
        )));
    }
    Ok(Axis::new(scenario, index, points))
}

pub fn run(options: &SweepOptions) -> Result<String, CliError> {
    let prepared = prepare(&options.state)?;
    report_notes(&prepared);
    let axes = options
        .vary
        .iter()
        .map(|vary| axis(&prepared, vary))
        .collect::<Result<Vec<_>, _>>()?;
    if axes.len() == 2 && axes[0].assumption == axes[1].assumption {
        return Err(CliError(format!("--vary {} is given twice", options.vary[0].id)));
    }
    let (scenario, settings) = (&prepared.scenario, prepared.settings);
    let jobs = sweep_jobs(&prepared.values, &axes);
    let rows = map_in_parallel(&jobs, thread_count(options.threads), |job| {
        run_point(scenario, settings, job)
    });
    Ok(sweep_csv(scenario, &axes, &rows))
}
