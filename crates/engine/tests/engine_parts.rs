//! Parts of the engine rewritten for speed (`src/engine/tape.rs`, `ensemble.rs`, `params.rs`, …)
//! against answers worked out by hand: the random tape's size limit and what it fits, and small
//! deterministic runs whose every number is written out in the comments.
//!
//! Written to kill the mutants cargo-mutants makes of those files (README §8 "Mutation testing");
//! every expected value is arithmetic in the comments, not output of the code.

use std::sync::Arc;

use alignment_engine::{
    Comparison, Condition, Effect, Ensemble, Event, Join, Model, Outcome, Progress, RandomTape, Reference, Settings,
    Summary, Test, When, MAX_TAPE_BYTES,
};

/// Floating-point slack: the engine's state is single precision (a relative rounding of 6e-8 per
/// operation, its tanh within 2.5e-7 of libm's); a wrong formula is off by far more.
fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 2e-6, "{what}: got {got}, want {want}");
}

/// Three actors (three pairs) and `events` events that never fire: the shape a tape is drawn for.
fn three_actors(events: usize) -> Model {
    Model {
        weights: vec![1.0, 2.0, 3.0],
        initial: vec![0.1, 0.2, 0.3],
        baseline: vec![0.0; 3],
        volatility: vec![0.1; 3],
        half_life: 12.0,
        balance: 0.0,
        events: (0..events)
            .map(|_| Event {
                per_year: 0.0,
                window: (1, 12),
                repeatable: false,
                conditions: vec![],
                after: vec![],
                unless: vec![],
                certain_month: None,
                effects: vec![],
            })
            .collect(),
        outcomes: vec![],
    }
}

/// The ensemble the by-hand tests read: 3 runs of 6 months (identical runs when nothing is random).
fn six_months(model: Model) -> Summary {
    Ensemble::run(
        model,
        Settings {
            seed: 1,
            runs: 3,
            horizon: 6,
        },
    )
}

/// e^(−θ), the monthly decay toward the baseline at [`three_actors`]' half-life of 12 months.
fn monthly_decay() -> f64 {
    (-std::f64::consts::LN_2 / 12.0).exp()
}

#[test]
fn a_tape_fits_only_ensembles_of_its_settings_and_shape() {
    let settings = Settings {
        seed: 5,
        runs: 10,
        horizon: 4,
    };
    let model = three_actors(1);
    let tape = RandomTape::draw(&model, settings).expect("a tape of 2 blocks × 4 months × 4 draws fits");
    assert!(tape.fits(&model, settings));
    // Other values of the same shape: the same draws.
    let mut other_values = model.clone();
    other_values.volatility = vec![0.3; 3];
    other_values.events[0].per_year = 0.7;
    assert!(tape.fits(&other_values, settings));
    // Another seed, run count or horizon: other draws.
    assert!(!tape.fits(&model, Settings { seed: 6, ..settings }));
    assert!(!tape.fits(&model, Settings { runs: 11, ..settings }));
    assert!(!tape.fits(&model, Settings { horizon: 5, ..settings }));
    // Another number of pairs (four actors: six pairs) or of events.
    let mut four = three_actors(1);
    four.weights.push(4.0);
    four.initial = vec![0.0; 6];
    four.baseline = vec![0.0; 6];
    four.volatility = vec![0.1; 6];
    assert!(!tape.fits(&four, settings));
    assert!(!tape.fits(&three_actors(0), settings));
    assert!(!tape.fits(&three_actors(2), settings));
}

