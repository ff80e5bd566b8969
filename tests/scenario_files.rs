//! The scenario files in `scenarios/`: they validate, the built-in list matches them, every
//! assumption is documented (label, rationale, sources), every quoted passage is copied verbatim
//! from its seed document, and the defaults run.
//!
//! The seed documents are looked for in `$SEEDS_DIR`, else in `../shared/seeds` next to the crate.
//! When that directory does not exist the quote check says so and passes; when it exists, every
//! quote must be found.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use alignment_sim::engine::{Ensemble, Settings};
use alignment_sim::scenario::{
    builtin, builtin_ids, parse_scenario, Assumption, Quantity, Scenario, SourceKind, BUILTIN_FILES,
};

/// Actors every scenario of this project models.
const REQUIRED_ACTORS: [&str; 6] = ["USA", "RUS", "CHN", "PRK", "UKR", "EU"];

/// Longest quote the format allows (format spec: "a passage copied verbatim (≤ 300 characters)").
const MAX_QUOTE_CHARS: usize = 300;

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// (file stem, path, text) of every `scenarios/*.toml`, sorted by name.
fn scenario_files() -> Vec<(String, PathBuf, String)> {
    let mut files: Vec<(String, PathBuf, String)> = std::fs::read_dir(scenario_dir())
        .expect("scenarios/ is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (stem, path, text)
        })
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no scenario files found in {}",
        scenario_dir().display()
    );
    files
}

/// Every scenario file, parsed (panics with every error listed if one does not validate).
fn scenarios() -> Vec<(String, Scenario)> {
    scenario_files()
        .into_iter()
        .map(|(stem, path, text)| {
            let name = format!("scenarios/{stem}.toml");
            let scenario = parse_scenario(&name, &text)
                .unwrap_or_else(|errors| panic!("{} does not validate:\n{errors}", path.display()));
            (stem, scenario)
        })
        .collect()
}

fn seeds_dir() -> PathBuf {
    match std::env::var_os("SEEDS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"),
    }
}

