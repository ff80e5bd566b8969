//! Fuzzing the two doors untrusted text comes in by: scenario files and share links.
//!
//! Properties: nothing panics; a rejected file always carries at least one error with a message
//! (and a line, when it has one, that exists); a link never loses a valid part silently, and every
//! part it ignores is reported in a note.
//!
//! The normal test run keeps the case counts modest (256 per property). For a long run:
//!
//!     FUZZ_CASES=100000 cargo test --release --test fuzz
//!
//! Hangs show up as a test that does not finish; `pathological_inputs_finish_quickly` checks the
//! obvious slow paths (deep nesting, very many records, long lines) at the 512 KB size limit.

use std::time::{Duration, Instant};

use alignment_sim::engine::{Ensemble, Settings, ENGINE_VERSION};
use alignment_sim::link::{
    encode_link, encode_link_carrying, fragment_of, linked_scenario, parse_link, resolve_link, LinkedScenario,
    ParsedLink, MAX_LINK_CHARS,
};
use alignment_sim::scenario::{
    builtin, builtin_ids, parse_scenario, Observation, Scenario, ScenarioErrors, MAX_FILE_BYTES, MAX_HORIZON, MAX_RUNS,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

const FIXTURE: &str = include_str!("fixtures/minimal.toml");
const REAL: &str = include_str!("../scenarios/sino-russian-drift.toml");

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config() -> Config {
    Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    }
}

fn scenarios() -> Vec<Scenario> {
    builtin_ids().map(|id| builtin(id).unwrap().unwrap()).collect()
}

/// What every parse result must satisfy; runs the engine briefly on whatever is accepted.
fn check_parse(text: &str) {
    match parse_scenario("fuzz.toml", text) {
        Ok(s) => {
            // Whatever validates must also run.
            let settings = Settings {
                seed: 1,
                runs: 3,
                horizon: s.horizon.min(6),
            };
            let summary = Ensemble::run(s.model(&s.defaults()), settings);
            assert_eq!(summary.outcomes.len(), s.outcomes.len());
        }
        Err(errors) => check_errors(text, &errors),
    }
}

fn check_errors(text: &str, errors: &ScenarioErrors) {
    assert!(!errors.0.is_empty(), "Err without errors");
    let lines = text.split('\n').count();
    for e in &errors.0 {
        assert!(!e.message.trim().is_empty(), "an error without a message: {e:?}");
        assert_eq!(e.file, "fuzz.toml");
        if let Some(line) = e.line {
            assert!(line >= 1 && line <= lines, "line {line} of a {lines}-line text: {e}");
        }
    }
    // Display never panics and shows every error.
    assert!(errors.to_string().lines().count() >= errors.0.len());
}

/// One edit of a text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    ReplaceChar(usize, char),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Replacement characters favour those that mean something in TOML.
    let special = prop::sample::select(vec![
        '=', '[', ']', '{', '}', '"', '\'', ',', '.', '#', '\n', ' ', '-', '0', '9', 'x', 'é', '–', '\\',
    ]);
    let replacement = prop_oneof![3 => special, 1 => any::<char>()];
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), replacement).prop_map(|(i, c)| Mutation::ReplaceChar(i, c)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    match *m {
        Mutation::DeleteLine(i) | Mutation::DuplicateLine(i) => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let i = i % lines.len();
            if matches!(m, Mutation::DeleteLine(_)) {
                lines.remove(i);
            } else {
                lines.insert(i, lines[i]);
            }
            lines.join("\n")
        }
        Mutation::ReplaceChar(i, c) => {
            let count = text.chars().count();
            if count == 0 {
                return c.to_string();
            }
            let i = i % count;
            text.chars()
                .enumerate()
                .map(|(k, x)| if k == i { c } else { x })
                .collect()
        }
        Mutation::Truncate(i) => {
            let mut end = i % (text.len() + 1);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text[..end].to_string()
        }
    }
}