#[test]
fn a_tape_over_256_mib_is_not_drawn() {
    // A tape holds, per block and month, a vector of 16 single-precision shocks (64 bytes) per pair
    // and one of 16 draws of 64 bits (128 bytes) per event. Three pairs and one event, one block
    // (16 runs): 320 bytes a month, so 2^28 bytes = 256 MiB hold 838 860 months (268 435 200
    // bytes) and one month more is 64 bytes too many.
    assert_eq!(MAX_TAPE_BYTES, 1 << 28);
    let model = three_actors(1);
    let at = |runs, horizon| Settings { seed: 1, runs, horizon };
    assert!(RandomTape::draw(&model, at(16, 838_861)).is_none());
    // Exactly at a limit a tape is drawn, and not a byte past it (a lower limit, so that the tape
    // at it is small: ten months, 3 200 bytes).
    assert!(RandomTape::draw_within(&model, at(16, 10), 3_200).is_some());
    assert!(RandomTape::draw_within(&model, at(16, 10), 3_199).is_none());
    assert!(RandomTape::draw_within(&model, at(16, 11), 3_200).is_none());
    assert!(RandomTape::draw_within(&model, at(32, 5), 3_200).is_some());
    assert!(RandomTape::draw_within(&model, at(33, 5), 3_200).is_none());
    // Seventeen runs take two blocks: half the months are already too many (2 × 419 431 × 320 =
    // 268 435 840 bytes).
    assert!(RandomTape::draw(&model, at(17, 419_431)).is_none());
    // A size past the machine's integers is refused too, not wrapped round.
    let huge = Settings {
        seed: 1,
        runs: usize::MAX,
        horizon: 12,
    };
    assert!(RandomTape::draw(&model, huge).is_none());
}

#[test]
fn each_event_reads_its_own_draws_from_the_tape() {
    // Two events, each with its own uniform every month: read from the tape, every run's months of
    // first firing are those its own streams give. (A tape read at the wrong place for the second
    // event, or with one event's draws for both, moves some of them.)
    let mut model = three_actors(2);
    model.events[0].per_year = 0.5;
    model.events[1].per_year = 0.9;
    model.events[1].repeatable = true;
    let settings = Settings {
        seed: 9,
        runs: 40,
        horizon: 12,
    };
    let tape = Arc::new(RandomTape::draw(&model, settings).expect("a small tape fits"));
    let first_fired = |mut ensemble: Ensemble| {
        ensemble.finish();
        ensemble.first_fired_months()
    };
    let from_streams = first_fired(Ensemble::outcomes_only(model.clone(), settings));
    let from_tape = first_fired(Ensemble::outcomes_only_from_tape(model, settings, tape));
    // Both events fire in some runs and not in others, so the draws matter.
    for e in 0..2 {
        let fired = (0..40).filter(|run| from_streams[run * 2 + e] > 0).count();
        assert!(fired > 0 && fired < 40, "event {e} fired in {fired} of 40 runs");
    }
    assert_eq!(from_tape, from_streams);
}

#[test]
fn a_tape_gives_every_run_the_shocks_its_own_streams_give() {
    // Read from the tape, every run's latent scores after the last month are those its own streams
    // give, to the bit: three blocks (the last one short), so that a shock read from another block,
    // month or pair moves some of them. (The event test above cannot see the shocks.)
    let mut model = three_actors(1);
    model.balance = 0.05;
    model.events[0].per_year = 0.5;
    let settings = Settings {
        seed: 12,
        runs: 21,
        horizon: 7,
    };
    let tape = Arc::new(RandomTape::draw(&model, settings).expect("a small tape fits"));
    let latent = |mut ensemble: Ensemble| {
        ensemble.finish();
        ensemble.latent().iter().map(|z| z.to_bits()).collect::<Vec<_>>()
    };
    let from_streams = latent(Ensemble::outcomes_only(model.clone(), settings));
    assert_eq!(from_streams.len(), 21 * 3);
    assert_eq!(
        latent(Ensemble::outcomes_only_from_tape(model, settings, tape)),
        from_streams
    );
}

fn progress(months_done: usize, horizon: usize, runs_done: usize, runs: usize) -> Progress {
    Progress {
        months_done,
        horizon,
        runs_done,
        runs,
    }
}

