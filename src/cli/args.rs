//! Command-line arguments, defined once with clap's derive: each flag's help text, its value check
//! and the usage text all come from the definitions below, so they cannot drift apart.
//!
//! Every command that simulates a state (`run`, `sensitivity`, `sweep`, `compare`, `export`)
//! flattens the same [`StateOptions`]; each command then adds its own flags.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::sensitivity::{INFLUENTIAL_SWING, NOISE_MULTIPLE};
use crate::analysis::sobol::{LARGE_TOTAL, SMALL_TOTAL};
use crate::scenario::{Observation, MAX_HORIZON, MAX_RUNS};

use super::sweep::DEFAULT_POINTS;

/// How a command prints its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// A chart (sensitivity only).
    Svg,
}

/// A `--format` parser accepting only the formats one command can write.
fn formats(allowed: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    let names = allowed
        .iter()
        .map(|format| format.to_possible_value().expect("every format has a name"));
    PossibleValuesParser::new(names).map(|name: String| Format::from_str(&name, false).expect("a listed name"))
}

/// The state to simulate: which scenario, which assumption values, which ensemble. A link gives
/// all of it; the other options override what it says.
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub struct StateOptions {
    /// A scenario file (TOML) or a built-in scenario id (see `list`); may be left out when --link names one.
    #[arg(value_name = "FILE|ID", required_unless_present = "link")]
    pub scenario: Option<String>,
    /// A share link (a full URL or just its fragment): scenario, assumption values, seed, runs, horizon.
    #[arg(long, value_name = "URL")]
    pub link: Option<String>,
    /// Seed of the random draws (default: the scenario's).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          help = format!("Number of runs in the ensemble, 1 … {MAX_RUNS} (default: the scenario's)"))]
    pub runs: Option<usize>,
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          help = format!("Months simulated, 1 … {MAX_HORIZON} (default: the scenario's)"))]
    pub horizon: Option<usize>,
    /// Starts from one of the scenario's named views (its values over the defaults or the link's); --set overrides it.
    #[arg(long, value_name = "VIEW_ID")]
    pub view: Option<String>,
    /// Sets one assumption (ids as printed by `list`), e.g. --set model.balance=0.05; repeatable.
    #[arg(long = "set", value_name = "ID=VALUE", value_parser = assignment)]
    pub set: Vec<(String, String)>,
    /// Marks an event as having happened in month M: it fires then in every run (e.g. --happened ukraine-settlement@14); repeatable.
    #[arg(long, value_name = "EVENT@M", value_parser = event_at)]
    pub happened: Vec<(String, u32)>,
    /// Marks an event as not having happened by month M: it cannot fire in months 1 … M; repeatable.
    #[arg(long = "not-by", value_name = "EVENT@M", value_parser = event_at)]
    pub not_by: Vec<(String, u32)>,
}

fn event_at(text: &str) -> Result<(String, u32), String> {
    let (event, month) = text
        .rsplit_once('@')
        .ok_or_else(|| "write EVENT@MONTH, e.g. ukraine-settlement@14".to_string())?;
    Ok((event.to_string(), Observation::read_month(month)?))
}

fn assignment(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(id, value)| (id.to_string(), value.to_string()))
        .ok_or_else(|| "write ID=VALUE, e.g. model.balance=0.05".to_string())
}

/// Options of `run`.
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub struct RunOptions {
    #[command(flatten)]
    pub state: StateOptions,
    /// Advance N runs at a time; the output does not depend on it.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub batch: Option<usize>,
    /// table is for people; json is one object with every output; csv is the per-pair quantile table.
    #[arg(long, value_parser = formats(&[Format::Table, Format::Json, Format::Csv]))]
    pub format: Option<Format>,
    /// Threads for ensembles of 10 000 runs or more, without --batch (default: all cores); the
    /// numbers do not depend on it.
    #[arg(long, value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// Also run the ensemble over what we don't know: each run draws every assumption from its
    /// plausible range (triangular around the value for high and medium confidence, uniform for
    /// low), on the same random draws; both figures are shown side by side.
    #[arg(long)]
    pub uncertain: bool,
}