/// Text made of TOML-ish pieces: reaches the validator far more often than random characters.
fn tomlish() -> impl Strategy<Value = String> {
    let pieces = vec![
        "\n",
        " ",
        "=",
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        ",",
        ".",
        "\"",
        "'",
        "#",
        "-",
        "format = 1\n",
        "id = \"x\"\n",
        "title = \"t\"\n",
        "summary = \"s\"\n",
        "horizon = 12\n",
        "runs = 10\n",
        "[[sources]]\n",
        "[[actors]]\n",
        "[[pairs]]\n",
        "[[events]]\n",
        "[[outcomes]]\n",
        "[model.volatility]\n",
        "[actors.weight]\n",
        "[pairs.initial]\n",
        "[events.probability]\n",
        "[[events.effects]]\n",
        "value = 0.1\n",
        "value = nan\n",
        "value = inf\n",
        "value = -1e308\n",
        "range = [0.0, 1.0]\n",
        "step = 0.0\n",
        "label = \"l\"\n",
        "rationale = \"r\"\n",
        "confidence = \"low\"\n",
        "sources = [{ source = \"j\" }]\n",
        "between = [\"AAA\", \"BBB\"]\n",
        "test = \"AAA-BBB > 0.1\"\n",
        "when = \"horizon\"\n",
        "kind = \"judgement\"\n",
        "123",
        "0.5",
        "-0.5",
        "true",
        "\"\"\"",
        "'''",
        "é",
        "–",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in any::<String>()) {
        check_parse(&text);
    }

    #[test]
    fn arbitrary_printable_text_never_panics_the_loader(text in "\\PC{0,400}") {
        check_parse(&text);
    }

    #[test]
    fn toml_like_text_never_panics_the_loader(text in tomlish()) {
        check_parse(&text);
    }

    #[test]
    fn mutated_fixture_never_panics_the_loader(edits in prop::collection::vec(mutation(), 1..4)) {
        let text = edits.iter().fold(FIXTURE.to_string(), |t, m| apply(&t, m));
        check_parse(&text);
    }

    #[test]
    fn mutated_real_scenario_never_panics_the_loader(edits in prop::collection::vec(mutation(), 1..4)) {
        let text = edits.iter().fold(REAL.to_string(), |t, m| apply(&t, m));
        check_parse(&text);
    }

    #[test]
    fn a_valid_file_mutated_at_one_char_is_rejected_or_still_sound(i in any::<usize>(), c in any::<char>()) {
        // A one-character change either keeps a file that validates (and runs) or produces errors
        // that each carry a line, since the text exists and the change is somewhere in it.
        let text = apply(FIXTURE, &Mutation::ReplaceChar(i, c));
        if let Err(errors) = parse_scenario("fuzz.toml", &text) {
            check_errors(&text, &errors);
            prop_assert!(errors.0.iter().any(|e| e.line.is_some()), "no error has a line: {}", errors);
        } else {
            check_parse(&text);
        }
    }
}

// ---- Links -------------------------------------------------------------------------------------

/// Checks what parse_link and resolve_link return for `link` against every built-in scenario, and
/// what the link's own scenario (named by `s` or carried in `c`) turns out to be.
fn check_link(link: &str, scenarios: &[Scenario]) {
    let parsed = parse_link(link);
    check_parsed(link, &parsed);
    for s in scenarios {
        check_resolved(&parsed, s);
    }
    match linked_scenario(&parsed) {
        LinkedScenario::Builtin(s) => {
            assert!(parsed.carried.is_none());
            assert_eq!(Some(&s.id), parsed.scenario.as_ref());
            check_resolved(&parsed, &s);
        }
        LinkedScenario::Carried(s, text) => {
            assert!(parsed.carried.is_some());
            assert_eq!(
                parse_scenario("again.toml", &text).map(|t| t.content_hash).ok(),
                Some(s.content_hash.clone())
            );
            check_resolved(&parsed, &s);
        }
        LinkedScenario::Unusable(note) => {
            assert!(note.key == "c" || note.key == "s", "{note:?}");
            assert!(!note.message.trim().is_empty());
        }
        LinkedScenario::Missing => assert!(parsed.scenario.is_none() && parsed.carried.is_none()),
    }
}

