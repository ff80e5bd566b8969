//! Share links (DESIGN.md §5): encode → parse → resolve gives back exactly the state, and a bad,
//! tampered or future link keeps every valid part and says what it ignored.

use alignment_sim::engine::{Ensemble, Settings, ENGINE_VERSION};
use alignment_sim::link::{encode_link, fragment_of, parse_link, resolve_link, ResolvedLink, MAX_LINK_CHARS};
use alignment_sim::scenario::{builtin, builtin_ids, Scenario};

fn scenario(id: &str) -> Scenario {
    builtin(id).expect("built-in").unwrap_or_else(|e| panic!("{id}:\n{e}"))
}

fn all_scenarios() -> Vec<Scenario> {
    builtin_ids().map(scenario).collect()
}

/// Slider position `k` of assumption `i` (range start plus k steps, clamped to the range end).
fn position(s: &Scenario, i: usize, k: usize) -> f64 {
    let a = &s.assumptions[i];
    (a.range.0 + k as f64 * a.step).min(a.range.1)
}

/// Another slider position than the default: a few steps up, or down when at the top.
fn moved(s: &Scenario, i: usize, steps: usize) -> f64 {
    let a = &s.assumptions[i];
    let k = ((a.default - a.range.0) / a.step).round() as usize;
    let up = position(s, i, k + steps);
    let value = if up != a.default && up <= a.range.1 {
        up
    } else {
        position(s, i, k.saturating_sub(steps))
    };
    assert_ne!(value, a.default, "{}: could not move `{}`", s.id, a.id);
    assert!(a.accepts(value));
    value
}

/// Values with a handful of assumptions moved: one from each group where possible, plus the first
/// and last assumption and one set to each end of its range.
fn changed_values(s: &Scenario) -> (Vec<f64>, Vec<usize>) {
    let mut values = s.defaults();
    let n = s.assumptions.len();
    let mut picked = vec![0, n / 3, n / 2, 2 * n / 3, n - 1];
    picked.sort_unstable();
    picked.dedup();
    for (step, &i) in picked.iter().enumerate() {
        values[i] = moved(s, i, step + 1);
    }
    // Ends of the range, exactly.
    for (i, end) in [(1usize, 0), (n - 2, 1)] {
        let a = &s.assumptions[i];
        let v = if end == 0 { a.range.0 } else { a.range.1 };
        if v != a.default && !picked.contains(&i) {
            values[i] = v;
            picked.push(i);
        }
    }
    (values, picked)
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

fn resolve(s: &Scenario, link: &str) -> ResolvedLink {
    resolve_link(&parse_link(link), s)
}

fn has_note(resolved: &ResolvedLink, key: &str) -> bool {
    resolved
        .notes
        .iter()
        .any(|n| n.key == key && !n.message.trim().is_empty())
}

fn notes(resolved: &ResolvedLink) -> String {
    resolved
        .notes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn changed_assumptions_round_trip_bit_for_bit() {
    for s in all_scenarios() {
        let (values, changed) = changed_values(&s);
        let settings = Settings {
            seed: u64::MAX,
            runs: 1234,
            horizon: 60,
        };
        let fragment = encode_link(&s, &values, settings, &[]);
        // Only the changed assumptions are written.
        let keys: Vec<&str> = fragment
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, _)| k)
            .filter(|k| k.contains('.'))
            .collect();
        assert_eq!(keys.len(), changed.len(), "{}: {fragment}", s.id);
        for &i in &changed {
            assert!(
                keys.contains(&s.assumptions[i].id.as_str()),
                "{}: `{}` not in {fragment}",
                s.id,
                s.assumptions[i].id
            );
        }
        for link in [
            fragment.clone(),
            format!("#{fragment}"),
            format!("https://example.org/alignment-sim/index.html#{fragment}"),
        ] {
            let resolved = resolve(&s, &link);
            assert!(
                resolved.notes.is_empty(),
                "{}: notes for a link we wrote:\n{}",
                s.id,
                notes(&resolved)
            );
            assert!(
                same_bits(&resolved.values, &values),
                "{}: values differ after the round trip",
                s.id
            );
            assert_eq!(resolved.settings, settings, "{}", s.id);
            assert!(resolved.view.is_empty());
        }
    }
}