#[test]
fn progress_counts_whole_months_and_the_runs_of_the_month_in_progress() {
    // 3 months of 12 done and 50 of 200 runs of the fourth: (3 + 50/200) / 12 = 3.25 / 12.
    assert_eq!(progress(3, 12, 50, 200).fraction(), 3.25 / 12.0);
    assert_eq!(progress(0, 4, 0, 1).fraction(), 0.0);
    assert_eq!(progress(4, 4, 0, 10).fraction(), 1.0);
    // No months to compute: done from the start. No runs: the month's share is 0, not 0/0.
    assert_eq!(progress(0, 0, 0, 10).fraction(), 1.0);
    assert_eq!(progress(1, 4, 0, 0).fraction(), 0.25);
    assert!(progress(12, 12, 0, 5).is_done());
    assert!(progress(0, 0, 0, 5).is_done());
    assert!(!progress(11, 12, 5, 5).is_done());
}

#[test]
fn an_ensemble_reports_its_progress_block_by_block() {
    // 40 runs are three blocks of 16 (16, 16 and 8 runs); `advance(n)` advances ⌈n/16⌉ blocks
    // (at least one) and closes the month after its last block.
    let model = three_actors(1);
    let settings = Settings {
        seed: 2,
        runs: 40,
        horizon: 2,
    };
    let mut e = Ensemble::new(model.clone(), settings);
    assert_eq!(e.progress(), progress(0, 2, 0, 40));
    assert_eq!(e.advance(16), progress(0, 2, 16, 40));
    assert_eq!(e.advance(1), progress(0, 2, 32, 40));
    // The third block ends month 1.
    assert_eq!(e.advance(5), progress(1, 2, 0, 40));
    // 17 runs are two blocks; 0 runs still advance one.
    assert_eq!(e.advance(17), progress(1, 2, 32, 40));
    let done = e.advance(0);
    assert_eq!(done, progress(2, 2, 0, 40));
    assert!(done.is_done());
    assert_eq!(done.fraction(), 1.0);
    // Nothing more to do.
    assert_eq!(e.advance(100), progress(2, 2, 0, 40));
    assert_eq!(e.summary(), Ensemble::run(model.clone(), settings));

    // A month finished on threads from where `advance` left it: the same numbers, for a model
    // with two events and two outcomes (so that each block's slices of the per-run state differ in
    // size from its number of runs).
    let model = two_event_model(5);
    let settings = Settings { horizon: 3, ..settings };
    let mut plain = Ensemble::new(model.clone(), settings);
    plain.finish();
    let mut e = Ensemble::new(model, settings);
    assert_eq!(e.advance(16), progress(0, 3, 16, 40));
    assert_eq!(e.advance_month_on_threads(2), progress(1, 3, 0, 40));
    assert_eq!(e.advance_month_on_threads(3), progress(2, 3, 0, 40));
    assert_eq!(e.advance_month_on_threads(2), progress(3, 3, 0, 40));
    assert_eq!(e.advance_month_on_threads(3), progress(3, 3, 0, 40));
    assert_eq!(e.summary(), plain.summary());
    assert_eq!(e.outcome_states(), plain.outcome_states());
    assert_eq!(e.first_fired_months(), plain.first_fired_months());
    assert_eq!(e.alignments(), plain.alignments());
}

