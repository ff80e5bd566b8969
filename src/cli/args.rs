//! Command-line arguments, parsed by hand (the tool has few options; no parser crate needed).
//!
//! Every command that simulates a state (`run`, `sensitivity`, `sweep`, `compare`, `export`)
//! takes the same [`StateOptions`], read in one place ([`StateOptions::take`]); each command then
//! adds its own flags.

use std::fmt;

/// How a command prints its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// A chart (sensitivity only).
    Svg,
}

/// The state to simulate: which scenario, which assumption values, which ensemble. A link gives
/// all of it; the other options override what it says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StateOptions {
    /// A file path or a built-in scenario id; may be absent when `link` names the scenario.
    pub scenario: Option<String>,
    pub link: Option<String>,
    pub seed: Option<u64>,
    pub runs: Option<usize>,
    pub horizon: Option<usize>,
    /// `ID=VALUE` settings, in order.
    pub set: Vec<(String, String)>,
}

/// Options of `run`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOptions {
    pub state: StateOptions,
    /// Runs advanced per step; results must not depend on it.
    pub batch: Option<usize>,
    pub format: Option<Format>,
}

/// Options of `sensitivity`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SensitivityOptions {
    pub state: StateOptions,
    /// The outcome id whose tornado is shown.
    pub outcome: String,
    pub format: Option<Format>,
    /// Worker threads; results do not depend on it.
    pub threads: Option<usize>,
}

/// One `--vary ID[=POINTS]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vary {
    pub id: String,
    pub points: Option<usize>,
}

/// Options of `sweep`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepOptions {
    pub state: StateOptions,
    /// One or two assumptions.
    pub vary: Vec<Vary>,
    pub threads: Option<usize>,
}

/// Options of `compare`: state B as usual, state A (the reference) from `--against` /
/// `--against-link`, or the scenario's defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareOptions {
    pub state: StateOptions,
    /// A file path or built-in id for state A.
    pub against: Option<String>,
    /// A link for state A.
    pub against_link: Option<String>,
    pub format: Option<Format>,
}

/// What `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Quantiles,
    Outcomes,
    Assumptions,
    Svg,
}

/// Options of `export`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    pub state: StateOptions,
    pub what: ExportKind,
    /// `A-B` for the chart; default: the link's `view.pair`, else the first pair.
    pub pair: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Validate { files: Vec<String> },
    Run(RunOptions),
    Sensitivity(SensitivityOptions),
    Sweep(SweepOptions),
    Compare(CompareOptions),
    Export(ExportOptions),
    Bench { quick: bool },
    List,
    Help,
}

/// A usage mistake, reported with the usage text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const USAGE: &str = "\
alignment-sim: speculative scenario simulator for great-power alignment (not a forecast)

USAGE:
  alignment-sim validate FILE...
  alignment-sim run FILE|ID [STATE OPTIONS] [--format table|json|csv] [--batch N]
  alignment-sim run --link URL [same options, which override the link]
  alignment-sim sensitivity FILE|ID [STATE OPTIONS] --outcome OUTCOME_ID
                            [--format table|csv|json|svg] [--threads N]
  alignment-sim sweep FILE|ID [STATE OPTIONS] --vary ID[=POINTS] [--vary ID2[=POINTS]] [--threads N]
  alignment-sim compare FILE|ID [STATE OPTIONS] [--against FILE|ID | --against-link URL]
                            [--format table|json]
  alignment-sim export FILE|ID [STATE OPTIONS] --what quantiles|outcomes|assumptions|svg [--pair A-B]
  alignment-sim list          built-in scenarios and their assumption ids
  alignment-sim bench [--quick]

STATE OPTIONS (every command that simulates; FILE|ID may be left out when --link names it):
  --link URL        a share link: scenario, assumption values, seed, runs, horizon
  --seed N  --runs N  --horizon N
  --set ID=VALUE    sets one assumption (ids as listed by `list`), e.g. --set model.balance=0.05

FILE is a scenario file (TOML); ID a built-in scenario (see `list`).
run --format json prints one object with every output; csv prints the per-pair quantile table.
sensitivity: each assumption set to the low and the high end of its range, everything else as
  given, all on the same random draws; ranked by swing = |P(high) − P(low)| with its paired
  standard error. Influential: swing ≥ 5 points and ≥ 2 paired standard errors; flagged (*):
  influential and low confidence, where better evidence would matter most. svg: the tornado chart.
