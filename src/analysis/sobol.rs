//! Variance-based sensitivity: first-order and total-effect Sobol indices of one outcome over the
//! plausible ranges, per assumption or per group of assumptions, with the model's own noise
//! ("chance") as a factor of its own.
//!
//! **What is varied.** Every assumption is drawn from its plausible range with the distribution
//! `run --uncertain` uses ([`super::uncertainty`]: triangular around the value for high and medium
//! confidence, uniform for low). Chance is the run's random stream (its shocks and event draws):
//! two evaluations with the same chance draw from the same stream. The output is the outcome's
//! indicator in one run (1 if it held, 0 if not), so the indices split the variance of that
//! indicator: chance's share is what no assumption decides.
//!
//! **Design (Saltelli).** Two independent base samples A and B of N rows each (every row: one
//! uniform per assumption, plus a stream number: row j of A uses stream j, of B stream N + j), and
//! for each factor g the matrix AB_g: A with g's columns (all the assumptions of the group, or the
//! stream for chance) taken from B. N·(k + 2) runs for k factors. The base samples are
//! pseudo-random (each row its own SplitMix64-keyed stream), so rows are independent, which the
//! bootstrap needs.
//!
//! **Estimators (Jansen 1999).** With V the variance of the 2N outputs of A and B (divided by 2N):
//! - first order S_g = (V − ½·mean((f_B − f_ABg)²)) / V (f_B and f_ABg share only g);
//! - total effect T_g = ½·mean((f_A − f_ABg)²) / V (f_A and f_ABg differ only in g).
//!
//! **Confidence intervals**: percentile bootstrap (95 %) over the N rows, resampled with
//! replacement [`BOOTSTRAP_RESAMPLES`] times from a stream keyed by the seed. The estimates may
//! stray below 0 or above 1 by sampling error; they are shown as computed.
//!
//! **Groups.** By assumption, each assumption is a factor. By source, an assumption belongs to the
//! first document it rests on; if none, to the first data set; else to the first judgement source.
//! It rests on the sources its value is derived from: every citation except those whose note marks
//! them "for reference only" ([`for_reference_only`]; the UN-voting prior is cited that way where
//! the value is set by judgement). Most built-in assumptions cite a document or the data and then
//! "judgement" for the exact number, so the group is the evidence the number rests on. By kind: actors (weights),
//! pairs (starts, baselines, own volatilities), events (probabilities, windows, thresholds, jumps,
//! shifts), model (σ, half-life, β).

#[cfg(not(target_arch = "wasm32"))]
use crate::engine::Settings;
use crate::engine::{sort_stably_by, splitmix64, RunRng};
use crate::scenario::{Group, Scenario, Source, SourceKind, SourceRef};

use super::indicators::OutcomeRuns;
#[cfg(not(target_arch = "wasm32"))]
use super::per_run::{MatrixCache, Plan, Propagation};
use super::quantile_of_sorted;
use super::uncertainty::{draw_range, fill_values_of_run, Draw};

/// Bootstrap resamples behind each confidence interval.
pub const BOOTSTRAP_RESAMPLES: usize = 500;

/// The id of the chance factor.
pub const CHANCE: &str = "chance";

/// How assumptions are grouped into factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Assumption,
    Source,
    Kind,
}

/// One factor: some assumptions varied together, or chance.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Factor {
    pub id: String,
    /// Indices of its assumptions (empty for chance).
    pub assumptions: Vec<usize>,
    pub chance: bool,
}

/// The factors of `scenario` grouped `by`, in order of first appearance in the file, chance last.
/// Assumptions whose plausible range is a single value cannot vary and are left out.
pub fn factors(scenario: &Scenario, values: &[f64], by: GroupBy) -> Vec<Factor> {
    let mut factors: Vec<Factor> = Vec::new();
    for (index, assumption) in scenario.assumptions.iter().enumerate() {
        let (lo, hi) = draw_range(assumption, values[index]);
        if lo >= hi {
            continue;
        }
        let id = match by {
            GroupBy::Assumption => assumption.id.clone(),
            GroupBy::Kind => match assumption.group {
                Group::Actors => "actors",
                Group::Pairs => "pairs",
                Group::Events => "events",
                Group::Model => "model",
            }
            .to_string(),
            GroupBy::Source => {
                resting_source(scenario, index).map_or_else(|| "unsourced".to_string(), |s| s.id.clone())
            }
        };
        match factors.iter_mut().find(|f| f.id == id) {
            Some(factor) => factor.assumptions.push(index),
            None => factors.push(Factor {
                id,
                assumptions: vec![index],
                chance: false,
            }),
        }
    }
    factors.push(Factor {
        id: CHANCE.to_string(),
        assumptions: Vec::new(),
        chance: true,
    });
    factors
}

/// Whether a citation is marked as given for reference only (its note says "for reference only",
/// in any letter case): the value was not derived from that source, so the assumption does not
/// rest on it.
pub fn for_reference_only(citation: &SourceRef) -> bool {
    const MARK: &[u8] = b"for reference only";
    citation.note.as_deref().is_some_and(|note| {
        note.as_bytes()
            .windows(MARK.len())
            .any(|w| w.eq_ignore_ascii_case(MARK))
    })
}

/// The sources assumption `index`'s value is derived from, in the order cited: every citation but
/// those for reference only.
pub fn resting_sources(scenario: &Scenario, index: usize) -> impl Iterator<Item = &Source> {
    scenario.assumptions[index]
        .sources
        .iter()
        .filter(|citation| !for_reference_only(citation))
        .map(|citation| &scenario.sources[citation.source])
}

