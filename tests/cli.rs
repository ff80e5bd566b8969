//! The command line, run as a user would: `validate`, `run` (table, JSON, CSV), links, overrides,
//! determinism across seeds and batch sizes, and clear failures.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::temp_file;

use alignment_sim::engine::{Ensemble, Settings};
use alignment_sim::scenario::{builtin, builtin_ids, Scenario};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_alignment-sim");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root.
fn cli(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// Runs and insists on success; returns stdout.
fn ok(args: &[&str]) -> String {
    let output = cli(args);
    assert!(
        output.status.success(),
        "`{}` failed ({}):\n{}",
        args.join(" "),
        output.status,
        stderr(&output)
    );
    stdout(&output)
}

/// Runs and insists on failure; returns stderr.
fn fails(args: &[&str]) -> String {
    let output = cli(args);
    assert!(
        !output.status.success(),
        "`{}` should fail but exited 0:\n{}",
        args.join(" "),
        stdout(&output)
    );
    let err = stderr(&output);
    assert!(!err.trim().is_empty(), "`{}` failed without a message", args.join(" "));
    err
}

fn json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("`{}`: not JSON ({e}):\n{out}", args.join(" ")))
}

fn scenario(id: &str) -> Scenario {
    builtin(id).expect("built-in").expect("valid")
}

fn scenario_paths() -> Vec<String> {
    let mut paths: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    paths
}

fn number(v: &Value, what: &str) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{what}: not a number: {v}"))
}

fn unit(v: &Value, what: &str) -> f64 {
    let x = number(v, what);
    assert!((0.0..=1.0).contains(&x), "{what}: {x} not in [0, 1]");
    x
}

#[test]
fn validate_accepts_every_scenario_file() {
    let paths = scenario_paths();
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(String::as_str));
    let out = ok(&args);
    for path in &paths {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{path}: ok"))),
            "no `ok` line for {path}:\n{out}"
        );
    }
}