sweep: a CSV of outcome probabilities (and standard errors) over a grid from the low to the high
  end of each assumption's range (POINTS per axis, default 11; snapped to the slider step).
compare: state B (the options given) against state A (default: the scenario's defaults), both on
  the seed, runs and horizon of B; deltas B − A with their paired standard errors.
export: writes to stdout: quantiles (CSV), outcomes (CSV), assumptions (Markdown report), svg
  (the fan chart of one pair).
--threads N: worker threads (default: all cores); the numbers do not depend on it.
";

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, UsageError> {
    let value = value.ok_or_else(|| UsageError(format!("{flag} needs a value")))?;
    value
        .parse()
        .map_err(|_| UsageError(format!("{flag}: `{value}` is not a whole number")))
}

fn text(flag: &str, value: Option<String>, what: &str) -> Result<String, UsageError> {
    value.ok_or_else(|| UsageError(format!("{flag} needs {what}")))
}

fn format(value: Option<String>, allowed: &[(&str, Format)]) -> Result<Format, UsageError> {
    let given = value.unwrap_or_default();
    allowed
        .iter()
        .find(|(name, _)| *name == given)
        .map(|&(_, f)| f)
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
            let list = match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => names.join(""),
            };
            UsageError(format!("--format must be {list}, not `{given}`"))
        })
}

const TABLE_JSON_CSV: [(&str, Format); 3] = [("table", Format::Table), ("json", Format::Json), ("csv", Format::Csv)];
const TABLE_CSV_JSON_SVG: [(&str, Format); 4] = [
    ("table", Format::Table),
    ("csv", Format::Csv),
    ("json", Format::Json),
    ("svg", Format::Svg),
];
const TABLE_JSON: [(&str, Format); 2] = [("table", Format::Table), ("json", Format::Json)];

type Args<'a> = &'a mut dyn Iterator<Item = String>;