#[test]
fn every_scenario_file_validates() {
    let mut failures = Vec::new();
    for (stem, _, text) in scenario_files() {
        if let Err(errors) = parse_scenario(&format!("scenarios/{stem}.toml"), &text) {
            assert!(!errors.0.is_empty(), "an Err must carry at least one error");
            failures.push(errors.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "scenario files with errors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn built_in_list_is_exactly_the_files_in_scenarios() {
    let files = scenario_files();
    let on_disk: BTreeSet<&str> = files.iter().map(|(stem, _, _)| stem.as_str()).collect();
    let built_in: BTreeSet<&str> = BUILTIN_FILES.iter().map(|(id, _)| *id).collect();
    assert_eq!(built_in.len(), BUILTIN_FILES.len(), "a built-in id is listed twice");
    assert_eq!(built_in, on_disk, "BUILTIN_FILES and scenarios/*.toml differ");
    assert_eq!(
        builtin_ids().collect::<Vec<_>>(),
        BUILTIN_FILES.iter().map(|(id, _)| *id).collect::<Vec<_>>()
    );

    for (id, text) in BUILTIN_FILES {
        // The compiled-in text is the file on disk (include_str! of the right file).
        let (_, path, disk) = files.iter().find(|(stem, _, _)| stem == id).unwrap();
        assert!(text == disk, "built-in `{id}` is not the text of {}", path.display());
        let scenario = builtin(id)
            .unwrap_or_else(|| panic!("builtin(`{id}`) is None"))
            .unwrap_or_else(|e| panic!("built-in `{id}` does not validate:\n{e}"));
        assert_eq!(
            scenario.id, id,
            "the id inside scenarios/{id}.toml must match its file name"
        );
    }
    assert!(builtin("no-such-scenario").is_none());

    for (stem, scenario) in scenarios() {
        assert_eq!(scenario.id, stem, "id inside scenarios/{stem}.toml");
    }
}

#[test]
fn every_assumption_has_label_rationale_sources_and_well_formed_references() {
    for (stem, s) in scenarios() {
        assert!(!s.assumptions.is_empty(), "{stem}: no assumptions");
        let mut ids = HashSet::new();
        for a in &s.assumptions {
            let at = format!("{stem}: `{}` (line {})", a.id, a.line);
            assert!(ids.insert(a.id.as_str()), "{at}: assumption id used twice");
            assert!(!a.label.trim().is_empty(), "{at}: empty label");
            assert!(
                !a.label.contains('\n'),
                "{at}: the label must be one line: {:?}",
                a.label
            );
            assert!(!a.rationale.trim().is_empty(), "{at}: empty rationale");
            assert!(!a.sources.is_empty(), "{at}: no source");
            assert!(a.range.0 < a.range.1, "{at}: range {:?}", a.range);
            assert!(
                a.accepts(a.default),
                "{at}: default {} outside {:?}",
                a.default,
                a.range
            );
            let k = (a.default - a.range.0) / a.step;
            assert!(
                (k - k.round()).abs() < 1e-6,
                "{at}: default {} is not a slider position (step {})",
                a.default,
                a.step
            );
            for r in &a.sources {
                let source = &s.sources[r.source];
                match source.kind {
                    SourceKind::Document => {
                        let quote = r.quote.as_deref().unwrap_or("");
                        assert!(
                            !quote.trim().is_empty(),
                            "{at}: reference to document `{}` without a quote",
                            source.id
                        );
                        assert!(
                            quote.chars().count() <= MAX_QUOTE_CHARS,
                            "{at}: quote from `{}` is {} characters; the format allows {MAX_QUOTE_CHARS}",
                            source.id,
                            quote.chars().count()
                        );
                    }
                    SourceKind::Dataset => {
                        assert!(
                            r.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
                            "{at}: data set `{}` without a note",
                            source.id
                        )
                    }
                    SourceKind::Judgement => {}
                }
            }
        }
        for source in &s.sources {
            assert!(
                !source.reliability.trim().is_empty(),
                "{stem}: source `{}` has no reliability note",
                source.id
            );
            if source.kind == SourceKind::Document {
                assert!(
                    source.file.as_deref().is_some_and(|f| !f.trim().is_empty()),
                    "{stem}: document `{}` names no file",
                    source.id
                );
            }
        }
        // The format asks the summary to say the scenario is speculative.
        assert!(
            s.summary.to_lowercase().contains("speculative"),
            "{stem}: the summary does not say it is speculative"
        );
    }
}

#[test]
fn every_document_quote_appears_verbatim_in_its_seed_file() {
    let dir = seeds_dir();
    if !dir.is_dir() {
        eprintln!(
            "NOTE: seed directory {} does not exist (set SEEDS_DIR to check quotes); the verbatim-quote check was skipped",
            dir.display()
        );
        return;
    }
    let mut checked = 0;
    let mut missing = Vec::new();
    for (stem, s) in scenarios() {
        // Assumptions and views cite passages the same way; both are checked.
        let citing = s
            .assumptions
            .iter()
            .map(|a| (format!("`{}`", a.id), a.line, &a.sources))
            .chain(s.views.iter().map(|v| (format!("view `{}`", v.id), v.line, &v.sources)));
        for (what, line, sources) in citing {
            for r in sources {
                let source = &s.sources[r.source];
                if source.kind != SourceKind::Document {
                    continue;
                }
                let file = source
                    .file
                    .as_deref()
                    .expect("documents name a file (checked by the loader)");
                let path = dir.join(file);
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                    panic!(
                        "{stem}: source `{}` names {}, which cannot be read: {e}",
                        source.id,
                        path.display()
                    )
                });
                let quote = r
                    .quote
                    .as_deref()
                    .expect("document references carry a quote (checked by the loader)");
                checked += 1;
                if !text.contains(quote) {
                    missing.push(format!(
                        "{stem}: {what} (line {line}) quotes {file} but the passage is not in it: {quote:?}"
                    ));
                }
            }
        }
    }
    assert!(checked > 0, "no document quotes were found to check");
    assert!(
        missing.is_empty(),
        "{} of {checked} quotes are not verbatim:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_scenario_has_the_six_core_actors_and_unique_ids() {
    for (stem, s) in scenarios() {
        let actors: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
        for required in REQUIRED_ACTORS {
            assert!(
                actors.contains(&required),
                "{stem}: actor {required} missing (has {actors:?})"
            );
        }
        let n = s.actors.len();
        assert_eq!(s.pairs.len(), n * (n - 1) / 2, "{stem}: every pair once");
        assert!(!s.outcomes.is_empty(), "{stem}: no outcomes");
        let outcome_ids: HashSet<&str> = s.outcomes.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            outcome_ids.len(),
            s.outcomes.len(),
            "{stem}: an outcome id is used twice"
        );
        let event_ids: HashSet<&str> = s.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(event_ids.len(), s.events.len(), "{stem}: an event id is used twice");
        let source_ids: HashSet<&str> = s.sources.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(source_ids.len(), s.sources.len(), "{stem}: a source id is used twice");
    }
}

#[test]
fn defaults_run_and_give_probabilities() {
    for (stem, s) in scenarios() {
        let settings = Settings {
            seed: s.seed,
            runs: 200,
            horizon: s.horizon,
        };
        let summary = Ensemble::run(s.model(&s.defaults()), settings);
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        assert_eq!(summary.outcomes.len(), s.outcomes.len(), "{stem}");
        for (spec, p) in s.outcomes.iter().zip(&summary.outcomes) {
            assert!(
                unit(p.probability),
                "{stem}: outcome `{}` probability {}",
                spec.id,
                p.probability
            );
            assert!(
                p.std_error.is_finite() && p.std_error >= 0.0,
                "{stem}: outcome `{}` std error {}",
                spec.id,
                p.std_error
            );
            assert_eq!(p.probability, p.count as f64 / 200.0, "{stem}: outcome `{}`", spec.id);
        }
        assert_eq!(summary.events.len(), s.events.len(), "{stem}");
        for (spec, e) in s.events.iter().zip(&summary.events) {
            assert!(
                unit(e.fired.probability),
                "{stem}: event `{}` fired {}",
                spec.id,
                e.fired.probability
            );
            assert_eq!(e.cumulative.len(), s.horizon + 1, "{stem}: event `{}`", spec.id);
            assert!(
                e.cumulative.windows(2).all(|w| w[0] <= w[1]),
                "{stem}: event `{}` cumulative decreases",
                spec.id
            );
            assert_eq!(
                e.cumulative[s.horizon], e.fired.probability,
                "{stem}: event `{}`",
                spec.id
            );
        }
        assert_eq!(summary.pairs.len(), s.pairs.len(), "{stem}");
        for (p, bands) in summary.pairs.iter().enumerate() {
            assert_eq!(bands.quantiles.len(), s.horizon + 1, "{stem}: pair {}", s.pair_label(p));
            for q in &bands.quantiles {
                assert!(
                    q.windows(2).all(|w| w[0] <= w[1]) && q.iter().all(|x| x.abs() < 1.0),
                    "{stem}: {} {q:?}",
                    s.pair_label(p)
                );
            }
        }
        let shares: f64 = summary.blocs.iter().map(|b| b.share.probability).sum();
        assert!(
            summary.blocs.iter().all(|b| unit(b.share.probability)) && shares <= 1.0 + 1e-12,
            "{stem}: bloc shares"
        );
        let frustration = summary
            .frustration
            .as_ref()
            .expect("a full ensemble reports frustration");
        assert!(
            unit(frustration.mean) && unit(frustration.initial),
            "{stem}: frustration"
        );
    }
}

/// Every assumption of the built-in files states a plausible range (the later analyses need one
/// everywhere), inside its slider range, around its default, and an event's effect keeps its sign.
#[test]
fn every_assumption_of_the_built_in_files_has_a_plausible_range() {
    for (stem, s) in scenarios() {
        for a in &s.assumptions {
            let at = format!("{stem}: `{}` (line {})", a.id, a.line);
            let (lo, hi) = a.plausible.unwrap_or_else(|| panic!("{at}: no plausible range"));
            assert!(lo <= hi, "{at}: plausible [{lo}, {hi}]");
            assert!(
                a.accepts(lo) && a.accepts(hi),
                "{at}: plausible [{lo}, {hi}] outside {:?}",
                a.range
            );
            assert!(
                lo <= a.default && a.default <= hi,
                "{at}: default {} outside [{lo}, {hi}]",
                a.default
            );
            if matches!(a.quantity, Quantity::Jump | Quantity::Shift) {
                assert!(
                    lo * hi >= 0.0 && lo * a.default >= 0.0 && hi * a.default >= 0.0,
                    "{at}: [{lo}, {hi}] flips the sign of {}",
                    a.default
                );
            }
            // Narrow for high confidence, wide for low: never wider than the whole slider.
            assert!(hi - lo < a.range.1 - a.range.0, "{at}: plausible as wide as the slider");
        }
    }
}

/// Month 0 of every built-in file is 31 August 2025, so month 15 is November 2026 ("today").
#[test]
fn built_in_files_start_at_the_end_of_august_2025() {
    for (stem, s) in scenarios() {
        let start = s.start.unwrap_or_else(|| panic!("{stem}: no start date"));
        assert_eq!((start.year, start.month, start.day), (2025, 8, 31), "{stem}");
        assert_eq!(s.month_label(15).as_deref(), Some("2026-11"), "{stem}");
        assert_eq!(
            s.month_label(s.horizon).as_deref(),
            Some("2028-08"),
            "{stem}: 36 months on"
        );
    }
}

/// The views a reader is promised: a sceptics' reading and "no change" in every file, at least
/// three in all, each with a rationale and a source; the values are those the file's text gives
/// (read here with the TOML parser, independently of the loader), each accepted by its slider.
#[test]
fn every_built_in_file_has_the_promised_views_with_the_values_its_text_gives() {
    for (stem, path, text) in scenario_files() {
        let s = parse_scenario(&path.display().to_string(), &text).unwrap();
        let ids: Vec<&str> = s.views.iter().map(|v| v.id.as_str()).collect();
        assert!(ids.len() >= 3, "{stem}: views {ids:?}");
        for required in ["sceptics", "no-change", "essay-thesis"] {
            assert!(ids.contains(&required), "{stem}: no `{required}` view (has {ids:?})");
        }
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            ids.len(),
            "{stem}: a view id twice"
        );
        let table: toml::Table = text.parse().unwrap();
        let raw_views = table["views"].as_array().unwrap();
        assert_eq!(raw_views.len(), s.views.len(), "{stem}");
        for (raw, view) in raw_views.iter().zip(&s.views) {
            assert_eq!(raw["id"].as_str(), Some(view.id.as_str()));
            assert!(
                view.rationale.len() > 100,
                "{stem}: view `{}` explains too little",
                view.id
            );
            assert!(!view.sources.is_empty(), "{stem}: view `{}` has no source", view.id);
            let written = raw
                .get("values")
                .and_then(|v| v.as_table())
                .cloned()
                .unwrap_or_default();
            assert_eq!(written.len(), view.values.len(), "{stem}: view `{}`", view.id);
            let full = s.view_values(view);
            for (id, value) in &written {
                let expected = value
                    .as_float()
                    .or_else(|| value.as_integer().map(|i| i as f64))
                    .unwrap();
                let index = s
                    .assumption_index(id)
                    .unwrap_or_else(|| panic!("{stem}: `{id}` is no assumption"));
                assert_eq!(full[index], expected, "{stem}: view `{}` `{id}`", view.id);
                assert!(
                    s.assumptions[index].accepts(expected),
                    "{stem}: view `{}` `{id}` = {expected}",
                    view.id
                );
            }
            // Everything the view does not name keeps its default.
            for (i, a) in s.assumptions.iter().enumerate() {
                if !written.contains_key(&a.id) {
                    assert_eq!(full[i], a.default, "{stem}: view `{}` changed `{}`", view.id, a.id);
                }
            }
        }
        // A document's reading moves values within the modeller's plausible ranges (the rule the
        // rationales state); only "no change" switches events off outside them.
        for view in s.views.iter().filter(|v| v.id != "no-change") {
            for &(index, value) in &view.values {
                let (lo, hi) = s.assumptions[index].plausible.unwrap();
                assert!(
                    lo <= value && value <= hi,
                    "{stem}: view `{}` sets `{}` = {value} outside [{lo}, {hi}]",
                    view.id,
                    s.assumptions[index].id
                );
            }
        }
        // "No change": no event can fire and every baseline is the month-0 level.
        let no_change = s.view_values(s.view("no-change").unwrap());
        for e in &s.events {
            let chance = e.per_year.expect("built-in events are not dated with `at`");
            assert_eq!(no_change[chance], 0.0, "{stem}: `{}` may still fire", e.id);
        }
        for p in &s.pairs {
            assert_eq!(no_change[p.baseline], no_change[p.initial], "{stem}: a baseline moved");
        }
    }
}

