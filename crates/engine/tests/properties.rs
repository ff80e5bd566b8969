//! Properties of the model of DESIGN.md §3, checked on the engine alone. (The properties that
//! need a scenario file, such as batch-size independence on the minimal fixture, are in the root
//! package's `tests/engine_on_a_file.rs`.)

use alignment_engine::{
    frustration, pair_index, pair_list, Comparison, Effect, Ensemble, Event, Join, Model, Outcome, Reference, Settings,
    Test, When,
};

/// A model with no events and no balance pressure: independent OU processes.
fn plain_model(n: usize, initial: f64, baseline: f64, sigma: f64, half_life: f64) -> Model {
    let pairs = n * (n - 1) / 2;
    Model {
        weights: vec![1.0; n],
        initial: vec![initial; pairs],
        baseline: vec![baseline; pairs],
        volatility: vec![sigma; pairs],
        half_life,
        balance: 0.0,
        events: vec![],
        outcomes: vec![],
    }
}

#[test]
fn a_balance_far_beyond_the_sliders_keeps_alignments_strictly_inside() {
    // Even a balance strength far beyond the sliders keeps a strictly inside (−1, 1).
    let mut extreme = plain_model(4, 0.5, 0.5, 0.1, 1000.0);
    extreme.balance = 50.0;
    let mut e = Ensemble::new(
        extreme,
        Settings {
            seed: 1,
            runs: 50,
            horizon: 24,
        },
    );
    while !e.advance(50).is_done() {}
    assert!(e.latent().iter().all(|z| z.tanh().abs() < 1.0));
}

#[test]
fn relabelling_actors_does_not_change_a_deterministic_run() {
    // Without noise the model is deterministic; the balance term must treat i and j alike, so
    // permuting the actors permutes the pairs and nothing else.
    let n = 4;
    let mut model = plain_model(n, 0.0, 0.1, 0.0, 24.0);
    model.balance = 0.08;
    model.weights = vec![1.0, 0.6, 0.8, 0.3];
    let start = [0.5, -0.4, 0.2, 0.3, -0.6, 0.1];
    model.initial = start.to_vec();
    let permutation = [2, 0, 3, 1]; // actor i becomes actor permutation[i]
    let mut permuted = model.clone();
    for (i, &moved_to) in permutation.iter().enumerate() {
        permuted.weights[moved_to] = model.weights[i];
    }
    for (i, j) in pair_list(n) {
        permuted.initial[pair_index(n, permutation[i], permutation[j])] = model.initial[pair_index(n, i, j)];
    }
    let settings = Settings {
        seed: 1,
        runs: 1,
        horizon: 30,
    };
    let a = Ensemble::run(model, settings);
    let b = Ensemble::run(permuted, settings);
    for (i, j) in pair_list(n) {
        let x = &a.pairs[pair_index(n, i, j)].mean;
        let y = &b.pairs[pair_index(n, permutation[i], permutation[j])].mean;
        for (u, v) in x.iter().zip(y) {
            assert!((u - v).abs() < 1e-12, "pair ({i},{j}): {u} vs {v}");
        }
    }
}

#[test]
fn without_balance_or_events_latent_scores_follow_the_ou_formulas() {
    // z_t ~ N(m + (z0 − m) e^(−θt), σ²(1 − e^(−2θt)) / (2θ)).
    let (a0, mu, sigma, half_life) = (0.6, -0.2, 0.15, 9.0);
    let runs = 40_000;
    for horizon in [1usize, 6, 24] {
        let mut e = Ensemble::new(
            plain_model(3, a0, mu, sigma, half_life),
            Settings { seed: 9, runs, horizon },
        );
        e.finish();
        let theta = std::f64::consts::LN_2 / half_life;
        let (z0, m) = (f64::atanh(a0), f64::atanh(mu));
        let t = horizon as f64;
        let want_mean = m + (z0 - m) * (-theta * t).exp();
        let want_var = sigma * sigma * (1.0 - (-2.0 * theta * t).exp()) / (2.0 * theta);
        for pair in 0..3 {
            let z: Vec<f64> = e.latent().chunks(3).map(|row| row[pair]).collect();
            let mean = z.iter().sum::<f64>() / runs as f64;
            let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (runs - 1) as f64;
            let se_mean = (want_var / runs as f64).sqrt();
            let se_var = want_var * (2.0 / (runs - 1) as f64).sqrt();
            assert!(
                (mean - want_mean).abs() < 4.0 * se_mean,
                "t={horizon}: mean {mean} vs {want_mean}"
            );
            assert!(
                (var - want_var).abs() < 4.0 * se_var,
                "t={horizon}: variance {var} vs {want_var}"
            );
        }
    }
}