/// Options of `sensitivity`.
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub struct SensitivityOptions {
    #[command(flatten)]
    pub state: StateOptions,
    /// The outcome whose tornado is shown.
    #[arg(long, value_name = "OUTCOME_ID")]
    pub outcome: String,
    /// svg draws the tornado chart.
    #[arg(long, value_parser = formats(&[Format::Table, Format::Csv, Format::Json, Format::Svg]))]
    pub format: Option<Format>,
    /// Worker threads (default: all cores); the numbers do not depend on it.
    #[arg(long, value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// tornado: one assumption at a time, each at both ends of its plausible range; sobol:
    /// first-order and total Sobol indices over the plausible ranges, chance a factor of its own
    /// (--runs is the number of base samples N; N·(factors + 2) runs).
    #[arg(long, value_enum, default_value_t = Method::Tornado)]
    pub method: Method,
    /// Sobol factors: each assumption, each source (the first document an assumption cites, else
    /// its data set, else judgement) or each kind (actors, pairs, events, model).
    #[arg(long, value_enum, default_value_t = By::Assumption)]
    pub by: By,
}

/// `sensitivity --method`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Method {
    #[default]
    Tornado,
    Sobol,
}

/// `sensitivity --by`: how the Sobol analysis groups assumptions into factors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum By {
    #[default]
    Assumption,
    Source,
    Kind,
}

fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// One `--vary ID[=POINTS]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vary {
    pub id: String,
    pub points: Option<usize>,
}

fn vary(spec: &str) -> Result<Vary, String> {
    match spec.split_once('=') {
        None => Ok(Vary {
            id: spec.to_string(),
            points: None,
        }),
        Some((id, points)) => {
            let points = points
                .parse()
                .map_err(|_| format!("`{points}` is not a whole number of points"))?;
            Ok(Vary {
                id: id.to_string(),
                points: Some(points),
            })
        }
    }
}

/// Options of `sweep`.
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub struct SweepOptions {
    #[command(flatten)]
    pub state: StateOptions,
    /// An assumption to vary over a grid of POINTS from the low to the high end of its range; once or twice.
    #[arg(long, value_name = "ID[=POINTS]", value_parser = vary, required = true, num_args = 1)]
    pub vary: Vec<Vary>,
    /// Worker threads (default: all cores); the numbers do not depend on it.
    #[arg(long, value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub threads: Option<usize>,
}

/// Options of `compare`: state B as usual, state A (the reference) from `--against` /
/// `--against-link`, or the scenario's defaults.
#[derive(Clone, Debug, Default, PartialEq, Args)]
pub struct CompareOptions {
    #[command(flatten)]
    pub state: StateOptions,
    /// State A: a scenario file or built-in id at its defaults.
    #[arg(long, value_name = "FILE|ID")]
    pub against: Option<String>,
    /// State A: a share link (applied to --against's scenario when both are given).
    #[arg(long, value_name = "URL")]
    pub against_link: Option<String>,
    /// State A: a named view (of --against's scenario, else of B's), e.g. --view essay-thesis --against-view sceptics.
    #[arg(long, value_name = "VIEW_ID")]
    pub against_view: Option<String>,
    #[arg(long, value_parser = formats(&[Format::Table, Format::Json]))]
    pub format: Option<Format>,
}

/// What `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportKind {
    /// The per-pair quantile table (CSV).
    Quantiles,
    /// Outcome probabilities (CSV).
    Outcomes,
    /// A Markdown report of every assumption.
    Assumptions,
    /// The fan chart of one pair (SVG).
    Svg,
}

/// Options of `export`.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct ExportOptions {
    #[command(flatten)]
    pub state: StateOptions,
    #[arg(long, value_enum)]
    pub what: ExportKind,
    /// The chart's pair, e.g. RUS-CHN (default: the link's view.pair, else the pair the file opens on).
    #[arg(long, value_name = "A-B")]
    pub pair: Option<String>,
}

/// Options of `discover`.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct DiscoverOptions {
    #[command(flatten)]
    pub state: StateOptions,
    /// The outcome whose box is sought.
    #[arg(long, value_name = "OUTCOME_ID")]
    pub outcome: String,
    #[arg(long, value_parser = formats(&[Format::Table, Format::Json]))]
    pub format: Option<Format>,
    /// Threads for ensembles of 10 000 runs or more (default: all cores); the numbers do not
    /// depend on it.
    #[arg(long, value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub threads: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Args)]
pub struct AblateOptions {
    #[command(flatten)]
    pub state: StateOptions,
    /// The source to drop (a source id of the scenario); default: the link's `view.without`, which
    /// is what the page's comparison without a source shows.
    #[arg(long, value_name = "SOURCE_ID")]
    pub without: Option<String>,
    #[arg(long, value_parser = formats(&[Format::Table, Format::Json]))]
    pub format: Option<Format>,
}

