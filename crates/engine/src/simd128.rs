//! The page's kernels that the compiler compiles poorly for wasm, written with `simd128`
//! intrinsics: the lanes' Xoshiro256++ step (wasm has no 64-bit vector rotate, so LLVM keeps
//! the generator scalar), the table tanh (its one table read per lane made LLVM keep the whole
//! function scalar), the ziggurat's rectangle step (two table reads per lane), the quantiles'
//! running extremes (LLVM does not turn their comparison and select into `f64x2.pmin`, and kept
//! them scalar), their buckets (kept scalar too) and the test of which buckets lie in a level's
//! span (whose bits LLVM built with shuffles). Each does, lane by lane, exactly the operations of
//! the portable code it replaces ([`crate::rng::LaneRng`]'s step and `normal_pair`, [`crate::fastmath::Tanh::of`],
//! `stats::extremes`, the bucketing pass of `stats::Quantiles::of`, `stats::in_some_span`), in the same
//! order and rounding, so the page computes the command line's bits; the browser tests compare the
//! two for every built-in scenario. Native builds never compile this module.
//!
//! Only called from code that [`crate::lanes::with_widest_simd`] compiles with `simd128`.

use core::arch::wasm32::*;

use crate::fastmath::{
    SINGLE_ARGUMENT_LIMIT, SINGLE_LN2_HI, SINGLE_LN2_LO, SINGLE_ROUNDER, SINGLE_SCALE, SINGLE_TABLE_BITS,
    SINGLE_TABLE_SIZE,
};
use crate::lanes::{Lanes, LANES};
use crate::rng::{LAYER_BITS, POSITION_SCALE, POSITION_SHIFT};
use crate::stats::DOUBLES;

/// The rotation of each 64-bit lane left by `k` (0 < k < 64).
#[inline(always)]
fn rotate_left(x: v128, k: u32) -> v128 {
    v128_or(i64x2_shl(x, k), u64x2_shr(x, 64 - k))
}

/// The `v`-th 16 bytes of `values`.
#[inline(always)]
fn load<T, const N: usize>(values: &[T; N], v: usize) -> v128 {
    assert!(16 * (v + 1) <= core::mem::size_of::<[T; N]>());
    // SAFETY: bytes 16v … 16v + 15 of the array are in bounds (checked above, a constant check
    // once inlined); v128_load has no alignment requirement.
    unsafe { v128_load((values.as_ptr() as *const u8).add(16 * v) as *const v128) }
}

/// Stores `x` as the `v`-th 16 bytes of `values`.
#[inline(always)]
fn store<T, const N: usize>(values: &mut [T; N], v: usize, x: v128) {
    assert!(16 * (v + 1) <= core::mem::size_of::<[T; N]>());
    // SAFETY: as in `load`.
    unsafe { v128_store((values.as_mut_ptr() as *mut u8).add(16 * v) as *mut v128, x) }
}

/// One Xoshiro256++ step of each lane of the state `s` (word w of lane l at `s[w][l]`): the
/// output of every lane, two lanes at a time.
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

/// Four values of a table, one per lane of the 32-bit indices `index` (read lane by lane: wasm
/// has no gather).
#[inline(always)]
fn table_of(table: &[f32], index: v128) -> v128 {
    f32x4(
        table[i32x4_extract_lane::<0>(index) as usize],
        table[i32x4_extract_lane::<1>(index) as usize],
        table[i32x4_extract_lane::<2>(index) as usize],
        table[i32x4_extract_lane::<3>(index) as usize],
    )
}

/// [`crate::fastmath::Tanh::of`] of every lane, with `powers` its table of 2^(j/32): four lanes
/// at a time, the table read lane by lane.
#[inline(always)]
pub fn tanh(powers: &[f32; SINGLE_TABLE_SIZE], z: &Lanes) -> Lanes {
    let splat = f32x4_splat;
    let mut result = [0.0; LANES];
    for q in 0..LANES / 4 {
        let z = load(z, q);
        // `lanes::lesser(|z|, limit)`: `f32x4.pmin` is `b < a ? b : a` exactly.
        let x = f32x4_mul(splat(-2.0), f32x4_pmin(f32x4_abs(z), splat(SINGLE_ARGUMENT_LIMIT)));
        let shifted = f32x4_add(f32x4_mul(x, splat(SINGLE_SCALE)), splat(SINGLE_ROUNDER));
        let n_float = f32x4_sub(shifted, splat(SINGLE_ROUNDER));
        let n = i32x4_sub(shifted, i32x4_splat(SINGLE_ROUNDER.to_bits() as i32));
        let r = f32x4_sub(
            f32x4_sub(x, f32x4_mul(n_float, splat(SINGLE_LN2_HI))),
            f32x4_mul(n_float, splat(SINGLE_LN2_LO)),
        );
        let j = v128_and(n, i32x4_splat(SINGLE_TABLE_SIZE as i32 - 1));
        let k = i32x4_shr(n, SINGLE_TABLE_BITS);
        let poly = f32x4_add(
            f32x4_add(splat(1.0), r),
            f32x4_mul(f32x4_mul(r, r), f32x4_add(splat(0.5), f32x4_mul(r, splat(1.0 / 6.0)))),
        );
        let scale = i32x4_shl(i32x4_add(i32x4_splat(127), k), 23);
        let t = f32x4_mul(f32x4_mul(table_of(powers, j), poly), scale);
        let magnitude = f32x4_div(f32x4_sub(splat(1.0), t), f32x4_add(splat(1.0), t));
        // −magnitude where z < 0: the sign bit flipped, as Rust's negation does.
        let sign = v128_and(f32x4_lt(z, splat(0.0)), splat(-0.0));
        store(&mut result, q, v128_xor(magnitude, sign));
    }
    result
}

