//! The page's kernels that the compiler compiles poorly for wasm, written with `simd128`
//! intrinsics: the lanes' Xoshiro256++ step (wasm has no 64-bit vector rotate, so LLVM keeps
//! the generator scalar), the table tanh (its one table read per lane made LLVM keep the whole
//! function scalar), the ziggurat's rectangle step (two table reads per lane), the quantiles'
//! running extremes (LLVM does not turn their comparison and select into `f64x2.pmin`, and kept
//! them scalar), their buckets (kept scalar too) and the test of which buckets lie in a level's
//! span (whose bits LLVM built with shuffles). Each does, lane by lane, exactly the operations of
//! the portable code it replaces ([`crate::rng::LaneRng`]'s step and normal, [`ExpTable::tanh`],
//! `stats::extremes`, the bucketing pass of `stats::Quantiles::of`, `stats::in_some_span`), in the same
//! order and rounding, so the page computes the command line's bits; the browser tests compare the
//! two for every built-in scenario. Native builds never compile this module.
//!
//! Only called from code that [`crate::lanes::with_widest_simd`] compiles with `simd128`.

use core::arch::wasm32::*;

use crate::fastmath::{LN2_64_HI, LN2_64_LO, ROUNDER, SCALE, TABLE_BITS, TABLE_SIZE};
use crate::lanes::{Lanes, LANES};
use crate::rng::{EXPONENT_OF_ONE, LAST_BIT_SCALE, LAYER_BITS};

/// The rotation of each 64-bit lane left by `k` (0 < k < 64).
#[inline(always)]
fn rotate_left(x: v128, k: u32) -> v128 {
    v128_or(i64x2_shl(x, k), u64x2_shr(x, 64 - k))
}

/// Two lanes of `lanes` from lane `2h`.
#[inline(always)]
fn load<T>(lanes: &[T; LANES], h: usize) -> v128 {
    debug_assert!(2 * h + 1 < LANES && core::mem::size_of::<T>() == 8);
    // SAFETY: lanes 2h and 2h + 1 of an array of eight 8-byte values are in bounds;
    // v128_load has no alignment requirement.
    unsafe { v128_load(lanes.as_ptr().add(2 * h) as *const v128) }
}

/// Stores `v` in lanes `2h` and `2h + 1` of `lanes`.
#[inline(always)]
fn store<T>(lanes: &mut [T; LANES], h: usize, v: v128) {
    debug_assert!(2 * h + 1 < LANES && core::mem::size_of::<T>() == 8);
    // SAFETY: as in `load`.
    unsafe { v128_store(lanes.as_mut_ptr().add(2 * h) as *mut v128, v) }
}

/// One Xoshiro256++ step of each lane of the state `s` (word w of lane l at `s[w][l]`): the
/// output of every lane.
#[inline(always)]
pub fn xoshiro_next(s: &mut [[u64; LANES]; 4]) -> [u64; LANES] {
    let mut result = [0; LANES];
    for h in 0..LANES / 2 {
        let (mut s0, mut s1, mut s2, mut s3) = (load(&s[0], h), load(&s[1], h), load(&s[2], h), load(&s[3], h));
        store(&mut result, h, i64x2_add(rotate_left(i64x2_add(s0, s3), 23), s0));
        let t = i64x2_shl(s1, 17);
        s2 = v128_xor(s2, s0);
        s3 = v128_xor(s3, s1);
        s1 = v128_xor(s1, s2);
        s0 = v128_xor(s0, s3);
        s2 = v128_xor(s2, t);
        s3 = rotate_left(s3, 45);
        for (word, value) in s.iter_mut().zip([s0, s1, s2, s3]) {
            store(word, h, value);
        }
    }
    result
}