#[derive(Clone, Debug, PartialEq, Subcommand)]
pub enum Command {
    /// Check scenario files; each problem is printed as file:line: `field`: message.
    Validate {
        #[arg(value_name = "FILE", required = true)]
        files: Vec<String>,
    },
    /// Run one ensemble and print the results.
    Run(RunOptions),
    /// Which assumptions matter for one outcome: a tornado (each assumption at both ends of its
    /// plausible range) or Sobol indices over the plausible ranges (--method sobol).
    #[command(long_about = sensitivity_about())]
    Sensitivity(SensitivityOptions),
    /// Outcome probabilities over a grid of one or two assumptions (CSV).
    #[command(long_about = sweep_about())]
    Sweep(SweepOptions),
    /// State B (the options given) against state A, on common random numbers.
    #[command(
        long_about = "State B (the options given) against state A (default: the scenario's defaults), both on the \
                      seed, runs and horizon of B; deltas B − A with their paired standard errors."
    )]
    Compare(CompareOptions),
    /// Write a CSV, a Markdown report or an SVG chart to stdout.
    Export(ExportOptions),
    /// What would have to be true: the box of assumption ranges in which an outcome is most likely,
    /// over runs that draw every assumption from its plausible range (PRIM).
    #[command(
        long_about = "Runs the ensemble of run --uncertain (each run draws every assumption from its plausible range) \
                      and finds by PRIM (peeling 5 % at a time, down to 5 % of the runs) the densest box of assumption \
                      ranges that still holds at least half of the runs where the outcome happened; prints its \
                      coverage and density and the whole peeling trajectory."
    )]
    Discover(DiscoverOptions),
    /// Without this source: every assumption resting on it alone at its `without` value, on the
    /// same random draws; each outcome's change with its paired standard error.
    Ablate(AblateOptions),
    /// Time the engine on one thread.
    Bench {
        /// Fewer repeats.
        #[arg(long)]
        quick: bool,
        /// Passed by `cargo bench`; ignored.
        #[arg(long, hide = true)]
        bench: bool,
    },
    /// The built-in scenarios and every assumption id, default and range.
    List,
    /// Print the JSON Schema of the scenario format (scenarios/scenario.schema.json), for TOML editors.
    Schema,
    /// Fit the half-life and σ from the UN-voting data (a mean-reverting fit per pair and pooled).
    #[command(long_about = calibrate_about())]
    Calibrate(CalibrateOptions),
}

/// Options of `calibrate`.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct CalibrateOptions {
    /// The ideal-point CSV (default: $DATA_DIR/unga_idealpoints_selected_apr2020.csv, else ../shared/data/…).
    #[arg(long, value_name = "FILE")]
    pub data: Option<String>,
    /// First session year of the span.
    #[arg(long, value_name = "YEAR", default_value_t = 1992)]
    pub from: i32,
    /// Last session year of the span.
    #[arg(long, value_name = "YEAR", default_value_t = 2019)]
    pub to: i32,
    #[arg(long, default_value = "table", value_parser = formats(&[Format::Table, Format::Json]))]
    pub format: Format,
}

fn calibrate_about() -> String {
    format!(
        "A mean-reverting (Ornstein–Uhlenbeck) fit of the yearly UN-voting distance of each pair of actors \
         (EU = mean of Germany, France, Poland), sampled once a year: d(t+1) = c + φ·d(t) + ε by least squares; \
         half-life = 12·ln 2 / −ln φ months, with a 90 % interval from φ ± 1.645 standard errors; σ per month in \
         distance units and in alignment units under the files' convention (× {}). Pairs with China or North Korea \
         get their own level from {} on (the data's jump). Short series bias φ, and so the half-life, down.",
        crate::analysis::calibrate::ALIGNMENT_PER_DISTANCE,
        crate::analysis::calibrate::JUMP_YEAR
    )
}

fn sensitivity_about() -> String {
    format!(
        "--method tornado (default): each assumption set to the low and the high end of its plausible range (its \
         slider range where the file gives none), everything else as given, all on the same random draws; ranked \
         by swing = |P(high) − P(low)| with its paired standard error. Influential (+): swing ≥ {} points and ≥ {} \
         paired standard errors; flagged (*): influential and low confidence, where better evidence would matter \
         most. svg: the tornado chart.\n\n--method sobol: first-order and total-effect Sobol indices of the outcome \
         over the plausible ranges (drawn as run --uncertain draws them), by assumption, source or kind (--by), with \
         chance (the model's own noise) as a factor of its own; Saltelli design with N = --runs base samples, Jansen \
         estimators, 95 % bootstrap intervals. Flagged (*): one low-confidence assumption whose total index is at \
         least {} with an interval above {}.",
        INFLUENTIAL_SWING * 100.0,
        NOISE_MULTIPLE,
        LARGE_TOTAL,
        SMALL_TOTAL
    )
}