#[test]
fn the_reported_quantiles_and_means_follow_the_ou_distribution_for_each_pair_volatility() {
    // Without balance or events z_t is normal (formulas above), so the quantile at level q of
    // a_t = tanh z_t is tanh(mean + sd·Φ⁻¹(q)), and its sample estimate over N runs has standard
    // error sqrt(q(1 − q)/N) / density. Each pair has its own σ (0.1, 0.2, 0.3): a noise scale off by
    // 10 % moves the 5 % and 95 % quantiles by about 15 standard errors.
    let (a0, mu, half_life, horizon, runs) = (0.3, -0.1, 6.0, 18usize, 40_000);
    let sigmas = [0.1, 0.2, 0.3];
    let mut model = plain_model(3, a0, mu, 0.0, half_life);
    model.volatility = sigmas.to_vec();
    let summary = Ensemble::run(
        model,
        Settings {
            seed: 31,
            runs,
            horizon,
        },
    );
    let theta = std::f64::consts::LN_2 / half_life;
    let t = horizon as f64;
    let (z0, m) = (f64::atanh(a0), f64::atanh(mu));
    let centre = m + (z0 - m) * (-theta * t).exp();
    // Φ⁻¹ at 5/25/50/75/95 %.
    let normal_quantiles = [
        -1.6448536269514722,
        -0.6744897501960817,
        0.0,
        0.6744897501960817,
        1.6448536269514722,
    ];
    for (pair, sigma) in sigmas.iter().enumerate() {
        let sd = sigma * ((1.0 - (-2.0 * theta * t).exp()) / (2.0 * theta)).sqrt();
        let got = summary.pairs[pair].quantiles[horizon];
        for ((level, x), got) in alignment_engine::QUANTILE_LEVELS.iter().zip(normal_quantiles).zip(got) {
            let z = centre + sd * x;
            let want = z.tanh();
            // Density of a = tanh z at that point: φ(x) / (sd · (1 − a²)).
            let density = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() / (sd * (1.0 - want * want));
            let se = (level * (1.0 - level) / runs as f64).sqrt() / density;
            assert!(
                (got - want).abs() < 5.0 * se,
                "σ = {sigma}, q{level}: {got} vs {want} (se {se})"
            );
        }
        // The mean of a: E tanh z by numerical integration over the normal density.
        let steps = 4000;
        let want_mean: f64 = (0..steps)
            .map(|k| {
                let x = -8.0 + 16.0 * (k as f64 + 0.5) / steps as f64;
                (centre + sd * x).tanh() * (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() * 16.0
                    / steps as f64
            })
            .sum();
        let se = sd / (runs as f64).sqrt(); // the spread of a is below that of z
        let got = summary.pairs[pair].mean[horizon];
        assert!(
            (got - want_mean).abs() < 5.0 * se,
            "σ = {sigma}: mean {got} vs {want_mean}"
        );
    }
}

#[test]
fn an_event_with_yearly_probability_p_has_fired_by_month_12_in_about_p_of_runs() {
    for p in [0.1, 0.5, 0.9] {
        let mut model = plain_model(3, 0.0, 0.0, 0.05, 12.0);
        model.events.push(Event {
            per_year: p,
            window: (1, u32::MAX),
            repeatable: false,
            conditions: vec![],
            after: vec![],
            unless: vec![],
            certain_month: None,
            effects: vec![Effect {
                pair: 0,
                jump: 0.1,
                shift: 0.0,
            }],
        });
        let runs = 20_000;
        let summary = Ensemble::run(
            model,
            Settings {
                seed: 3,
                runs,
                horizon: 24,
            },
        );
        let by_12 = summary.events[0].cumulative[12];
        let se = (p * (1.0 - p) / runs as f64).sqrt();
        assert!((by_12 - p).abs() < 4.0 * se, "P = {p}: fired by month 12 in {by_12}");
        // And by month 24 in 1 − (1 − p)².
        let by_24 = summary.events[0].cumulative[24];
        let want = 1.0 - (1.0 - p) * (1.0 - p);
        assert!((by_24 - want).abs() < 4.0 * (want * (1.0 - want) / runs as f64).sqrt() + 1e-12);
    }
}

#[test]
fn windows_conditions_and_repeats_are_respected() {
    let mut model = plain_model(3, 0.0, 0.0, 0.0, 12.0);
    model.events.push(Event {
        // A rate so high that the monthly hazard 1 − e^(−λ/12) is 1 in floating point.
        per_year: 1e6,
        window: (5, 7),
        repeatable: true,
        conditions: vec![],
        after: vec![],
        unless: vec![],
        certain_month: None,
        effects: vec![Effect {
            pair: 0,
            jump: 0.01,
            shift: 0.0,
        }],
    });
    // Never eligible: the condition asks for a(pair 1) > 0.5 and pair 1 stays at 0.
    model.events.push(Event {
        per_year: 1.0,
        window: (1, u32::MAX),
        repeatable: false,
        conditions: vec![alignment_engine::Condition {
            pair: 1,
            comparison: Comparison::Above,
            threshold: 0.5,
        }],
        after: vec![],
        unless: vec![],
        certain_month: None,
        effects: vec![Effect {
            pair: 1,
            jump: 0.5,
            shift: 0.0,
        }],
    });
    let summary = Ensemble::run(
        model,
        Settings {
            seed: 1,
            runs: 100,
            horizon: 12,
        },
    );
    let first = &summary.events[0];
    assert_eq!(first.cumulative[4], 0.0);
    assert_eq!(first.cumulative[5], 1.0);
    assert_eq!(first.mean_firings, 3.0, "fires in months 5, 6, 7 with hazard 1");
    assert_eq!(summary.events[1].fired.probability, 0.0);
}

#[test]
fn a_baseline_shift_moves_the_long_run_level() {
    let mut model = plain_model(3, 0.0, 0.0, 0.0, 3.0);
    model.events.push(Event {
        per_year: 1.0,
        window: (1, 1),
        repeatable: false,
        conditions: vec![],
        after: vec![],
        unless: vec![],
        certain_month: None,
        effects: vec![Effect {
            pair: 2,
            jump: 0.0,
            shift: 0.5,
        }],
    });
    let summary = Ensemble::run(
        model,
        Settings {
            seed: 1,
            runs: 10,
            horizon: 60,
        },
    );
    let end = summary.pairs[2].mean[60];
    assert!(
        (end - 0.5).abs() < 1e-6,
        "pair reverted to the shifted baseline 0.5, got {end}"
    );
    assert!(summary.pairs[0].mean[60].abs() < 1e-12);
}

#[test]
fn strong_balance_from_a_random_four_actor_start_ends_in_two_balanced_blocs() {
    // Random initial alignments, neutral baselines, slow reversion, strong balance pressure.
    let n = 4;
    let mut state = 2024u64;
    let mut uniform = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut two_blocs, mut with_a_majority) = (0, 0);
    let starts = 20;
    for _ in 0..starts {
        let mut model = plain_model(n, 0.0, 0.0, 0.02, 120.0);
        model.initial = (0..6).map(|_| 1.6 * uniform() - 0.8).collect();
        model.balance = 0.3;
        model.outcomes = vec![];
        let summary = Ensemble::run(
            model.clone(),
            Settings {
                seed: 1,
                runs: 200,
                horizon: 120,
            },
        );
        assert!(
            summary
                .frustration
                .as_ref()
                .expect("a full ensemble reports frustration")
                .quantiles[4]
                < 0.02,
            "frustration at the end: {:?}",
            summary.frustration
        );
        // Most starts end in one split in most runs. A start near the boundary between two basins
        // ends in either, the noise tipping each run (one start here ends 49 % / 48 %, so a
        // majority cannot be asked of every start: whether it has one depends on the draws).
        // The signs are read from the medians, which show the split only where it is a majority.
        let top = &summary.blocs[0];
        if top.share.probability <= 0.5 {
            continue;
        }
        with_a_majority += 1;
        if top.mask != 0 {
            two_blocs += 1;
            // The split found is the one the signs show: friends inside, enemies across.
            let median: Vec<f64> = summary.pairs.iter().map(|b| b.quantiles[120][2]).collect();
            for (i, j) in pair_list(n) {
                let same_side = ((top.mask >> i) & 1) == ((top.mask >> j) & 1);
                assert_eq!(median[pair_index(n, i, j)] > 0.0, same_side);
            }
        }
        assert!(
            frustration(
                n,
                &summary.pairs.iter().map(|b| b.quantiles[120][2]).collect::<Vec<_>>()
            ) < 0.02
        );
    }
    assert!(
        with_a_majority >= 3 * starts / 4,
        "most starts end in one split in most runs ({with_a_majority}/{starts})"
    );
    assert!(
        two_blocs >= starts / 2,
        "most random starts split into two camps ({two_blocs}/{starts})"
    );
}