#[test]
fn every_assumption_at_every_end_round_trips() {
    for s in all_scenarios() {
        for end in [0, 1] {
            let values: Vec<f64> = s
                .assumptions
                .iter()
                .map(|a| if end == 0 { a.range.0 } else { a.range.1 })
                .collect();
            let settings = Settings {
                seed: 0,
                runs: 1,
                horizon: 1,
            };
            let resolved = resolve(&s, &encode_link(&s, &values, settings, &[]));
            assert!(resolved.notes.is_empty(), "{}:\n{}", s.id, notes(&resolved));
            assert!(same_bits(&resolved.values, &values), "{}: range ends", s.id);
            assert_eq!(resolved.settings, settings);
        }
        // Odd slider positions (the sums lo + k·step are rarely short decimals) survive too.
        let values: Vec<f64> = (0..s.assumptions.len()).map(|i| position(&s, i, 7 * i + 3)).collect();
        let resolved = resolve(&s, &encode_link(&s, &values, s.default_settings(), &[]));
        assert!(resolved.notes.is_empty(), "{}:\n{}", s.id, notes(&resolved));
        assert!(same_bits(&resolved.values, &values), "{}: odd positions", s.id);
    }
}

#[test]
fn a_default_state_writes_no_assumptions_and_reads_back_the_defaults() {
    for s in all_scenarios() {
        let fragment = encode_link(&s, &s.defaults(), s.default_settings(), &[]);
        assert!(
            !fragment
                .split('&')
                .any(|p| p.split_once('=').is_some_and(|(k, _)| k.contains('.'))),
            "{fragment}"
        );
        assert!(
            fragment.contains(&format!("s={}", s.id)) && fragment.contains(&format!("sh={}", s.content_hash)),
            "{fragment}"
        );
        let resolved = resolve(&s, &fragment);
        assert!(resolved.notes.is_empty(), "{}", notes(&resolved));
        assert!(same_bits(&resolved.values, &s.defaults()));
        assert_eq!(resolved.settings, s.default_settings());
    }
}

#[test]
fn the_linked_state_gives_the_same_numbers() {
    let s = scenario("sino-russian-drift");
    let (values, _) = changed_values(&s);
    let settings = Settings {
        seed: 77,
        runs: 300,
        horizon: 24,
    };
    let resolved = resolve(&s, &encode_link(&s, &values, settings, &[]));
    assert_eq!(
        Ensemble::run(s.model(&resolved.values), resolved.settings),
        Ensemble::run(s.model(&values), settings)
    );
}