/// Two events with several conditions and effects each, whose values differ from run to run:
/// run r's model. Event 1's second condition (a < t) rules it out where t = −0.99 and lets it fire
/// where t = 0.99; each effect has its own jump and shift, so reading another's shows.
fn two_event_model(run: usize) -> Model {
    let x = run as f64 / 16.0;
    let condition = |pair, comparison, threshold| Condition {
        pair,
        comparison,
        threshold,
    };
    let effect = |pair, jump, shift| Effect { pair, jump, shift };
    let event = |per_year, window, conditions, effects| Event {
        per_year,
        window,
        repeatable: true,
        conditions,
        after: vec![],
        unless: vec![],
        certain_month: None,
        effects,
    };
    let mut model = three_actors(0);
    model.outcomes = vec![
        Outcome::single(0, Comparison::Above, Reference::Level(0.0), When::AnyMonth),
        Outcome::single(2, Comparison::Below, Reference::Level(0.1), When::Horizon),
    ];
    model.balance = 0.05 + 0.1 * x;
    model.weights[1] += x;
    model.initial[0] = 0.1 + 0.01 * run as f64;
    model.volatility = vec![0.05, 0.05 + 0.1 * x, 0.1];
    model.events = vec![
        event(
            6.0,
            (1, 12),
            vec![condition(0, Comparison::Above, -0.99)],
            vec![effect(1, 0.1 * x, 0.0), effect(2, 0.0, -0.1 * x)],
        ),
        event(
            6.0 + 6.0 * x,
            (2 + (run % 3) as u32, 10),
            vec![
                condition(0, Comparison::Above, -0.99),
                condition(2, Comparison::Below, if run.is_multiple_of(2) { -0.99 } else { 0.99 }),
            ],
            vec![effect(0, -0.2 - 0.1 * x, 0.05 * x), effect(2, 0.3 * x, 0.2 - 0.1 * x)],
        ),
    ];
    model
}

#[test]
fn runs_with_models_of_their_own_start_from_their_own_values_and_read_each_events_own() {
    // Each run of a per-run ensemble computes what the same run computes in an ensemble of its
    // model alone (which reads the model itself, not the per-run tables).
    // 13 runs: the second block of 8 is padded with 3 lanes that are not runs.
    let settings = Settings {
        seed: 3,
        runs: 13,
        horizon: 12,
    };
    // The padding lanes repeat the last run's input: no run past the ensemble's is asked for (a
    // caller's table of runs may end there).
    let mut mixed = Ensemble::per_run(two_event_model(0), settings, true, |run| {
        assert!(run < 13, "run {run} asked for");
        (two_event_model(run), run as u64)
    });
    // Month 0 is taken over the runs' own starts: pair 0 starts at 0.1 + 0.01·r in run r, so its
    // mean is 0.16 and its quantiles (type 7, at positions 12·q) are 0.1 + 0.01·(0.6, 3, 6, 9, 11.4).
    // Pair 1 starts at 0.2 in every run.
    let start = &mixed.bands()[0];
    close(start.mean[0], 0.16, "mean at month 0");
    for (got, position) in start.quantiles[0].into_iter().zip([0.6, 3.0, 6.0, 9.0, 11.4]) {
        close(got, 0.1 + 0.01 * position, "quantile at month 0");
    }
    assert_eq!(
        (mixed.bands()[1].mean[0], mixed.bands()[1].quantiles[0]),
        (0.2, [0.2; 5])
    );
    mixed.finish();
    let (alignments, fired) = (mixed.alignments(), mixed.first_fired_months());
    let mut second_fired = 0;
    for run in 0..settings.runs {
        let mut alone = Ensemble::new(
            two_event_model(run),
            Settings {
                runs: run + 1,
                ..settings
            },
        );
        alone.finish();
        assert_eq!(
            alignments[run * 3..run * 3 + 3],
            alone.alignments()[run * 3..],
            "run {run}"
        );
        assert_eq!(
            fired[run * 2..run * 2 + 2],
            alone.first_fired_months()[run * 2..],
            "run {run}"
        );
        // Event 1 is ruled out in even runs and fires in odd ones.
        assert_eq!(fired[run * 2 + 1] > 0, run % 2 == 1, "run {run}");
        second_fired += usize::from(fired[run * 2 + 1] > 0);
    }
    assert_eq!(second_fired, 6);
}