/// The source an assumption is grouped under by source: the first document it rests on; if none,
/// the first data set; else the first judgement source.
pub fn resting_source(scenario: &Scenario, index: usize) -> Option<&Source> {
    let first_of = |kind: SourceKind| resting_sources(scenario, index).find(|s| s.kind == kind);
    first_of(SourceKind::Document)
        .or_else(|| first_of(SourceKind::Dataset))
        .or_else(|| first_of(SourceKind::Judgement))
}

/// Which matrix of the design a run belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Matrix {
    A,
    B,
    /// A with factor g's columns from B.
    Mixed(usize),
}

/// The base samples A and B: N rows of one uniform per assumption, drawn on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Design {
    pub rows: usize,
    key_a: u64,
    key_b: u64,
}

impl Design {
    pub fn new(seed: u64, rows: usize) -> Self {
        let mut state = seed ^ 0x50B0_1D0E_516E_0001;
        let key_a = splitmix64(&mut state);
        let key_b = splitmix64(&mut state);
        Design { rows, key_a, key_b }
    }

    /// Row `row` of A (or B): `columns` uniforms.
    pub fn row(&self, b: bool, row: usize, columns: usize) -> Vec<f64> {
        let mut u = Vec::new();
        self.row_into(b, row, columns, &mut u);
        u
    }

    /// [`Design::row`] written into `u`.
    fn row_into(&self, b: bool, row: usize, columns: usize, u: &mut Vec<f64>) {
        let mut rng = RunRng::new(if b { self.key_b } else { self.key_a }, row as u64);
        u.clear();
        u.extend((0..columns).map(|_| rng.uniform()));
    }

    /// The uniforms and the stream number of row `row` of `matrix`.
    pub fn point(&self, factors: &[Factor], matrix: Matrix, row: usize, columns: usize) -> (Vec<f64>, u64) {
        let mut u = Vec::new();
        let stream = self.point_into(factors, matrix, row, columns, &mut u);
        (u, stream)
    }

    /// [`Design::point`] written into `u`; returns the stream number.
    pub fn point_into(&self, factors: &[Factor], matrix: Matrix, row: usize, columns: usize, u: &mut Vec<f64>) -> u64 {
        match matrix {
            Matrix::A => self.row_into(false, row, columns, u),
            Matrix::B => self.row_into(true, row, columns, u),
            Matrix::Mixed(g) => {
                self.row_into(false, row, columns, u);
                let factor = &factors[g];
                if !factor.chance {
                    // B's row, drawn in column order only as far as the factor's last column.
                    let mut rng = RunRng::new(self.key_b, row as u64);
                    let last = factor.assumptions.iter().max().map_or(0, |&i| i + 1);
                    for (column, value) in u.iter_mut().enumerate().take(last) {
                        let b = rng.uniform();
                        if factor.assumptions.contains(&column) {
                            *value = b;
                        }
                    }
                }
            }
        }
        self.stream(factors, matrix, row)
    }

    /// The noise stream of row `row` of `matrix`: A's for A and every AB_g but chance's, whose
    /// noise is B's.
    pub fn stream(&self, factors: &[Factor], matrix: Matrix, row: usize) -> u64 {
        let (a_stream, b_stream) = (row as u64, (self.rows + row) as u64);
        match matrix {
            Matrix::A => a_stream,
            Matrix::B => b_stream,
            Matrix::Mixed(g) if factors[g].chance => b_stream,
            Matrix::Mixed(_) => a_stream,
        }
    }
}

/// The rows of a design's A and B as assumption values (each assumption's draw at the row's
/// uniform), made the first time a row is needed and kept: the k + 2 matrices of a design share
/// them (AB_g is A's row with factor g's columns from B's), so one thread or worker running many
/// matrices draws and transforms each row once instead of once per matrix. The values are those
/// of [`Design::point_into`] followed by [`Draw::at`], so keeping them changes no number.
#[derive(Clone, Debug, Default)]
pub struct DesignRows {
    /// The design and the draws the kept rows are of.
    of: Option<(Design, Vec<Draw>)>,
    /// Row j's values from j · columns, of A and of B; `made[j]` once they are there.
    a: Vec<f64>,
    b: Vec<f64>,
    made: Vec<bool>,
}

impl DesignRows {
    /// Designs of more rows than this are not kept (they hold two values per row and assumption:
    /// 33 MB at this size and 104 assumptions).
    pub const MAX_ROWS: usize = 20_000;

    /// Gets ready for rows of `design` with `draws`: rows kept for another design or other draws
    /// are forgotten. False when the design is too large to keep ([`DesignRows::MAX_ROWS`]).
    pub fn prepare(&mut self, design: &Design, draws: &[Draw]) -> bool {
        if design.rows > Self::MAX_ROWS {
            *self = DesignRows::default();
            return false;
        }
        if self
            .of
            .as_ref()
            .is_none_or(|(kept, kept_draws)| kept != design || kept_draws.as_slice() != draws)
        {
            let size = design.rows * draws.len();
            *self = DesignRows {
                of: Some((*design, draws.to_vec())),
                a: vec![0.0; size],
                b: vec![0.0; size],
                made: vec![false; design.rows],
            };
        }
        true
    }