#[test]
fn view_keys_round_trip() {
    for s in all_scenarios() {
        let view: Vec<(String, String)> = [
            ("pair", "RUS-CHN"),
            ("tab", "blocs"),
            ("month", "12"),
            ("note", "a&b=c#d ü+%"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (values, _) = changed_values(&s);
        let fragment = encode_link(&s, &values, s.default_settings(), &view);
        let parsed = parse_link(&fragment);
        assert_eq!(parsed.view, view, "{fragment}");
        let resolved = resolve_link(&parsed, &s);
        assert_eq!(resolved.view, view);
        assert!(resolved.notes.is_empty(), "{}", notes(&resolved));
        assert!(
            same_bits(&resolved.values, &values),
            "view keys do not change the values"
        );
    }
}

/// A valid link with some assumptions changed, and what it resolves to.
fn good_link(s: &Scenario) -> (String, Vec<f64>, Settings) {
    let (values, _) = changed_values(s);
    let settings = Settings {
        seed: 42,
        runs: 777,
        horizon: 30,
    };
    (
        encode_link(s, &values, settings, &[("pair".into(), "USA-RUS".into())]),
        values,
        settings,
    )
}

/// An assumption id the good link does not mention (so adding it does not make a duplicate).
fn untouched(s: &Scenario, values: &[f64]) -> usize {
    (0..s.assumptions.len())
        .find(|&i| values[i] == s.assumptions[i].default && i > 2)
        .expect("an unchanged assumption")
}

#[test]
fn bad_parts_are_ignored_with_a_note_and_the_rest_is_kept() {
    for s in all_scenarios() {
        let (link, values, settings) = good_link(&s);
        let free = untouched(&s, &values);
        let free_id = s.assumptions[free].id.clone();
        let a = &s.assumptions[free];
        let above = a.range.1 + 10.0 * a.step.max(1.0);
        let bad_parts: Vec<(String, String)> = vec![
            // (what to append, key the note must name)
            (format!("{free_id}=abc"), free_id.clone()),
            (format!("{free_id}={above}"), free_id.clone()),
            (format!("{free_id}=NaN"), free_id.clone()),
            (format!("{free_id}=inf"), free_id.clone()),
            (format!("{free_id}="), free_id.clone()),
            (
                "pair.USA-XXX.initial=0.1".to_string(),
                "pair.USA-XXX.initial".to_string(),
            ),
            (
                "event.no-such-event.probability=0.5".to_string(),
                "event.no-such-event.probability".to_string(),
            ),
            ("seed=999".to_string(), "seed".to_string()), // a second seed
            ("s=other-scenario".to_string(), "s".to_string()), // a second scenario id
            ("bogus=1".to_string(), "bogus".to_string()),
            ("justtext".to_string(), "justtext".to_string()),
        ];
        for (extra, key) in &bad_parts {
            for at_front in [false, true] {
                // Place the bad part at the end, or right after `v=1` (so it is read before the rest).
                let tampered = if at_front {
                    link.replacen("v=1&", &format!("v=1&{extra}&"), 1)
                } else {
                    format!("{link}&{extra}")
                };
                let resolved = resolve(&s, &tampered);
                assert!(
                    has_note(&resolved, key),
                    "{}: `{extra}` gave no note on `{key}`:\n{}",
                    s.id,
                    notes(&resolved)
                );
                assert!(
                    same_bits(&resolved.values, &values),
                    "{}: `{extra}` changed the valid values",
                    s.id
                );
                if key != "seed" || !at_front {
                    assert_eq!(resolved.settings, settings, "{}: `{extra}` changed the settings", s.id);
                }
                assert_eq!(resolved.view, vec![("pair".to_string(), "USA-RUS".to_string())]);
            }
        }
        // A duplicate seed placed before the original wins (the first is used); the original is noted.
        let resolved = resolve(&s, &link.replacen("v=1&", "v=1&seed=999&", 1));
        assert_eq!(resolved.settings.seed, 999);
        assert!(has_note(&resolved, "seed"));
    }
}

#[test]
fn bad_settings_fall_back_to_the_scenario_defaults_with_a_note() {
    for s in all_scenarios() {
        let (link, values, settings) = good_link(&s);
        let defaults = s.default_settings();
        for (from, to, key) in [
            ("&seed=42", "&seed=-1", "seed"),
            ("&seed=42", "&seed=4.5", "seed"),
            ("&seed=42", "&seed=99999999999999999999999", "seed"),
            ("&runs=777", "&runs=0", "runs"),
            ("&runs=777", "&runs=100001", "runs"),
            ("&runs=777", "&runs=many", "runs"),
            ("&h=30&", "&h=241&", "h"),
            ("&h=30&", "&h=0&", "h"),
            ("&h=30&", "&h=-3&", "h"),
        ] {
            assert!(link.contains(from), "{link}");
            let resolved = resolve(&s, &link.replacen(from, to, 1));
            assert!(
                has_note(&resolved, key),
                "{}: `{to}` gave no note:\n{}",
                s.id,
                notes(&resolved)
            );
            assert_eq!(resolved.notes.len(), 1, "{}: `{to}`:\n{}", s.id, notes(&resolved));
            let want = match key {
                "seed" => Settings {
                    seed: defaults.seed,
                    ..settings
                },
                "runs" => Settings {
                    runs: defaults.runs,
                    ..settings
                },
                _ => Settings {
                    horizon: defaults.horizon,
                    ..settings
                },
            };
            assert_eq!(resolved.settings, want, "{}: `{to}`", s.id);
            assert!(same_bits(&resolved.values, &values));
        }
    }
}

#[test]
fn future_missing_and_bad_versions_are_noted_and_the_rest_is_read() {
    for s in all_scenarios() {
        let (link, values, settings) = good_link(&s);
        for (to, expect_note) in [
            ("v=2", true),
            ("v=999", true),
            ("v=0", true),
            ("v=x", true),
            ("", true),
            ("v=1", false),
        ] {
            let tampered = link.replacen("v=1", to, 1);
            let resolved = resolve(&s, &tampered);
            assert_eq!(
                has_note(&resolved, "v"),
                expect_note,
                "{}: `{to}`:\n{}",
                s.id,
                notes(&resolved)
            );
            // Only the version is noted (a bad version may say both "not a number" and "no version").
            assert!(
                resolved.notes.iter().all(|n| n.key == "v"),
                "{}: `{to}`:\n{}",
                s.id,
                notes(&resolved)
            );
            assert!(same_bits(&resolved.values, &values), "{}: `{to}`", s.id);
            assert_eq!(resolved.settings, settings);
        }
        let future = resolve(&s, &link.replacen("v=1", "v=2", 1));
        assert!(future.notes[0].message.contains("newer"), "{}", notes(&future));
    }
}

#[test]
fn a_changed_content_hash_is_noted_and_the_values_still_apply() {
    for s in all_scenarios() {
        let (link, values, settings) = good_link(&s);
        let other = if s.content_hash == "00000000" {
            "00000001"
        } else {
            "00000000"
        };
        let tampered = link.replacen(&format!("sh={}", s.content_hash), &format!("sh={other}"), 1);
        assert_ne!(tampered, link);
        let resolved = resolve(&s, &tampered);
        assert!(has_note(&resolved, "sh"), "{}", notes(&resolved));
        assert_eq!(resolved.notes.len(), 1, "{}", notes(&resolved));
        assert!(resolved.notes[0].message.contains("changed"), "{}", notes(&resolved));
        assert!(same_bits(&resolved.values, &values));
        assert_eq!(resolved.settings, settings);
        // Without sh= there is nothing to compare and nothing to say.
        let without = link.replacen(&format!("&sh={}", s.content_hash), "", 1);
        assert!(resolve(&s, &without).notes.is_empty());
    }
    // The hash follows the text: a one-character edit changes it.
    let (id, text) = alignment_sim::scenario::BUILTIN_FILES[0];
    let edited =
        alignment_sim::scenario::parse_scenario("edited.toml", &text.replacen("seed = 1", "seed = 2", 1)).unwrap();
    assert_ne!(edited.content_hash, scenario(id).content_hash);
}

#[test]
fn a_link_names_its_engine_and_another_engines_link_says_its_numbers_differ() {
    let s = scenario("sino-russian-drift");
    let (link, values, settings) = good_link(&s);
    let written = format!("e={ENGINE_VERSION}");
    assert!(link.split('&').any(|part| part == written), "{link}");
    assert!(resolve(&s, &link).notes.is_empty(), "{}", notes(&resolve(&s, &link)));
    let with_engine = |engine: &str| link.replacen(&written, engine, 1);
    let without = |part: &str| link.replacen(part, "", 1);
    // (link, the one note's text, or None for no note)
    let cases = [
        (
            with_engine(&format!("e={}", ENGINE_VERSION - 1)),
            Some(format!("made by engine version {};", ENGINE_VERSION - 1)),
        ),
        (
            with_engine(&format!("e={}", ENGINE_VERSION + 1)),
            Some("newer than this one".to_string()),
        ),
        (
            with_engine("e=banana"),
            Some("`banana` is not an engine version".to_string()),
        ),
        (with_engine("e=0"), Some("`0` is not an engine version".to_string())),
        // As the page wrote links before engines were named: `sh` and no `e`.
        (
            without(&format!("&{written}")),
            Some("from before 3 December 2026, when the engine was version 1;".to_string()),
        ),
        // Written by hand (no `sh`): no engine made numbers for it.
        (
            without(&format!("&{written}")).replacen(&format!("&sh={}", s.content_hash), "", 1),
            None,
        ),
    ];
    for (case, want) in cases {
        assert_ne!(case, link);
        let resolved = resolve(&s, &case);
        match &want {
            Some(text) => {
                assert_eq!(resolved.notes.len(), 1, "{case}: {}", notes(&resolved));
                assert_eq!(resolved.notes[0].key, "e");
                assert!(
                    resolved.notes[0].message.contains(text.as_str()),
                    "{case}: {}",
                    notes(&resolved)
                );
            }
            None => assert!(resolved.notes.is_empty(), "{case}: {}", notes(&resolved)),
        }
        // The engine changes no value and no setting, only what the note says about them.
        assert!(same_bits(&resolved.values, &values), "{case}");
        assert_eq!(resolved.settings, settings, "{case}");
    }
}

#[test]
fn garbage_and_badly_escaped_links_never_lose_the_valid_parts() {
    let s = scenario("us-russia-rapprochement");
    let (link, values, settings) = good_link(&s);
    for garbage in ["%", "%zz=1", "a%FF=1", "=", "==", "&&&", "x=%E2%82", "%%%garbage%%%"] {
        let tampered = format!("{link}&{garbage}");
        let resolved = resolve(&s, &tampered);
        assert!(same_bits(&resolved.values, &values), "`{garbage}`");
        assert_eq!(resolved.settings, settings, "`{garbage}`");
        if garbage != "&&&" {
            assert!(!resolved.notes.is_empty(), "`{garbage}` was ignored without a note");
        }
    }
    // A link over the size limit is not read at all, and says so.
    let huge = format!("{link}&view.pad={}", "x".repeat(MAX_LINK_CHARS));
    let resolved = resolve(&s, &huge);
    assert_eq!(resolved.notes.len(), 1);
    assert!(same_bits(&resolved.values, &s.defaults()));
    assert_eq!(resolved.settings, s.default_settings());
    // Empty links: defaults, and nothing to complain about.
    for empty in ["", "#", "https://example.org/"] {
        let resolved = resolve(&s, empty);
        assert!(same_bits(&resolved.values, &s.defaults()), "`{empty}`");
        assert_eq!(resolved.settings, s.default_settings());
    }
    assert_eq!(fragment_of("https://example.org/#v=1&s=x"), "v=1&s=x");
}

#[test]
fn snapping_a_default_gives_the_default_and_no_link_key() {
    for s in all_scenarios() {
        let snapped: Vec<f64> = s.assumptions.iter().map(|a| a.snap(a.default)).collect();
        let off: Vec<String> = s
            .assumptions
            .iter()
            .zip(&snapped)
            .filter(|(a, v)| v.to_bits() != a.default.to_bits())
            .map(|(a, v)| format!("{}: {} → {v}", a.id, a.default))
            .collect();
        assert!(
            off.is_empty(),
            "{}: snap moves {} defaults, e.g. {:?}",
            s.id,
            off.len(),
            &off[..off.len().min(3)]
        );
        let fragment = encode_link(&s, &snapped, s.default_settings(), &[]);
        assert!(
            !fragment
                .split('&')
                .any(|p| p.split_once('=').is_some_and(|(k, _)| k.contains('.'))),
            "{fragment}"
        );
    }
}

// ---- Scenarios carried in the link (a file the user loaded) -------------------------------------

const FIXTURE: &str = include_str!("fixtures/minimal.toml");

#[test]
fn a_carried_scenario_round_trips_with_its_values() {
    use alignment_sim::link::{encode_link_carrying, linked_scenario, LinkedScenario};
    let s = alignment_sim::scenario::parse_scenario("minimal.toml", FIXTURE).unwrap();
    let (values, changed) = changed_values(&s);
    let settings = Settings {
        seed: 5,
        runs: 321,
        horizon: 18,
    };
    let view = vec![("pair".to_string(), "AAA-CCC".to_string())];
    let link = format!(
        "https://example.org/#{}",
        encode_link_carrying(&s, FIXTURE, &values, settings, &view)
    );
    let parsed = parse_link(&link);
    let LinkedScenario::Carried(carried, text) = linked_scenario(&parsed) else {
        panic!("not carried: {link}")
    };
    assert_eq!(text, FIXTURE, "the file comes back byte for byte");
    assert_eq!(carried, s);
    let resolved = resolve_link(&parsed, &carried);
    assert!(resolved.notes.is_empty(), "{}", notes(&resolved));
    assert!(same_bits(&resolved.values, &values), "{changed:?}");
    assert_eq!(resolved.settings, settings);
    assert_eq!(resolved.view, view);
    // A built-in id in the same link does not replace the carried file.
    let both = link.replacen("s=test-minimal", "s=sino-russian-drift", 1);
    assert!(matches!(
        linked_scenario(&parse_link(&both)),
        LinkedScenario::Carried(..)
    ));
}

#[test]
fn a_damaged_or_oversized_carried_scenario_is_refused_with_a_note() {
    use alignment_sim::link::{encode_link_carrying, encode_scenario_text, linked_scenario, LinkedScenario};
    let s = alignment_sim::scenario::parse_scenario("minimal.toml", FIXTURE).unwrap();
    let link = encode_link_carrying(&s, FIXTURE, &s.defaults(), s.default_settings(), &[]);
    let at = link.find("&c=").unwrap() + 3;
    let payload = &link[at..];
    let bomb = encode_scenario_text(&"#".repeat(8 * 1024 * 1024));
    let broken_file = encode_scenario_text(&FIXTURE.replacen("horizon = 24", "horizon = 999", 1));
    for (what, c) in [
        ("truncated", payload[..payload.len() / 2].to_string()),
        ("not base64url", format!("{}!{}", &payload[..10], &payload[11..])),
        ("corrupted", format!("{}A{}", &payload[..20], &payload[21..])),
        ("empty", String::new()),
        ("decompression bomb", bomb),
        ("a file that does not validate", broken_file),
    ] {
        let started = std::time::Instant::now();
        match linked_scenario(&parse_link(&format!("{}{c}", &link[..at]))) {
            LinkedScenario::Unusable(note) => {
                assert_eq!(note.key, "c", "{what}");
                assert!(!note.message.trim().is_empty(), "{what}");
                if what == "decompression bomb" {
                    assert!(note.message.contains("larger"), "{what}: {}", note.message);
                }
                if what == "a file that does not validate" {
                    assert!(note.message.contains("horizon"), "{what}: {}", note.message);
                }
            }
            // A corrupted payload may, rarely, still inflate to a valid file; it must then be one.
            LinkedScenario::Carried(carried, text) if what == "corrupted" => {
                assert_eq!(
                    alignment_sim::scenario::parse_scenario("x", &text)
                        .unwrap()
                        .content_hash,
                    carried.content_hash
                )
            }
            other => panic!("{what}: {other:?}"),
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{what}: {:?}",
            started.elapsed()
        );
    }
}

/// Links as version 1 of the page wrote them (and a version-less one). Later versions must keep
/// opening them with these values: a decoder per version, and these literals as its contract.
#[test]
fn old_links_keep_their_meaning() {
    use alignment_sim::link::{linked_scenario, parse_link, resolve_link, LinkedScenario};
    /// (link, scenario, seed, runs, horizon, the assumption values it sets)
    type OldLink<'a> = (&'a str, &'a str, u64, usize, usize, &'a [(&'a str, f64)]);
    let cases: [OldLink; 3] = [
        (
            "v=1&s=sino-russian-drift&sh=00000000&seed=7&runs=500&h=24&model.balance=0.03&view.pair=RUS-CHN",
            "sino-russian-drift",
            7,
            500,
            24,
            &[("model.balance", 0.03)],
        ),
        (
            "s=us-russia-rapprochement&seed=12&model.balance=0.01",
            "us-russia-rapprochement",
            12,
            2000,
            36,
            &[("model.balance", 0.01)],
        ),
        (
            "v=1&s=russia-dprk-alignment&seed=2&runs=1000&h=12&model.half_life=12&model.volatility=0.1",
            "russia-dprk-alignment",
            2,
            1000,
            12,
            &[("model.half_life", 12.0), ("model.volatility", 0.1)],
        ),
    ];
    for (fragment, id, seed, runs, horizon, values) in cases {
        let link = parse_link(fragment);
        let LinkedScenario::Builtin(scenario) = linked_scenario(&link) else {
            panic!("{fragment}: scenario")
        };
        assert_eq!(scenario.id, id);
        let resolved = resolve_link(&link, &scenario);
        assert_eq!(
            (
                resolved.settings.seed,
                resolved.settings.runs,
                resolved.settings.horizon
            ),
            (seed, runs, horizon),
            "{fragment}"
        );
        for (assumption, value) in values {
            let index = scenario.assumption_index(assumption).unwrap();
            assert_eq!(resolved.values[index], *value, "{fragment}: {assumption}");
        }
        // Everything else stays at the defaults, and only the expected notes appear.
        let changed = resolved
            .values
            .iter()
            .zip(scenario.defaults())
            .filter(|(v, d)| **v != *d)
            .count();
        assert!(changed <= values.len(), "{fragment}");
        assert!(
            resolved
                .notes
                .iter()
                .all(|n| ["v", "sh", "e"].contains(&n.key.as_str())),
            "{fragment}: {:?}",
            resolved.notes
        );
        // The page wrote `sh` into every link before engines were named (3 December 2026), so such
        // a link's numbers were engine 1's, and the reader says these are another engine's; a
        // link written by hand (no `sh`) had no numbers to differ from.
        let engine_notes: Vec<_> = resolved.notes.iter().filter(|n| n.key == "e").collect();
        if fragment.contains("&sh=") {
            assert_eq!(engine_notes.len(), 1, "{fragment}: {:?}", resolved.notes);
            assert!(
                engine_notes[0].message.contains("when the engine was version 1;"),
                "{}",
                engine_notes[0]
            );
        } else {
            assert!(engine_notes.is_empty(), "{fragment}: {engine_notes:?}");
        }
    }
}