impl StateOptions {
    /// Reads `flag` (and its value) if it is a state option; `Ok(false)` if it is not one.
    fn take(&mut self, flag: &str, args: Args) -> Result<bool, UsageError> {
        match flag {
            "--seed" => self.seed = Some(number("--seed", args.next())?),
            "--runs" => self.runs = Some(number("--runs", args.next())?),
            "--horizon" => self.horizon = Some(number("--horizon", args.next())?),
            "--link" => self.link = Some(text("--link", args.next(), "a URL")?),
            "--set" => {
                let pair = text("--set", args.next(), "ID=VALUE")?;
                let (id, value) = pair
                    .split_once('=')
                    .ok_or_else(|| UsageError(format!("--set `{pair}`: write ID=VALUE, e.g. model.balance=0.05")))?;
                self.set.push((id.to_string(), value.to_string()));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Reads the arguments of a command that simulates a state: state options into `state`, the
/// command's own flags through `own` (which returns `Ok(false)` for a flag it does not know), and
/// one positional scenario.
fn parse_state_command(
    command: &str,
    args: Args,
    state: &mut StateOptions,
    mut own: impl FnMut(&str, Args) -> Result<bool, UsageError>,
) -> Result<(), UsageError> {
    while let Some(arg) = args.next() {
        if state.take(&arg, args)? || own(&arg, args)? {
            continue;
        }
        if arg.starts_with("--") {
            return Err(UsageError(format!("{command}: unknown option `{arg}`")));
        }
        if state.scenario.is_some() {
            return Err(UsageError(format!(
                "{command} takes one scenario; `{arg}` is one too many"
            )));
        }
        state.scenario = Some(arg);
    }
    if state.scenario.is_none() && state.link.is_none() {
        return Err(UsageError(format!(
            "{command} needs a scenario file, a built-in id or --link URL"
        )));
    }
    Ok(())
}

fn threads(value: Option<String>) -> Result<usize, UsageError> {
    match number("--threads", value)? {
        0 => Err(UsageError("--threads must be at least 1".into())),
        n => Ok(n),
    }
}

fn vary(value: Option<String>) -> Result<Vary, UsageError> {
    let spec = text("--vary", value, "ID or ID=POINTS")?;
    match spec.split_once('=') {
        None => Ok(Vary { id: spec, points: None }),
        Some((id, points)) => {
            let points = points
                .parse()
                .map_err(|_| UsageError(format!("--vary `{spec}`: `{points}` is not a whole number of points")))?;
            Ok(Vary {
                id: id.to_string(),
                points: Some(points),
            })
        }
    }
}

fn parse_run(args: Args) -> Result<Command, UsageError> {
    let mut options = RunOptions::default();
    let (mut batch, mut chosen) = (None, None);
    parse_state_command("run", args, &mut options.state, |flag, args| {
        match flag {
            "--batch" => batch = Some(number("--batch", args.next())?),
            "--format" => chosen = Some(format(args.next(), &TABLE_JSON_CSV)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    options.batch = batch;
    options.format = chosen;
    Ok(Command::Run(options))
}

fn parse_sensitivity(args: Args) -> Result<Command, UsageError> {
    let mut options = SensitivityOptions::default();
    let (mut outcome, mut chosen, mut threads_given) = (None, None, None);
    parse_state_command("sensitivity", args, &mut options.state, |flag, args| {
        match flag {
            "--outcome" => outcome = Some(text("--outcome", args.next(), "an outcome id")?),
            "--format" => chosen = Some(format(args.next(), &TABLE_CSV_JSON_SVG)?),
            "--threads" => threads_given = Some(threads(args.next())?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    options.outcome = outcome.ok_or_else(|| UsageError("sensitivity needs --outcome OUTCOME_ID".into()))?;
    options.format = chosen;
    options.threads = threads_given;
    Ok(Command::Sensitivity(options))
}

fn parse_sweep(args: Args) -> Result<Command, UsageError> {
    let mut options = SweepOptions::default();
    let (mut varied, mut threads_given) = (Vec::new(), None);
    parse_state_command("sweep", args, &mut options.state, |flag, args| {
        match flag {
            "--vary" => varied.push(vary(args.next())?),
            "--threads" => threads_given = Some(threads(args.next())?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    if !(1..=2).contains(&varied.len()) {
        return Err(UsageError(format!(
            "sweep varies one or two assumptions (--vary ID[=POINTS]), not {}",
            varied.len()
        )));
    }
    options.vary = varied;
    options.threads = threads_given;
    Ok(Command::Sweep(options))
}

fn parse_compare(args: Args) -> Result<Command, UsageError> {
    let mut options = CompareOptions::default();
    let (mut against, mut against_link, mut chosen) = (None, None, None);
    parse_state_command("compare", args, &mut options.state, |flag, args| {
        match flag {
            "--against" => against = Some(text("--against", args.next(), "a scenario file or built-in id")?),
            "--against-link" => against_link = Some(text("--against-link", args.next(), "a URL")?),
            "--format" => chosen = Some(format(args.next(), &TABLE_JSON)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    options.against = against;
    options.against_link = against_link;
    options.format = chosen;
    Ok(Command::Compare(options))
}

fn parse_export(args: Args) -> Result<Command, UsageError> {
    let mut state = StateOptions::default();
    let (mut what, mut pair) = (None, None);
    parse_state_command("export", args, &mut state, |flag, args| {
        match flag {
            "--what" => {
                what = Some(match args.next().as_deref() {
                    Some("quantiles") => ExportKind::Quantiles,
                    Some("outcomes") => ExportKind::Outcomes,
                    Some("assumptions") => ExportKind::Assumptions,
                    Some("svg") => ExportKind::Svg,
                    other => {
                        return Err(UsageError(format!(
                            "--what must be quantiles, outcomes, assumptions or svg, not `{}`",
                            other.unwrap_or("")
                        )))
                    }
                })
            }
            "--pair" => pair = Some(text("--pair", args.next(), "a pair such as RUS-CHN")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let what = what.ok_or_else(|| UsageError("export needs --what quantiles|outcomes|assumptions|svg".into()))?;
    Ok(Command::Export(ExportOptions { state, what, pair }))
}

pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, UsageError> {
    let mut args = args.into_iter();
    let Some(command) = args.next() else {
        return Ok(Command::Help);
    };
    match command.as_str() {
        "validate" => {
            let files: Vec<String> = args.collect();
            if files.is_empty() {
                return Err(UsageError("validate needs at least one file".into()));
            }
            Ok(Command::Validate { files })
        }
        "list" => Ok(Command::List),
        "bench" => {
            let mut quick = false;
            for arg in args {
                match arg.as_str() {
                    "--quick" => quick = true,
                    // `cargo bench` passes --bench to harness-less benches.
                    "--bench" => {}
                    other => return Err(UsageError(format!("bench: unknown option `{other}`"))),
                }
            }
            Ok(Command::Bench { quick })
        }
        "run" => parse_run(&mut args),
        "sensitivity" => parse_sensitivity(&mut args),
        "sweep" => parse_sweep(&mut args),
        "compare" => parse_compare(&mut args),
        "export" => parse_export(&mut args),
        "help" | "--help" | "-h" => Ok(Command::Help),
        other => Err(UsageError(format!("unknown command `{other}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Command, UsageError> {
        parse_args(line.split_whitespace().map(String::from))
    }

    #[test]
    fn run_options() {
        let Command::Run(o) = parse("run x.toml --seed 7 --runs 500 --set model.balance=0.1 --format csv").unwrap()
        else {
            panic!("not a run")
        };
        assert_eq!(o.state.scenario.as_deref(), Some("x.toml"));
        assert_eq!((o.state.seed, o.state.runs), (Some(7), Some(500)));
        assert_eq!(o.state.set, vec![("model.balance".to_string(), "0.1".to_string())]);
        assert_eq!(o.format, Some(Format::Csv));
    }

    #[test]
    fn mistakes_are_reported() {
        assert!(parse("run").is_err());
        assert!(parse("run x --seed seven").is_err());
        assert!(parse("run x --set novalue").is_err());
        assert!(parse("run x --format xml").is_err());
        assert!(parse("validate").is_err());
        assert!(parse("frobnicate").is_err());
    }

    #[test]
    fn the_state_options_mean_the_same_in_every_command() {
        let shared = "x --seed 3 --runs 100 --horizon 12 --set a.b=1 --link v=1";
        let state = |command: Command| match command {
            Command::Run(o) => o.state,
            Command::Sensitivity(o) => o.state,
            Command::Sweep(o) => o.state,
            Command::Compare(o) => o.state,
            Command::Export(o) => o.state,
            other => panic!("{other:?}"),
        };
        let expected = state(parse(&format!("run {shared}")).unwrap());
        for tail in [
            "sensitivity {} --outcome o",
            "sweep {} --vary a.b",
            "compare {}",
            "export {} --what svg",
        ] {
            let line = tail.replace("{}", shared);
            assert_eq!(state(parse(&line).unwrap()), expected, "{line}");
        }
    }

    #[test]
    fn analysis_commands() {
        let Command::Sensitivity(o) = parse("sensitivity x --outcome y --threads 1 --format csv").unwrap() else {
            panic!()
        };
        assert_eq!(
            (o.outcome.as_str(), o.threads, o.format),
            ("y", Some(1), Some(Format::Csv))
        );
        let Command::Sweep(o) = parse("sweep x --vary a.b=5 --vary c.d").unwrap() else {
            panic!()
        };
        assert_eq!(
            o.vary,
            vec![
                Vary {
                    id: "a.b".into(),
                    points: Some(5)
                },
                Vary {
                    id: "c.d".into(),
                    points: None
                }
            ]
        );
        let Command::Compare(o) = parse("compare x --set a.b=1 --against y").unwrap() else {
            panic!()
        };
        assert_eq!((o.against.as_deref(), o.against_link), (Some("y"), None));
        let Command::Export(o) = parse("export x --what svg --pair RUS-CHN").unwrap() else {
            panic!()
        };
        assert_eq!((o.what, o.pair.as_deref()), (ExportKind::Svg, Some("RUS-CHN")));
        for bad in [
            "sensitivity x",
            "sensitivity x --outcome y --threads 0",
            "sensitivity x --outcome y --format xml",
            "sweep x",
            "sweep x --vary a --vary b --vary c",
            "sweep x --vary a=many",
            "compare x --format csv",
            "export x",
            "export x --what pdf",
            "export --what svg",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
