//! The native command line: `validate`, `run`, `list`, `bench`, and the analyses `sensitivity`,
//! `sweep`, `compare` and `export` (thin front ends over [`crate::analysis`]).

mod ablate;
mod args;
mod bench;
mod calibrate;
mod compare;
mod discover;
mod export;
mod memory;
mod parallel;
mod report;
mod schema;
mod sensitivity;
mod sweep;

pub use args::{
    parse_args, usage, AblateOptions, By, Command, CompareOptions, DiscoverOptions, ExportKind, ExportOptions, Format,
    Method, Parsed, RunOptions, SensitivityOptions, StateOptions, SweepOptions, Vary,
};

pub use memory::keep_freed_memory;

use std::fmt::Write;
use std::process::ExitCode;

use crate::analysis::conditional::ConditionalOutcome;
use crate::analysis::export::quantiles_csv;
use crate::analysis::leans::BlocReading;
use crate::analysis::readings::RunReadings;
use crate::analysis::uncertainty::{assumption_key, run_model};
use crate::analysis::OutcomeRuns;
use crate::engine::{Ensemble, Settings, Summary};
use crate::link::{open_link, open_link_on, LinkNote, LinkView, OpenedLink};
use crate::scenario::{
    builtin, builtin_ids, parse_scenario, scenario_text, Observation, Scenario, MAX_HORIZON, MAX_RUNS,
};

/// A failure to report to the user; the message says what and where.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    memory::keep_freed_memory();
    let command = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Command(command)) => command,
        Ok(Parsed::Help(text)) => {
            emit(&text);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            // clap's rendering names the mistake and the command's usage line.
            eprint!("{}", error.render());
            return ExitCode::from(2);
        }
    };
    let result = match *command {
        Command::Validate { files } => validate(&files),
        Command::List => list().map(|output| emit(&output)),
        Command::Schema => {
            emit(&schema::scenario_schema());
            Ok(())
        }
        Command::Bench { quick, .. } => {
            bench::run(quick);
            Ok(())
        }
        Command::Run(options) => run(&options).map(|output| emit(&output)),
        Command::Sensitivity(options) => sensitivity::run(&options).map(|output| emit(&output)),
        Command::Sweep(options) => sweep::run(&options).map(|output| emit(&output)),
        Command::Compare(options) => compare::run(&options).map(|output| emit(&output)),
        Command::Export(options) => export::run(&options).map(|output| emit(&output)),
        Command::Calibrate(options) => calibrate::run(&options).map(|output| emit(&output)),
        Command::Discover(options) => discover::run(&options).map(|output| emit(&output)),
        Command::Ablate(options) => ablate::run(&options).map(|output| emit(&output)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn validate(files: &[String]) -> Result<(), CliError> {
    let mut failed = 0;
    for file in files {
        match read_scenario_file(file) {
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
            }
            Ok(text) => match parse_scenario(file, &text) {
                Ok(s) => println!(
                    "{file}: ok — `{}`, {} actors, {} events, {} outcomes, {} assumptions",
                    s.id,
                    s.actors.len(),
                    s.events.len(),
                    s.outcomes.len(),
                    s.assumptions.len()
                ),
                Err(errors) => {
                    eprintln!("{errors}");
                    failed += 1;
                }
            },
        }
    }
    if failed > 0 {
        return Err(CliError(format!("{failed} of {} files did not validate", files.len())));
    }
    Ok(())
}

fn list() -> Result<String, CliError> {
    let mut out = String::new();
    for id in builtin_ids() {
        let scenario = load_builtin(id)?;
        let _ = writeln!(out, "{id}: {}", scenario.title);
        for a in &scenario.assumptions {
            let _ = writeln!(
                out,
                "  {:<44} {:>8}  [{}, {}]  {}",
                a.id, a.default, a.range.0, a.range.1, a.label
            );
        }
    }
    Ok(out)
}

/// Writes a command's output to stdout. A reader that stops early (`| head`) is not an error:
/// the rest is dropped quietly instead of panicking on the closed pipe.
fn emit(output: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the output: {error}");
        }
    }
}