/// Every non-empty part is either used or noted; without escapes, exactly once each.
fn check_parsed(link: &str, parsed: &ParsedLink) {
    let fragment = fragment_of(link.trim());
    if fragment.len() > MAX_LINK_CHARS {
        // Not read at all: one note saying so, nothing else.
        assert_eq!(parsed.notes.len(), 1, "{:?}", parsed.notes);
        assert_eq!(parsed.notes[0].key, "");
        assert_eq!(
            (parsed.version, parsed.scenario.as_ref(), parsed.assumptions.len()),
            (None, None, 0)
        );
        return;
    }
    let all_parts: Vec<&str> = fragment.split(['&', '#']).filter(|p| !p.is_empty()).collect();
    let parts = all_parts.len();
    let used = [
        parsed.scenario.is_some(),
        parsed.scenario_hash.is_some(),
        parsed.seed.is_some(),
        parsed.runs.is_some(),
        parsed.horizon.is_some(),
        parsed.carried.is_some(),
        parsed.embed,
    ]
    .iter()
    .filter(|&&x| x)
    .count()
        + parsed.version.is_some() as usize
        + parsed.engine.is_some() as usize
        + parsed.assumptions.len()
        + parsed.view.len()
        + parsed.observations.len();
    assert!(
        used + parsed.notes.len() >= parts,
        "{parts} parts but only {used} used and {} noted: {link:?} → {parsed:?}",
        parsed.notes.len()
    );
    for n in &parsed.notes {
        assert!(!n.message.trim().is_empty(), "a note without a message: {n:?}");
    }
    // Without escapes every part is either used (the version once, the other parts once each)
    // or noted once; besides, a version that is not 1 gets a note, a missing one gets a note when
    // there are other parts, and a second `#` gets one. Written out from the link format of
    // README §3, not from the reader.
    if !fragment.contains(['%', '+']) {
        fn key<'a>(part: &&'a str) -> &'a str {
            part.split_once('=').map_or(*part, |(k, _)| k)
        }
        let mut seen = std::collections::HashSet::new();
        let unique: Vec<&str> = all_parts.iter().copied().filter(|p| seen.insert(key(p))).collect();
        let duplicates = parts - unique.len();
        let version_part = unique.iter().find(|p| key(p) == "v");
        let version_note = match version_part {
            Some(p) => p.split_once('=').map_or("", |(_, v)| v).parse::<u32>() != Ok(1),
            None => parts > 0,
        };
        // The version counts as used without a part of its own when the link has none.
        let unused = unique.len() + (version_part.is_none() && parsed.version.is_some()) as usize - used;
        let expected = duplicates + unused + version_note as usize + fragment.contains('#') as usize;
        assert_eq!(
            parsed.notes.len(),
            expected,
            "{duplicates} repeated, {unused} unused parts, version note {version_note}: {link:?} → {parsed:?}"
        );
        assert_eq!(parsed.version.is_some(), parts > 0, "{link:?}");
    }
    // Settings are read as numbers: the first plain `seed=`, `runs=`, `h=` part (no escapes, no
    // second `#`) gives exactly its number when it is one in range, and nothing otherwise.
    if !fragment.contains(['#', '%', '+']) {
        // Only the first part with the key counts, whether or not it has a value (`runs&runs=4`
        // reads `runs` as given without a value, and notes it).
        let first = |key: &str| {
            fragment
                .split('&')
                .find(|p| p.split_once('=').map_or(*p, |(k, _)| k) == key)
                .and_then(|p| p.split_once('=').map(|(_, v)| v))
        };
        if parsed.version.is_some() {
            assert_eq!(
                parsed.seed,
                first("seed").and_then(|t| t.parse::<u64>().ok()),
                "{link:?}"
            );
            let count = |key: &str, max: usize| {
                first(key)
                    .and_then(|t| t.parse::<usize>().ok())
                    .filter(|n| (1..=max).contains(n))
            };
            assert_eq!(parsed.runs, count("runs", MAX_RUNS), "{link:?}");
            assert_eq!(parsed.horizon, count("h", MAX_HORIZON), "{link:?}");
        }
    }
}

/// Whether `v` is a value the link may set for an assumption of this range: finite and inside the
/// range, ends included and compared exactly (README §5: no tolerance; a hair past an end is
/// refused). Written out here rather than calling the code under test.
fn inside(range: (f64, f64), v: f64) -> bool {
    v.is_finite() && range.0 <= v && v <= range.1
}