/// The Ukraine settlement is one real-world event: the same chance, condition and core effects in
/// every built-in file that models it (the files name it differently).
#[test]
fn the_ukraine_settlement_carries_the_same_numbers_in_every_file() {
    let ids = ["land-for-peace", "ukraine-settlement", "ukraine-ceasefire"];
    let core = [
        "probability",
        "if.USA-RUS",
        "jump.RUS-UKR",
        "shift.RUS-UKR",
        "jump.USA-RUS",
        "shift.USA-RUS",
        "jump.RUS-EU",
        "shift.RUS-EU",
        "shift.RUS-CHN",
    ];
    let mut seen: Vec<(String, Vec<f64>)> = Vec::new();
    for (stem, s) in scenarios() {
        let event = s.events.iter().find(|e| ids.contains(&e.id.as_str()));
        let Some(event) = event else { continue };
        let numbers = core
            .iter()
            .map(|part| {
                let id = format!("event.{}.{part}", event.id);
                let index = s.assumption_index(&id).unwrap_or_else(|| panic!("{stem}: no `{id}`"));
                s.assumptions[index].default
            })
            .collect();
        seen.push((stem, numbers));
    }
    assert_eq!(seen.len(), 3, "every built-in file models the settlement");
    for (stem, numbers) in &seen[1..] {
        assert_eq!(numbers, &seen[0].1, "{stem} and {} differ ({core:?})", seen[0].0);
    }
}