#[test]
fn outcome_kinds_count_the_right_runs() {
    let mut model = plain_model(3, 0.2, 0.2, 0.0, 12.0);
    model.initial = vec![0.2, -0.1, 0.4];
    model.baseline = model.initial.clone();
    let level = Reference::Level;
    let test = |pair, comparison, reference| Test {
        pair,
        comparison,
        reference,
    };
    let (above, below) = (Comparison::Above, Comparison::Below);
    model.outcomes = vec![
        Outcome::single(0, above, level(0.1), When::Horizon),
        Outcome::single(0, above, Reference::Pair(2), When::AnyMonth),
        Outcome::single(1, below, level(0.0), When::EveryMonth),
        // Joined tests, by hand on the fixed alignments 0.2, −0.1, 0.4: true and true; false and
        // true; false or true; false or false.
        Outcome {
            tests: vec![test(0, above, level(0.1)), test(1, below, level(0.0))],
            join: Join::All,
            when: When::Horizon,
        },
        Outcome {
            tests: vec![test(0, above, level(0.3)), test(1, below, level(0.0))],
            join: Join::All,
            when: When::EveryMonth,
        },
        Outcome {
            tests: vec![test(0, above, level(0.3)), test(1, below, level(0.0))],
            join: Join::Any,
            when: When::EveryMonth,
        },
        Outcome {
            tests: vec![test(0, above, level(0.3)), test(2, below, level(0.0))],
            join: Join::Any,
            when: When::AnyMonth,
        },
    ];
    let summary = Ensemble::run(
        model,
        Settings {
            seed: 1,
            runs: 10,
            horizon: 12,
        },
    );
    let p: Vec<f64> = summary.outcomes.iter().map(|o| o.probability).collect();
    assert_eq!(p, vec![1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0]);
}