/// Every assumption and setting the link carries is applied exactly, or there is exactly one note
/// for it: no value dropped silently, and no note about something that was used.
fn check_resolved(parsed: &ParsedLink, s: &Scenario) {
    let resolved = resolve_link(parsed, s);
    let mut ignored = 0;
    // The oracle's own lookup: the assumption with this id, by a scan of the scenario's list.
    let mut expected: Vec<f64> = s.assumptions.iter().map(|a| a.default).collect();
    for (id, text) in &parsed.assumptions {
        match (s.assumptions.iter().position(|a| a.id == *id), text.parse::<f64>()) {
            (Some(i), Ok(v)) if inside(s.assumptions[i].range, v) => expected[i] = v,
            _ => ignored += 1,
        }
    }
    for (i, (got, want)) in resolved.values.iter().zip(&expected).enumerate() {
        assert_eq!(
            got.to_bits(),
            want.to_bits(),
            "`{}`: {got} vs {want} for {parsed:?}",
            s.assumptions[i].id
        );
    }
    assert_eq!(resolved.values.len(), s.assumptions.len());
    for (a, v) in s.assumptions.iter().zip(&resolved.values) {
        assert!(inside(a.range, *v), "`{}` = {v} outside its range", a.id);
    }
    // A seed, runs or horizon that is not usable was left out (with a note) when parsing; the
    // scenario file's own `seed`, `runs` and `horizon` fill in.
    let seed = parsed.seed.unwrap_or(s.seed);
    let runs = parsed.runs.unwrap_or(s.runs);
    let horizon = parsed.horizon.unwrap_or(s.horizon);
    assert_eq!(resolved.settings, Settings { seed, runs, horizon }, "{parsed:?}");
    // Marked events: the event by a scan of the scenario's list, the first mark of each event, a
    // month 1 … 240 (surrounding spaces allowed); anything else has one note.
    let mut marked: Vec<(usize, Observation)> = Vec::new();
    for (word, id, text) in &parsed.observations {
        let event = s.events.iter().position(|e| e.id == *id);
        let month = text.trim().parse::<u32>().ok().filter(|m| (1..=240).contains(m));
        match (event, month) {
            (Some(e), _) if marked.iter().any(|(m, _)| *m == e) => ignored += 1,
            (Some(e), Some(m)) if word == "happened" => marked.push((e, Observation::HappenedIn(m))),
            (Some(e), Some(m)) if word == "notby" => marked.push((e, Observation::NotBy(m))),
            _ => ignored += 1,
        }
    }
    assert_eq!(resolved.observations, marked, "{parsed:?}");
    if parsed.scenario_hash.as_ref().is_some_and(|h| *h != s.content_hash) {
        ignored += 1;
    }
    // The link's engine is not this one: named as another, or not named in a link the page wrote
    // (with `sh`) before engines were named. An `e` that is not a number has its own note already.
    let other_engine = match parsed.engine {
        Some(engine) => engine != ENGINE_VERSION,
        None => parsed.scenario_hash.is_some() && !parsed.notes.iter().any(|n| n.key == "e"),
    };
    if other_engine {
        ignored += 1;
    }
    assert_eq!(
        resolved.notes.len(),
        parsed.notes.len() + ignored,
        "{ignored} things ignored, {} new notes: {parsed:?} → {:?}",
        resolved.notes.len() - parsed.notes.len(),
        resolved.notes
    );
    assert_eq!(resolved.view, parsed.view);
    for n in &resolved.notes {
        assert!(!n.message.trim().is_empty(), "a note without a message: {n:?}");
    }
}

#[derive(Clone, Debug)]
enum LinkEdit {
    DeleteChar(usize),
    InsertChar(usize, char),
    DuplicatePart(usize),
    DropPart(usize),
    SwapParts(usize, usize),
    Truncate(usize),
}

fn link_edit() -> impl Strategy<Value = LinkEdit> {
    let chars = prop_oneof![
        3 => prop::sample::select(vec!['&', '=', '%', '#', '.', '-', '+', '0', '1', '9', 'e', 'x', ' ', 'é']),
        1 => any::<char>(),
    ];
    prop_oneof![
        any::<usize>().prop_map(LinkEdit::DeleteChar),
        (any::<usize>(), chars).prop_map(|(i, c)| LinkEdit::InsertChar(i, c)),
        any::<usize>().prop_map(LinkEdit::DuplicatePart),
        any::<usize>().prop_map(LinkEdit::DropPart),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| LinkEdit::SwapParts(i, j)),
        any::<usize>().prop_map(LinkEdit::Truncate),
    ]
}