    /// Row `row` of `matrix` as values into `values` (one per draw), after [`DesignRows::prepare`]
    /// returned true; returns its stream.
    pub fn values_into(&mut self, factors: &[Factor], matrix: Matrix, row: usize, values: &mut [f64]) -> u64 {
        let (design, draws) = self.of.as_ref().expect("prepared");
        let columns = draws.len();
        let span = row * columns..(row + 1) * columns;
        if !self.made[row] {
            // A row's uniforms are stream `row` of its matrix's key, in column order
            // (`Design::row_into`): what `fill_values_of_run` draws and transforms.
            fill_values_of_run(draws, design.key_a, row as u64, &mut self.a[span.clone()]);
            fill_values_of_run(draws, design.key_b, row as u64, &mut self.b[span.clone()]);
            self.made[row] = true;
        }
        let (a, b) = (&self.a[span.clone()], &self.b[span]);
        match matrix {
            Matrix::A => values.copy_from_slice(a),
            Matrix::B => values.copy_from_slice(b),
            Matrix::Mixed(g) => {
                values.copy_from_slice(a);
                for &column in &factors[g].assumptions {
                    values[column] = b[column];
                }
            }
        }
        design.stream(factors, matrix, row)
    }
}

/// The matrices of the design in the order their ensembles are listed: A, B, then AB_g per factor.
pub fn matrices(factors: &[Factor]) -> Vec<Matrix> {
    [Matrix::A, Matrix::B]
        .into_iter()
        .chain((0..factors.len()).map(Matrix::Mixed))
        .collect()
}

/// Runs the N rows of one matrix as one outcomes-only ensemble (row j is run j, with its own
/// model and stream; [`super::per_run::outcomes`]); `settings.runs`
/// is N. The matrices are independent jobs: run them on any threads, in any order, each thread
/// with a cache of its own (see [`MatrixCache`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn run_matrix(
    propagation: &Propagation,
    settings: Settings,
    factors: &[Factor],
    matrix: Matrix,
    cache: &mut MatrixCache,
) -> OutcomeRuns {
    let mut run = super::per_run::outcomes(propagation, factors, settings, Plan::Sobol(matrix), cache);
    run.finish();
    run.outcomes()
}

/// What the Sobol analysis of one outcome found.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolResult {
    pub outcome: usize,
    /// The outcome's probability over the 2N runs of A and B (over what we don't know).
    pub probability: f64,
    /// The variance of the outcome's indicator over those runs, p(1 − p).
    pub variance: f64,
    /// Per factor, as [`factors`] lists them; `None` when the outcome did not vary.
    pub indices: Option<Vec<Indices>>,
}

/// The indices of `outcome` from the results of [`matrices`] (in that order).
pub fn assemble(results: &[OutcomeRuns], outcome: usize, seed: u64) -> SobolResult {
    let indicator = |runs: &OutcomeRuns| -> Vec<f64> {
        (0..runs.runs())
            .map(|r| if runs.held(outcome, r) { 1.0 } else { 0.0 })
            .collect()
    };
    let (f_a, f_b) = (indicator(&results[0]), indicator(&results[1]));
    let f_mixed: Vec<Vec<f64>> = results[2..].iter().map(indicator).collect();
    let n = f_a.len() as f64;
    let probability = (f_a.iter().sum::<f64>() + f_b.iter().sum::<f64>()) / (2.0 * n);
    SobolResult {
        outcome,
        probability,
        variance: probability * (1.0 - probability),
        indices: jansen_indices(&f_a, &f_b, &f_mixed, BOOTSTRAP_RESAMPLES, seed),
    }
}

/// A factor's total index at least this large is called large (★ with low confidence).
pub const LARGE_TOTAL: f64 = 0.05;
/// … and its interval's lower end must be above this, so that small values are excluded.
pub const SMALL_TOTAL: f64 = 0.01;

/// ★: a single low-confidence assumption whose total index is large and whose interval excludes
/// small values: where better evidence would matter most.
pub fn flagged(scenario: &Scenario, factor: &Factor, indices: &Indices) -> bool {
    let low_confidence = factor.assumptions.len() == 1
        && scenario.assumptions[factor.assumptions[0]].confidence == crate::scenario::Confidence::Low;
    low_confidence && indices.total >= LARGE_TOTAL && indices.total_ci.0 > SMALL_TOTAL
}

/// The factors in decreasing order of total index (chance where it falls), with their indices;
/// empty when the outcome did not vary.
pub fn ranked<'a>(factors: &'a [Factor], result: &SobolResult) -> Vec<(&'a Factor, Indices)> {
    let Some(indices) = &result.indices else {
        return Vec::new();
    };
    let mut rows: Vec<_> = factors.iter().zip(indices.iter().copied()).collect();
    // Equal totals keep the file's order: a stable sort (the page's one compiled sort).
    sort_stably_by(&mut rows, |a, b| b.1.total.total_cmp(&a.1.total));
    rows
}

/// What a factor is, in words (the command line's table and JSON, and the page).
pub fn factor_label(s: &Scenario, factor: &Factor) -> String {
    if factor.chance {
        return "the model's own noise (the run's random draws)".to_string();
    }
    match factor.assumptions.as_slice() {
        [single] if s.assumptions[*single].id == factor.id => s.assumptions[*single].label.clone(),
        _ => match s.sources.iter().find(|source| source.id == factor.id) {
            Some(source) => format!("{} assumptions resting on: {}", factor.assumptions.len(), source.title),
            None => format!("{} assumptions of this kind", factor.assumptions.len()),
        },
    }
}

/// One factor's indices with their 95 % bootstrap intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Indices {
    pub first: f64,
    pub first_ci: (f64, f64),
    pub total: f64,
    pub total_ci: (f64, f64),
}

