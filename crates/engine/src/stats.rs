//! Summary statistics over the runs of one month, without keeping any path.

use crate::lanes::{greater, lesser, with_widest_simd, Kernels};

/// The quantile levels of the fan charts.
pub const QUANTILE_LEVELS: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// Position of quantile level `q` among `n` sorted values (linear interpolation between
/// order statistics, "type 7", as NumPy and R use by default): (lower index, fraction).
fn quantile_position(n: usize, q: f64) -> (usize, f64) {
    let h = (n - 1) as f64 * q;
    let lower = h.floor();
    (lower as usize, h - lower)
}

/// Reusable buffers for [`Quantiles::of`], so that a month's 21 pairs allocate nothing.
#[derive(Clone, Debug, Default)]
pub struct Quantiles {
    counts: Vec<u32>,
    /// Each value's bucket, from the counting pass, for the gathering pass.
    bucket_of: Vec<u16>,
    gathered: Vec<Vec<f64>>,
}

impl Quantiles {
    /// The five [`QUANTILE_LEVELS`] of `values`, exactly (the same order statistics a sort gives).
    ///
    /// A counting pass over equal-width buckets between the minimum and the maximum finds, for
    /// each level, the buckets that hold its two order statistics; a second pass gathers only
    /// those buckets' values, which are then sorted. Bucketing is monotone in the value, so ranks
    /// are preserved. Linear time, and branch-light, which beats selection by comparison on a few
    /// thousand values.
    pub fn of(&mut self, values: &[f64]) -> [f64; 5] {
        // Compiled once, with the widest vectors the processor has: its passes are loops over
        // 16-bit buckets and doubles.
        with_widest_simd(
            #[inline(always)]
            |kernels| self.of_any_simd(values, kernels),
        )
    }