#[test]
#[should_panic(expected = "at most 16 actors")]
fn an_ensemble_of_seventeen_actors_is_refused() {
    // 17 actors have 17·16/2 = 136 pairs, past the 16·15/2 = 120 the engine's tables hold.
    let pairs = 136;
    let model = Model {
        weights: vec![1.0; 17],
        initial: vec![0.0; pairs],
        baseline: vec![0.0; pairs],
        volatility: vec![0.1; pairs],
        half_life: 12.0,
        balance: 0.1,
        events: vec![],
        outcomes: vec![],
    };
    Ensemble::new(
        model,
        Settings {
            seed: 1,
            runs: 8,
            horizon: 1,
        },
    );
}

/// Run r's model for [`a_summary_worked_out_by_hand`]: no noise and no balance term, each pair at
/// its baseline (so the state never moves), and two events certain whenever eligible (a yearly
/// rate of 10⁶ is a monthly hazard of 1 − e^(−10⁶/12) = 1 in floating point) whose windows
/// depend on the run.
fn still_run(run: usize) -> Model {
    // Runs 0–2: actor 2 against 0 and 1; runs 3–5: actor 1 against 0 and 2; runs 6–7: all hostile.
    let a = match run {
        0..=2 => vec![0.5, -0.5, -0.5],
        3..=5 => vec![-0.5, 0.5, -0.5],
        _ => vec![-0.5, -0.6, -0.4],
    };
    let certain = |window, repeatable| Event {
        per_year: 1e6,
        window,
        repeatable,
        conditions: vec![],
        after: vec![],
        unless: vec![],
        certain_month: None,
        effects: vec![],
    };
    let late = 1 + (run % 4) as u32;
    Model {
        weights: vec![1.0; 3],
        initial: a.clone(),
        baseline: a,
        volatility: vec![0.0; 3],
        half_life: 12.0,
        balance: 0.0,
        // Once, from month 1 + r mod 4; and every month of months 1 … 1 + r mod 4.
        events: vec![certain((late, 12), false), certain((1, late), true)],
        outcomes: vec![],
    }
}

