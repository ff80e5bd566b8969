//! tanh for the hot loop: once per pair, month and run.
//!
//! Built from basic IEEE operations and a table made by `libm`, so it gives the same bits on every
//! platform (the page's wasm and the native command line agree). Accurate to a few units in the
//! last place, which is far below anything the model or its outputs can resolve.

use super::lanes::Lanes;

pub(crate) const TABLE_BITS: u32 = 6;
pub(crate) const TABLE_SIZE: usize = 1 << TABLE_BITS;

// The constants of `ExpTable::exp`, shared with the page's vector tanh
// (`crate::simd128::tanh`), which must do the same operations.
pub(crate) const SCALE: f64 = TABLE_SIZE as f64 / core::f64::consts::LN_2;
// ln2/64 split in a high part with trailing zero bits and a low part, so n·LN2_HI is exact.
pub(crate) const LN2_64_HI: f64 = 0.01083042469326756; // 0x1.62e42fee00000p-7
pub(crate) const LN2_64_LO: f64 = 2.9815858269852933e-12;
// Round to nearest by adding and removing 1.5·2^52 (exact for |x·SCALE| < 2^51). The sum keeps the
// exponent of 1.5·2^52, so its low bits are n in two's complement.
pub(crate) const ROUNDER: f64 = 6755399441055744.0;

/// 2^(j/64) for j = 0..64: the table of the range reduction.
#[derive(Clone, Debug)]
pub struct ExpTable {
    powers: [f64; TABLE_SIZE],
}

impl ExpTable {
    pub fn new() -> Self {
        let mut powers = [0.0; TABLE_SIZE];
        for (j, p) in powers.iter_mut().enumerate() {
            *p = libm::exp2(j as f64 / TABLE_SIZE as f64);
        }
        ExpTable { powers }
    }

    /// e^x for x in [−745, 700] (below about −708 the result is 0 or subnormal-flushed to 0).
    /// The tanh takes it of x ≤ 0, the ziggurat's wedge test of x in about [−6, 1].
    ///
    /// x = (64k + j)·ln2/64 + r with |r| ≤ ln2/128, so e^x = 2^k · 2^(j/64) · e^r, and e^r by its
    /// Taylor polynomial of degree 5 (error below r⁶/720 ≈ 4e-17). Branch-free and without a
    /// float-to-integer conversion, so that [`ExpTable::tanh_lanes`] compiles to SIMD.
    #[inline(always)]
    pub fn exp(&self, x: f64) -> f64 {
        let shifted = x * SCALE + ROUNDER;
        let n_float = shifted - ROUNDER;
        let n = (shifted.to_bits() as i64).wrapping_sub(ROUNDER.to_bits() as i64);
        let r = (x - n_float * LN2_64_HI) - n_float * LN2_64_LO;
        let j = (n & (TABLE_SIZE as i64 - 1)) as usize;
        let k = n >> TABLE_BITS;
        let r2 = r * r;
        let poly = 1.0 + r + r2 * (0.5 + r * (1.0 / 6.0)) + r2 * r2 * (1.0 / 24.0 + r * (1.0 / 120.0));
        let scale = f64::from_bits((1023 + k).wrapping_shl(52) as u64);
        let value = self.powers[j] * poly * scale;
        if x < -708.0 {
            0.0
        } else {
            value
        }
    }

    /// tanh z = sign(z) · (1 − t)/(1 + t) with t = e^(−2|z|).
    #[inline(always)]
    pub fn tanh(&self, z: f64) -> f64 {
        let t = self.exp(-2.0 * z.abs());
        let magnitude = (1.0 - t) / (1.0 + t);
        if z < 0.0 {
            -magnitude
        } else {
            magnitude
        }
    }

    /// [`ExpTable::tanh`] of every lane (in the page, with `simd128` intrinsics: see
    /// `crate::simd128`).
    #[inline(always)]
    pub fn tanh_lanes(&self, z: &Lanes) -> Lanes {
        #[cfg(target_arch = "wasm32")]
        {
            crate::simd128::tanh(&self.powers, z)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            super::lanes::map(|l| self.tanh(z[l]))
        }
    }
}

impl Default for ExpTable {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_libm_closely_over_the_range_used() {
        let table = ExpTable::new();
        let mut worst: f64 = 0.0;
        for i in 0..=200_000 {
            let x = -40.0 * i as f64 / 200_000.0;
            let want = libm::exp(x);
            worst = worst.max(((table.exp(x) - want) / want).abs());
        }
        assert!(worst < 1e-15, "worst relative error {worst}");
        // The wedge test's positive arguments (below 0.73), and some way beyond.
        for i in 0..=100_000 {
            let x = 5.0 * i as f64 / 100_000.0;
            let want = libm::exp(x);
            assert!(((table.exp(x) - want) / want).abs() < 1e-15, "x = {x}");
        }
        assert_eq!(table.exp(0.0), 1.0);
        assert_eq!(table.exp(-1000.0), 0.0);
    }

    #[test]
    fn exp_keeps_its_accuracy_down_to_minus_708_and_is_0_below() {
        // e^−708 ≈ 3.3e-308 is still a normal double (the smallest is 2^−1022 ≈ 2.2e-308).
        let table = ExpTable::new();
        for x in [-700.0, -707.5, -708.0] {
            let want = libm::exp(x);
            assert!(((table.exp(x) - want) / want).abs() < 1e-15, "x = {x}");
        }
        assert_eq!(table.exp(-708.001), 0.0);
        assert_eq!(table.exp(-745.0), 0.0);
    }

    #[test]
    fn tanh_matches_libm_and_stays_inside() {
        let table = ExpTable::new();
        for i in -100_000..=100_000 {
            let z = 20.0 * i as f64 / 100_000.0;
            let got = table.tanh(z);
            assert!((got - libm::tanh(z)).abs() < 5e-16, "z = {z}");
            assert_eq!(got, -table.tanh(-z));
        }
        assert!(table.tanh(18.0) < 1.0);
        // tanh(+0) is +0, as libm's, not −0 (which a JSON export would print as `-0.0`).
        assert_eq!(table.tanh(0.0).to_bits(), libm::tanh(0.0).to_bits());
    }
}