fn edit_link(link: &str, edit: &LinkEdit) -> String {
    let boundary = |i: usize| {
        let mut i = i % (link.len() + 1);
        while !link.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut parts: Vec<String> = link.split('&').map(String::from).collect();
    let n = parts.len();
    match *edit {
        LinkEdit::DeleteChar(i) => {
            let i = boundary(i);
            let mut s = link.to_string();
            if i < s.len() {
                s.remove(i);
            }
            s
        }
        LinkEdit::InsertChar(i, c) => {
            let mut s = link.to_string();
            s.insert(boundary(i), c);
            s
        }
        LinkEdit::DuplicatePart(i) => {
            let p = parts[i % n].clone();
            parts.push(p);
            parts.join("&")
        }
        LinkEdit::DropPart(i) => {
            parts.remove(i % n);
            parts.join("&")
        }
        LinkEdit::SwapParts(i, j) => {
            parts.swap(i % n, j % n);
            parts.join("&")
        }
        LinkEdit::Truncate(i) => link[..boundary(i)].to_string(),
    }
}

/// A valid link for built-in scenario `which` with about a third of its assumptions moved.
fn valid_link(scenarios: &[Scenario], which: usize, seed: u64, pick: u64) -> String {
    let s = &scenarios[which % scenarios.len()];
    let values: Vec<f64> = s
        .assumptions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if (pick >> (i % 64)) & 1 == 1 && i % 3 == 0 {
                a.range.0 + (a.range.1 - a.range.0) * 0.25
            } else {
                a.default
            }
        })
        .collect();
    let settings = Settings {
        seed,
        runs: 1 + (seed % 5000) as usize,
        horizon: 1 + (seed % 240) as usize,
    };
    encode_link(
        s,
        &values,
        settings,
        &[("pair".into(), "RUS-CHN".into()), ("tab".into(), "fan".into())],
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics_the_link_reader(text in any::<String>()) {
        check_link(&text, &scenarios());
    }

    #[test]
    fn link_like_text_never_panics_the_link_reader(
        text in "(#|https://x/#)?((v|s|sh|seed|runs|h|view\\.pair|model\\.balance|pair\\.RUS-CHN\\.initial|event\\.[a-z-]{1,12}\\.probability|(happened|notby)\\.(defection-fallout|brussels-line-reaffirmed|[a-z-]{0,8})|%[0-9A-Fa-f]{0,2}|[a-z.%+]{0,6})(=[-+0-9.eEa-z%&#]{0,12})?&){0,12}"
    ) {
        check_link(&text, &scenarios());
    }

    #[test]
    fn mutated_valid_links_keep_what_is_valid_and_note_the_rest(
        which in any::<usize>(),
        seed in any::<u64>(),
        pick in any::<u64>(),
        edits in prop::collection::vec(link_edit(), 0..4),
    ) {
        let all = scenarios();
        let link = valid_link(&all, which, seed, pick);
        let mutated = edits.iter().fold(link, |l, e| edit_link(&l, e));
        check_link(&mutated, &all);
        check_link(&format!("https://example.org/page#{mutated}"), &all);
    }
}

/// Edits inside the carried scenario (`c=`) of a link: a damaged payload must be refused with a
/// note, never panic, and never load as something else than a scenario that validates.
#[derive(Clone, Debug)]
enum PayloadEdit {
    Replace(usize, char),
    Delete(usize),
    Truncate(usize),
}

fn payload_edit() -> impl Strategy<Value = PayloadEdit> {
    let chars = prop_oneof![3 => prop::sample::select(vec!['A', 'z', '0', '-', '_', '=', '%', '+', '/', '&']), 1 => any::<char>()];
    prop_oneof![
        (any::<usize>(), chars).prop_map(|(i, c)| PayloadEdit::Replace(i, c)),
        any::<usize>().prop_map(PayloadEdit::Delete),
        any::<usize>().prop_map(PayloadEdit::Truncate),
    ]
}

