//! The engine's kinds of work in the page, as functions Node can call: the plain ensemble of the
//! main lane, drawing its numbers or reading those kept from the last (a slider step), an
//! outcomes-only ensemble of per-run models (a Sobol matrix), and an outcomes-only ensemble
//! reading its draws from a tape (one of the tornado's). Each returns a checksum of its numbers,
//! so that two builds can be checked to compute the same thing.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;

use std::sync::Arc;

use alignment_engine::{Ensemble, Model, RandomTape, Settings, Summary};

thread_local! {
    static MODEL: RefCell<Option<Model>> = const { RefCell::new(None) };
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The model's draws, for `tape`: drawn once, as the tornado's base draws them once.
    static TAPE: RefCell<Option<Arc<RandomTape>>> = const { RefCell::new(None) };
}

/// A buffer of `len` bytes for the model's JSON; returns its address.
#[no_mangle]
pub extern "C" fn input(len: usize) -> *mut u8 {
    INPUT.with_borrow_mut(|input| {
        input.resize(len, 0);
        input.as_mut_ptr()
    })
}

/// Reads the model from the buffer; false if it is not a model.
#[no_mangle]
pub extern "C" fn load() -> bool {
    let model = INPUT.with_borrow(|input| serde_json::from_slice::<Model>(input).ok());
    let loaded = model.is_some();
    MODEL.with_borrow_mut(|m| *m = model);
    loaded
}

fn model() -> Model {
    MODEL.with_borrow(|m| m.clone().expect("load() first"))
}

fn settings(runs: usize) -> Settings {
    Settings {
        seed: 3,
        runs,
        horizon: 36,
    }
}

/// The full ensemble (bands, blocs, outcomes): its [`checksum`].
#[no_mangle]
pub extern "C" fn full(runs: usize) -> f64 {
    checksum(&Ensemble::run(model(), settings(runs)))
}

/// The checksum of a full ensemble: the sum of every pair's monthly means and the outcome
/// probabilities.
fn checksum(summary: &Summary) -> f64 {
    let means: f64 = summary.pairs.iter().flat_map(|p| p.mean.iter()).sum();
    means + summary.outcomes.iter().map(|o| o.probability).sum::<f64>()
}

/// Outcomes only, every run its own model (the half-life varied by run, so that each run derives
/// its own parameters): the number of (run, outcome) pairs that hold.
#[no_mangle]
pub extern "C" fn per_run(runs: usize) -> f64 {
    let base = model();
    let ensemble = Ensemble::per_run(base.clone(), settings(runs), false, |run| {
        let mut own = base.clone();
        own.half_life *= 1.0 + (run % 7) as f64 * 0.01;
        (own, run as u64)
    });
    held(ensemble)
}

/// Outcomes only, reading the model's draws from a tape, with the balance strength moved by 1 %
/// (a tornado's ensemble of a moved assumption, on the base's draws): the number of (run, outcome)
/// pairs that hold. The tape is drawn at the first call and kept.
#[no_mangle]
pub extern "C" fn tape(runs: usize) -> f64 {
    let mut model = model();
    let tape = kept_tape(&model, runs);
    model.balance *= 1.01;
    let ensemble = Ensemble::outcomes_only_from_tape(model, settings(runs), tape);
    held(ensemble)
}

/// The full ensemble reading the model's draws from a tape (what a slider step in the page's
/// worker does, which keeps the last ensemble's draws): the same numbers as [`full`], so the same
/// [`checksum`].
#[no_mangle]
pub extern "C" fn full_tape(runs: usize) -> f64 {
    let model = model();
    let tape = kept_tape(&model, runs);
    let mut ensemble = Ensemble::from_tape(model, settings(runs), tape);
    while !ensemble.advance(usize::MAX).is_done() {}
    checksum(&ensemble.summary())
}

/// The model's tape of `runs` runs, drawn at the first call and kept.
fn kept_tape(model: &Model, runs: usize) -> Arc<RandomTape> {
    TAPE.with_borrow_mut(|tape| {
        let tape = tape.get_or_insert_with(|| Arc::new(RandomTape::draw(model, settings(runs)).expect("a tape")));
        assert!(tape.fits(model, settings(runs)), "one run count per process");
        tape.clone()
    })
}

/// Runs an outcomes-only ensemble to its end: the number of (run, outcome) pairs that hold.
fn held(mut ensemble: Ensemble) -> f64 {
    while !ensemble.advance(usize::MAX).is_done() {}
    ensemble.outcome_states().iter().filter(|&&held| held).count() as f64
}