/// [`ExpTable::tanh`] of every lane, with `powers` its table of 2^(j/64): two
/// lanes at a time, the table read lane by lane.
#[inline(always)]
pub fn tanh(powers: &[f64; TABLE_SIZE], z: &Lanes) -> Lanes {
    let splat = f64x2_splat;
    let mut result = [0.0; LANES];
    for h in 0..LANES / 2 {
        let z = load(z, h);
        let x = f64x2_mul(splat(-2.0), f64x2_abs(z));
        // ExpTable::exp(x), step by step.
        let shifted = f64x2_add(f64x2_mul(x, splat(SCALE)), splat(ROUNDER));
        let n_float = f64x2_sub(shifted, splat(ROUNDER));
        let n = i64x2_sub(shifted, i64x2_splat(ROUNDER.to_bits() as i64));
        let r = f64x2_sub(
            f64x2_sub(x, f64x2_mul(n_float, splat(LN2_64_HI))),
            f64x2_mul(n_float, splat(LN2_64_LO)),
        );
        let j = v128_and(n, i64x2_splat(TABLE_SIZE as i64 - 1));
        let k = i64x2_shr(n, TABLE_BITS);
        let r2 = f64x2_mul(r, r);
        let low = f64x2_mul(r2, f64x2_add(splat(0.5), f64x2_mul(r, splat(1.0 / 6.0))));
        let high = f64x2_mul(
            f64x2_mul(r2, r2),
            f64x2_add(splat(1.0 / 24.0), f64x2_mul(r, splat(1.0 / 120.0))),
        );
        let poly = f64x2_add(f64x2_add(f64x2_add(splat(1.0), r), low), high);
        let scale = i64x2_shl(i64x2_add(i64x2_splat(1023), k), 52);
        let power = f64x2(
            powers[i64x2_extract_lane::<0>(j) as usize],
            powers[i64x2_extract_lane::<1>(j) as usize],
        );
        let value = f64x2_mul(f64x2_mul(power, poly), scale);
        let t = v128_bitselect(splat(0.0), value, f64x2_lt(x, splat(-708.0)));
        // tanh = sign(z) · (1 − t)/(1 + t).
        let magnitude = f64x2_div(f64x2_sub(splat(1.0), t), f64x2_add(splat(1.0), t));
        store(
            &mut result,
            h,
            v128_bitselect(f64x2_neg(magnitude), magnitude, f64x2_lt(z, splat(0.0))),
        );
    }
    result
}

/// The rectangle step of [`crate::rng::LaneRng::normal`] for the draws `bits`, with the ziggurat's
/// layer edges `edges` and their ratios `ratios`: each lane's position u in [−1, 1) (exactly
/// `rng::signed_unit`) times x_layer (the layer is the draw's low 10 bits, as `rng::layer_of`): each
/// lane's candidate, and the lanes that fell outside their rectangles (bit l for lane l).
#[inline(always)]
pub fn ziggurat_rectangles(bits: &[u64; LANES], edges: &[f64], ratios: &[f64]) -> (Lanes, u32) {
    let mut x = [0.0; LANES];
    let mut outside = 0;
    for h in 0..LANES / 2 {
        let b = load(bits, h);
        let exponent = i64x2_splat(EXPONENT_OF_ONE as i64);
        let one_to_two = v128_or(exponent, u64x2_shr(b, 12));
        let last_bit = f64x2_sub(
            v128_or(exponent, i64x2_shl(v128_and(u64x2_shr(b, 11), i64x2_splat(1)), 51)),
            f64x2_splat(1.0),
        );
        let position = f64x2_add(
            f64x2_sub(f64x2_mul(f64x2_splat(2.0), one_to_two), f64x2_splat(3.0)),
            f64x2_mul(last_bit, f64x2_splat(LAST_BIT_SCALE)),
        );
        let layer = v128_and(b, i64x2_splat(LAYER_BITS as i64));
        let (low, high) = (
            i64x2_extract_lane::<0>(layer) as usize,
            i64x2_extract_lane::<1>(layer) as usize,
        );
        let edge = f64x2(edges[low], edges[high]);
        let ratio = f64x2(ratios[low], ratios[high]);
        store(&mut x, h, f64x2_mul(position, edge));
        // Never NaN: `position` is finite, so "not below the ratio" is "at or above it".
        outside |= (i64x2_bitmask(f64x2_ge(f64x2_abs(position), ratio)) as u32) << (2 * h);
    }
    (x, outside)
}