    #[inline(always)]
    fn of_any_simd(&mut self, values: &[f64], kernels: Kernels) -> [f64; 5] {
        let n = values.len();
        assert!(n > 0, "quantiles of no values");
        let (min, max) = extremes(values);
        let positions = QUANTILE_LEVELS.map(|q| quantile_position(n, q));
        // All equal (or NaN, which the engine never produces): every quantile is that value, the
        // first one's bits, so that +0 and −0 never depend on the order `extremes` visits them in.
        if max.partial_cmp(&min) != Some(std::cmp::Ordering::Greater) {
            return [values[0]; 5];
        }
        let buckets = (n / 2).clamp(16, 4096);
        // Bucket = (v − min)·scale rounded to nearest, by adding and removing 1.5·2^52 (monotone in
        // v, which is all the method needs; cheaper than a checked float-to-integer cast). The
        // largest value lands in bucket `buckets − 1` (or rounds up one more, which is allowed for).
        let scale = (buckets - 1) as f64 / (max - min);
        const ROUNDER: f64 = 6755399441055744.0;
        let bucket = |v: f64| (((v - min) * scale + ROUNDER).to_bits() as u32 as usize).min(buckets);
        self.counts.clear();
        self.counts.resize(buckets + 1, 0);
        self.bucket_of.clear();
        self.bucket_of.resize(n, 0);
        // Sliced to their length, so that the compiler sees every bucket index in bounds.
        let counts = &mut self.counts[..buckets + 1];
        // Two loops rather than one: the first is vector arithmetic, the second the scalar
        // increments (capped again only so that the compiler sees the index in bounds).
        // In the page, all but the last few with `simd128` intrinsics (LLVM keeps this loop scalar
        // in wasm); the same arithmetic, so the same buckets.
        #[cfg(target_arch = "wasm32")]
        let done = crate::simd128::buckets(values, min, scale, ROUNDER, buckets as u32, &mut self.bucket_of);
        #[cfg(not(target_arch = "wasm32"))]
        let done = 0;
        for (&v, slot) in values[done..].iter().zip(&mut self.bucket_of[done..]) {
            *slot = bucket(v) as u16;
        }
        for &b in &self.bucket_of {
            counts[usize::from(b).min(buckets)] += 1;
        }
        // Each level needs its order statistic i and the next one, i + 1 (for interpolation): the
        // buckets from i's to i + 1's are the level's span (one bucket, or two side by side, nearly
        // always). The levels ascend, so one walk up the buckets finds every span, and with it the
        // count of values below the span, from which a rank within the span's values follows.
        // The walk skips whole groups of buckets by their sum, which the compiler vectorises.
        const GROUP: usize = 16;
        let counts = &self.counts[..buckets + 1];
        let (mut below, mut b) = (0usize, 0usize);
        let mut bucket_of_rank = |rank: usize| -> (usize, usize) {
            while b + GROUP <= counts.len() {
                let group: u32 = counts[b..b + GROUP].iter().sum();
                if below + group as usize > rank {
                    break;
                }
                below += group as usize;
                b += GROUP;
            }
            while below + counts[b] as usize <= rank {
                below += counts[b] as usize;
                b += 1;
            }
            (b, below)
        };
        // (first bucket, last bucket, values below the first) of each level.
        // Two levels with the same i (a few values) share a span: the walk only goes up.
        let mut spans = [(0u16, 0u16, 0usize); 5];
        for (k, &(i, _)) in positions.iter().enumerate() {
            spans[k] = if k > 0 && positions[k - 1].0 == i {
                spans[k - 1]
            } else {
                let (first, below_first) = bucket_of_rank(i);
                let (last, _) = bucket_of_rank((i + 1).min(n - 1));
                (first as u16, last as u16, below_first)
            };
        }
        if self.gathered.len() < spans.len() {
            self.gathered.resize(spans.len(), Vec::new());
        }
        for g in &mut self.gathered {
            g.clear();
        }
        // For 32 values at a time, one bit per value in some span (vector comparisons); then only
        // those few values are visited, one by one, and go to each span they are in.
        let spans_by_width = spans.map(|(first, last, _)| (first, last - first));
        let gathered = &mut self.gathered;
        let mut gather = |b: u16, v: f64| {
            for (gathered, &span) in gathered.iter_mut().zip(&spans_by_width) {
                if in_span(b, span) {
                    gathered.push(v);
                }
            }
        };
        let whole = n - n % SPAN_CHUNK;
        let chunks = values[..whole]
            .chunks_exact(SPAN_CHUNK)
            .zip(self.bucket_of.chunks_exact(SPAN_CHUNK));
        for (chunk, buckets) in chunks {
            let buckets: &[u16; SPAN_CHUNK] = buckets.try_into().expect("a whole chunk");
            let mut hits = in_some_span(buckets, &spans_by_width, kernels);
            while hits != 0 {
                let i = hits.trailing_zeros() as usize;
                hits &= hits - 1;
                gather(buckets[i], chunk[i]);
            }
        }
        for (&b, &v) in self.bucket_of[whole..].iter().zip(&values[whole..]) {
            gather(b, v);
        }
        for g in &mut self.gathered[..spans.len()] {
            crate::order::sort_doubles(g);
        }
        // Level k's order statistics are ranks i and i + 1: positions i − below and i + 1 − below
        // of its span's values, sorted.
        let mut levels = [0.0; 5];
        for (k, ((i, fraction), &(_, _, below))) in positions.into_iter().zip(&spans).enumerate() {
            let span = &self.gathered[k];
            let lower = span[i - below];
            levels[k] = if fraction > 0.0 {
                lower + fraction * (span[i + 1 - below] - lower)
            } else {
                lower
            };
        }
        levels
    }
}

/// Whether `bucket` lies in the span of buckets (first, width): bucket − first ≤ width in wrapping
/// 16-bit arithmetic, one comparison for first ≤ bucket ≤ first + width (spans never wrap past
/// 65 535). The kernels of [`in_some_span`] make the same comparison.
#[inline(always)]
fn in_span(bucket: u16, (first, width): (u16, u16)) -> bool {
    bucket.wrapping_sub(first) <= width
}

/// How many values' buckets [`in_some_span`] tests at once.
const SPAN_CHUNK: usize = 32;