/// The rectangle step of [`crate::rng::LaneRng::normal_pair`] for the draws `bits`, with each
/// layer's single-precision edge x_i and the ratio below which a point is inside for certain
/// packed in one word (`edge_and_ratio`): for the low half of each lane's draw, then for the high
/// half, each lane's position u in [−1, 1) (exactly `rng::signed_unit`) times x_layer (the layer
/// is the half's low 10 bits, as `rng::layer_of`), and the lanes that fell outside their
/// rectangles (bit l for lane l).
#[inline(always)]
pub fn ziggurat_rectangles(bits: &[u64; LANES], edge_and_ratio: &[u64]) -> ([Lanes; 2], [u32; 2]) {
    let mut candidates = [[0.0; LANES]; 2];
    let mut outside = [0; 2];
    for q in 0..LANES / 4 {
        // Four lanes' draws; lane l's low half is 32-bit word 2l, its high half word 2l + 1.
        let (first, second) = (load(bits, 2 * q), load(bits, 2 * q + 1));
        let halves = [
            i32x4_shuffle::<0, 2, 4, 6>(first, second),
            i32x4_shuffle::<1, 3, 5, 7>(first, second),
        ];
        for (h, halves) in halves.into_iter().enumerate() {
            // The position's 22 bits convert exactly, as signed integers.
            let steps = f32x4_convert_i32x4(u32x4_shr(halves, POSITION_SHIFT));
            let position = f32x4_sub(f32x4_mul(steps, f32x4_splat(POSITION_SCALE)), f32x4_splat(1.0));
            let layer = v128_and(halves, i32x4_splat(LAYER_BITS as i32));
            // Each lane's word, read one by one (wasm has no gather); its edge is the low half.
            let word = |i: usize| edge_and_ratio[i];
            let low = u64x2(
                word(i32x4_extract_lane::<0>(layer) as usize),
                word(i32x4_extract_lane::<1>(layer) as usize),
            );
            let high = u64x2(
                word(i32x4_extract_lane::<2>(layer) as usize),
                word(i32x4_extract_lane::<3>(layer) as usize),
            );
            let edge = i32x4_shuffle::<0, 2, 4, 6>(low, high);
            let ratio = i32x4_shuffle::<1, 3, 5, 7>(low, high);
            store(&mut candidates[h], q, f32x4_mul(position, edge));
            // Never NaN: `position` is finite, so "not below the ratio" is "at or above it".
            let out = f32x4_ge(f32x4_abs(position), ratio);
            outside[h] |= (i32x4_bitmask(out) as u32) << (4 * q);
        }
    }
    (candidates, outside)
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
    let groups = values.chunks_exact(DOUBLES).zip(out.chunks_exact_mut(DOUBLES));
    let done = groups.len() * DOUBLES;
    for (group, slots) in groups {
        let group: &[f64; DOUBLES] = group.try_into().expect("a group of eight");
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

/// The running extremes of `values`' whole blocks of [`DOUBLES`] (what is left over is the
/// caller's), eight of each side by side, folded from ±∞ with `lanes::lesser` and
/// `lanes::greater`: those are `f64x2.pmin` and `f64x2.pmax` exactly (`b < a ? b : a` and
/// `a < b ? b : a`), so the extremes are the portable pass's, to the sign of a zero.
#[inline(always)]
pub fn running_extremes(values: &[f64]) -> ([f64; DOUBLES], [f64; DOUBLES]) {
    let mut low = [f64x2_splat(f64::INFINITY); DOUBLES / 2];
    let mut high = [f64x2_splat(f64::NEG_INFINITY); DOUBLES / 2];
    for block in values.chunks_exact(DOUBLES) {
        let block: &[f64; DOUBLES] = block.try_into().expect("a whole block");
        for h in 0..DOUBLES / 2 {
            let v = load(block, h);
            low[h] = f64x2_pmin(low[h], v);
            high[h] = f64x2_pmax(high[h], v);
        }
    }
    let (mut lows, mut highs) = ([0.0; DOUBLES], [0.0; DOUBLES]);
    for h in 0..DOUBLES / 2 {
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
