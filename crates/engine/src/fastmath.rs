//! tanh for the hot loop (once per pair, month and run, in single precision: [`Tanh`]) and exp for
//! the ziggurat's wedge test (double precision: [`ExpTable`]).
//!
//! Built from basic IEEE operations and tables made by `libm`, so they give the same bits on every
//! platform (the page's wasm and the native command line agree). Accurate to a few units in the
//! last place, which is far below anything the model or its outputs can resolve.

use super::lanes::{Kernels, Lanes};

const TABLE_BITS: u32 = 6;
const TABLE_SIZE: usize = 1 << TABLE_BITS;

// The constants of `ExpTable::exp`.
const SCALE: f64 = TABLE_SIZE as f64 / core::f64::consts::LN_2;
// ln2/64 split in a high part with trailing zero bits and a low part, so n·LN2_HI is exact.
const LN2_64_HI: f64 = 0.01083042469326756; // 0x1.62e42fee00000p-7
const LN2_64_LO: f64 = 2.9815858269852933e-12;
// Round to nearest by adding and removing 1.5·2^52 (exact for |x·SCALE| < 2^51). The sum keeps the
// exponent of 1.5·2^52, so its low bits are n in two's complement.
const ROUNDER: f64 = 6755399441055744.0;

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
    /// The ziggurat's wedge test takes it of x in about [−1, 1].
    ///
    /// x = (64k + j)·ln2/64 + r with |r| ≤ ln2/128, so e^x = 2^k · 2^(j/64) · e^r, and e^r by its
    /// Taylor polynomial of degree 5 (error below r⁶/720 ≈ 4e-17). Branch-free and without a
    /// float-to-integer conversion.
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
}

impl Default for ExpTable {
    fn default() -> Self {
        Self::new()
    }
}

// The constants of [`Tanh`], shared with the page's vector tanh (`crate::simd128::tanh`), which
// must do the same operations.
pub(crate) const SINGLE_TABLE_BITS: u32 = 5;
pub(crate) const SINGLE_TABLE_SIZE: usize = 1 << SINGLE_TABLE_BITS;
/// 32 / ln 2.
pub(crate) const SINGLE_SCALE: f32 = 46.16624;
/// ln2/32 split in a high part of 12 significant bits and a low part, so n·SINGLE_LN2_HI is exact
/// for the |n| < 2^11 that arguments down to −40 give.
pub(crate) const SINGLE_LN2_HI: f32 = 0.021659851; // 0x1.62ep-6
pub(crate) const SINGLE_LN2_LO: f32 = 9.983182e-7;
/// Round to nearest by adding and removing 1.5·2^23 (exact for |x·SINGLE_SCALE| < 2^22); the low
/// bits of the sum are then n in two's complement.
pub(crate) const SINGLE_ROUNDER: f32 = 12582912.0;
/// tanh's argument is kept within ±this: beyond it tanh is ±1 in single precision (from about
/// ±9.01), and e^(−2·20) keeps the power of two of the range reduction a normal number.
pub(crate) const SINGLE_ARGUMENT_LIMIT: f32 = 20.0;

/// tanh in single precision, for the runs' state: tanh z = sign(z) · (1 − t)/(1 + t) with
/// t = e^(−2|z|), and e^x = 2^k · 2^(j/32) · e^r (x = (32k + j)·ln2/32 + r, |r| ≤ ln2/64) with e^r
/// by its Taylor polynomial of degree 3 (error below r⁴/24 ≈ 6e-10, a hundredth of the last
/// place). Within 2.5e-7 of tanh everywhere (absolutely: near 0 the subtraction 1 − t loses the
/// relative accuracy, never the absolute), odd, and +0 at +0.
#[derive(Clone, Debug)]
pub struct Tanh {
    /// 2^(j/32) for j = 0..32, rounded to single precision.
    powers: [f32; SINGLE_TABLE_SIZE],
}

impl Tanh {
    pub fn new() -> Self {
        Tanh {
            powers: core::array::from_fn(|j| libm::exp2(j as f64 / SINGLE_TABLE_SIZE as f64) as f32),
        }
    }

    /// tanh z. Branch-free and without a float-to-integer conversion, so that
    /// [`Tanh::of_lanes`] compiles to SIMD.
    #[inline(always)]
    pub fn of(&self, z: f32) -> f32 {
        let x = -2.0 * super::lanes::lesser(z.abs(), SINGLE_ARGUMENT_LIMIT);
        let shifted = x * SINGLE_SCALE + SINGLE_ROUNDER;
        let n_float = shifted - SINGLE_ROUNDER;
        let n = (shifted.to_bits() as i32).wrapping_sub(SINGLE_ROUNDER.to_bits() as i32);
        let r = (x - n_float * SINGLE_LN2_HI) - n_float * SINGLE_LN2_LO;
        let j = (n & (SINGLE_TABLE_SIZE as i32 - 1)) as usize;
        let k = n >> SINGLE_TABLE_BITS;
        let poly = 1.0 + r + r * r * (0.5 + r * (1.0 / 6.0));
        let scale = f32::from_bits((127 + k).wrapping_shl(23) as u32);
        let t = self.powers[j] * poly * scale;
        let magnitude = (1.0 - t) / (1.0 + t);
        if z < 0.0 {
            -magnitude
        } else {
            magnitude
        }
    }

