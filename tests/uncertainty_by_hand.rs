//! The draws of `run --uncertain` (`analysis::uncertainty`) against answers worked out by hand:
//! the triangular distribution's inverse distribution function and its mean, and the key of the
//! assumption streams. Added for the mutants of that file no other test read.

use alignment_sim::analysis::uncertainty::{assumption_key, quantile, Spread};

/// Triangle on [1, 5] with its mode at 2: F(x) = (x − 1)² / (4·1) below the mode, F(2) = 1/4,
/// and 1 − (5 − x)² / (4·3) above it. So the quantile of u is 1 + √(4u) for u < 1/4 and
/// 5 − √(12(1 − u)) above.
#[test]
fn triangular_quantiles_by_hand() {
    let q = |u: f64| quantile(Spread::Triangular, 1.0, 5.0, 2.0, u);
    assert_eq!(q(0.0), 1.0);
    // 1 + √(1/4), the mode, 5 − √6 and 5 − √3:
    assert!((q(1.0 / 16.0) - 1.5).abs() < 1e-12, "{}", q(1.0 / 16.0));
    assert!((q(0.25) - 2.0).abs() < 1e-12, "the mode at F = 1/4: {}", q(0.25));
    assert!((q(0.5) - (5.0 - 6f64.sqrt())).abs() < 1e-12, "{}", q(0.5));
    assert!((q(0.75) - (5.0 - 3f64.sqrt())).abs() < 1e-12, "{}", q(0.75));
    // The mean of a triangle is (lo + hi + mode)/3 = 8/3: the midpoint rule over u.
    let k = 100_000;
    let mean = (0..k).map(|i| q((i as f64 + 0.5) / k as f64)).sum::<f64>() / k as f64;
    assert!((mean - 8.0 / 3.0).abs() < 1e-6, "{mean}");
    // With the mode at 3 (F(3) = 1/2, and mode − lo = 2, hi − mode = 2, so no factor is 1): the
    // quantile is 1 + √(8u) below and 5 − √(8(1 − u)) above.
    let q3 = |u: f64| quantile(Spread::Triangular, 1.0, 5.0, 3.0, u);
    assert!((q3(1.0 / 8.0) - 2.0).abs() < 1e-12, "{}", q3(1.0 / 8.0));
    assert!((q3(7.0 / 8.0) - 4.0).abs() < 1e-12, "{}", q3(7.0 / 8.0));
    // Uniform on [1, 5]: 1 + 4u.
    assert_eq!(quantile(Spread::Uniform, 1.0, 5.0, 2.0, 0.25), 2.0);
    // A collapsed range gives its one value.
    assert_eq!(quantile(Spread::Triangular, 3.0, 3.0, 3.0, 0.7), 3.0);
}

/// Different seeds give different assumption streams: their keys differ (a key that dropped
/// bits of the seed would give two seeds the same uncertain draws).
#[test]
fn every_seed_has_its_own_assumption_key() {
    let mut keys: Vec<u64> = (0..4096u64).map(assumption_key).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), 4096);
}