fn sweep_about() -> String {
    format!(
        "A CSV of outcome probabilities (and standard errors) over a grid from the low to the high end of each \
         assumption's range (POINTS per axis, default {DEFAULT_POINTS}; snapped to the slider step)."
    )
}

/// alignment-sim: speculative scenario simulator for great-power alignment (not a forecast).
#[derive(Debug, Parser)]
#[command(
    name = "alignment-sim",
    version,
    after_help = "FILE is a scenario file (TOML); ID a built-in scenario (see `list`). Every number printed \
                  follows from adjustable, speculative assumptions: it is not a forecast."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// What the command line was asked to do: a command, or help (also for no arguments).
#[derive(Debug)]
pub enum Parsed {
    /// Boxed: a command with all its options is far larger than a help text.
    Command(Box<Command>),
    Help(String),
}

/// Reads the arguments (without the program name). `Err` is a usage mistake, rendered with the
/// usage; help and version requests come back as `Ok(Parsed::Help)`.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Parsed, clap::Error> {
    use clap::error::ErrorKind;
    use clap::CommandFactory;
    let argv = std::iter::once("alignment-sim".to_string()).chain(args);
    let parsed = match Cli::try_parse_from(argv) {
        Ok(parsed) => parsed,
        Err(error) if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            return Ok(Parsed::Help(error.render().to_string()))
        }
        Err(error) => return Err(error),
    };
    match parsed.command {
        None => Ok(Parsed::Help(Cli::command().render_long_help().to_string())),
        Some(Command::Sweep(options)) if options.vary.len() > 2 => Err(Cli::command().error(
            ErrorKind::TooManyValues,
            format!(
                "sweep varies one or two assumptions (--vary ID[=POINTS]), not {}",
                options.vary.len()
            ),
        )),
        Some(command) => Ok(Parsed::Command(Box::new(command))),
    }
}

/// The full usage text, as `help` prints it.
pub fn usage() -> String {
    use clap::CommandFactory;
    Cli::command().render_long_help().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Command, String> {
        match parse_args(line.split_whitespace().map(String::from)) {
            Ok(Parsed::Command(command)) => Ok(*command),
            Ok(Parsed::Help(text)) => Err(format!("help: {text}")),
            Err(error) => Err(error.to_string()),
        }
    }

    #[test]
    fn the_definitions_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
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
    fn help_for_no_arguments_and_for_help() {
        for line in ["", "help", "--help", "-h", "help run", "run --help"] {
            let parsed = parse_args(line.split_whitespace().map(String::from)).unwrap();
            assert!(
                matches!(parsed, Parsed::Help(ref text) if text.contains("--")),
                "{line}: {parsed:?}"
            );
        }
        assert!(usage().contains("sensitivity"));
    }

    #[test]
    fn the_help_states_the_thresholds_the_code_uses() {
        let Err(help) = parse("sensitivity --help") else {
            panic!("sensitivity --help is help")
        };
        let influential = format!(
            "swing ≥ {} points and ≥ {} paired",
            INFLUENTIAL_SWING * 100.0,
            NOISE_MULTIPLE
        );
        assert!(help.contains(&influential), "{help}");
        let Err(help) = parse("sweep --help") else { panic!() };
        assert!(help.contains(&format!("default {DEFAULT_POINTS}")), "{help}");
    }

    #[test]
    fn mistakes_are_reported() {
        for bad in [
            "run",
            "run x --seed seven",
            "run x --seed -3",
            "run x --set novalue",
            "run x --format xml",
            "run x --format svg",
            "run x y",
            "run x --bogus",
            "validate",
            "frobnicate",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
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
            Command::Discover(o) => o.state,
            Command::Ablate(o) => o.state,
            other => panic!("{other:?}"),
        };
        let expected = state(parse(&format!("run {shared}")).unwrap());
        assert_eq!(expected.seed, Some(3));
        assert_eq!(expected.link.as_deref(), Some("v=1"));
        for tail in [
            "sensitivity {} --outcome o",
            "sweep {} --vary a.b",
            "compare {}",
            "export {} --what svg",
            "discover {} --outcome o",
            "ablate {} --without s",
        ] {
            let line = tail.replace("{}", shared);
            assert_eq!(state(parse(&line).unwrap()), expected, "{line}");
        }
        let Command::Run(o) = parse("run --link v=1").unwrap() else {
            panic!()
        };
        assert_eq!((o.state.scenario, o.state.link.as_deref()), (None, Some("v=1")));
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
        let Command::Bench { quick, .. } = parse("bench --quick --bench").unwrap() else {
            panic!()
        };
        assert!(quick);
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