/// The quantiles' first pass over `values` (`stats::Quantiles::of`): each value's bucket, the low
/// 32 bits of (v − `min`) · `scale` + `rounder`, capped at `cap` (at most 4 096), as a `u16` into
/// `out`. Exactly the portable pass's operations, eight values a step: LLVM keeps that pass scalar
/// in wasm. Does the whole groups of eight and returns how many values that is; the caller does
/// the rest.
#[inline(always)]
pub fn buckets(values: &[f64], min: f64, scale: f64, rounder: f64, cap: u32, out: &mut [u16]) -> usize {
    let (min, scale, rounder, cap) = (
        f64x2_splat(min),
        f64x2_splat(scale),
        f64x2_splat(rounder),
        u32x4_splat(cap),
    );
    let groups = values.chunks_exact(LANES).zip(out.chunks_exact_mut(LANES));
    let done = groups.len() * LANES;
    for (group, slots) in groups {
        let group: &Lanes = group.try_into().expect("a group of eight");
        let shifted = |h| f64x2_add(f64x2_mul(f64x2_sub(load(group, h), min), scale), rounder);
        // Each double's low 32 bits are lanes 0 and 2 of its pair as four 32-bit lanes.
        let first = u32x4_min(i32x4_shuffle::<0, 2, 4, 6>(shifted(0), shifted(1)), cap);
        let second = u32x4_min(i32x4_shuffle::<0, 2, 4, 6>(shifted(2), shifted(3)), cap);
        // SAFETY: `slots` holds eight `u16`, 16 bytes; v128_store has no alignment requirement.
        // The narrowing saturates at 0 and 65 535, which no bucket number up to 4 096 reaches.
        unsafe { v128_store(slots.as_mut_ptr() as *mut v128, u16x8_narrow_i32x4(first, second)) };
    }
    done
}

/// The running extremes of `values`' whole blocks of [`LANES`] (what is left over is the caller's),
/// eight of each side by side, folded from ±∞ with `lanes::lesser` and `lanes::greater`: those
/// are `f64x2.pmin` and `f64x2.pmax` exactly (`b < a ? b : a` and `a < b ? b : a`), so the
/// extremes are the portable pass's, to the sign of a zero.
#[inline(always)]
pub fn running_extremes(values: &[f64]) -> (Lanes, Lanes) {
    let mut low = [f64x2_splat(f64::INFINITY); LANES / 2];
    let mut high = [f64x2_splat(f64::NEG_INFINITY); LANES / 2];
    for block in values.chunks_exact(LANES) {
        let block: &Lanes = block.try_into().expect("a whole block");
        for h in 0..LANES / 2 {
            let v = load(block, h);
            low[h] = f64x2_pmin(low[h], v);
            high[h] = f64x2_pmax(high[h], v);
        }
    }
    let (mut lows, mut highs) = ([0.0; LANES], [0.0; LANES]);
    for h in 0..LANES / 2 {
        store(&mut lows, h, low[h]);
        store(&mut highs, h, high[h]);
    }
    (lows, highs)
}

/// Bit i set when `buckets[i]` lies in one of `spans` (first, width): `stats::in_some_span`'s
/// comparisons, eight buckets a vector.
#[inline(always)]
pub fn in_some_span(buckets: &[u16; 32], spans: &[(u16, u16); 5]) -> u32 {
    let mut bits = 0;
    for (q, eight) in buckets.chunks_exact(8).enumerate() {
        // SAFETY: eight u16 are 16 bytes; v128_load has no alignment requirement.
        let b = unsafe { v128_load(eight.as_ptr() as *const v128) };
        let mut hit = u16x8_splat(0);
        for &(first, width) in spans {
            hit = v128_or(hit, u16x8_le(i16x8_sub(b, u16x8_splat(first)), u16x8_splat(width)));
        }
        bits |= (i16x8_bitmask(hit) as u32) << (8 * q);
    }
    bits
}