/// An event with nothing but a chance per year, pushed onto `model`; returns its index.
fn push_event(model: &mut Model, per_year: f64, repeatable: bool) -> usize {
    model.events.push(Event {
        per_year,
        window: (1, u32::MAX),
        repeatable,
        conditions: vec![],
        after: vec![],
        unless: vec![],
        certain_month: None,
        effects: vec![Effect {
            pair: 0,
            jump: 0.0,
            shift: 0.0,
        }],
    });
    model.events.len() - 1
}

#[test]
fn a_repeatable_events_rate_is_a_yearly_poisson_rate_not_a_probability() {
    // λ firings a year, at most one a month: monthly hazard h = 1 − e^(−λ/12). Over 12 months the
    // chance of no firing is (1 − h)^12 = e^(−λ), and the mean number of firings is 12 h.
    for rate in [1.0, 12.0] {
        let mut model = plain_model(3, 0.0, 0.0, 0.0, 12.0);
        push_event(&mut model, rate, true);
        let runs = 20_000;
        let summary = Ensemble::run(
            model,
            Settings {
                seed: 5,
                runs,
                horizon: 12,
            },
        );
        let h = 1.0 - (-rate / 12.0_f64).exp();
        let fired = summary.events[0].fired.probability;
        let want = 1.0 - (-rate).exp();
        let se = (want * (1.0 - want) / runs as f64).sqrt().max(1.0 / runs as f64);
        assert!(
            (fired - want).abs() < 4.0 * se,
            "λ = {rate}: fired in {fired}, want {want}"
        );
        let mean = summary.events[0].mean_firings;
        let (want_mean, sd) = (12.0 * h, (12.0 * h * (1.0 - h)).sqrt());
        assert!(
            (mean - want_mean).abs() < 4.0 * sd / (runs as f64).sqrt(),
            "λ = {rate}: {mean} firings, want {want_mean}"
        );
    }
    // Twelve a year is not "every month": about 7.6 of 12 months.
    assert!(12.0 * (1.0 - (-1.0_f64).exp()) < 7.6);
}