/// The variance of the outputs over A and B on `rows` (pooled, about their common mean); `None`
/// when it is 0 (the output did not vary), where no index is defined.
fn pooled_variance(f_a: &[f64], f_b: &[f64], rows: &[usize]) -> Option<f64> {
    let n = rows.len() as f64;
    let mean = rows.iter().map(|&j| f_a[j] + f_b[j]).sum::<f64>() / (2.0 * n);
    let variance = rows
        .iter()
        .map(|&j| (f_a[j] - mean).powi(2) + (f_b[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    (variance > 0.0).then_some(variance)
}

/// The Jansen estimates for the rows `rows` (indices into the outputs, repeats allowed).
fn estimate(f_a: &[f64], f_b: &[f64], f_mixed: &[Vec<f64>], rows: &[usize]) -> Option<Vec<(f64, f64)>> {
    let n = rows.len() as f64;
    let variance = pooled_variance(f_a, f_b, rows)?;
    Some(
        f_mixed
            .iter()
            .map(|f_ab| {
                let (mut first, mut total) = (0.0, 0.0);
                for &j in rows {
                    first += (f_b[j] - f_ab[j]).powi(2);
                    total += (f_a[j] - f_ab[j]).powi(2);
                }
                ((variance - first / (2.0 * n)) / variance, total / (2.0 * n) / variance)
            })
            .collect(),
    )
}

/// Outputs that are all 0 or 1 (an outcome held or not, as the page and the command line have
/// them): each squared difference in [`estimate`] is then 0 or 1, and its sums over a resample's
/// rows are whole numbers, which floating point adds exactly in any order. So they are counted
/// instead: a row's multiplicity in the resample, written in binary as bit planes over the rows,
/// against a bit set of the rows where two outputs differ, with popcounts (Σ_k 2^k · |plane_k ∩
/// differ|). The same numbers, bit for bit, with no row gathered per factor: the page's 500
/// resamples of 80 factors took over half a second on its main thread.
struct Indicators {
    /// Per factor, the rows (bit j of word j / 64) where B and AB_g differ (first order), and
    /// where A and AB_g differ (total).
    differ_b: Vec<Vec<u64>>,
    differ_a: Vec<Vec<u64>>,
}

impl Indicators {
    fn of(f_a: &[f64], f_b: &[f64], f_mixed: &[Vec<f64>]) -> Option<Self> {
        let zero_or_one = |f: &[f64]| f.iter().all(|&v| v == 0.0 || v == 1.0);
        if !(zero_or_one(f_a) && zero_or_one(f_b) && f_mixed.iter().all(|f| zero_or_one(f))) {
            return None;
        }
        let differ = |x: &[f64], f_ab: &[f64]| -> Vec<u64> {
            let mut words = vec![0u64; x.len().div_ceil(64)];
            for (j, (a, b)) in x.iter().zip(f_ab).enumerate() {
                words[j / 64] |= u64::from(a != b) << (j % 64);
            }
            words
        };
        Some(Indicators {
            differ_b: f_mixed.iter().map(|f_ab| differ(f_b, f_ab)).collect(),
            differ_a: f_mixed.iter().map(|f_ab| differ(f_a, f_ab)).collect(),
        })
    }

    /// [`estimate`] on `rows`, for outputs of 0 and 1.
    fn estimate(&self, f_a: &[f64], f_b: &[f64], rows: &[usize], counts: &mut [u32]) -> Option<Vec<(f64, f64)>> {
        let n = rows.len() as f64;
        // Added row by row as `estimate` does: its terms are not whole numbers.
        let variance = pooled_variance(f_a, f_b, rows)?;
        counts.fill(0);
        for &j in rows {
            counts[j] += 1;
        }
        let most = counts.iter().copied().max().unwrap_or(0);
        let planes: Vec<Vec<u64>> = (0..u32::BITS - most.leading_zeros())
            .map(|k| {
                let mut words = vec![0u64; counts.len().div_ceil(64)];
                for (j, &c) in counts.iter().enumerate() {
                    words[j / 64] |= u64::from((c >> k) & 1) << (j % 64);
                }
                words
            })
            .collect();
        let count = |differ: &[u64]| -> f64 {
            let total: u64 = planes
                .iter()
                .enumerate()
                .map(|(k, plane)| {
                    let ones: u32 = plane.iter().zip(differ).map(|(p, d)| (p & d).count_ones()).sum();
                    u64::from(ones) << k
                })
                .sum();
            total as f64
        };
        Some(
            self.differ_b
                .iter()
                .zip(&self.differ_a)
                .map(|(differ_b, differ_a)| {
                    let (first, total) = (count(differ_b), count(differ_a));
                    ((variance - first / (2.0 * n)) / variance, total / (2.0 * n) / variance)
                })
                .collect(),
        )
    }
}

/// Jansen first-order and total indices of every factor from the outputs on A, B and each AB_g
/// (all of N rows), with percentile bootstrap intervals (`resamples` resamples drawn from `seed`).
/// `None` when the output does not vary over A and B (every run gave the same answer), where the
/// indices are undefined.
pub fn jansen_indices(
    f_a: &[f64],
    f_b: &[f64],
    f_mixed: &[Vec<f64>],
    resamples: usize,
    seed: u64,
) -> Option<Vec<Indices>> {
    bootstrapped(f_a, f_b, f_mixed, resamples, seed, Indicators::of(f_a, f_b, f_mixed))
}

/// [`jansen_indices`], resampling with `indicators` when given (outputs of 0 and 1).
fn bootstrapped(
    f_a: &[f64],
    f_b: &[f64],
    f_mixed: &[Vec<f64>],
    resamples: usize,
    seed: u64,
    indicators: Option<Indicators>,
) -> Option<Vec<Indices>> {
    let n = f_a.len();
    assert!(
        n > 0 && f_b.len() == n && f_mixed.iter().all(|f| f.len() == n),
        "N rows everywhere"
    );
    let all: Vec<usize> = (0..n).collect();
    let point = estimate(f_a, f_b, f_mixed, &all)?;
    let mut rng = RunRng::new(
        {
            let mut state = seed ^ 0xB007_57AA_F00D_0002;
            splitmix64(&mut state)
        },
        0,
    );
    let mut firsts: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); f_mixed.len()];
    let mut totals: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); f_mixed.len()];
    let mut rows = vec![0; n];
    let mut counts = vec![0u32; n];
    for _ in 0..resamples {
        for row in rows.iter_mut() {
            *row = ((rng.uniform() * n as f64) as usize).min(n - 1);
        }
        let estimates = match &indicators {
            Some(indicators) => indicators.estimate(f_a, f_b, &rows, &mut counts),
            None => estimate(f_a, f_b, f_mixed, &rows),
        };
        // A resample whose outputs do not vary says nothing; it is skipped.
        if let Some(estimates) = estimates {
            for (g, (first, total)) in estimates.into_iter().enumerate() {
                firsts[g].push(first);
                totals[g].push(total);
            }
        }
    }
    let interval = |values: &mut Vec<f64>, at: f64| {
        if values.is_empty() {
            return (at, at);
        }
        crate::engine::sort_doubles(values);
        // 2.5 % and 97.5 %, type 7, as the fan charts take theirs.
        (quantile_of_sorted(values, 0.025), quantile_of_sorted(values, 0.975))
    };
    Some(
        point
            .into_iter()
            .enumerate()
            .map(|(g, (first, total))| Indices {
                first,
                first_ci: interval(&mut firsts[g], first),
                total,
                total_ci: interval(&mut totals[g], total),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bootstrap intervals written out independently: the resamples' rows from the stream the
    /// module documents (key splitmix64(seed ^ 0xB007_57AA_F00D_0002), stream 0, one uniform per
    /// row: floor(u·N)), Jansen's estimates of each resample by their formulas, resamples whose
    /// outputs do not vary skipped, and the 2.5 % and 97.5 % type-7 quantiles of what is left.
    /// On real-valued outputs and on 0/1 outputs (which take the counting path).
    #[test]
    fn bootstrap_intervals_follow_the_resampling_written_out() {
        let reference = |f_a: &[f64], f_b: &[f64], f_ab: &[f64], resamples: usize, seed: u64| {
            let n = f_a.len();
            let mut state = seed ^ 0xB007_57AA_F00D_0002;
            let mut rng = RunRng::new(splitmix64(&mut state), 0);
            let (mut firsts, mut totals) = (Vec::new(), Vec::new());
            for _ in 0..resamples {
                let rows: Vec<usize> = (0..n)
                    .map(|_| ((rng.uniform() * n as f64).floor() as usize).min(n - 1))
                    .collect();
                let values: Vec<f64> = rows.iter().flat_map(|&j| [f_a[j], f_b[j]]).collect();
                let mean = values.iter().sum::<f64>() / values.len() as f64;
                let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / values.len() as f64;
                if variance == 0.0 {
                    continue;
                }
                let mean_square = |x: &[f64], y: &[f64]| {
                    rows.iter().map(|&j| (x[j] - y[j]) * (x[j] - y[j])).sum::<f64>() / (2 * n) as f64
                };
                firsts.push(1.0 - mean_square(f_b, f_ab) / variance);
                totals.push(mean_square(f_a, f_ab) / variance);
            }
            let ends = |mut v: Vec<f64>| {
                v.sort_by(|x, y| x.partial_cmp(y).unwrap());
                let at = |p: f64| {
                    let h = p * (v.len() - 1) as f64;
                    let (below, fraction) = (h.floor(), h - h.floor());
                    let below = below as usize;
                    let above = if below + 1 < v.len() { below + 1 } else { below };
                    v[below] * (1.0 - fraction) + v[above] * fraction
                };
                (at(0.025), at(0.975))
            };
            (ends(firsts), ends(totals))
        };
        let close = |(lo, hi): (f64, f64), (want_lo, want_hi): (f64, f64)| {
            (lo - want_lo).abs() < 1e-12 && (hi - want_hi).abs() < 1e-12
        };
        let real = (
            vec![0.3, 1.7, 0.2, 2.9, 1.1, 0.4, 2.2],
            vec![1.5, 0.1, 2.4, 0.7, 0.9, 3.1, 0.6],
            vec![0.8, 1.6, 0.3, 2.5, 1.2, 2.8, 0.5],
        );
        let zero_one = (
            vec![0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0],
            vec![1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0],
            vec![0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0],
        );
        for (f_a, f_b, f_ab) in [real, zero_one] {
            // Seeds sharing bits with the key's constant (so `^` is not `|`), and one resample
            // alone (an interval of one value).
            for (seed, resamples) in [(2, 41), (0xF00D_0003, 200), (5, 1)] {
                let got = &jansen_indices(&f_a, &f_b, std::slice::from_ref(&f_ab), resamples, seed)
                    .expect("the outputs vary")[0];
                let (first, total) = reference(&f_a, &f_b, &f_ab, resamples, seed);
                assert!(
                    close(got.first_ci, first),
                    "first: {:?} against {first:?}",
                    got.first_ci
                );
                assert!(
                    close(got.total_ci, total),
                    "total: {:?} against {total:?}",
                    got.total_ci
                );
                if resamples > 1 {
                    assert!(
                        got.first_ci.0 < got.first_ci.1 && got.total_ci.0 < got.total_ci.1,
                        "intervals of some width"
                    );
                }
            }
        }
    }

    /// Evaluates `f` on the Saltelli design of `dims` uniforms (no chance factor) with one factor
    /// per group in `groups`, and returns the indices.
    fn indices_of(
        f: impl Fn(&[f64]) -> f64,
        dims: usize,
        groups: &[Vec<usize>],
        rows: usize,
        seed: u64,
    ) -> Vec<Indices> {
        let design = Design::new(seed, rows);
        let factors: Vec<Factor> = groups
            .iter()
            .map(|g| Factor {
                id: String::new(),
                assumptions: g.clone(),
                chance: false,
            })
            .collect();
        let outputs = |matrix: Matrix| -> Vec<f64> {
            (0..rows)
                .map(|j| f(&design.point(&factors, matrix, j, dims).0))
                .collect()
        };
        let f_mixed: Vec<Vec<f64>> = (0..factors.len()).map(|g| outputs(Matrix::Mixed(g))).collect();
        jansen_indices(
            &outputs(Matrix::A),
            &outputs(Matrix::B),
            &f_mixed,
            BOOTSTRAP_RESAMPLES,
            seed,
        )
        .unwrap()
    }

    fn inside(value: f64, ci: (f64, f64), what: &str) {
        assert!(
            ci.0 <= value && value <= ci.1,
            "{what}: {value} outside [{}, {}]",
            ci.0,
            ci.1
        );
    }

    /// Ishigami: f = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1, x ~ U(−π, π). Analytic indices (Ishigami &
    /// Homma 1990; Sobol' & Levitan 1999): with a = 7, b = 0.1, V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2,
    /// V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0, V13 = b²π⁸(1/18 − 1/50); S_i = V_i / V,
    /// T1 = (V1 + V13)/V, T2 = S2, T3 = V13/V.
    /// Counting rows gives exactly what adding them does: 0/1 outputs of 300 rows and 6 factors
    /// (some outputs never differing, some always), bootstrapped both ways from the same seed.
    #[test]
    fn counting_rows_of_zero_one_outputs_gives_the_same_bits_as_adding_them() {
        let mut state = 17u64;
        let mut bit = |p: f64| -> f64 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if ((state >> 11) as f64 / (1u64 << 53) as f64) < p {
                1.0
            } else {
                0.0
            }
        };
        let n = 300;
        let f_a: Vec<f64> = (0..n).map(|_| bit(0.3)).collect();
        let f_b: Vec<f64> = (0..n).map(|_| bit(0.3)).collect();
        let mut f_mixed: Vec<Vec<f64>> = [0.0, 0.05, 0.2, 0.5]
            .iter()
            .map(|&flip| {
                f_a.iter()
                    .map(|&a| if bit(flip) == 1.0 { 1.0 - a } else { a })
                    .collect()
            })
            .collect();
        f_mixed.push(f_b.clone());
        f_mixed.push(vec![1.0; n]);
        let counted = Indicators::of(&f_a, &f_b, &f_mixed);
        assert!(counted.is_some());
        let by_count = bootstrapped(&f_a, &f_b, &f_mixed, 200, 9, counted).unwrap();
        let by_adding = bootstrapped(&f_a, &f_b, &f_mixed, 200, 9, None).unwrap();
        let bits = |v: &[Indices]| -> Vec<[u64; 6]> {
            v.iter()
                .map(|i| [i.first, i.first_ci.0, i.first_ci.1, i.total, i.total_ci.0, i.total_ci.1].map(f64::to_bits))
                .collect()
        };
        assert_eq!(bits(&by_count), bits(&by_adding));
        assert!(
            Indicators::of(&[0.5], &[1.0], &[vec![0.0]]).is_none(),
            "not 0/1: rows are added"
        );
    }

    #[test]
    fn ishigami_indices_are_inside_their_intervals() {
        use std::f64::consts::PI;
        let (a, b) = (7.0, 0.1);
        let v1 = (1.0 + b * PI.powi(4) / 5.0).powi(2) / 2.0;
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        let want_first = [v1 / v, v2 / v, 0.0];
        let want_total = [(v1 + v13) / v, v2 / v, v13 / v];
        // Sanity of the formulas against the published values 0.3139, 0.4424, 0; 0.5576, 0.4424, 0.2437.
        assert!((want_first[0] - 0.3139).abs() < 1e-4 && (want_total[2] - 0.2437).abs() < 1e-4);
        let x = |u: f64| -PI + 2.0 * PI * u;
        let f = |u: &[f64]| {
            let (x1, x2, x3) = (x(u[0]), x(u[1]), x(u[2]));
            x1.sin() + a * x2.sin().powi(2) + b * x3.powi(4) * x1.sin()
        };
        // Twenty independent designs: each 95 % interval should hold its true value about 114 times
        // in 120 (fewer than 102 has a probability below 0.1 % if the intervals are right), and
        // the mean estimates within 4 standard errors of the truth (each design's standard error
        // read from its interval's width, 2 × 1.96 of them; the mean's is √20 smaller).
        let designs = 20;
        let mut covered = 0;
        let mut mean_first = [0.0; 3];
        let mut mean_total = [0.0; 3];
        let mut se_first = [0.0; 3];
        let mut se_total = [0.0; 3];
        for seed in 0..designs {
            let found = indices_of(f, 3, &[vec![0], vec![1], vec![2]], 5_000, seed);
            for i in 0..3 {
                let holds = |value: f64, ci: (f64, f64)| usize::from(ci.0 <= value && value <= ci.1);
                covered += holds(want_first[i], found[i].first_ci) + holds(want_total[i], found[i].total_ci);
                mean_first[i] += found[i].first / designs as f64;
                mean_total[i] += found[i].total / designs as f64;
                let se = |ci: (f64, f64)| (ci.1 - ci.0) / (2.0 * 1.96) / designs as f64 / (designs as f64).sqrt();
                se_first[i] += se(found[i].first_ci);
                se_total[i] += se(found[i].total_ci);
            }
        }
        assert!(covered >= 102, "only {covered} of 120 intervals hold their true value");
        for i in 0..3 {
            let (first, total) = (mean_first[i], mean_total[i]);
            assert!(
                (first - want_first[i]).abs() < 4.0 * se_first[i],
                "S{}: {first} ± {}",
                i + 1,
                se_first[i]
            );
            assert!(
                (total - want_total[i]).abs() < 4.0 * se_total[i],
                "T{}: {total} ± {}",
                i + 1,
                se_total[i]
            );
            assert!(se_total[i] < 0.01, "T{} too imprecise to test anything", i + 1);
        }
    }

    /// Additive: f = x1 + 2 x2 + 3 x3 with x ~ U(0, 1): S_i = T_i = c_i² / Σ c² = 1/14, 4/14, 9/14;
    /// the group {x2, x3} has 13/14, and {x1} 1/14 again when grouped that way.
    #[test]
    fn an_additive_function_and_its_groups() {
        let f = |u: &[f64]| u[0] + 2.0 * u[1] + 3.0 * u[2];
        let found = indices_of(f, 3, &[vec![0], vec![1], vec![2]], 10_000, 42);
        for (i, want) in [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0].into_iter().enumerate() {
            inside(want, found[i].first_ci, &format!("S{}", i + 1));
            inside(want, found[i].total_ci, &format!("T{}", i + 1));
        }
        let grouped = indices_of(f, 3, &[vec![0], vec![1, 2]], 10_000, 42);
        inside(1.0 / 14.0, grouped[0].first_ci, "S{1}");
        inside(13.0 / 14.0, grouped[1].first_ci, "S{2,3}");
        inside(13.0 / 14.0, grouped[1].total_ci, "T{2,3}");
        // An additive function has no interactions: the total index equals the first-order one
        // up to sampling error, and the first-order indices add up to 1.
        let sum: f64 = found.iter().map(|i| i.first).sum();
        assert!((sum - 1.0).abs() < 0.05, "{sum}");
    }

    /// A data set cited "for reference only" is not what the value rests on; cited plainly, it is.
    #[test]
    fn reference_only_citations_do_not_group_by_source() {
        let text = include_str!("../../tests/fixtures/known_answers.toml").replacen(
            "[model]",
            "[[sources]]\nid = \"data\"\ntitle = \"Data\"\ndate = \"2026-11\"\nkind = \"dataset\"\ndescription = \"Test.\"\nreliability = \"Test.\"\n\n[model]",
            1,
        );
        let cite = |note: &str| {
            text.replacen(
                "label = \"AAA weight\", rationale = \"Test value.\", confidence = \"low\", sources = [{ source = \"judgement\" }]",
                &format!("label = \"AAA weight\", rationale = \"Test value.\", confidence = \"low\", sources = [{{ source = \"data\", note = \"{note}\" }}, {{ source = \"judgement\" }}]"),
                1,
            )
        };
        let group_of_weight = |text: &str| {
            let scenario = crate::scenario::parse_scenario("test", text).expect("the fixture loads");
            let weight = scenario.assumption_index("actor.AAA.weight").expect("the weight");
            let factors = factors(&scenario, &scenario.defaults(), GroupBy::Source);
            factors
                .into_iter()
                .find(|f| f.assumptions.contains(&weight))
                .map(|f| f.id)
                .unwrap()
        };
        assert_eq!(
            group_of_weight(&cite("Mean 0.3; For Reference Only, set by judgement.")),
            "judgement"
        );
        assert_eq!(group_of_weight(&cite("Mean 0.3, the value's basis.")), "data");
        // Cited after judgement, the data set still comes first: data sets before judgement.
        let judgement_first = text.replacen(
            "label = \"AAA weight\", rationale = \"Test value.\", confidence = \"low\", sources = [{ source = \"judgement\" }]",
            "label = \"AAA weight\", rationale = \"Test value.\", confidence = \"low\", sources = [{ source = \"judgement\" }, { source = \"data\", note = \"Mean 0.3.\" }]",
            1,
        );
        assert_eq!(group_of_weight(&judgement_first), "data");
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        assert_eq!(jansen_indices(&[1.0; 5], &[1.0; 5], &[vec![1.0; 5]], 10, 1), None);
    }

    /// The design as the module describes it: row j of A draws on stream j, of B on stream N + j;
    /// AB_g is A with g's columns from B (on A's stream), and for chance with B's stream instead.
    #[test]
    fn the_design_takes_each_factors_columns_or_stream_from_b() {
        let design = Design::new(7, 100);
        let factors = [
            Factor {
                id: "x".into(),
                assumptions: vec![0, 2],
                chance: false,
            },
            Factor {
                id: CHANCE.into(),
                assumptions: Vec::new(),
                chance: true,
            },
        ];
        let (a, b) = (design.row(false, 5, 3), design.row(true, 5, 3));
        assert!(a.iter().zip(&b).all(|(a, b)| a != b));
        assert_eq!(design.point(&factors, Matrix::A, 5, 3), (a.clone(), 5));
        assert_eq!(design.point(&factors, Matrix::B, 5, 3), (b.clone(), 105));
        assert_eq!(
            design.point(&factors, Matrix::Mixed(0), 5, 3),
            (vec![b[0], a[1], b[2]], 5)
        );
        assert_eq!(design.point(&factors, Matrix::Mixed(1), 5, 3), (a, 105));
    }

    /// The kept rows are the design's points through each assumption's draw, for every matrix
    /// (groups of assumptions, single ones, chance) and rows in any order, made or kept; other
    /// draws or another design start afresh; a design over the limit is not kept.
    #[test]
    fn kept_rows_are_the_design_points_through_the_draws() {
        let scenario = crate::scenario::builtin("sino-russian-drift").unwrap().unwrap();
        let values = scenario.defaults();
        let draws = super::super::uncertainty::draws(&scenario, &values);
        let reversed: Vec<Draw> = draws.iter().rev().copied().collect();
        let (by_kind, by_assumption) = (
            factors(&scenario, &values, GroupBy::Kind),
            factors(&scenario, &values, GroupBy::Assumption),
        );
        let mut rows = DesignRows::default();
        let mut got = vec![0.0; draws.len()];
        // Same design with other draws, another design with other draws, another with the same.
        for (seed, factors, draws) in [
            (7, &by_kind, &draws),
            (7, &by_kind, &reversed),
            (8, &by_assumption, &draws),
            (9, &by_assumption, &draws),
        ] {
            let design = Design::new(seed, 40);
            assert!(rows.prepare(&design, draws));
            for matrix in matrices(factors) {
                for row in [39, 0, 17, 39] {
                    let stream = rows.values_into(factors, matrix, row, &mut got);
                    let (u, want_stream) = design.point(factors, matrix, row, draws.len());
                    let want: Vec<f64> = draws.iter().zip(&u).map(|(draw, &u)| draw.at(u)).collect();
                    assert_eq!(
                        (&got, stream),
                        (&want, want_stream),
                        "seed {seed}, {matrix:?}, row {row}"
                    );
                }
            }
        }
        assert!(!rows.prepare(&Design::new(7, DesignRows::MAX_ROWS + 1), &draws));
        assert!(rows.prepare(&Design::new(7, DesignRows::MAX_ROWS), &draws));
    }

    /// ★ by hand: a single low-confidence assumption with a total index of at least 0.05 whose
    /// interval's lower end is above 0.01; not a group, not a medium-confidence assumption.
    #[test]
    fn the_flag_by_hand() {
        let text = include_str!("../../tests/fixtures/known_answers.toml").replacen(
            "label = \"AAA weight\", rationale = \"Test value.\", confidence = \"low\"",
            "label = \"AAA weight\", rationale = \"Test value.\", confidence = \"medium\"",
            1,
        );
        let scenario = crate::scenario::parse_scenario("test", &text).expect("the fixture loads");
        let low = scenario
            .assumption_index("event.decider.probability")
            .expect("a probability");
        let medium = scenario.assumption_index("actor.AAA.weight").expect("the weight");
        let factor = |assumptions: Vec<usize>| Factor {
            id: "f".into(),
            assumptions,
            chance: false,
        };
        let indices = |total: f64, lower: f64| Indices {
            first: 0.0,
            first_ci: (0.0, 0.0),
            total,
            total_ci: (lower, 1.0),
        };
        assert!(flagged(&scenario, &factor(vec![low]), &indices(0.05, 0.0101)));
        assert!(!flagged(&scenario, &factor(vec![low]), &indices(0.0499, 0.0101)));
        assert!(!flagged(&scenario, &factor(vec![low]), &indices(0.05, 0.01)));
        assert!(!flagged(&scenario, &factor(vec![low]), &indices(0.5, 0.0)));
        assert!(!flagged(&scenario, &factor(vec![medium]), &indices(0.5, 0.3)));
        assert!(!flagged(&scenario, &factor(vec![low, medium]), &indices(0.5, 0.3)));
        assert!(!flagged(&scenario, &factor(vec![medium, low]), &indices(0.5, 0.3)));
    }

    /// What a factor is called: chance in words, a single assumption by its label, a group by its
    /// size and source title, or by its size alone for a kind.
    #[test]
    fn factor_labels_by_hand() {
        let scenario = crate::scenario::parse_scenario("test", include_str!("../../tests/fixtures/known_answers.toml"))
            .expect("the fixture loads");
        let p = scenario
            .assumption_index("event.decider.probability")
            .expect("a probability");
        let w = scenario.assumption_index("actor.AAA.weight").expect("the weight");
        let factor = |id: &str, assumptions: Vec<usize>| Factor {
            id: id.into(),
            assumptions,
            chance: false,
        };
        let chance = Factor {
            id: CHANCE.into(),
            assumptions: Vec::new(),
            chance: true,
        };
        assert_eq!(
            factor_label(&scenario, &chance),
            "the model's own noise (the run's random draws)"
        );
        assert_eq!(
            factor_label(&scenario, &factor("event.decider.probability", vec![p])),
            "decider per year"
        );
        assert_eq!(
            factor_label(&scenario, &factor("judgement", vec![p])),
            "1 assumptions resting on: Modeller's judgement"
        );
        assert_eq!(
            factor_label(&scenario, &factor("judgement", vec![p, w])),
            "2 assumptions resting on: Modeller's judgement"
        );
        assert_eq!(
            factor_label(&scenario, &factor("events", vec![p, w, 0])),
            "3 assumptions of this kind"
        );
    }
}
