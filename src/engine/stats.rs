//! Summary statistics over the runs of one month, without keeping any path.

/// The quantile levels of the fan charts.
pub const QUANTILE_LEVELS: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// Position of quantile level `q` among `n` sorted values (linear interpolation between
/// order statistics, "type 7", as NumPy and R use by default): (lower index, fraction).
fn quantile_position(n: usize, q: f64) -> (usize, f64) {
    let h = (n - 1) as f64 * q;
    let lower = h.floor();
    (lower as usize, h - lower)
}

/// The five [`QUANTILE_LEVELS`] of `values`, which are reordered (not sorted) in the process.
///
/// Uses selection rather than a full sort: the median first, then each other level inside the
/// part already known to hold it, so the cost is a few passes over the data. Short inputs, where
/// levels may share an order statistic, are simply sorted.
pub fn quantiles_in_place(values: &mut [f64]) -> [f64; 5] {
    let n = values.len();
    assert!(n > 0, "quantiles of no values");
    let positions = QUANTILE_LEVELS.map(|q| quantile_position(n, q));
    if n < 64 {
        values.sort_unstable_by(f64::total_cmp);
        return positions.map(|(i, f)| interpolate(values[i], values.get(i + 1).copied(), f));
    }
    let [p05, p25, p50, p75, p95] = positions;
    // Each level's order statistic lies in the part bounded by an earlier pivot.
    let mut out = [0.0; 5];
    out[2] = select_level(values, 0, n, p50);
    out[1] = select_level(values, 0, p50.0, p25);
    out[0] = select_level(values, 0, p25.0, p05);
    out[3] = select_level(values, p50.0 + 1, n, p75);
    out[4] = select_level(values, p75.0 + 1, n, p95);
    out
}

fn interpolate(lower: f64, upper: Option<f64>, fraction: f64) -> f64 {
    match upper {
        Some(upper) if fraction > 0.0 => lower + fraction * (upper - lower),
        _ => lower,
    }
}

/// Interpolated quantile at `(index, fraction)`, where the element of rank `index` is known to lie
/// in `values[lo..hi]` and `values[hi]` (if any) is the smallest element after that part.
fn select_level(values: &mut [f64], lo: usize, hi: usize, (index, fraction): (usize, f64)) -> f64 {
    debug_assert!(lo <= index && index < hi);
    let part = &mut values[lo..hi];
    let k = index - lo;
    part.select_nth_unstable_by(k, f64::total_cmp);
    let lower = part[k];
    if fraction == 0.0 {
        return lower;
    }
    let upper = part[k + 1..].iter().copied().min_by(f64::total_cmp).or_else(|| values.get(hi).copied());
    interpolate(lower, upper, fraction)
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

    /// Reference: sort, then interpolate.
    fn sorted_quantile(values: &[f64], q: f64) -> f64 {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (i, f) = quantile_position(sorted.len(), q);
        if f == 0.0 {
            sorted[i]
        } else {
            sorted[i] + f * (sorted[i + 1] - sorted[i])
        }
    }

    #[test]
    fn selection_matches_sorting_for_many_sizes() {
        let mut state = 12345u64;
        for n in [1usize, 2, 3, 4, 5, 7, 10, 19, 20, 21, 100, 101, 1999, 2000] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
                })
                .collect();
            let mut scratch = values.clone();
            let got = quantiles_in_place(&mut scratch);
            for (level, value) in QUANTILE_LEVELS.iter().zip(got) {
                assert_eq!(value, sorted_quantile(&values, *level), "n = {n}, q = {level}");
            }
        }
    }

    #[test]
    fn ties_and_constant_values() {
        let mut v = vec![0.3; 50];
        assert_eq!(quantiles_in_place(&mut v), [0.3; 5]);
        let mut v = vec![1.0, 1.0, 2.0, 2.0];
        let want: Vec<f64> = QUANTILE_LEVELS.iter().map(|q| sorted_quantile(&[1.0, 1.0, 2.0, 2.0], *q)).collect();
        assert_eq!(quantiles_in_place(&mut v).to_vec(), want);
    }
}
