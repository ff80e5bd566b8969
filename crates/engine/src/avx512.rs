//! The command line's kernels that LLVM's vectoriser compiles poorly for AVX-512, written with
//! intrinsics: the lanes' Xoshiro256++ step, the ziggurat's rectangle step, the table tanh (whose
//! table LLVM reads with a gather), and the quantiles' test of which buckets lie in a level's
//! span. From the portable loops LLVM built vectors across the
//! four words of the generator's state (loads at odd offsets, shuffles, partial stores), gathered
//! half of the rectangle test's ratios and read the rest one by one, and folded the lanes that fell
//! outside (and the buckets in a span) with shuffles. Each kernel does, lane by lane, exactly the
//! operations of the portable code it replaces ([`crate::rng::LaneRng`]'s step and the rectangle
//! step of its normal, `stats::in_some_span`), in the same order and rounding: the numbers do not
//! depend on which of the two runs, and tests run both on the same inputs.
//!
//! Called only where [`crate::lanes::Kernels::avx512`] says so, which only the AVX-512 copy of
//! [`crate::lanes::with_widest_simd`]'s work is told: inlined there, and absent from the other
//! copies (a branch on a flag kept with the streams cost the AVX2 copy 8–14 %).

use core::arch::x86_64::*;

use crate::fastmath::{
    SINGLE_ARGUMENT_LIMIT, SINGLE_LN2_HI, SINGLE_LN2_LO, SINGLE_ROUNDER, SINGLE_SCALE, SINGLE_TABLE_BITS,
    SINGLE_TABLE_SIZE,
};
use crate::lanes::{Lanes, LANES};
use crate::rng::{LAYER_BITS, POSITION_SCALE, POSITION_SHIFT, ZIGGURAT_LAYERS};

/// The features each kernel needs; [`crate::lanes::InstructionSet::Avx512`] checks all of them.
macro_rules! avx512_kernel {
    ($($item:item)*) => {
        $(
            #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
            #[inline]
            $item
        )*
    };
}

