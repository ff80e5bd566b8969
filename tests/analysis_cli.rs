//! The analysis commands run as a user would: `sensitivity`, `sweep`, `compare`, `export`.
//! Their numbers must not depend on the thread count, must be those of the library functions the
//! page uses for the same link, and their files must be well formed.

use std::path::Path;
use std::process::{Command, Output};

use alignment_sim::analysis::sensitivity::tornado;
use alignment_sim::engine::{Ensemble, Settings};
use alignment_sim::link::encode_link;
use alignment_sim::scenario::{builtin, Scenario};
use alignment_sim::state::State;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_alignment-sim");
const ID: &str = "sino-russian-drift";

fn cli(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the binary runs")
}

/// Runs and insists on success; returns stdout.
fn ok(args: &[&str]) -> String {
    let output = cli(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`{}` failed ({}):\n{stderr}",
        args.join(" "),
        output.status
    );
    String::from_utf8(output.stdout).expect("UTF-8 stdout")
}

/// Runs and insists on a failure with a message; returns stderr.
fn fails(args: &[&str]) -> String {
    let output = cli(args);
    assert!(!output.status.success(), "`{}` should fail", args.join(" "));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert!(!stderr.trim().is_empty() && !stderr.contains("panicked"), "{stderr}");
    stderr
}

fn json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("`{}`: not JSON ({e}):\n{out}", args.join(" ")))
}

fn scenario() -> Scenario {
    builtin(ID).unwrap().unwrap()
}

#[test]
fn sensitivity_does_not_depend_on_the_thread_count() {
    for format in ["table", "csv", "json"] {
        let base = [
            "sensitivity",
            ID,
            "--outcome",
            "chn-eu-hostile",
            "--runs",
            "200",
            "--format",
            format,
        ];
        let one = ok(&[&base[..], &["--threads", "1"]].concat());
        for threads in ["2", "3"] {
            assert_eq!(
                ok(&[&base[..], &["--threads", threads]].concat()),
                one,
                "{format}, {threads} threads"
            );
        }
    }
}

/// The page reads a link with `State::from_link` and computes the tornado with the library; the
/// command line must print the same numbers for the same link, and for the same state given as
/// options.
#[test]
fn sensitivity_of_a_link_equals_the_library_and_the_same_options() {
    let s = scenario();
    let mut values = s.defaults();
    let balance = s.assumption_index("model.balance").unwrap();
    values[balance] = 0.05;
    let settings = Settings {
        seed: 5,
        runs: 300,
        horizon: 24,
    };
    let link = format!("https://example.org/#{}", encode_link(&s, &values, settings, &[]));

    let by_link = ok(&[
        "sensitivity",
        "--link",
        &link,
        "--outcome",
        "rus-chn-below-03",
        "--format",
        "csv",
    ]);
    let by_options = ok(&[
        "sensitivity",
        ID,
        "--seed",
        "5",
        "--runs",
        "300",
        "--horizon",
        "24",
        "--set",
        "model.balance=0.05",
        "--outcome",
        "rus-chn-below-03",
        "--format",
        "csv",
    ]);
    assert_eq!(by_link, by_options);

    let page = State::from_link(&link);
    assert!(page.notices.is_empty(), "{:?}", page.notices);
    let outcome = s.outcomes.iter().position(|o| o.id == "rus-chn-below-03").unwrap();
    let expected = tornado(&page.scenario, &page.values, page.settings, outcome).unwrap();
    let printed = json(&[
        "sensitivity",
        "--link",
        &link,
        "--outcome",
        "rus-chn-below-03",
        "--format",
        "json",
    ]);
    assert_eq!(printed["base"]["count"].as_u64().unwrap() as usize, expected.base.count);
    let bars = printed["bars"].as_array().unwrap();
    assert_eq!(bars.len(), expected.bars.len());
    for (bar, want) in bars.iter().zip(&expected.bars) {
        assert_eq!(bar["id"].as_str().unwrap(), s.assumptions[want.assumption].id);
        assert_eq!(bar["low"]["count"].as_u64().unwrap() as usize, want.low.count);
        assert_eq!(bar["high"]["count"].as_u64().unwrap() as usize, want.high.count);
        assert!((bar["swing_std_error"].as_f64().unwrap() - want.change.std_error).abs() < 1e-12);
        assert_eq!(bar["flagged"].as_bool().unwrap(), want.flagged);
    }
}