fn carrying_link() -> String {
    let s = parse_scenario("minimal.toml", FIXTURE).unwrap();
    let mut values = s.defaults();
    values[s.parameters.balance] = 0.05;
    encode_link_carrying(
        &s,
        FIXTURE,
        &values,
        Settings {
            seed: 9,
            runs: 100,
            horizon: 12,
        },
        &[],
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn damaged_carried_scenarios_are_refused_with_a_note(edits in prop::collection::vec(payload_edit(), 1..4)) {
        let link = carrying_link();
        let at = link.find("&c=").unwrap() + 3;
        let (head, mut payload) = (link[..at].to_string(), link[at..].to_string());
        for edit in &edits {
            let len = payload.chars().count().max(1);
            payload = match *edit {
                PayloadEdit::Replace(i, c) => payload.chars().enumerate().map(|(k, x)| if k == i % len { c } else { x }).collect(),
                PayloadEdit::Delete(i) => payload.chars().enumerate().filter(|(k, _)| *k != i % len).map(|(_, x)| x).collect(),
                PayloadEdit::Truncate(i) => payload.chars().take(i % len).collect(),
            };
        }
        check_link(&format!("{head}{payload}"), &scenarios());
    }
}

#[test]
fn unmutated_valid_links_have_no_notes() {
    // The carried scenario comes back whole.
    let link = carrying_link();
    match linked_scenario(&parse_link(&link)) {
        LinkedScenario::Carried(s, text) => {
            assert_eq!(text, FIXTURE);
            let resolved = resolve_link(&parse_link(&link), &s);
            assert!(resolved.notes.is_empty(), "{:?}", resolved.notes);
            assert_eq!(resolved.values[s.parameters.balance], 0.05);
        }
        other => panic!("the carried scenario did not load: {other:?}"),
    }
    // The baseline for the property above: without edits a link is read back without a note.
    let all = scenarios();
    for which in 0..all.len() {
        for (seed, pick) in [(0, 0), (7, u64::MAX), (u64::MAX, 0x5555_5555_5555_5555)] {
            let link = valid_link(&all, which, seed, pick);
            let resolved = resolve_link(&parse_link(&link), &all[which]);
            assert!(resolved.notes.is_empty(), "{link}: {:?}", resolved.notes);
        }
    }
}

// ---- Time bounds -------------------------------------------------------------------------------

/// Inputs at the size limit built to reach slow paths.
fn pathological_inputs() -> Vec<(&'static str, String)> {
    let limit = MAX_FILE_BYTES - 64;
    let fill = |unit: &str| unit.repeat(limit / unit.len());
    let outcome =
        |i: usize| format!("[[outcomes]]\nid = \"o{i}\"\nlabel = \"l\"\ntest = \"AAA-BBB > 0\"\nwhen = \"horizon\"\n");
    // Each event has an assumption, waits for the one before it, and a view names it.
    let event = |i: usize| {
        let after = if i > 0 {
            format!("after = [\"e{}\"]\n", i - 1)
        } else {
            String::new()
        };
        let assumption = "value = 0.1\nrange = [0.0, 1.0]\nlabel = \"l\"\nrationale = \"r\"\nconfidence = \"low\"\nsources = [{ source = \"s0\" }]\n";
        format!("[[events]]\nid = \"e{i}\"\nlabel = \"l\"\ndescription = \"d\"\n{after}[events.probability]\n{assumption}[[events.effects]]\nbetween = [\"AAA\", \"BBB\"]\n[events.effects.jump]\n{assumption}")
    };
    let view = |i: usize| {
        format!("[[views]]\nid = \"v{i}\"\ntitle = \"t\"\nrationale = \"r\"\nsources = [{{ source = \"s0\" }}]\n[views.values]\n\"event.e{i}.probability\" = 0.2\n")
    };
    let source = |i: usize| {
        format!("[[sources]]\nid = \"s{i}\"\ntitle = \"t\"\ndate = \"2026-11\"\nkind = \"judgement\"\ndescription = \"d\"\nreliability = \"r\"\n")
    };
    // The fixture with source s0, then items 0, 1, 2, … up to the size limit.
    let grown = |item: &dyn Fn(usize) -> String| {
        let mut t = FIXTURE.to_string() + &source(0);
        let mut i = 0;
        while t.len() + 1000 < limit {
            t.push_str(&item(i));
            i += 1;
        }
        t
    };
    let many_bad_outcomes = {
        let mut t = FIXTURE.to_string();
        while t.len() + 100 < limit {
            t.push_str("[[outcomes]]\nid = \"X\"\nlabel = \"\"\ntest = \"a\"\nwhen = \"w\"\n");
        }
        t
    };
    vec![
        ("nested arrays", format!("a = {}", fill("["))),
        (
            "nested arrays, closed",
            format!("a = {}{}", "[".repeat(limit / 2 - 4), "]".repeat(limit / 2 - 4)),
        ),
        ("nested inline tables", format!("a = {}", fill("{b="))),
        ("dotted key", format!("{}a = 1", fill("a."))),
        ("table header", format!("[{}a]", fill("a."))),
        ("array of tables header", format!("[[{}a]]", fill("a."))),
        ("quotes", fill("\"")),
        ("many array tables", fill("[[x]]\n")),
        ("many keys", (0..limit / 12).map(|i| format!("k{i:06} = 1\n")).collect()),
        ("one long string", format!("title = \"{}\"", "x".repeat(limit - 20))),
        ("one long comment", format!("#{}", "x".repeat(limit - 2))),
        ("newlines", fill("\n")),
        ("nul bytes", fill("\0")),
        ("multi-line string opened", format!("summary = \"\"\"{}", fill("a\\\n"))),
        ("many valid outcomes", grown(&outcome)),
        ("many valid sources", grown(&|i| source(i + 1))),
        ("many valid events and views", grown(&|i| event(i) + &view(i))),
        ("many invalid outcomes", many_bad_outcomes),
    ]
}

#[test]
fn pathological_inputs_finish_quickly() {
    // A generous bound: this is about hangs and blow-ups, not speed (see the ignored benchmark below).
    let bound = Duration::from_secs(20);
    for (name, text) in pathological_inputs() {
        assert!(text.len() <= MAX_FILE_BYTES, "{name}: {} bytes", text.len());
        let start = Instant::now();
        let result = parse_scenario("fuzz.toml", &text);
        let took = start.elapsed();
        if let Err(errors) = &result {
            check_errors(&text, errors);
        }
        // Valid items take the paths that look ids up (duplicates, references).
        assert!(!name.starts_with("many valid") || result.is_ok(), "{name}: {result:?}");
        eprintln!("{name}: {} KB in {took:?}", text.len() / 1024);
        assert!(took < bound, "{name}: {took:?}");
    }
    // Over the limit: refused before parsing, whatever the content (one error, about the size).
    let errors = parse_scenario("fuzz.toml", &"[".repeat(MAX_FILE_BYTES + 1)).expect_err("over the limit");
    assert_eq!(errors.0.len(), 1);
    assert!(errors.0[0].message.contains("KB"));
}

#[test]
fn pathological_links_finish_quickly() {
    let all = scenarios();
    let near = MAX_LINK_CHARS - 16;
    let links = [
        "&".repeat(near),
        "a=1&".repeat(near / 4),
        "%".repeat(near),
        "%41".repeat(near / 3),
        format!("v=1&s=x&{}", "model.balance=0.1&".repeat(near / 20)),
        (0..near / 12).map(|i| format!("k{i:06}.x=1&")).collect::<String>(),
        format!("view.{}", "x".repeat(near)),
        "#".repeat(near),
        "x".repeat(MAX_LINK_CHARS * 4),
    ];
    for link in &links {
        let start = Instant::now();
        check_link(link, &all);
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{} chars took {:?}",
            link.len(),
            start.elapsed()
        );
    }
}