/// Bit i set when `buckets[i]` lies in one of `spans` ([`in_span`]). With AVX-512 and in the page,
/// a kernel of the same comparisons: from this loop LLVM builds the bits with shuffles and a
/// horizontal OR.
#[inline(always)]
#[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
fn in_some_span(buckets: &[u16; SPAN_CHUNK], spans: &[(u16, u16); 5], kernels: Kernels) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if kernels.avx512() {
        // SAFETY: `kernels` says the processor has AVX-512.
        return unsafe { crate::avx512::in_some_span(buckets, spans) };
    }
    #[cfg(target_arch = "wasm32")]
    return crate::simd128::in_some_span(buckets, spans);
    #[allow(unreachable_code)]
    {
        let mut hits = [false; SPAN_CHUNK];
        for &span in spans {
            for (hit, &b) in hits.iter_mut().zip(buckets) {
                *hit |= in_span(b, span);
            }
        }
        hits.iter()
            .enumerate()
            .fold(0, |bits, (i, &hit)| bits | u32::from(hit) << i)
    }
}

/// How many doubles the quantiles' vector passes take at a time: the running extremes side by
/// side, and the buckets computed together in the page.
pub(crate) const DOUBLES: usize = 8;

/// The smallest and the largest of `values` (never NaN), eight running extremes side by side so
/// that the pass vectorises (in the page, written with `simd128` intrinsics, which do the same).
#[inline(always)]
fn extremes(values: &[f64]) -> (f64, f64) {
    const LANES: usize = DOUBLES;
    let rest = values.chunks_exact(LANES).remainder();
    #[cfg(target_arch = "wasm32")]
    let (low, high) = crate::simd128::running_extremes(values);
    #[cfg(not(target_arch = "wasm32"))]
    let (low, high) = {
        let mut low = [f64::INFINITY; LANES];
        let mut high = [f64::NEG_INFINITY; LANES];
        for block in values.chunks_exact(LANES) {
            for l in 0..LANES {
                low[l] = lesser(low[l], block[l]);
                high[l] = greater(high[l], block[l]);
            }
        }
        (low, high)
    };
    let low = low.into_iter().chain(rest.iter().copied()).fold(f64::INFINITY, lesser);
    let high = high
        .into_iter()
        .chain(rest.iter().copied())
        .fold(f64::NEG_INFINITY, greater);
    (low, high)
}

/// The five [`QUANTILE_LEVELS`] of `values` (a convenience over [`Quantiles::of`]).
pub fn quantiles(values: &[f64]) -> [f64; 5] {
    Quantiles::default().of(values)
}

