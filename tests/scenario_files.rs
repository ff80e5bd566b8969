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
use alignment_sim::scenario::{builtin, builtin_ids, parse_scenario, Scenario, SourceKind, BUILTIN_FILES};

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
        for a in &s.assumptions {
            for r in &a.sources {
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
                        "{stem}: `{}` (line {}) quotes {file} but the passage is not in it: {quote:?}",
                        a.id, a.line
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