/// Confidence levels (README): a value whose only cited document is the anonymous, AI-generated
/// essay (seed 002) is held with low confidence.
#[test]
fn nothing_resting_on_the_ai_generated_essay_alone_is_above_low_confidence() {
    for (stem, s) in scenarios() {
        for a in &s.assumptions {
            let documents: HashSet<&str> = a
                .sources
                .iter()
                .map(|r| &s.sources[r.source])
                .filter(|source| source.kind == SourceKind::Document)
                .map(|source| source.id.as_str())
                .collect();
            if documents == HashSet::from(["seed-002"]) {
                assert_eq!(
                    a.confidence.as_str(),
                    "low",
                    "{stem}: `{}` (line {}) rests on the essay alone",
                    a.id,
                    a.line
                );
            }
        }
    }
}

/// The settlement ids of the built-in files (one real-world event, named differently per file).
const SETTLEMENT_IDS: [&str; 3] = ["land-for-peace", "ukraine-settlement", "ukraine-ceasefire"];

/// Talks that produced a settlement do not collapse afterwards, and fighting that a settlement
/// ended does not widen: in every file, an event about collapsed talks or a wider deployment is
/// ruled out by the file's settlement (`unless`).
#[test]
fn nothing_that_needs_the_war_or_the_talks_can_follow_a_settlement() {
    let mut checked = 0;
    for (stem, s) in scenarios() {
        let settlement = s
            .events
            .iter()
            .position(|e| SETTLEMENT_IDS.contains(&e.id.as_str()))
            .unwrap_or_else(|| panic!("{stem}: no settlement"));
        for e in &s.events {
            if ["talks-collapse", "wider-deployment", "china-brokers-talks"].contains(&e.id.as_str()) {
                assert!(
                    e.unless.contains(&settlement),
                    "{stem}: `{}` may fire after `{}`",
                    e.id,
                    s.events[settlement].id
                );
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked, 3,
        "talks-collapse, china-brokers-talks (rapprochement), wider-deployment (DPRK)"
    );
}

/// China's reaction to a settlement (the opinion article's claim that China wants the war to go
/// on) waits for the file's own settlement (`after`) wherever it is modelled.
#[test]
fn chinas_reaction_to_a_settlement_follows_it() {
    let mut seen = 0;
    for (stem, s) in scenarios() {
        let Some(reaction) = s.events.iter().find(|e| e.id == "china-reacts-to-settlement") else {
            continue;
        };
        let after: Vec<&str> = reaction.after.iter().map(|&i| s.events[i].id.as_str()).collect();
        assert_eq!(after.len(), 1, "{stem}: {after:?}");
        assert!(SETTLEMENT_IDS.contains(&after[0]), "{stem}: waits for {after:?}");
        seen += 1;
    }
    assert_eq!(seen, 2, "the rapprochement and drift files model the reaction");
}

/// An assumption of a shared event: its id, default and plausible range.
type SharedNumbers = (String, f64, Option<(f64, f64)>);

/// An event that appears under the same id in several built-in files is one modelled event: the
/// same assumptions with the same defaults and plausible ranges, the same `repeatable` flag and the
/// same events named in `after`/`unless`.
#[test]
fn an_event_shared_by_several_files_carries_the_same_numbers_in_each() {
    let all = scenarios();
    let mut shared = BTreeSet::new();
    for (i, (stem_a, a)) in all.iter().enumerate() {
        for (stem_b, b) in &all[i + 1..] {
            for event in &a.events {
                let Some(other) = b.events.iter().find(|e| e.id == event.id) else {
                    continue;
                };
                shared.insert(event.id.clone());
                let prefix = format!("event.{}.", event.id);
                let numbers = |s: &Scenario| -> Vec<SharedNumbers> {
                    s.assumptions
                        .iter()
                        .filter(|x| x.id.starts_with(&prefix))
                        .map(|x| (x.id.clone(), x.default, x.plausible))
                        .collect()
                };
                assert_eq!(numbers(a), numbers(b), "`{}` in {stem_a} and {stem_b}", event.id);
                assert_eq!(event.repeatable, other.repeatable, "`{}`", event.id);
                let names = |s: &Scenario, list: &[usize]| -> Vec<String> {
                    list.iter().map(|&i| s.events[i].id.clone()).collect()
                };
                assert_eq!(
                    names(a, &event.unless),
                    names(b, &other.unless),
                    "`{}` in {stem_a} and {stem_b}",
                    event.id
                );
                assert_eq!(event.after.len(), other.after.len(), "`{}`", event.id);
            }
        }
    }
    let expected = [
        "beijing-reengages",
        "china-leverage-erodes",
        "china-reacts-to-settlement",
    ];
    assert_eq!(
        shared,
        expected.iter().map(|s| s.to_string()).collect(),
        "shared events"
    );
}

/// The essay's "losing both North Korea and Russia … little beyond Iran" is asked as one combined
/// outcome wherever China, Russia and North Korea are all modelled (every built-in file but the
/// rapprochement one, whose question is Washington's), with the same test.
#[test]
fn china_isolated_is_one_combined_outcome() {
    for (stem, s) in scenarios() {
        let outcome = s.outcomes.iter().find(|o| o.id == "china-isolated");
        if stem == "us-russia-rapprochement" {
            continue;
        }
        let outcome = outcome.unwrap_or_else(|| panic!("{stem}: no `china-isolated` outcome"));
        assert_eq!(outcome.test, "RUS-CHN < 0.3 and CHN-PRK < 0.3", "{stem}");
    }
}

#[test]
fn every_built_in_file_opens_on_its_thesis_with_a_short_list_of_key_assumptions() {
    // (file, headline outcome, headline pair): each document's own question and the pair it is about.
    let expected = [
        ("us-russia-rapprochement", "usa-rus-positive", "USA-RUS"),
        ("sino-russian-drift", "rus-chn-below-03", "RUS-CHN"),
        ("russia-dprk-alignment", "prk-closer-to-russia", "RUS-PRK"),
    ];
    let all = scenarios();
    for (id, outcome, pair) in expected {
        let (_, s) = all.iter().find(|(file_id, _)| file_id == id).expect("built-in file");
        assert_eq!(s.outcomes[s.opening.outcome].id, outcome, "{id}");
        assert_eq!(s.pair_key(s.opening.pair), pair, "{id}");
        let key = &s.opening.key_assumptions;
        assert!(
            (1..=alignment_sim::scenario::MAX_KEY_ASSUMPTIONS).contains(&key.len()),
            "{id}: {} key assumptions",
            key.len()
        );
        // The pair the headline is about is among the assumptions listed first.
        let about_pair = |index: &usize| s.assumptions[*index].id.starts_with(&format!("pair.{pair}."));
        assert!(key.iter().any(about_pair), "{id}: no key assumption about {pair}");
    }
}

/// The pre-2022 voting prior that an assumption's UN-data citation states
/// ("prior = clamp(0.7 − 0.45·|difference|, −0.8, 0.8) = 0.43"), if it states one.
fn stated_voting_prior(s: &Scenario, a: &Assumption) -> Option<f64> {
    const MAPPING: &str = "0.8) = ";
    a.sources
        .iter()
        .filter(|r| s.sources[r.source].kind == SourceKind::Dataset)
        .filter_map(|r| r.note.as_deref())
        .find_map(|note| {
            let rest = &note[note.find(MAPPING)? + MAPPING.len()..];
            rest.split_whitespace().next()?.replace('−', "-").parse().ok()
        })
}

/// Issue 11 item 3: a value stated for a source's absence (`without = …`) is what the file's own
/// words give, read here from the file, not from `ablate`. It belongs to an assumption resting on
/// one document alone (every other citation that does not say "for reference only" is
/// judgement), whose rationale names it ("Without S (`ablate --without S`)"): an event's
/// probability or rate falls to 0, as no other source reports the event, an event's jump or
/// shift falls to 0, as no other source claims that the event moves that pair, and a pair's start
/// or baseline to the voting prior that its UN-data note states. A pair value that rests on one
/// document alone and has a stated prior states it as well, unless its rationale says why not;
/// a jump or shift that rests on one document alone always states its 0 (else the effect that
/// only the dropped document claims would still act whenever the event fires on other grounds).
#[test]
fn values_without_a_source_are_the_ones_the_files_words_give() {
    let (mut events, mut effects, mut pairs) = (0, 0, 0);
    for (stem, s) in scenarios() {
        for a in &s.assumptions {
            let resting: BTreeSet<&str> = a
                .sources
                .iter()
                .filter(|r| {
                    !r.note
                        .as_deref()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains("for reference only")
                })
                .map(|r| &s.sources[r.source])
                .filter(|source| source.kind != SourceKind::Judgement)
                .map(|source| source.id.as_str())
                .collect();
            let alone = match resting.iter().collect::<Vec<_>>()[..] {
                [only] => Some(*only),
                _ => None,
            };
            let pair_value = a.id.starts_with("pair.") && (a.id.ends_with(".initial") || a.id.ends_with(".baseline"));
            let event_chance =
                a.id.starts_with("event.") && (a.id.ends_with(".probability") || a.id.ends_with(".rate"));
            let event_effect = a.id.starts_with("event.") && (a.id.contains(".jump.") || a.id.contains(".shift."));
            // The reason a value falls to 0 without its one document.
            let zero_because = if event_chance {
                Some("no other source reports the event")
            } else if event_effect {
                Some("no other source claims this effect")
            } else {
                None
            };
            let kind_of = |id: &str| s.sources.iter().find(|x| x.id == id).unwrap().kind;
            let prior = stated_voting_prior(&s, a);
            let at = format!("{stem}: `{}` (line {})", a.id, a.line);
            let Some(without) = a.without else {
                if let (true, Some(document), Some(prior)) = (pair_value, alone, prior) {
                    assert!(
                        a.rationale.contains(&format!("No value is stated for the absence of {document}")),
                        "{at} rests on {document} alone and its note states the voting prior {prior}: state it as `without`, or say why not"
                    );
                }
                if let (true, Some(document)) = (event_effect, alone) {
                    assert!(
                        kind_of(document) != SourceKind::Document,
                        "{at} rests on {document} alone: state `without = 0` (no other source claims this effect)"
                    );
                }
                continue;
            };
            let document = alone
                .unwrap_or_else(|| panic!("{at} states `without` but rests on {resting:?}, not on one source alone"));
            assert_eq!(kind_of(document), SourceKind::Document, "{at}");
            let named = format!("Without {document} (`ablate --without {document}`): ");
            assert!(
                a.rationale.contains(&named),
                "{at}: the rationale does not say `{named}…`"
            );
            if let Some(reason) = zero_because {
                assert_eq!(without, 0.0, "{at}");
                let said = format!("{named}0, as {reason}");
                assert!(a.rationale.contains(&said), "{at}: the rationale does not say `{said}`");
                if event_chance {
                    events += 1;
                } else {
                    effects += 1;
                }
            } else if pair_value {
                assert_eq!(
                    Some(without),
                    prior,
                    "{at}: `without` is not the voting prior its note states"
                );
                let said = format!(
                    "{named}the pre-2022 voting prior, {}",
                    format!("{without:.2}").replace('-', "−")
                );
                assert!(a.rationale.contains(&said), "{at}: the rationale does not say `{said}`");
                pairs += 1;
            } else {
                panic!("{at}: no rule of the files gives a value without a source for this kind of assumption");
            }
        }
    }
    assert!(
        events > 0 && effects > 0 && pairs > 0,
        "events {events}, effects {effects}, pairs {pairs}"
    );
}