/// Arithmetic mean, summed in slice order (so the result is reproducible to the bit).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Monte Carlo standard error of a proportion p over n runs: sqrt(p(1 − p)/n).
pub fn proportion_std_error(p: f64, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    (p * (1.0 - p) / n as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference written without anything from this module: Hyndman & Fan's definition 7 (NumPy's
    /// and R's default), Q(q) = x₍ⱼ₎ + g·(x₍ⱼ₊₁₎ − x₍ⱼ₎) with 1-based order statistics x₍₁₎ ≤ … ≤ x₍ₙ₎,
    /// j = ⌊(n − 1)q⌋ + 1 and g the fractional part of (n − 1)q (x₍ₙ₊₁₎ read as x₍ₙ₎).
    fn sorted_quantile(values: &[f64], q: f64) -> f64 {
        let mut x = values.to_vec();
        x.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let n = x.len();
        let h = (n as f64 - 1.0) * q;
        let j = h.floor() as usize + 1;
        let g = h - h.floor();
        let order = |k: usize| x[k.min(n) - 1];
        if g == 0.0 {
            order(j)
        } else {
            order(j) + g * (order(j + 1) - order(j))
        }
    }

    /// Which of 32 buckets lie in some span, by the portable loop and by the widest kernel the
    /// processor has (AVX-512's where it has it), against spans read as first ≤ bucket ≤ first +
    /// width, without the wrapping subtraction. Spans as the quantiles make them (within the 4 097
    /// buckets, one bucket wide or more), buckets on and next to their edges, and the extremes of
    /// the 16-bit range.
    #[test]
    fn buckets_in_some_span_by_every_kernel() {
        let mut state = 11u64;
        let mut next = || crate::rng::splitmix64(&mut state);
        for _ in 0..3000 {
            let spans: [(u16, u16); 5] = core::array::from_fn(|_| {
                let r = next();
                let first = (r % 4097) as u16;
                (first, ((r >> 16) % 4) as u16 % (4097 - first))
            });
            let buckets: [u16; SPAN_CHUNK] = core::array::from_fn(|_| {
                let r = next();
                let (first, width) = spans[(r % 5) as usize];
                match (r >> 8) % 8 {
                    0 => first,
                    1 => first + width,
                    2 => first.wrapping_sub(1),
                    3 => first + width + 1,
                    4 => 0,
                    5 => u16::MAX,
                    _ => ((r >> 20) % 4097) as u16,
                }
            });
            let expected = (0..SPAN_CHUNK)
                .filter(|&i| {
                    spans.iter().any(|&(first, width)| {
                        first <= buckets[i] && u32::from(buckets[i]) <= u32::from(first) + u32::from(width)
                    })
                })
                .fold(0u32, |bits, i| bits | 1 << i);
            for kernels in [Kernels::PORTABLE, Kernels::widest()] {
                let found = in_some_span(&buckets, &spans, kernels);
                assert_eq!(found, expected, "{kernels:?}: buckets {buckets:?}, spans {spans:?}");
            }
        }
    }

    #[test]
    fn quantiles_of_small_samples_by_hand() {
        // 21 values 0, 1, …, 20: (n − 1)q = 20q falls on whole ranks, so the quantiles are 1, 5, 10, 15, 19.
        let values: Vec<f64> = (0..=20).rev().map(f64::from).collect();
        assert_eq!(quantiles(&values), [1.0, 5.0, 10.0, 15.0, 19.0]);
        // 1, 2, 3, 4 (given out of order): (n − 1)q = 3q = 0.15, 0.75, 1.5, 2.25, 2.85, so the
        // quantiles are 1.15, 1.75, 2.5, 3.25, 3.85.
        let got = quantiles(&[3.0, 1.0, 4.0, 2.0]);
        for (g, want) in got.iter().zip([1.15, 1.75, 2.5, 3.25, 3.85]) {
            assert!((g - want).abs() < 1e-15, "{got:?}");
        }
        // 0 and 10: the quantile at level q is 10q.
        let got = quantiles(&[10.0, 0.0]);
        for (g, q) in got.iter().zip(QUANTILE_LEVELS) {
            assert!((g - 10.0 * q).abs() < 1e-14, "{got:?}");
        }
        // One value, and a sample with a far outlier (one bucket holds almost everything).
        assert_eq!(quantiles(&[-0.25]), [-0.25; 5]);
        let mut skewed = vec![0.0; 99];
        skewed.push(1e9);
        assert_eq!(quantiles(&skewed), [0.0, 0.0, 0.0, 0.0, 0.0]);
        skewed.truncate(19);
        skewed.push(1e9); // n = 20: 19·0.95 = 18.05 → x₍₁₉₎ + 0.05·(x₍₂₀₎ − x₍₁₉₎) = 0.05·1e9
        let top = quantiles(&skewed)[4];
        assert!((top - 0.05 * 1e9).abs() < 1e-3, "{top}");
    }

    /// Values that are all zero, of both signs: every quantile is the first value, to its sign,
    /// whatever order a pass that finds the extremes visits them in (the native and the page's
    /// passes are written separately).
    #[test]
    fn quantiles_of_signed_zeros_are_the_first_value() {
        for n in [1usize, 5, 8, 33, 100, 2000] {
            for first in [0.0, -0.0] {
                let mut values = vec![-first; n];
                values[0] = first;
                let quantiles = quantiles(&values);
                assert!(
                    quantiles.iter().all(|q| q.to_bits() == first.to_bits()),
                    "n = {n}, first {first:?}: {quantiles:?}"
                );
            }
        }
    }

    #[test]
    fn values_spread_over_a_wide_range() {
        // Bucketing must keep the order of values whatever their scale: values 0, 1e5, 2e5, … (in a
        // scrambled order) up to about 2e8, against the reference.
        for n in [21usize, 2000] {
            let values: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64 * 1e5).collect();
            let got = quantiles(&values);
            for (level, value) in QUANTILE_LEVELS.iter().zip(got) {
                assert_eq!(value, sorted_quantile(&values, *level), "n = {n}, q = {level}");
            }
            // Order statistics of 0, 1e5, …, (n − 1)·1e5 at (n − 1)q: q·(n − 1)·1e5.
            assert!((got[2] - 0.5 * (n - 1) as f64 * 1e5).abs() < 1e-6);
            // Centred a hair above 0 (min + max tiny, max − min large), and all negative.
            for shift in [-((n - 1) as f64) / 2.0 + 1e-7, -1e9] {
                let moved: Vec<f64> = values.iter().map(|v| v / 1e5 + shift).collect();
                let got = quantiles(&moved);
                for (level, value) in QUANTILE_LEVELS.iter().zip(got) {
                    assert_eq!(
                        value,
                        sorted_quantile(&moved, *level),
                        "n = {n}, shift {shift}, q = {level}"
                    );
                }
            }
        }
    }

    #[test]
    fn extremes_wherever_they_are() {
        // Sizes below, at and past one block of eight, and up to a month's row of 2 000 runs; the
        // extremes in a block's first or last lane or among the values after the last whole block.
        for n in [1usize, 7, 8, 9, 16, 21, 33, 64, 2000] {
            for (at_low, at_high) in [(0, n - 1), (n - 1, 0), (n / 2, n.saturating_sub(2)), (n - 1, n / 3)] {
                if at_low == at_high && n > 1 {
                    continue;
                }
                let mut values: Vec<f64> = (0..n).map(|i| 0.01 * (i % 5) as f64 - 0.02).collect();
                values[at_high] = 0.75;
                values[at_low] = -0.5;
                let want = if n == 1 { (-0.5, -0.5) } else { (-0.5, 0.75) };
                assert_eq!(extremes(&values), want, "n = {n}, low at {at_low}, high at {at_high}");
            }
        }
    }

    #[test]
    fn mean_and_standard_error_by_hand() {
        assert_eq!(mean(&[1.0, 2.0, 6.0]), 3.0);
        assert_eq!(mean(&[-0.5]), -0.5);
        // sqrt(0.2·0.8/100) = sqrt(0.0016) = 0.04
        assert!((proportion_std_error(0.2, 100) - 0.04).abs() < 1e-15);
        assert_eq!(proportion_std_error(0.0, 10), 0.0);
        assert_eq!(proportion_std_error(0.5, 0), 0.0);
        // p = 0.5, n = 4: sqrt(0.25/4) = 0.25
        assert_eq!(proportion_std_error(0.5, 4), 0.25);
    }

    #[test]
    fn selection_matches_sorting_for_many_sizes() {
        let mut state = 12345u64;
        // Uniform; cubed (dense in the middle, sparse tails, so a level's two order statistics
        // can fall buckets apart); and on a grid of 0.1 (ties across the bucket edges). Sizes
        // around the 16 values of a vector group and past the cap of 4 096 buckets.
        type Shape = (&'static str, fn(f64) -> f64);
        let shapes: [Shape; 3] = [
            ("uniform", |u| u),
            ("cubed", |u| u * u * u),
            ("grid", |u| (u * 10.0).round() / 10.0),
        ];
        for (shape, transform) in shapes {
            for n in [
                1usize, 2, 3, 4, 5, 7, 10, 15, 16, 17, 19, 20, 21, 33, 100, 101, 1999, 2000, 8191, 12_345,
            ] {
                let values: Vec<f64> = (0..n)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        transform(((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0)
                    })
                    .collect();
                let got = quantiles(&values);
                for (level, value) in QUANTILE_LEVELS.iter().zip(got) {
                    assert_eq!(value, sorted_quantile(&values, *level), "{shape}, n = {n}, q = {level}");
                }
            }
        }
    }

    #[test]
    fn ties_and_constant_values() {
        assert_eq!(quantiles(&vec![0.3; 50]), [0.3; 5]);
        for v in [
            vec![1.0, 1.0, 2.0, 2.0],
            [vec![0.5; 1000], vec![-0.9], vec![0.9; 3]].concat(),
        ] {
            let want: Vec<f64> = QUANTILE_LEVELS.iter().map(|q| sorted_quantile(&v, *q)).collect();
            assert_eq!(quantiles(&v).to_vec(), want);
        }
    }
}