/// A benchmark, not a test (timings depend on the machine, the build and its load): run it with
/// `cargo test --release --test fuzz -- --ignored bench_`. Validation time should grow about linearly
/// with the file's size: it times each input of many scenario items (outcomes, sources, events and
/// views; valid or not) at the full size and at a quarter of it, and
/// fails if four times the text takes more than eight times as long (quadratic work would take 16×).
#[test]
#[ignore = "benchmark: run with --ignored"]
fn bench_validation_time_grows_about_linearly_with_the_file_size() {
    let time = |text: &str| {
        // The fastest of 5, to keep other load on the machine out of the ratio.
        (0..5)
            .map(|_| {
                let start = Instant::now();
                let _ = parse_scenario("fuzz.toml", text);
                start.elapsed()
            })
            .min()
            .expect("five timings")
    };
    for (name, text) in pathological_inputs()
        .into_iter()
        .filter(|(name, _)| name.starts_with("many valid") || name.starts_with("many invalid"))
    {
        // A quarter of the text, cut at a line end so that it stays the same kind of file.
        let quarter = &text[..text[..text.len() / 4].rfind('\n').unwrap_or(text.len() / 4)];
        let (small, large) = (time(quarter), time(&text));
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
        eprintln!(
            "{name}: {} KB in {small:?}, {} KB in {large:?} (ratio {ratio:.1} for 4× the size)",
            quarter.len() / 1024,
            text.len() / 1024
        );
        assert!(ratio < 8.0, "{name}: 4× the size took {ratio:.1}× as long");
    }
}
