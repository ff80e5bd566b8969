//! Command-line arguments, parsed by hand (the tool has few options; no parser crate needed).

use std::fmt;

/// How `run` prints its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Options of `run`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOptions {
    /// A file path or a built-in scenario id; may be absent when `link` names the scenario.
    pub scenario: Option<String>,
    pub link: Option<String>,
    pub seed: Option<u64>,
    pub runs: Option<usize>,
    pub horizon: Option<usize>,
    /// Runs advanced per step; results must not depend on it.
    pub batch: Option<usize>,
    /// `ID=VALUE` settings, in order.
    pub set: Vec<(String, String)>,
    pub format: Option<Format>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Validate { files: Vec<String> },
    Run(RunOptions),
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
  alignment-sim run FILE|ID [--seed N] [--runs N] [--horizon N] [--set ID=VALUE]...
                            [--format table|json|csv] [--batch N]
  alignment-sim run --link URL [same options, which override the link]
  alignment-sim list          built-in scenarios and their assumption ids
  alignment-sim bench [--quick]

FILE is a scenario file (TOML); ID a built-in scenario (see `list`).
--set ID=VALUE sets one assumption (ids as listed by `list`), e.g. --set model.balance=0.05
--format json prints one object with every output; csv prints the per-pair quantile table.
";

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, UsageError> {
    let value = value.ok_or_else(|| UsageError(format!("{flag} needs a value")))?;
    value.parse().map_err(|_| UsageError(format!("{flag}: `{value}` is not a whole number")))
}

pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, UsageError> {
    let mut args = args.into_iter();
    let Some(command) = args.next() else { return Ok(Command::Help) };
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
        "run" => {
            let mut options = RunOptions::default();
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    "--seed" => options.seed = Some(number("--seed", args.next())?),
                    "--runs" => options.runs = Some(number("--runs", args.next())?),
                    "--horizon" => options.horizon = Some(number("--horizon", args.next())?),
                    "--batch" => options.batch = Some(number("--batch", args.next())?),
                    "--link" => options.link = Some(args.next().ok_or_else(|| UsageError("--link needs a URL".into()))?),
                    "--set" => {
                        let pair = args.next().ok_or_else(|| UsageError("--set needs ID=VALUE".into()))?;
                        let (id, value) = pair
                            .split_once('=')
                            .ok_or_else(|| UsageError(format!("--set `{pair}`: write ID=VALUE, e.g. model.balance=0.05")))?;
                        options.set.push((id.to_string(), value.to_string()));
                    }
                    "--format" => {
                        options.format = Some(match args.next().as_deref() {
                            Some("table") => Format::Table,
                            Some("json") => Format::Json,
                            Some("csv") => Format::Csv,
                            other => {
                                return Err(UsageError(format!(
                                    "--format must be table, json or csv, not `{}`",
                                    other.unwrap_or("")
                                )))
                            }
                        })
                    }
                    flag if flag.starts_with("--") => return Err(UsageError(format!("run: unknown option `{flag}`"))),
                    _ if options.scenario.is_none() => options.scenario = Some(arg),
                    _ => return Err(UsageError(format!("run takes one scenario; `{arg}` is one too many"))),
                }
            }
            if options.scenario.is_none() && options.link.is_none() {
                return Err(UsageError("run needs a scenario file, a built-in id or --link URL".into()));
            }
            Ok(Command::Run(options))
        }
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
        let Command::Run(o) = parse("run x.toml --seed 7 --runs 500 --set model.balance=0.1 --format csv").unwrap() else {
            panic!("not a run")
        };
        assert_eq!(o.scenario.as_deref(), Some("x.toml"));
        assert_eq!((o.seed, o.runs), (Some(7), Some(500)));
        assert_eq!(o.set, vec![("model.balance".to_string(), "0.1".to_string())]);
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
}