#[test]
fn sensitivity_table_is_ranked_and_explains_its_marks() {
    let table = ok(&["sensitivity", ID, "--outcome", "rus-chn-below-03", "--runs", "300"]);
    assert!(table.contains("not a forecast"), "{table}");
    assert!(table.contains("flagged: influential and low confidence"), "{table}");
    let ranks: Vec<usize> = table
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert_eq!(ranks, (1..=scenario().assumptions.len()).collect::<Vec<_>>());
    let err = fails(&["sensitivity", ID, "--outcome", "no-such-outcome"]);
    assert!(
        err.contains("no-such-outcome") && err.contains("rus-chn-below-03"),
        "lists the outcomes there are: {err}"
    );
}

#[test]
fn sweep_grids_run_from_end_to_end_and_match_single_runs() {
    let csv = ok(&[
        "sweep",
        ID,
        "--vary",
        "model.balance=5",
        "--runs",
        "200",
        "--threads",
        "2",
    ]);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let s = scenario();
    assert_eq!(rows[0][0], "model.balance");
    assert_eq!(rows[0].len(), 1 + 2 * s.outcomes.len());
    let column: Vec<f64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(column, vec![0.0, 0.05, 0.1, 0.15, 0.2]);
    assert_eq!(
        csv,
        ok(&[
            "sweep",
            ID,
            "--vary",
            "model.balance=5",
            "--runs",
            "200",
            "--threads",
            "1"
        ])
    );

    // The last row is the ensemble at the high end of the range, as `run` reports it.
    let run = json(&[
        "run",
        ID,
        "--runs",
        "200",
        "--set",
        "model.balance=0.2",
        "--format",
        "json",
    ]);
    for (o, outcome) in run["outcomes"].as_array().unwrap().iter().enumerate() {
        let p: f64 = rows[5][1 + 2 * o].parse().unwrap();
        assert_eq!(p, outcome["probability"].as_f64().unwrap(), "outcome {o}");
    }

    let two = ok(&[
        "sweep",
        ID,
        "--vary",
        "model.balance=3",
        "--vary",
        "pair.RUS-CHN.baseline=2",
        "--runs",
        "50",
    ]);
    let lines: Vec<&str> = two.lines().collect();
    assert_eq!(lines.len(), 1 + 3 * 2);
    assert!(lines[0].starts_with("model.balance,pair.RUS-CHN.baseline,"));
    assert!(
        lines[1].starts_with("0,-0.95,") && lines[6].starts_with("0.2,0.95,"),
        "{two}"
    );

    assert!(fails(&["sweep", ID, "--vary", "model.nothing"]).contains("model.nothing"));
    assert!(fails(&["sweep", ID, "--vary", "model.balance=1"]).contains("2 to"));
    assert!(fails(&["sweep", ID, "--vary", "model.balance", "--vary", "model.balance"]).contains("twice"));
}