#[test]
fn validate_rejects_a_bad_file_naming_file_line_and_field() {
    let fixture = include_str!("fixtures/minimal.toml");
    let broken = fixture.replacen(
        "value = 0.2\nrange = [-0.9, 0.9]",
        "value = 0.95\nrange = [-0.9, 0.9]",
        1,
    );
    assert_ne!(broken, fixture);
    let header_line = broken[..broken.find("[pairs.initial]").unwrap()].matches('\n').count() + 1;
    let bad = temp_file("alignment-sim-cli-bad", &broken);
    let good = temp_file("alignment-sim-cli-good", fixture);

    let err = fails(&["validate", good.path(), bad.path()]);
    let expected = format!("{}:{header_line}: `pairs[0].initial.value`:", bad.path());
    assert!(err.contains(&expected), "stderr does not contain `{expected}`:\n{err}");
    assert!(err.contains("outside its range"), "{err}");
    assert!(err.contains("1 of 2 files did not validate"), "{err}");
    assert!(
        !err.contains(good.path()),
        "the good file is not reported as bad:\n{err}"
    );

    // A TOML syntax error also gets file:line.
    let syntax = temp_file(
        "alignment-sim-cli-syntax",
        fixture.replacen("horizon = 24", "horizon = = 24", 1),
    );
    let err = fails(&["validate", syntax.path()]);
    assert!(err.contains(&format!("{}:7:", syntax.path())), "{err}");

    // A missing file is reported, not a panic.
    let err = fails(&["validate", "scenarios/no-such-file.toml"]);
    assert!(
        err.contains("no-such-file.toml") && err.contains("cannot read"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn run_json_has_every_output() {
    for id in builtin_ids() {
        let s = scenario(id);
        let runs = 300;
        let v = json(&["run", id, "--format", "json", "--runs", &runs.to_string()]);
        let horizon = s.horizon;
        let months = horizon + 1;

        let settings = &v["settings"];
        assert_eq!(
            settings["runs"].as_u64(),
            Some(runs as u64),
            "{id}: settings {settings}"
        );
        assert_eq!(settings["horizon"].as_u64(), Some(horizon as u64), "{id}");
        assert_eq!(settings["seed"].as_u64(), Some(s.seed), "{id}");
        assert_eq!(v["scenario"]["id"].as_str(), Some(id));

        let pairs = v["pairs"].as_array().unwrap_or_else(|| panic!("{id}: no pairs"));
        assert_eq!(pairs.len(), s.pairs.len(), "{id}");
        for (p, pair) in pairs.iter().enumerate() {
            assert_eq!(
                pair["pair"].as_str(),
                Some(s.pair_label(p).replace('–', "-").as_str()),
                "{id}"
            );
            let quantiles = pair["quantiles"].as_array().expect("quantiles");
            let mean = pair["mean"].as_array().expect("mean");
            assert_eq!(
                (quantiles.len(), mean.len()),
                (months, months),
                "{id}: one entry per month 0..=T"
            );
            for (month, q) in quantiles.iter().enumerate() {
                let q: Vec<f64> = q
                    .as_array()
                    .expect("5 quantiles")
                    .iter()
                    .map(|x| number(x, "quantile"))
                    .collect();
                assert_eq!(q.len(), 5, "{id}: month {month}");
                assert!(
                    q.windows(2).all(|w| w[0] <= w[1]) && q.iter().all(|x| x.abs() < 1.0),
                    "{id}: month {month}: {q:?}"
                );
                let m = number(&mean[month], "mean");
                assert!(m > -1.0 && m < 1.0);
            }
        }

        let outcomes = v["outcomes"].as_array().expect("outcomes");
        assert_eq!(outcomes.len(), s.outcomes.len(), "{id}");
        for (o, spec) in outcomes.iter().zip(&s.outcomes) {
            assert_eq!(o["id"].as_str(), Some(spec.id.as_str()));
            let p = unit(&o["probability"], "probability");
            let se = number(&o["std_error"], "std_error");
            assert!(
                (se - (p * (1.0 - p) / runs as f64).sqrt()).abs() < 1e-12,
                "{id}: std error {se} for p = {p}"
            );
        }

        let events = v["events"].as_array().expect("events");
        assert_eq!(events.len(), s.events.len(), "{id}");
        for (e, spec) in events.iter().zip(&s.events) {
            assert_eq!(e["id"].as_str(), Some(spec.id.as_str()));
            let fired = unit(&e["fired_probability"], "fired_probability");
            let cumulative: Vec<f64> = e["cumulative"]
                .as_array()
                .expect("cumulative")
                .iter()
                .map(|x| unit(x, "cumulative"))
                .collect();
            assert_eq!(cumulative.len(), months, "{id}: `{}`", spec.id);
            assert_eq!(cumulative[horizon], fired, "{id}: `{}`", spec.id);
            match &e["first_month_quartiles"] {
                Value::Null => assert_eq!(fired, 0.0, "{id}: `{}` fired but has no quartiles", spec.id),
                Value::Array(q) => {
                    assert_eq!(q.len(), 3);
                    let q: Vec<f64> = q.iter().map(|x| number(x, "quartile")).collect();
                    assert!(
                        q.windows(2).all(|w| w[0] <= w[1]) && q[0] >= 1.0 && q[2] <= horizon as f64,
                        "{id}: {q:?}"
                    );
                }
                other => panic!("{id}: first_month_quartiles is {other}"),
            }
        }

        let blocs = v["blocs"].as_array().expect("blocs");
        assert!(!blocs.is_empty(), "{id}: no blocs");
        for b in blocs {
            let sides = b["sides"].as_array().expect("sides");
            assert_eq!(sides.len(), 2, "{id}: two sides");
            let count: usize = sides
                .iter()
                .map(|side| side.as_array().expect("a side is a list").len())
                .sum();
            assert_eq!(count, s.actors.len(), "{id}: every actor on one side");
            unit(&b["share"], "share");
        }

        let f = &v["frustration"];
        unit(&f["initial"], "frustration.initial");
        unit(&f["mean"], "frustration.mean");
        assert_eq!(
            f["quantiles"].as_array().map(Vec::len),
            Some(5),
            "{id}: frustration quantiles"
        );

        // The numbers are the engine's, for the same inputs.
        let summary = Ensemble::run(
            s.model(&s.defaults()),
            Settings {
                seed: s.seed,
                runs,
                horizon,
            },
        );
        // (serde_json's default float parser is not correctly rounded, so compare counts exactly and
        // parsed probabilities to within an ulp or so.)
        for (o, p) in outcomes.iter().zip(&summary.outcomes) {
            assert_eq!(
                o["count"].as_u64(),
                Some(p.count as u64),
                "{id}: CLI and library differ"
            );
            assert!(
                (number(&o["probability"], "probability") - p.probability).abs() < 1e-15,
                "{id}"
            );
        }
        for (e, st) in events.iter().zip(&summary.events) {
            assert!(
                (number(&e["fired_probability"], "fired") - st.fired.probability).abs() < 1e-15,
                "{id}: CLI and library differ"
            );
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_output_and_another_seed_does_not() {
    let id = "sino-russian-drift";
    let a = ok(&["run", id, "--seed", "11", "--runs", "400", "--format", "json"]);
    let b = ok(&["run", id, "--seed", "11", "--runs", "400", "--format", "json"]);
    assert_eq!(a, b, "same seed, different output");
    let c = ok(&["run", id, "--seed", "12", "--runs", "400", "--format", "json"]);
    assert_ne!(a, c, "another seed, same output");
    // The table too.
    assert_eq!(
        ok(&["run", id, "--seed", "3", "--runs", "200"]),
        ok(&["run", id, "--seed", "3", "--runs", "200"])
    );
}

#[test]
fn the_batch_size_does_not_change_the_output() {
    for id in ["us-russia-rapprochement", "russia-dprk-alignment"] {
        let base = ["run", id, "--seed", "8", "--runs", "500", "--format", "json"];
        let default = ok(&base);
        for batch in ["1", "17", "499", "500", "100000"] {
            let mut args = base.to_vec();
            args.extend(["--batch", batch]);
            assert!(ok(&args) == default, "{id}: --batch {batch} changes the output");
        }
    }
}

#[test]
fn csv_has_a_header_and_one_row_per_pair_and_month() {
    for id in builtin_ids() {
        let s = scenario(id);
        for horizon in [s.horizon, 12] {
            let out = ok(&[
                "run",
                id,
                "--runs",
                "100",
                "--horizon",
                &horizon.to_string(),
                "--format",
                "csv",
            ]);
            let mut lines = out.lines();
            assert_eq!(lines.next(), Some("pair,month,q05,q25,q50,q75,q95,mean"), "{id}");
            let rows: Vec<&str> = lines.collect();
            assert_eq!(rows.len(), (horizon + 1) * s.pairs.len(), "{id}: horizon {horizon}");
            for (r, row) in rows.iter().enumerate() {
                let cells: Vec<&str> = row.split(',').collect();
                assert_eq!(cells.len(), 8, "{id}: row `{row}`");
                assert_eq!(cells[0], s.pair_label(r / (horizon + 1)).replace('–', "-"));
                assert_eq!(
                    cells[1].parse::<usize>().ok(),
                    Some(r % (horizon + 1)),
                    "{id}: row `{row}`"
                );
                for cell in &cells[2..] {
                    let x: f64 = cell.parse().unwrap_or_else(|_| panic!("{id}: `{cell}` in `{row}`"));
                    assert!(x.abs() < 1.0);
                }
            }
        }
    }
}

#[test]
fn a_link_gives_the_same_numbers_as_the_same_options() {
    for id in builtin_ids() {
        let s = scenario(id);
        let balance = &s.assumptions[s.assumption_index("model.balance").expect("model.balance")];
        assert!(
            balance.accepts(0.05) && balance.default != 0.05,
            "{id}: pick another test value"
        );
        let link = format!("https://example.org/alignment-sim/#v=1&s={id}&seed=5&model.balance=0.05");
        let output = cli(&["run", "--link", &link, "--format", "json"]);
        assert!(output.status.success(), "{id}: {}", stderr(&output));
        assert!(
            stderr(&output).trim().is_empty(),
            "{id}: a clean link printed notes: {}",
            stderr(&output)
        );
        let from_link: Value = serde_json::from_str(&stdout(&output)).unwrap();
        let from_options = json(&[
            "run",
            id,
            "--seed",
            "5",
            "--set",
            "model.balance=0.05",
            "--format",
            "json",
        ]);
        for key in [
            "outcomes",
            "events",
            "settings",
            "assumptions",
            "pairs",
            "blocs",
            "frustration",
        ] {
            assert_eq!(
                from_link[key], from_options[key],
                "{id}: `{key}` differs between --link and --seed/--set"
            );
        }
        assert_eq!(from_link["settings"]["seed"].as_u64(), Some(5));
        // And they differ from the defaults (the setting took effect).
        let defaults = json(&["run", id, "--seed", "5", "--format", "json"]);
        assert_ne!(
            defaults["pairs"], from_options["pairs"],
            "{id}: model.balance=0.05 changed nothing"
        );
    }
}

#[test]
fn a_link_with_bad_parts_still_runs_and_says_what_it_ignored() {
    let link = "#v=1&s=sino-russian-drift&seed=5&runs=200&model.balance=0.05&model.nothing=1&pair.RUS-CHN.initial=7";
    let output = cli(&["run", "--link", link, "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("model.nothing") && err.contains("pair.RUS-CHN.initial"),
        "notes:\n{err}"
    );
    let v: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(v["link_notes"].as_array().map(Vec::len), Some(2), "{}", v["link_notes"]);
    let good = json(&[
        "run",
        "sino-russian-drift",
        "--seed",
        "5",
        "--runs",
        "200",
        "--set",
        "model.balance=0.05",
        "--format",
        "json",
    ]);
    assert_eq!(
        v["outcomes"], good["outcomes"],
        "the valid parts of the link were not all used"
    );
    // Options given with a link override it.
    let over = json(&["run", "--link", link, "--seed", "6", "--format", "json"]);
    assert_eq!(over["settings"]["seed"].as_u64(), Some(6));
}

#[test]
fn mistakes_exit_non_zero_with_a_message() {
    let id = "sino-russian-drift";
    let err = fails(&["run", id, "--set", "model.nonsense=0.1"]);
    assert!(
        err.contains("model.nonsense") && err.contains("no such assumption"),
        "{err}"
    );
    let err = fails(&["run", id, "--set", "model.balance=5"]);
    assert!(err.contains("model.balance") && err.contains("outside"), "{err}");
    let err = fails(&["run", id, "--set", "model.balance=abc"]);
    assert!(err.contains("not a number"), "{err}");
    let err = fails(&["run", id, "--set", "model.balance"]);
    assert!(err.contains("ID=VALUE"), "{err}");
    let err = fails(&["run", "no-such-scenario"]);
    assert!(err.contains("no-such-scenario") && err.contains("built-in"), "{err}");
    let err = fails(&["run", id, "--format", "xml"]);
    assert!(err.contains("--format") && err.contains("xml"), "{err}");
    let err = fails(&["run", id, "--runs", "0"]);
    assert!(err.contains("--runs"), "{err}");
    let err = fails(&["run", id, "--runs", "100001"]);
    assert!(err.contains("--runs"), "{err}");
    let err = fails(&["run", id, "--horizon", "241"]);
    assert!(err.contains("--horizon"), "{err}");
    let err = fails(&["run", id, "--batch", "0"]);
    assert!(err.contains("--batch"), "{err}");
    let err = fails(&["run", id, "--seed", "-1"]);
    assert!(err.contains("--seed"), "{err}");
    let err = fails(&["run", "--link", "#v=1&seed=3"]);
    assert!(err.contains("s="), "{err}");
    let err = fails(&["frobnicate"]);
    assert!(err.contains("frobnicate"), "{err}");
    for err in [
        fails(&["run", id, "--set", "x=1"]),
        fails(&["run", id, "--format", "xml"]),
    ] {
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_scenario_file_path_runs_like_the_built_in() {
    let id = "russia-dprk-alignment";
    let path = format!("scenarios/{id}.toml");
    let a = json(&["run", &path, "--runs", "200", "--format", "json"]);
    let b = json(&["run", id, "--runs", "200", "--format", "json"]);
    assert_eq!(a["outcomes"], b["outcomes"]);
    assert_eq!(a["scenario"]["content_hash"], b["scenario"]["content_hash"]);
    // The table names the scenario and says it is speculative.
    let table = ok(&["run", id, "--runs", "100"]);
    assert!(
        table.contains(id) && table.to_lowercase().contains("speculative"),
        "{table}"
    );
}

/// `run --view ID` applies exactly the view's values: every assumption the file's view names has
/// that value in the JSON (read from the file with the TOML parser), every other one its default;
/// the JSON names the view and the calendar months.
#[test]
fn run_view_applies_exactly_the_views_values() {
    for path in scenario_paths() {
        let text = std::fs::read_to_string(root().join(&path)).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let id = table["id"].as_str().unwrap().to_string();
        let defaults: std::collections::HashMap<String, f64> = scenario(&id)
            .assumptions
            .iter()
            .map(|a| (a.id.clone(), a.default))
            .collect();
        for view in table["views"].as_array().unwrap() {
            let view_id = view["id"].as_str().unwrap();
            let written = view
                .get("values")
                .and_then(|v| v.as_table())
                .cloned()
                .unwrap_or_default();
            let out = json(&["run", &id, "--view", view_id, "--runs", "20", "--format", "json"]);
            assert_eq!(out["view"]["id"].as_str(), Some(view_id), "{id}");
            for a in out["assumptions"].as_array().unwrap() {
                let aid = a["id"].as_str().unwrap();
                let expected = match written.get(aid) {
                    Some(v) => v.as_float().or_else(|| v.as_integer().map(|i| i as f64)).unwrap(),
                    None => defaults[aid],
                };
                assert_eq!(number(&a["value"], aid), expected, "{id} --view {view_id}: `{aid}`");
            }
            assert_eq!(out["scenario"]["start"].as_str(), Some("2025-08-31"));
            let months = out["calendar_months"].as_array().unwrap();
            assert_eq!(months.len(), 37);
            assert_eq!(
                (months[0].as_str(), months[15].as_str(), months[36].as_str()),
                (Some("2025-08"), Some("2026-11"), Some("2028-08"))
            );
        }
    }
}

/// `--set` overrides a view; an unknown view is an error that lists the scenario's views.
#[test]
fn set_overrides_a_view_and_an_unknown_view_names_the_views() {
    let s = scenario("sino-russian-drift");
    let view = s.view("sceptics").unwrap();
    let (index, value) = view.values[0];
    let id = &s.assumptions[index].id;
    let other = s.assumptions[index].range.0;
    assert_ne!(other, value);
    let set = format!("{id}={other}");
    let out = json(&[
        "run",
        "sino-russian-drift",
        "--view",
        "sceptics",
        "--set",
        &set,
        "--runs",
        "10",
        "--format",
        "json",
    ]);
    let got = out["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap()["value"]
        .clone();
    assert_eq!(number(&got, id), other);
    let err = fails(&["run", "sino-russian-drift", "--view", "no-such-view"]);
    assert!(err.contains("no-such-view"), "{err}");
    for v in &s.views {
        assert!(err.contains(&v.id), "the error should list `{}`: {err}", v.id);
    }
    // The table says which view ran and where the months fall.
    let table = ok(&["run", "sino-russian-drift", "--view", "no-change", "--runs", "10"]);
    assert!(table.contains("view: no-change"), "{table}");
    assert!(
        table.contains("month 0 = 2025-08-31") && table.contains("month 36 (2028-08)"),
        "{table}"
    );
    // Without --view nothing is named.
    let plain = json(&["run", "sino-russian-drift", "--runs", "10", "--format", "json"]);
    assert!(plain["view"].is_null());
}

/// `--happened E@M` and `--not-by E@M` on every event of every built-in scenario give exactly the
/// firing pattern asked for, and the link carries the marks to the same numbers.
#[test]
fn marked_events_fire_exactly_as_marked_and_travel_in_links() {
    for id in builtin_ids() {
        let s = scenario(id);
        for event in &s.events {
            let (happened, not_by) = (5usize, 10usize);
            let mark = format!("{}@{happened}", event.id);
            let out = json(&["run", id, "--runs", "300", "--happened", &mark, "--format", "json"]);
            let stats = out["events"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["id"] == event.id.as_str())
                .unwrap();
            let cumulative: Vec<f64> = stats["cumulative"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            // (a repeatable event keeps its chance in the other months)
            if !event.repeatable {
                assert_eq!(
                    cumulative[happened - 1],
                    0.0,
                    "{id}/{}: fired before month {happened}",
                    event.id
                );
            }
            assert_eq!(
                cumulative[happened], 1.0,
                "{id}/{}: not fired in month {happened}",
                event.id
            );
            assert_eq!(number(&stats["fired_probability"], "fired"), 1.0);
            if !event.repeatable {
                assert_eq!(
                    number(&stats["mean_firings"], "firings"),
                    1.0,
                    "{id}/{}: fired again",
                    event.id
                );
            }
            assert_eq!(stats["observed"]["kind"], "happened");
            assert_eq!(stats["observed"]["month"], happened);

            let mark = format!("{}@{not_by}", event.id);
            let out = json(&["run", id, "--runs", "300", "--not-by", &mark, "--format", "json"]);
            let stats = out["events"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["id"] == event.id.as_str())
                .unwrap();
            assert_eq!(
                number(&stats["cumulative"][not_by], "cumulative"),
                0.0,
                "{id}/{}: fired by month {not_by}",
                event.id
            );
        }
        // A link with marks opens to the same numbers as the flags, and the page's link writer
        // writes the marks it read.
        let (first, last) = (&s.events[0].id, &s.events[s.events.len() - 1].id);
        let flags = json(&[
            "run",
            id,
            "--runs",
            "300",
            "--happened",
            &format!("{first}@7"),
            "--not-by",
            &format!("{last}@20"),
            "--format",
            "json",
        ]);
        let link = format!("v=1&s={id}&runs=300&happened.{first}=7&notby.{last}=20");
        let linked = json(&["run", "--link", &link, "--format", "json"]);
        assert_eq!(flags["events"], linked["events"], "{id}: link and flags differ");
        assert_eq!(flags["outcomes"], linked["outcomes"]);
        let opened = alignment_sim::link::open_link(&link);
        assert!(opened.notes.is_empty(), "{:?}", opened.notes);
        let written = alignment_sim::link::encode_link(&opened.scenario, &opened.values, opened.settings, &[]);
        assert!(
            written.contains(&format!("happened.{first}=7")) && written.contains(&format!("notby.{last}=20")),
            "{written}"
        );
        assert_eq!(
            alignment_sim::link::open_link(&written).scenario.events,
            opened.scenario.events
        );
    }
    // Mistakes say what and where.
    let err = fails(&["run", "sino-russian-drift", "--happened", "no-such-event@3"]);
    assert!(
        err.contains("no such event") && err.contains("ukraine-settlement"),
        "{err}"
    );
    let err = fails(&["run", "sino-russian-drift", "--not-by", "ukraine-settlement@0"]);
    assert!(err.contains("not a month"), "{err}");
    let err = fails(&["run", "sino-russian-drift", "--happened", "ukraine-settlement"]);
    assert!(err.contains("EVENT@MONTH"), "{err}");
    let err = fails(&[
        "run",
        "sino-russian-drift",
        "--happened",
        "ukraine-settlement@3",
        "--not-by",
        "ukraine-settlement@9",
    ]);
    assert!(err.contains("already marked"), "{err}");
    let opened = alignment_sim::link::open_link(
        "v=1&s=sino-russian-drift&happened.nope=3&notby.ukraine-settlement=x&happened.us-wedge-offer=2&notby.us-wedge-offer=4",
    );
    let keys: Vec<&str> = opened.notes.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(
        keys,
        ["happened.nope", "notby.ukraine-settlement", "notby.us-wedge-offer"]
    );
    let wedge = opened.scenario.event_index("us-wedge-offer").unwrap();
    assert_eq!(
        opened.scenario.events[wedge].observed,
        Some(alignment_sim::scenario::Observation::HappenedIn(2))
    );
}

/// The committed JSON Schema is what `schema` writes from the loader's shape, and every built-in
/// file names it on its first line so that TOML editors complete and check it.
#[test]
fn the_committed_schema_is_current_and_every_built_in_file_names_it() {
    let written = ok(&["schema"]);
    let committed = std::fs::read_to_string(root().join("scenarios/scenario.schema.json")).unwrap();
    assert!(
        written == committed,
        "scenarios/scenario.schema.json is out of date: run `cargo run --release -- schema > scenarios/scenario.schema.json`"
    );
    for path in scenario_paths() {
        let text = std::fs::read_to_string(root().join(&path)).unwrap();
        assert_eq!(text.lines().next(), Some("#:schema ./scenario.schema.json"), "{path}");
    }
}