    /// [`Tanh::of`] of one value, not inlined: for the events' jumps and shifts, lane by lane
    /// where an event fired, and the runs' start (each inlined copy was a few hundred bytes of the
    /// page's bundle).
    #[inline(never)]
    pub fn of_one(&self, z: f32) -> f32 {
        self.of(z)
    }

    /// [`Tanh::of`] of every lane, with `kernels`' code (in the page, with `simd128` intrinsics:
    /// see `crate::simd128`; with AVX-512, `crate::avx512`'s).
    #[inline(always)]
    pub fn of_lanes(&self, z: &Lanes, kernels: Kernels) -> Lanes {
        #[cfg(not(target_arch = "x86_64"))]
        let _ = kernels;
        #[cfg(target_arch = "wasm32")]
        {
            crate::simd128::tanh(&self.powers, z)
        }
        #[cfg(target_arch = "x86_64")]
        if kernels.avx512() {
            // SAFETY: `Kernels::avx512` is true only where the processor has the kernel's features.
            return unsafe { crate::avx512::tanh(&self.powers, z) };
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            super::lanes::map(|l| self.of(z[l]))
        }
    }
}

impl Default for Tanh {
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
    fn every_kernel_computes_the_scalar_tanh_to_the_bit() {
        // Where the processor has AVX-512, its kernel (asked of the processor by the tests' own
        // reading, so that the portable loop is not compared with itself); and the portable loop.
        let tanh = Tanh::new();
        let widest = Kernels::widest();
        assert_eq!(
            widest.avx512(),
            crate::lanes::processor_reports(crate::lanes::InstructionSet::Avx512)
        );
        let mut state = 7u64;
        let mut values: Vec<f32> = vec![
            0.0, -0.0, 1e-30, -1e-30, 9.01, -9.01, 20.0, -20.0, 1e9, -1e9, 18.0, -18.0,
        ];
        values.extend((0..200_000).map(|_| {
            state = crate::rng::splitmix64(&mut state);
            // Every sign and binade from 2^-40 to 2^6, and some values on the table's grid.
            let magnitude = f32::from_bits(0x2b80_0000 + (state >> 40) as u32 % 0x1a00_0000);
            if state & 1 == 0 {
                magnitude
            } else {
                -magnitude
            }
        }));
        for chunk in values.chunks_exact(crate::lanes::LANES) {
            let z: Lanes = chunk.try_into().expect("a block");
            let want = z.map(|z| tanh.of(z).to_bits());
            for kernels in [Kernels::PORTABLE, widest] {
                assert_eq!(
                    tanh.of_lanes(&z, kernels).map(f32::to_bits),
                    want,
                    "{z:?} ({kernels:?})"
                );
            }
        }
    }

    #[test]
    fn single_tanh_is_within_its_bound_of_libm_odd_and_exactly_one_far_out() {
        let tanh = Tanh::new();
        let mut worst: f64 = 0.0;
        for i in -400_000..=400_000 {
            let z = 25.0 * i as f32 / 400_000.0;
            let got = tanh.of(z);
            worst = worst.max((f64::from(got) - libm::tanh(f64::from(z))).abs());
            assert_eq!(got, -tanh.of(-z), "z = {z}");
            assert!(got.abs() <= 1.0, "z = {z}");
        }
        // Bits around 0, where 1 − t cancels, and the values just above the smallest normal.
        for bits in (0..2_000_000u32).step_by(997).chain(0x3a00_0000..0x3a00_1000) {
            let z = f32::from_bits(bits);
            worst = worst.max((f64::from(tanh.of(z)) - libm::tanh(f64::from(z))).abs());
        }
        assert!(worst < 2.5e-7, "worst absolute error {worst}");
        // tanh(±0) is +0, never −0 (which a JSON export would print as `-0.0`).
        assert_eq!(tanh.of(0.0).to_bits(), 0.0f32.to_bits());
        assert_eq!(tanh.of(-0.0).to_bits(), 0.0f32.to_bits());
        // Beyond about 9.01 tanh is 1 in single precision; so it is here, and at the argument limit
        // and beyond it.
        for z in [9.5, 18.0, SINGLE_ARGUMENT_LIMIT, 1e6, f32::MAX, f32::INFINITY] {
            assert_eq!(tanh.of(z), 1.0, "z = {z}");
        }
        // Small arguments keep tanh z ≈ z − z³/3 to the absolute bound.
        assert!((tanh.of(1e-3) - (1e-3 - 1e-9 / 3.0)).abs() < 2.5e-7);
    }
}