avx512_kernel! {
    /// One Xoshiro256++ step of each lane of the state `s` (word w of lane l at `s[w][l]`): the
    /// output of every lane. What `LaneRng::next_u64`'s portable loop computes, eight lanes (one
    /// vector of 64-bit words) at a time.
    pub fn xoshiro_next(s: &mut [[u64; LANES]; 4]) -> [u64; LANES] {
        let mut out = [0; LANES];
        for half in 0..LANES / 8 {
            // SAFETY: each word's lanes 8·half … 8·half + 7 are eight u64, one 64-byte vector
            // within the array; unaligned loads and stores.
            unsafe {
                let load = |w: &[u64; LANES]| _mm512_loadu_si512(w.as_ptr().add(8 * half) as *const __m512i);
                let (s0, s1, s2, s3) = (load(&s[0]), load(&s[1]), load(&s[2]), load(&s[3]));
                let result = _mm512_add_epi64(_mm512_rol_epi64::<23>(_mm512_add_epi64(s0, s3)), s0);
                let t = _mm512_slli_epi64::<17>(s1);
                let s2 = _mm512_xor_si512(s2, s0);
                let s3 = _mm512_xor_si512(s3, s1);
                let s1 = _mm512_xor_si512(s1, s2);
                let s0 = _mm512_xor_si512(s0, s3);
                let s2 = _mm512_xor_si512(s2, t);
                let s3 = _mm512_rol_epi64::<45>(s3);
                for (word, value) in s.iter_mut().zip([s0, s1, s2, s3]) {
                    _mm512_storeu_si512(word.as_mut_ptr().add(8 * half) as *mut __m512i, value);
                }
                _mm512_storeu_si512(out.as_mut_ptr().add(8 * half) as *mut __m512i, result);
            }
        }
        out
    }

    /// The rectangle step of `LaneRng::normal_pair` for the draws `bits`, with each layer's
    /// single-precision edge x_i and the ratio below which a point is inside for certain packed in
    /// one word (`edge_and_ratio`, 1024): for the low half of each lane's draw, then for the high
    /// half, each lane's position u in [−1, 1) (exactly `rng::signed_unit`) times x_layer (the
    /// layer is the half's low 10 bits, as `rng::layer_of`), and the lanes that fell outside their
    /// rectangles (bit l for lane l).
    pub fn ziggurat_rectangles(bits: &[u64; LANES], edge_and_ratio: &[u64; ZIGGURAT_LAYERS]) -> ([Lanes; 2], [u32; 2]) {
        // SAFETY: `bits` is two 64-byte vectors (unaligned loads); each gathered index is a half's
        // low 10 bits, below 1024, so it reads within the table.
        unsafe {
            let low_words = _mm512_loadu_si512(bits.as_ptr() as *const __m512i);
            let high_words = _mm512_loadu_si512(bits.as_ptr().add(8) as *const __m512i);
            // Lane l's draw is 32-bit words 2l (low half) and 2l + 1 (high half) of the two
            // vectors; so are a gathered word's edge and ratio.
            let even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            let odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
            let mut candidates = [[0.0; LANES]; 2];
            let mut outside = [0; 2];
            for (h, index) in [even, odd].into_iter().enumerate() {
                let halves = _mm512_permutex2var_epi32(low_words, index, high_words);
                // The position's 22 bits convert exactly, as signed integers.
                let steps = _mm512_cvtepi32_ps(_mm512_srli_epi32::<POSITION_SHIFT>(halves));
                let position = _mm512_sub_ps(_mm512_mul_ps(steps, _mm512_set1_ps(POSITION_SCALE)), _mm512_set1_ps(1.0));
                let layer = _mm512_and_si512(halves, _mm512_set1_epi32(LAYER_BITS as i32));
                let table = edge_and_ratio.as_ptr() as *const i64;
                let first = _mm512_i32gather_epi64::<8>(_mm512_castsi512_si256(layer), table);
                let second = _mm512_i32gather_epi64::<8>(_mm512_extracti32x8_epi32::<1>(layer), table);
                let edge = _mm512_castsi512_ps(_mm512_permutex2var_epi32(first, even, second));
                let ratio = _mm512_castsi512_ps(_mm512_permutex2var_epi32(first, odd, second));
                _mm512_storeu_ps(candidates[h].as_mut_ptr(), _mm512_mul_ps(position, edge));
                // Never NaN: `position` is finite, so "not below the ratio" is "at or above it".
                outside[h] = u32::from(_mm512_cmp_ps_mask::<_CMP_GE_OQ>(_mm512_abs_ps(position), ratio));
            }
            (candidates, outside)
        }
    }

    /// [`crate::fastmath::Tanh::of`] of every lane, with `powers` its table of 2^(j/32): the same
    /// operations in the same order, the table read by a two-register permutation instead of a
    /// gather.
    pub fn tanh(powers: &[f32; SINGLE_TABLE_SIZE], z: &Lanes) -> Lanes {
        // SAFETY: `z` and the two halves of `powers` are 64-byte vectors (unaligned loads).
        unsafe {
            let splat = _mm512_set1_ps;
            let z = _mm512_loadu_ps(z.as_ptr());
            let low = _mm512_loadu_ps(powers.as_ptr());
            let high = _mm512_loadu_ps(powers.as_ptr().add(16));
            let x = _mm512_mul_ps(splat(-2.0), _mm512_min_ps(_mm512_abs_ps(z), splat(SINGLE_ARGUMENT_LIMIT)));
            let shifted = _mm512_add_ps(_mm512_mul_ps(x, splat(SINGLE_SCALE)), splat(SINGLE_ROUNDER));
            let n_float = _mm512_sub_ps(shifted, splat(SINGLE_ROUNDER));
            let n = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(SINGLE_ROUNDER.to_bits() as i32));
            let r = _mm512_sub_ps(
                _mm512_sub_ps(x, _mm512_mul_ps(n_float, splat(SINGLE_LN2_HI))),
                _mm512_mul_ps(n_float, splat(SINGLE_LN2_LO)),
            );
            // The permutation reads index bits 0–4: j = n mod 32 without a mask.
            let power = _mm512_permutex2var_ps(low, n, high);
            let k = _mm512_srai_epi32::<SINGLE_TABLE_BITS>(n);
            let poly = _mm512_add_ps(
                _mm512_add_ps(splat(1.0), r),
                _mm512_mul_ps(_mm512_mul_ps(r, r), _mm512_add_ps(splat(0.5), _mm512_mul_ps(r, splat(1.0 / 6.0)))),
            );
            let scale = _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_add_epi32(_mm512_set1_epi32(127), k)));
            let t = _mm512_mul_ps(_mm512_mul_ps(power, poly), scale);
            let magnitude = _mm512_div_ps(_mm512_sub_ps(splat(1.0), t), _mm512_add_ps(splat(1.0), t));
            let negative = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(z, _mm512_setzero_ps());
            // −magnitude where z < 0: the sign bit flipped, as Rust's negation does.
            let value = _mm512_mask_xor_ps(magnitude, negative, magnitude, splat(-0.0));
            let mut out = [0.0; LANES];
            _mm512_storeu_ps(out.as_mut_ptr(), value);
            out
        }
    }

    /// Bit i set when `buckets[i]` lies in one of `spans` (first, width): `stats::in_some_span`'s
    /// comparisons, 32 buckets in one vector.
    pub fn in_some_span(buckets: &[u16; 32], spans: &[(u16, u16); 5]) -> u32 {
        // SAFETY: 32 u16 are one 64-byte vector (unaligned load).
        unsafe {
            let b = _mm512_loadu_si512(buckets.as_ptr() as *const __m512i);
            let mut hits = 0;
            for &(first, width) in spans {
                let offset = _mm512_sub_epi16(b, _mm512_set1_epi16(first as i16));
                hits |= _mm512_cmple_epu16_mask(offset, _mm512_set1_epi16(width as i16));
            }
            hits
        }
    }
}