#[test]
fn a_summary_worked_out_by_hand() {
    let settings = Settings {
        seed: 1,
        runs: 8,
        horizon: 6,
    };
    let mut e = Ensemble::per_run(still_run(0), settings, true, |run| (still_run(run), run as u64));
    e.finish();
    let summary = e.summary();

    // Event 0 first fires in month 1, 2, 3, 4, 1, 2, 3, 4: by months 0 … 6 in 0, 2, 4, 6, 8, 8, 8
    // of 8 runs. Its first months sorted, 1 1 2 2 3 3 4 4, have quartiles (type 7, positions 7·q)
    // at 1.75, 3.5 and 5.25: 1.75, 2.5 and 3.25. Once only: one firing a run.
    let once = &summary.events[0];
    assert_eq!(once.fired.count, 8);
    assert_eq!(once.cumulative, [0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 1.0]);
    assert_eq!(once.first_month_quartiles, Some([1.75, 2.5, 3.25]));
    assert_eq!(once.mean_firings, 1.0);
    // Event 1 fires in month 1 of every run, and 1, 2, 3, 4, 1, 2, 3, 4 times: 20 / 8 = 2.5.
    let repeated = &summary.events[1];
    assert_eq!(repeated.cumulative, [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
    assert_eq!(repeated.first_month_quartiles, Some([1.0; 3]));
    assert_eq!(repeated.mean_firings, 2.5);

    // Best splits (equal weights, E = Σ a_ij over the pairs cut): runs 0–2 cut (0,2) and (1,2),
    // E = −1, mask 0b100; runs 3–5 cut (0,1) and (1,2), mask 0b010; runs 6–7: E(0b010) = −0.9,
    // E(0b100) = −1.0, E(0b110) = −1.1, mask 0b110. Most frequent first, ties to the smaller mask.
    let blocs: Vec<(u32, usize)> = summary.blocs.iter().map(|b| (b.mask, b.share.count)).collect();
    assert_eq!(blocs, [(0b010, 3), (0b100, 3), (0b110, 2)]);
    assert_eq!(summary.blocs[2].share.probability, 0.25);

    // Frustration: one triad, product +0.125 in runs 0–5 (balanced: 0) and −0.12 in runs 6–7
    // (unbalanced: 1). Mean 2/8; quantiles of 0 0 0 0 0 0 1 1 at positions 0.35, 1.75, 3.5, 5.25
    // and 6.65: 0, 0, 0, 0.25, 1. Month 0 is that of the ensemble's own model (run 0's): 0.
    let frustration = summary.frustration.expect("a full ensemble");
    assert_eq!(frustration.mean, 0.25);
    assert_eq!(frustration.quantiles, [0.0, 0.0, 0.0, 0.25, 1.0]);
    assert_eq!(frustration.initial, 0.0);
    let mut hostile = Ensemble::new(still_run(7), settings);
    hostile.finish();
    assert_eq!(hostile.summary().frustration.expect("full").initial, 1.0);
}

#[test]
fn two_noisy_months_follow_the_ou_step_with_each_runs_own_normals() {
    // Without balance or events, each month moves pair p of run r to
    //   z ← m + (z − m)·e^(−θ) + σ_p·√((1 − e^(−2θ))/(2θ))·ε,   θ = ln 2 / half-life,
    // where ε is the next normal of run r's noise stream (one per pair, in pair order). The normals
    // are drawn here from the public generator (tested against the reference Xoshiro256++), so a
    // shock of the wrong sign, pair or run shows although the distribution is the same.
    use alignment_engine::{RunRng, Stream};
    let mut model = three_actors(0);
    model.initial = vec![0.1, -0.2, 0.3];
    model.baseline = vec![0.0, 0.1, -0.1];
    model.volatility = vec![0.1, 0.2, 0.3];
    let settings = Settings {
        seed: 42,
        runs: 10,
        horizon: 2,
    };
    let mut e = Ensemble::new(model.clone(), settings);
    e.finish();
    let latent = e.latent();
    let theta = std::f64::consts::LN_2 / 12.0;
    let factor = ((1.0 - (-2.0 * theta).exp()) / (2.0 * theta)).sqrt();
    let ziggurat = Default::default();
    for run in 0..10 {
        let mut noise = RunRng::for_run(42, run as u64, Stream::Noise);
        let mut z: Vec<f64> = model.initial.iter().map(|a: &f64| a.atanh()).collect();
        for _month in 1..=2 {
            // Two normals per draw, in pair order: pairs 0 and 1 from the first, pair 2 from the
            // first of the second (its other normal is not used).
            let [first, second] = noise.normal_pair(&ziggurat);
            let [third, _] = noise.normal_pair(&ziggurat);
            for (p, (z, shock)) in z.iter_mut().zip([first, second, third]).enumerate() {
                let m = model.baseline[p].atanh();
                *z = m + (*z - m) * (-theta).exp() + model.volatility[p] * factor * f64::from(shock);
            }
        }
        for p in 0..3 {
            close(latent[run * 3 + p], z[p], &format!("run {run}, pair {p}"));
        }
    }
}

#[test]
fn events_fire_where_each_runs_own_uniforms_fall_below_the_monthly_hazard() {
    // Each month every event draws the next uniform u of the run's event stream, in file order,
    // eligible or not, and fires when u < h (h = 1 − (1 − P)^(1/12) once only, 1 − e^(−λ/12) for a
    // rate). Event 0: once only, P = 0.5 a year; event 1: repeatable, λ = 4 a year, months 3–9.
    use alignment_engine::{RunRng, Stream};
    let mut model = three_actors(2);
    model.events[0].per_year = 0.5;
    model.events[1].per_year = 4.0;
    model.events[1].repeatable = true;
    model.events[1].window = (3, 9);
    let hazard = [1.0 - 0.5f64.powf(1.0 / 12.0), 1.0 - (-4.0f64 / 12.0).exp()];
    let settings = Settings {
        seed: 77,
        runs: 30,
        horizon: 12,
    };
    let mut e = Ensemble::new(model, settings);
    e.finish();
    let summary = e.summary();
    let got = e.first_fired_months();
    let mut firings = [0u32; 2];
    for run in 0..30 {
        let mut draws = RunRng::for_run(77, run as u64, Stream::Events);
        let mut first = [0u32; 2];
        for month in 1..=12u32 {
            let u = [draws.uniform(), draws.uniform()];
            if first[0] == 0 && u[0] < hazard[0] {
                first[0] = month;
                firings[0] += 1;
            }
            if (3..=9).contains(&month) && u[1] < hazard[1] {
                firings[1] += 1;
                if first[1] == 0 {
                    first[1] = month;
                }
            }
        }
        assert_eq!(got[run * 2..run * 2 + 2], first, "run {run}");
    }
    assert_eq!(summary.events[0].mean_firings, firings[0] as f64 / 30.0);
    assert_eq!(summary.events[1].mean_firings, firings[1] as f64 / 30.0);
    assert!(firings[1] > firings[0], "{firings:?}");
}

#[test]
fn an_events_jumps_and_shifts_by_hand() {
    // No noise, no balance, each pair at its baseline (0.2, −0.1, 0.5), half-life 12. An event
    // certain in month 2 adds to each pair's alignment a (its jump) and to its baseline μ (its
    // shift), each clamped to ±0.995:
    //   pair 0: jump +0.3:               a 0.2 → 0.5, μ stays 0.2
    //   pair 1: jump −0.95, shift −0.95:  a −0.1 → −1.05 → −0.995, μ −0.1 → −1.05 → −0.995
    //   pair 2: jump +0.7, shift +0.2:    a 0.5 → 1.2 → 0.995,    μ 0.5 → 0.7
    // and from month 3 each latent score decays toward its baseline's: z ← m + (z − m)·e^(−θ).
    let mut model = three_actors(1);
    model.volatility = vec![0.0; 3];
    model.initial = vec![0.2, -0.1, 0.5];
    model.baseline = model.initial.clone();
    let event = &mut model.events[0];
    event.certain_month = Some(2);
    event.effects = vec![
        Effect {
            pair: 0,
            jump: 0.3,
            shift: 0.0,
        },
        Effect {
            pair: 1,
            jump: -0.95,
            shift: -0.95,
        },
        Effect {
            pair: 2,
            jump: 0.7,
            shift: 0.2,
        },
    ];
    // Pair 0 is 0.5 in month 2 only above 0.49 (month 3: tanh(m + (atanh 0.5 − m)·e^(−θ)) ≈ 0.485),
    // and above 0.21 from month 2 on.
    model.outcomes = vec![
        Outcome::single(0, Comparison::Above, Reference::Level(0.49), When::AnyMonth),
        Outcome::single(0, Comparison::Above, Reference::Level(0.21), When::EveryMonth),
        Outcome::single(0, Comparison::Above, Reference::Level(0.21), When::Horizon),
        Outcome::single(0, Comparison::Above, Reference::Level(0.49), When::Horizon),
    ];
    let summary = six_months(model);
    let decay = monthly_decay();
    let after_jump = [0.5, -0.995, 0.995];
    let baseline_after = [0.2, -0.995, 0.7];
    for p in 0..3 {
        let mean = &summary.pairs[p].mean;
        for (month, &got) in mean.iter().enumerate().take(2) {
            close(got, [0.2, -0.1, 0.5][p], &format!("pair {p}, month {month}"));
        }
        let m = f64::atanh(baseline_after[p]);
        let mut z = f64::atanh(after_jump[p]);
        for (month, &got) in mean.iter().enumerate().skip(2) {
            close(got, z.tanh(), &format!("pair {p}, month {month}"));
            z = m + (z - m) * decay;
        }
    }
    let held: Vec<f64> = summary.outcomes.iter().map(|o| o.probability).collect();
    assert_eq!(held, [1.0, 0.0, 1.0, 0.0]);
}

/// By hand: which events' effect sizes tell two models apart, and `None` for any other change.
#[test]
fn models_that_differ_only_in_effect_sizes() {
    let mut base = three_actors(3);
    for event in &mut base.events {
        event.effects = vec![
            Effect {
                pair: 0,
                jump: 0.1,
                shift: 0.0,
            },
            Effect {
                pair: 2,
                jump: -0.2,
                shift: 0.05,
            },
        ];
    }
    assert_eq!(base.differs_only_in_effects_of(&base), Some(vec![]));
    let mut other = base.clone();
    other.events[1].effects[1].jump = 0.3;
    assert_eq!(base.differs_only_in_effects_of(&other), Some(vec![1]));
    other.events[2].effects[0].shift = -0.1;
    assert_eq!(base.differs_only_in_effects_of(&other), Some(vec![1, 2]));
    assert_eq!(other.differs_only_in_effects_of(&base), Some(vec![1, 2]));
    // Anything else: an effect's pair, a rate, a window, a start, the number of effects or events.
    let changes: [fn(&mut Model); 5] = [
        |m| m.events[1].effects[0].pair = 1,
        |m| m.events[0].per_year = 0.5,
        |m| m.events[2].window.1 = 6,
        |m| m.initial[1] = 0.25,
        |m| m.events[0].effects.truncate(1),
    ];
    for change in changes {
        let mut changed = other.clone();
        change(&mut changed);
        assert_eq!(base.differs_only_in_effects_of(&changed), None);
        assert_eq!(changed.differs_only_in_effects_of(&base), None);
    }
    assert_eq!(base.differs_only_in_effects_of(&three_actors(2)), None);
}

/// By hand, without noise or events: pair 0 drifts from 0.2 toward its baseline 0.6 and pair 2
/// from 0.5 toward −0.5, so a(m) = tanh(m₀ + (z₀ − m₀)·e^(−θm)) with z₀ = atanh a⁰, m₀ = atanh μ.
/// A level halfway between pair 0's months 5 and 6 is crossed at the horizon (month 6) only, so
/// "at the horizon" reads month 6 and no other. At month 6 both pairs are above 0: "either" holds,
/// and so does "both".
#[test]
fn the_horizon_and_either_of_two_tests_by_hand() {
    let mut model = three_actors(0);
    model.volatility = vec![0.0; 3];
    model.initial = vec![0.2, -0.1, 0.5];
    model.baseline = vec![0.6, -0.1, -0.5];
    let decay = monthly_decay();
    let at = |p: usize, month: i32| {
        let (z, m) = (model.initial[p].atanh(), model.baseline[p].atanh());
        (m + (z - m) * decay.powi(month)).tanh()
    };
    let level = (at(0, 5) + at(0, 6)) / 2.0;
    assert!(at(0, 5) < level && level < at(0, 6) && at(2, 6) > 0.0);
    let above = |pair: usize, level: f64| Test {
        pair,
        comparison: Comparison::Above,
        reference: Reference::Level(level),
    };
    let two = |join| Outcome {
        tests: vec![above(0, 0.0), above(2, 0.0)],
        join,
        when: When::Horizon,
    };
    model.outcomes = vec![
        Outcome::single(0, Comparison::Above, Reference::Level(level), When::Horizon),
        Outcome::single(0, Comparison::Below, Reference::Level(level), When::Horizon),
        two(Join::Any),
        two(Join::All),
        Outcome {
            tests: vec![above(0, 0.9), above(2, 0.0)],
            join: Join::Any,
            when: When::Horizon,
        },
        Outcome {
            tests: vec![above(0, 0.9), above(2, 0.0)],
            join: Join::All,
            when: When::Horizon,
        },
    ];
    let summary = six_months(model);
    let held: Vec<f64> = summary.outcomes.iter().map(|o| o.probability).collect();
    assert_eq!(held, [1.0, 0.0, 1.0, 1.0, 1.0, 0.0]);
}
