//! The command line's kernels that LLVM's vectoriser compiles poorly for AVX-512, written with
//! intrinsics: the lanes' Xoshiro256++ step, the ziggurat's rectangle step, and the quantiles' test
//! of which buckets lie in a level's span. From the portable loops LLVM built vectors across the
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

use crate::lanes::{Lanes, LANES};
use crate::rng::{EXPONENT_OF_ONE, LAST_BIT_SCALE, LAYER_BITS, ZIGGURAT_LAYERS};

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
    /// output of every lane. What `LaneRng::next_u64`'s portable loop computes.
    pub fn xoshiro_next(s: &mut [[u64; LANES]; 4]) -> [u64; LANES] {
        // SAFETY: each word is eight u64, one 64-byte vector; unaligned loads and stores.
        unsafe {
            let load = |w: &[u64; LANES]| _mm512_loadu_si512(w.as_ptr() as *const __m512i);
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
                _mm512_storeu_si512(word.as_mut_ptr() as *mut __m512i, value);
            }
            let mut out = [0; LANES];
            _mm512_storeu_si512(out.as_mut_ptr() as *mut __m512i, result);
            out
        }
    }

    /// The rectangle step of `LaneRng::normal` for the draws `bits`, with the ziggurat's layer edges
    /// `edges` (1025) and their ratios `ratios` (1024): each lane's position u in [−1, 1) (exactly
    /// `rng::signed_unit`) times x_layer (the layer is the draw's low 10 bits, as `rng::layer_of`):
    /// each lane's candidate, and the lanes that fell outside their rectangles (bit l for lane l).
    pub fn ziggurat_rectangles(bits: &[u64; LANES], edges: &[f64; ZIGGURAT_LAYERS + 1], ratios: &[f64; ZIGGURAT_LAYERS]) -> (Lanes, u32) {
        // SAFETY: `bits` is one 64-byte vector (unaligned load); each gathered index is a draw's
        // low 10 bits, below 1024, so it reads within both tables.
        unsafe {
            let b = _mm512_loadu_si512(bits.as_ptr() as *const __m512i);
            let exponent = _mm512_set1_epi64(EXPONENT_OF_ONE as i64);
            let one_to_two = _mm512_castsi512_pd(_mm512_or_si512(exponent, _mm512_srli_epi64::<12>(b)));
            let last_bit_bits = _mm512_slli_epi64::<51>(_mm512_and_si512(_mm512_srli_epi64::<11>(b), _mm512_set1_epi64(1)));
            let last_bit = _mm512_sub_pd(
                _mm512_castsi512_pd(_mm512_or_si512(exponent, last_bit_bits)),
                _mm512_set1_pd(1.0),
            );
            let position = _mm512_add_pd(
                _mm512_sub_pd(_mm512_mul_pd(_mm512_set1_pd(2.0), one_to_two), _mm512_set1_pd(3.0)),
                _mm512_mul_pd(last_bit, _mm512_set1_pd(LAST_BIT_SCALE)),
            );
            let layer = _mm512_and_si512(b, _mm512_set1_epi64(LAYER_BITS as i64));
            let edge = _mm512_i64gather_pd::<8>(layer, edges.as_ptr());
            let ratio = _mm512_i64gather_pd::<8>(layer, ratios.as_ptr());
            let mut x = [0.0; LANES];
            _mm512_storeu_pd(x.as_mut_ptr(), _mm512_mul_pd(position, edge));
            // Never NaN: `position` is finite, so "not below the ratio" is "at or above it".
            let outside = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(_mm512_abs_pd(position), ratio);
            (x, u32::from(outside))
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