#[test]
fn a_state_compared_with_itself_differs_by_nothing() {
    for extra in [&[][..], &["--against", ID][..]] {
        let value = json(&[&["compare", ID, "--runs", "300", "--format", "json"][..], extra].concat());
        let outcomes = value["outcomes"].as_array().unwrap();
        assert_eq!(outcomes.len(), scenario().outcomes.len());
        for o in outcomes {
            assert_eq!(o["delta"].as_f64(), Some(0.0), "{o}");
            assert_eq!(o["std_error"].as_f64(), Some(0.0), "{o}");
            assert_eq!(o["a"], o["b"]);
        }
    }
    // The same state given as a link and as options.
    let s = scenario();
    let mut values = s.defaults();
    values[s.assumption_index("model.balance").unwrap()] = 0.04;
    let link = encode_link(
        &s,
        &values,
        Settings {
            seed: 1,
            runs: 300,
            horizon: 36,
        },
        &[],
    );
    let value = json(&[
        "compare",
        ID,
        "--runs",
        "300",
        "--set",
        "model.balance=0.04",
        "--against-link",
        &link,
        "--format",
        "json",
    ]);
    assert!(value["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["delta"].as_f64() == Some(0.0)));
}

#[test]
fn compare_reports_changes_and_outcomes_only_one_scenario_has() {
    let table = ok(&["compare", ID, "--runs", "300", "--set", "pair.RUS-CHN.baseline=-0.2"]);
    assert!(
        table.contains("pair.RUS-CHN.baseline") && table.contains("0.55 → -0.2"),
        "{table}"
    );
    assert!(
        table.contains(" * Russia–China alignment below 0.3"),
        "a large, marked change: {table}"
    );
    let value = json(&[
        "compare",
        ID,
        "--against",
        "us-russia-rapprochement",
        "--runs",
        "200",
        "--format",
        "json",
    ]);
    assert_eq!(value["outcomes"].as_array().unwrap().len(), 1);
    assert!(!value["only_in_a"].as_array().unwrap().is_empty());
    assert!(fails(&["compare", ID, "--against", "russia-dprk-alignment"]).contains("different actors"));
}

/// A small well-formedness check (balanced tags, quoted attributes, escaped text).
fn check_xml(doc: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = doc.trim_start_matches(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        assert!(!text.contains('>'), "raw > in text: {text}");
        for (i, _) in text.match_indices('&') {
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| text[i..].starts_with(e)),
                "raw & in {text}"
            );
        }
        let end = start + rest[start..].find('>').expect("closed tag");
        let tag = &rest[start + 1..end];
        assert_eq!(tag.matches('"').count() % 2, 0, "quotes in <{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "closing </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap().to_string());
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

#[test]
fn exports_are_well_formed() {
    let s = scenario();
    let quantiles = ok(&["export", ID, "--what", "quantiles", "--runs", "200"]);
    assert_eq!(
        quantiles,
        ok(&["run", ID, "--runs", "200", "--format", "csv"]),
        "the same table as `run --format csv`"
    );

    let outcomes = ok(&["export", ID, "--what", "outcomes", "--runs", "200", "--seed", "4"]);
    let lines: Vec<&str> = outcomes.lines().collect();
    assert_eq!(lines[0], "outcome,label,test,when,probability,std_error,count,runs");
    assert_eq!(lines.len(), 1 + s.outcomes.len());
    let summary = Ensemble::run(
        s.model(&s.defaults()),
        Settings {
            seed: 4,
            runs: 200,
            horizon: s.horizon,
        },
    );
    for (line, p) in lines[1..].iter().zip(&summary.outcomes) {
        assert!(
            line.ends_with(&format!(",{},{},{},200", p.probability, p.std_error, p.count)),
            "{line}"
        );
    }

    let report = ok(&["export", ID, "--what", "assumptions", "--set", "model.balance=0.05"]);
    assert!(report.starts_with("# Assumptions: ") && report.contains("not a forecast"));
    for a in &s.assumptions {
        assert!(report.contains(&format!("### `{}`", a.id)), "{} missing", a.id);
    }
    assert!(report.contains("- Value: 0.050 (changed from the scenario's default)"));

    let svg = ok(&["export", ID, "--what", "svg", "--pair", "CHN-RUS", "--runs", "200"]);
    check_xml(&svg);
    assert!(svg.contains("<title id=\"title\">Russia–China") && svg.contains("<desc id=\"desc\">"));
    let link = format!("#v=1&s={ID}&runs=200&view.pair=USA-EU");
    assert!(
        ok(&["export", "--link", &link, "--what", "svg"]).contains("<title id=\"title\">United States–European Union")
    );
    assert!(fails(&["export", ID, "--what", "svg", "--pair", "RUS-XXX"]).contains("RUS-XXX"));

    let tornado = ok(&[
        "sensitivity",
        ID,
        "--outcome",
        "chn-eu-hostile",
        "--runs",
        "100",
        "--format",
        "svg",
    ]);
    check_xml(&tornado);
    assert!(tornado.contains("<title id=\"title\">What moves") && tornado.contains("<desc id=\"desc\">Tornado chart"));
    assert_eq!(
        tornado.matches("<g>").count(),
        s.assumptions.len(),
        "one bar per assumption"
    );
}

/// Two named views compared on the same draws: the assumptions that differ are exactly those on
/// which the two views' values differ (read from the library), and a view against itself differs
/// by nothing.
#[test]
fn two_views_are_compared_on_common_random_numbers() {
    let s = alignment_sim::scenario::builtin("sino-russian-drift").unwrap().unwrap();
    let same = json(&[
        "compare",
        "sino-russian-drift",
        "--view",
        "sceptics",
        "--against-view",
        "sceptics",
        "--runs",
        "200",
        "--format",
        "json",
    ]);
    assert!(same["changed_assumptions"].as_array().unwrap().is_empty());
    for o in same["outcomes"].as_array().unwrap() {
        assert_eq!(o["delta"].as_f64(), Some(0.0), "{o}");
    }
    let value = json(&[
        "compare",
        "sino-russian-drift",
        "--view",
        "essay-thesis",
        "--against-view",
        "no-change",
        "--runs",
        "200",
        "--format",
        "json",
    ]);
    assert_eq!(value["a"]["view"], "no-change");
    assert_eq!(value["b"]["view"], "essay-thesis");
    let a = s.view_values(s.view("no-change").unwrap());
    let b = s.view_values(s.view("essay-thesis").unwrap());
    let expected: Vec<(String, f64, f64)> = s
        .assumptions
        .iter()
        .enumerate()
        .filter(|&(i, _)| a[i] != b[i])
        .map(|(i, x)| (x.id.clone(), a[i], b[i]))
        .collect();
    let got: Vec<(String, f64, f64)> = value["changed_assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["a"].as_f64().unwrap(),
                c["b"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(fails(&["compare", "sino-russian-drift", "--against-view", "nope"]).contains("sceptics"));
}

/// The same seed and runs give other numbers in another engine, so everything that states the seed
/// a result came from also names the engine that drew it: the table of every command, and the
/// images' captions.
#[test]
fn every_report_that_states_its_seed_names_its_engine() {
    let engine = format!("engine {}", alignment_sim::engine::ENGINE_VERSION);
    let outcome = ["--outcome", "rus-chn-below-03"];
    let reports: [(&str, Vec<&str>); 8] = [
        ("run", vec!["run", ID, "--runs", "40"]),
        ("tornado", [&["sensitivity", ID, "--runs", "40"][..], &outcome].concat()),
        (
            "sobol",
            [&["sensitivity", ID, "--method", "sobol", "--runs", "40"][..], &outcome].concat(),
        ),
        (
            "compare",
            vec!["compare", ID, "--runs", "40", "--set", "model.balance=0.05"],
        ),
        ("ablate", vec!["ablate", ID, "--without", "seed-001", "--runs", "40"]),
        ("discover", [&["discover", ID, "--runs", "200"][..], &outcome].concat()),
        ("fan image", vec!["export", ID, "--what", "svg", "--runs", "40"]),
        (
            "tornado image",
            [&["sensitivity", ID, "--runs", "40", "--format", "svg"][..], &outcome].concat(),
        ),
    ];
    for (name, args) in reports {
        let out = ok(&args);
        let seed_lines: Vec<&str> = out
            .lines()
            .filter(|line| line.to_lowercase().contains("seed 1,"))
            .collect();
        assert!(!seed_lines.is_empty(), "{name}: no line states the seed:\n{out}");
        for line in seed_lines {
            assert!(line.contains(&engine), "{name}: {line}");
        }
    }
}