#[test]
fn events_wait_for_and_are_ruled_out_by_other_events() {
    let mut model = plain_model(3, 0.0, 0.0, 0.0, 12.0);
    // `dated` fires in month 3 in every run; the others have hazard 1 whenever eligible.
    let dated = push_event(&mut model, 0.0, false);
    model.events[dated].certain_month = Some(3);
    // `second` waits for `first`, which comes later in the file and waits for `dated`.
    let (second, first) = (dated + 1, dated + 2);
    push_event(&mut model, 1.0, false);
    model.events[second].after = vec![first];
    push_event(&mut model, 1.0, false);
    model.events[first].after = vec![dated];
    let ruled_out = push_event(&mut model, 1.0, false);
    model.events[ruled_out].unless = vec![dated];
    model.events[ruled_out].window = (4, u32::MAX);
    let before = push_event(&mut model, 1.0, false);
    model.events[before].unless = vec![dated];
    let summary = Ensemble::run(
        model,
        Settings {
            seed: 2,
            runs: 50,
            horizon: 12,
        },
    );
    let first_month = |e: usize| {
        let stats = &summary.events[e];
        (0..=12).find(|&m| stats.cumulative[m] == 1.0)
    };
    // By hand: `dated` in 3; `first` in 4 (it needs a firing in an *earlier* month); `second` in
    // 5; `before` in 1 (nothing had fired yet); `ruled_out` opens in 4, after 3: never.
    assert_eq!(first_month(dated), Some(3));
    assert_eq!(first_month(first), Some(4));
    assert_eq!(first_month(second), Some(5));
    assert_eq!(first_month(before), Some(1));
    assert_eq!(summary.events[ruled_out].fired.probability, 0.0);
    assert_eq!(summary.events[dated].cumulative[2], 0.0);
}

#[test]
fn a_certain_month_fires_then_whatever_the_window_conditions_and_chance() {
    let mut model = plain_model(3, 0.0, 0.0, 0.0, 12.0);
    let once = push_event(&mut model, 1.0, false);
    model.events[once].certain_month = Some(6);
    model.events[once].window = (1, 2);
    model.events[once].conditions = vec![alignment_engine::Condition {
        pair: 1,
        comparison: Comparison::Above,
        threshold: 0.9,
    }];
    // A repeatable event keeps its chance in the other months.
    let repeated = push_event(&mut model, 1e6, true);
    model.events[repeated].certain_month = Some(6);
    model.events[repeated].window = (10, 11);
    let summary = Ensemble::run(
        model,
        Settings {
            seed: 9,
            runs: 40,
            horizon: 12,
        },
    );
    let once_stats = &summary.events[once];
    assert_eq!(
        once_stats.cumulative[5], 0.0,
        "not in its window's months 1–2: P = 1 but certain in 6 only"
    );
    assert_eq!(once_stats.cumulative[6], 1.0);
    assert_eq!(once_stats.mean_firings, 1.0);
    assert_eq!(summary.events[repeated].mean_firings, 3.0, "month 6, then 10 and 11");
}

#[test]
fn the_path_without_noise_or_events_is_the_ou_mean_when_there_is_no_balance_term() {
    // β = 0, σ > 0, an event that would jump: the drift path ignores noise and events, and in
    // latent space decays to the baseline as m + (z0 − m)·e^(−θt), θ = ln 2 / half-life.
    let mut model = plain_model(3, 0.0, 0.0, 0.2, 9.0);
    model.initial = vec![0.6, -0.4, 0.1];
    model.baseline = vec![-0.2, 0.3, 0.1];
    push_event(&mut model, 1.0, false);
    model.events[0].effects[0].jump = 0.5;
    let path = Ensemble::drift_path(&model, 24);
    let theta = std::f64::consts::LN_2 / 9.0;
    for (p, pair_path) in path.iter().enumerate() {
        let (z0, m) = (model.initial[p].atanh(), model.baseline[p].atanh());
        for (t, a) in pair_path.iter().enumerate() {
            let want = (m + (z0 - m) * (-theta * t as f64).exp()).tanh();
            assert!(
                (a - want).abs() < 2e-6,
                "pair {p}, month {t}: {a} vs {want} (single-precision state)"
            );
        }
    }
    // With β > 0 the path leaves the baseline toward the camp the other pairs imply: a pair at
    // its baseline (0.1) whose two partners are positive with each other is pushed up.
    model.balance = 0.1;
    model.initial = vec![0.5, 0.1, 0.5];
    model.baseline = model.initial.clone();
    let path = Ensemble::drift_path(&model, 24);
    assert!(path[1][24] > 0.1 + 0.01, "{}", path[1][24]);
}