fn load_builtin(id: &str) -> Result<Scenario, CliError> {
    match builtin(id) {
        Some(Ok(scenario)) => Ok(scenario),
        Some(Err(errors)) => Err(CliError(errors.to_string())),
        None => Err(CliError(format!(
            "`{id}` is neither a file nor a built-in scenario (built-in: {})",
            builtin_ids().collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// A scenario file's text, by the page's rules: at most 512 KB, UTF-8 (the first bad byte is
/// reported by line and column).
fn read_scenario_file(name: &str) -> Result<String, CliError> {
    let bytes = std::fs::read(name).map_err(|e| CliError(format!("{name}: cannot read: {e}")))?;
    scenario_text(name, bytes).map_err(|e| CliError(e.to_string()))
}

/// A file path if it exists, else a built-in id.
pub fn load_scenario(name: &str) -> Result<Scenario, CliError> {
    let path = std::path::Path::new(name);
    if path.exists() {
        let text = read_scenario_file(name)?;
        parse_scenario(name, &text).map_err(|e| CliError(e.to_string()))
    } else {
        load_builtin(name)
    }
}

/// Everything decided before running: the scenario, one value per assumption, settings.
pub struct Prepared {
    pub scenario: Scenario,
    pub values: Vec<f64>,
    pub settings: Settings,
    /// The link's view (which pair the page showed, …), for commands that draw.
    pub view: LinkView,
    /// The scenario's named view applied by `--view` (index into `scenario.views`).
    pub named_view: Option<usize>,
    pub notes: Vec<LinkNote>,
}

/// Resolves the scenario, link and overrides shared by every simulating command into concrete
/// inputs.
pub fn prepare(options: &StateOptions) -> Result<Prepared, CliError> {
    // The link is read by the reader the page uses, so both use and report the same parts.
    let opened = match (&options.scenario, &options.link) {
        (Some(name), Some(link)) => {
            let (mut opened, named) = open_link_on(link, load_scenario(name)?);
            if let Some(named) = named.filter(|named| *named != opened.scenario.id) {
                opened.notes.push(LinkNote {
                    key: "s".into(),
                    message: format!(
                        "the link is about `{named}`; its settings were applied to `{name}`, given on the command line"
                    ),
                });
            }
            opened
        }
        (None, Some(link)) => {
            let opened = open_link(link);
            if let Some(reason) = &opened.unusable_scenario {
                // The page would open its first scenario instead; a command line that printed
                // another scenario's numbers would mislead a script, so it stops here.
                // The last note says what the page does instead; the others are printed as the page
                // lists them.
                for note in &opened.notes[..opened.notes.len() - 1] {
                    eprintln!("link: {note}");
                }
                return Err(CliError(format!("the link's scenario cannot be used: {reason}")));
            }
            opened
        }
        (Some(name), None) => OpenedLink::defaults(load_scenario(name)?),
        (None, None) => return Err(CliError("no scenario given".into())),
    };
    let OpenedLink {
        mut scenario,
        mut values,
        mut settings,
        view,
        notes,
        ..
    } = opened;
    if let Some(seed) = options.seed {
        settings.seed = seed;
    }
    if let Some(runs) = options.runs {
        if !(1..=MAX_RUNS).contains(&runs) {
            return Err(CliError(format!("--runs must be between 1 and {MAX_RUNS}, not {runs}")));
        }
        settings.runs = runs;
    }
    if let Some(horizon) = options.horizon {
        if !(1..=MAX_HORIZON).contains(&horizon) {
            return Err(CliError(format!(
                "--horizon must be between 1 and {MAX_HORIZON} months, not {horizon}"
            )));
        }
        settings.horizon = horizon;
    }
    let named_view = match &options.view {
        Some(id) => Some(apply_view(&scenario, id, &mut values)?),
        // The link's label of the view it started from (its values are already in the link).
        None => view.named,
    };
    for (id, text) in &options.set {
        let index = scenario.assumption_index(id).ok_or_else(|| {
            CliError(format!(
                "--set {id}: `{}` has no such assumption (see `alignment-sim list`)",
                scenario.id
            ))
        })?;
        let assumption = &scenario.assumptions[index];
        let value: f64 = text
            .parse()
            .map_err(|_| CliError(format!("--set {id}: `{text}` is not a number")))?;
        if !assumption.accepts(value) {
            return Err(CliError(format!(
                "--set {id}: {value} is outside the assumption's range [{}, {}]",
                assumption.range.0, assumption.range.1
            )));
        }
        values[index] = value;
    }
    // The flags override what the link marks; one event is marked once by the flags.
    let mut flagged = Vec::new();
    let flags = [("--happened", &options.happened), ("--not-by", &options.not_by)];
    for ((flag, marks), kind) in flags.into_iter().zip(Observation::KINDS) {
        for (id, month) in marks {
            let event = scenario.event_index(id).ok_or_else(|| {
                let ids: Vec<&str> = scenario.events.iter().map(|e| e.id.as_str()).collect();
                CliError(format!(
                    "{flag} {id}@{month}: `{}` has no such event; its events are {}",
                    scenario.id,
                    ids.join(", ")
                ))
            })?;
            if flagged.contains(&event) {
                return Err(CliError(format!(
                    "{flag} {id}@{month}: `{id}` is already marked by another flag"
                )));
            }
            flagged.push(event);
            scenario.events[event].observed = Some(kind(*month));
        }
    }
    Ok(Prepared {
        scenario,
        values,
        settings,
        view,
        named_view,
        notes,
    })
}

/// Puts a named view's values into `values` (`--view`); an unknown id is an error listing the views.
pub(super) fn apply_view(scenario: &Scenario, id: &str, values: &mut [f64]) -> Result<usize, CliError> {
    let index = scenario.views.iter().position(|v| v.id == id).ok_or_else(|| {
        let ids: Vec<&str> = scenario.views.iter().map(|v| v.id.as_str()).collect();
        let known = if ids.is_empty() {
            "it has no views".to_string()
        } else {
            format!("its views are {}", ids.join(", "))
        };
        CliError(format!("--view {id}: `{}` has no such view; {known}", scenario.id))
    })?;
    for &(assumption, value) in &scenario.views[index].values {
        values[assumption] = value;
    }
    Ok(index)
}

/// Runs the ensemble for prepared inputs, `batch` runs per step.
pub fn simulate(prepared: &Prepared, batch: Option<usize>) -> Summary {
    simulate_on_threads(prepared, batch, 1).0
}

/// What `run` reads from the finished ensemble's runs besides its summary (no extra runs).
pub struct Readings {
    /// Every event × outcome, event-major.
    pub conditional: Vec<ConditionalOutcome>,
    pub blocs: BlocReading,
    /// Whether each outcome held in each run (for paired differences between ensembles).
    pub outcome_runs: OutcomeRuns,
}

/// Ensembles at least this large are spread over threads by `run` (smaller ones finish before
/// threads pay for themselves).
const PARALLEL_RUNS_FROM: usize = 10_000;

/// As [`simulate`], large ensembles spread over `threads` threads (the same numbers), with the
/// readings of its runs.
fn simulate_on_threads(prepared: &Prepared, batch: Option<usize>, threads: usize) -> (Summary, Readings) {
    let model = prepared.scenario.model(&prepared.values);
    let weights = model.weights.clone();
    let ensemble = Ensemble::new(model, prepared.settings);
    finish(ensemble, prepared.settings, batch, threads, |_| &weights)
}

/// The ensemble over what we don't know (`run --uncertain`): each run draws every assumption from
/// its plausible range ([`crate::analysis::uncertainty`]), on the plain ensemble's random streams.
pub(super) fn simulate_uncertain(prepared: &Prepared, batch: Option<usize>, threads: usize) -> (Summary, Readings) {
    let (scenario, values, settings) = (&prepared.scenario, &prepared.values, prepared.settings);
    let key = assumption_key(settings.seed);
    let mut weights = Vec::with_capacity(settings.runs);
    let ensemble = Ensemble::per_run(scenario.model(values), settings, true, |run| {
        let model = run_model(scenario, values, key, run as u64);
        if run == weights.len() {
            weights.push(model.weights.clone());
        }
        (model, run as u64)
    });
    finish(ensemble, settings, batch, threads, |run| &weights[run])
}

/// Runs `ensemble` to the end (month by month on threads when it is large and no batch is asked
/// for) and reads its summary and its runs.
fn finish<'a>(
    mut ensemble: Ensemble,
    settings: Settings,
    batch: Option<usize>,
    threads: usize,
    weights_of: impl Fn(usize) -> &'a [f64],
) -> (Summary, Readings) {
    if batch.is_none() && threads > 1 && settings.runs >= PARALLEL_RUNS_FROM {
        while !ensemble.advance_month_on_threads(threads).is_done() {}
    } else {
        let batch = batch.unwrap_or(usize::MAX);
        while !ensemble.advance(batch).is_done() {}
    }
    let RunReadings { conditional, blocs } = RunReadings::of(&ensemble, weights_of);
    let readings = Readings {
        conditional,
        blocs,
        outcome_runs: OutcomeRuns::from_ensemble(&ensemble),
    };
    (ensemble.summary(), readings)
}

/// `run`: the printed output.
pub fn run(options: &RunOptions) -> Result<String, CliError> {
    if options.batch == Some(0) {
        return Err(CliError("--batch must be at least 1".into()));
    }
    let prepared = prepare(&options.state)?;
    report_notes(&prepared);
    let threads = thread_count(options.threads);
    let (summary, readings) = simulate_on_threads(&prepared, options.batch, threads);
    // A link with `u=1` asks for what the page then shows: both figures.
    let uncertain =
        (options.uncertain || prepared.view.uncertain).then(|| simulate_uncertain(&prepared, options.batch, threads));
    let uncertain = uncertain.as_ref().map(|(summary, readings)| (summary, readings));
    Ok(match options.format.unwrap_or(Format::Table) {
        Format::Table => report::table(&prepared, &summary, &readings, uncertain),
        Format::Json => report::json(&prepared, &summary, &readings, uncertain),
        Format::Csv => quantiles_csv(&prepared.scenario, &summary),
        Format::Svg => return Err(CliError("run has no svg output; see `export --what svg`".into())),
    })
}

/// Tells the user on stderr what the link said that was not used.
fn report_notes(prepared: &Prepared) {
    for note in &prepared.notes {
        eprintln!("link: {note}");
    }
}

/// The worker threads to use: as asked, else every core.
pub(super) fn thread_count(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
