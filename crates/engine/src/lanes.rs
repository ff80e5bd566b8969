//! Runs side by side: the engine advances [`LANES`] runs at once, one per lane of a small array.
//!
//! The arithmetic is written lane by lane over fixed-size arrays, which the compiler turns into SIMD
//! (SSE2, AVX2 or AVX-512 natively, `simd128` in the page's worker; the kernels it compiles poorly
//! are written with intrinsics, in `crate::simd128` for wasm and `crate::avx512` for AVX-512).
//! Every lane does exactly the IEEE operations the scalar model does for its run, in the same
//! order, and Rust never fuses a multiply and an add on its own, so the numbers do not depend on
//! the lane count, the instruction set or the platform: a lane is a run, nothing is shared between
//! lanes.

/// Runs per block. Sixteen single-precision values fill one AVX-512 register, two AVX2 registers or
/// four SSE2/simd128 ones: enough independent work to hide latencies on each of them.
pub const LANES: usize = 16;

/// One value of the runs' state per run of a block. Engine 3 keeps the state in single precision
/// (24 significant bits, a relative rounding of 6e-8, far below the Monte Carlo error of any
/// figure the engine reports): twice the runs per vector instruction of double precision.
pub type Lanes = [f32; LANES];

/// One double per run of a block, for what is computed once per run rather than every month
/// (the horizon's blocs and their energies).
pub type DoubleLanes = [f64; LANES];

/// `f` applied lane by lane. A plain loop rather than `core::array::from_fn`, which the compiler
/// does not always inline, and a call in the middle of the month's step stops it vectorising.
#[inline(always)]
pub fn map(f: impl Fn(usize) -> f32) -> Lanes {
    map_to(f)
}

/// [`map`] for lanes of any type.
#[inline(always)]
pub fn map_to<T: Copy + Default>(f: impl Fn(usize) -> T) -> [T; LANES] {
    let mut lanes = [T::default(); LANES];
    for (l, lane) in lanes.iter_mut().enumerate() {
        *lane = f(l);
    }
    lanes
}

/// Every lane's bit of a [`lane_mask`].
pub const ALL_LANES: u32 = (1 << LANES) - 1;

/// The lanes where `holds` is true, as bits (bit l for lane l): one mask register or movemask
/// from a vector comparison, where an array of `bool` is bytes moved between registers.
#[inline(always)]
pub fn lane_mask(holds: impl Fn(usize) -> bool) -> u32 {
    let mut mask = 0;
    for l in 0..LANES {
        mask |= u32::from(holds(l)) << l;
    }
    mask
}

/// The smaller of `a` and `b`, for values that are never NaN (the engine's state, whose pairs are
/// tanh of finite numbers). Not `f64::min`: its NaN rule is not wasm's `f64.min`, so in the page
/// every call became a call to `fmin` (9 % of the worker's plain ensemble, measured in Node), while
/// a comparison and a select is one instruction, and vectorises (`f64x2.pmin`, `minpd`). Between
/// +0 and −0, which compare equal, it returns `a`.
#[inline(always)]
pub fn lesser<T: PartialOrd>(a: T, b: T) -> T {
    if b < a {
        b
    } else {
        a
    }
}

/// The larger of `a` and `b`, as [`lesser`].
#[inline(always)]
pub fn greater<T: PartialOrd>(a: T, b: T) -> T {
    if b > a {
        b
    } else {
        a
    }
}

/// The largest single-precision value at most `v` (finite).
pub(crate) fn single_at_most(v: f64) -> f32 {
    let nearest = v as f32;
    if f64::from(nearest) > v {
        nearest.next_down()
    } else {
        nearest
    }
}

/// The smallest single-precision value at least `v` (finite).
pub(crate) fn single_at_least(v: f64) -> f32 {
    -single_at_most(-v)
}

/// Number of blocks of [`LANES`] runs that hold `runs` runs.
pub fn blocks_for(runs: usize) -> usize {
    runs.div_ceil(LANES)
}

/// The vector instruction sets `with_widest_simd` chooses from on x86-64, narrowest first. The
/// numbers never depend on the choice; only the speed does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum InstructionSet {
    /// What the build targets: SSE2 on x86-64 (and `simd128` in the page).
    Baseline,
    /// AVX2: two 256-bit registers hold a block's lanes.
    Avx2,
    /// AVX-512 (F, DQ, VL and BW): one 512-bit register holds a block's lanes, and 64-bit
    /// rotations, integer-to-double conversions and masked operations are single instructions.
    Avx512,
}

/// The widest set [`with_widest_simd`] may use ([`limit_instruction_set`]), as its index.
#[cfg(target_arch = "x86_64")]
static WIDEST_ALLOWED: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(InstructionSet::Avx512 as u8);

/// Keeps `with_widest_simd` to `widest` or narrower, for the whole process: the benchmark times
/// each set, and a test checks that every set computes the same numbers.
pub fn limit_instruction_set(widest: InstructionSet) {
    #[cfg(target_arch = "x86_64")]
    WIDEST_ALLOWED.store(widest as u8, std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(target_arch = "x86_64"))]
    let _ = widest;
}

/// The set `with_widest_simd` uses now: the widest the processor has (checked at run time, once;
/// the standard library caches the answer), within [`limit_instruction_set`]'s limit.
pub fn instruction_set() -> InstructionSet {
    #[cfg(target_arch = "x86_64")]
    {
        let allowed = WIDEST_ALLOWED.load(std::sync::atomic::Ordering::Relaxed);
        if processor_has_avx512() && allowed >= InstructionSet::Avx512 as u8 {
            return InstructionSet::Avx512;
        }
        if std::arch::is_x86_feature_detected!("avx2") && allowed >= InstructionSet::Avx2 as u8 {
            return InstructionSet::Avx2;
        }
    }
    InstructionSet::Baseline
}

/// The processor has every AVX-512 feature [`InstructionSet::Avx512`] names (whatever the limit).
#[cfg(target_arch = "x86_64")]
pub(crate) fn processor_has_avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512dq")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512bw")
}

/// Which hand-written kernels the code [`with_widest_simd`] compiles may call. It is a constant in
/// each of that function's copies, so once `f` is inlined the choice costs no branch (a flag read
/// from memory in the month's step cost the AVX2 copy 8–14 %, measured: README §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kernels {
    /// `crate::avx512`'s kernels: only ever true where the processor has AVX-512 (this type's
    /// values with it are made here alone).
    avx512: bool,
}

impl Kernels {
    /// The portable loops (and in the page, the `simd128` kernels, which wasm always has).
    pub const PORTABLE: Kernels = Kernels { avx512: false };

    /// `crate::avx512`'s kernels may run: the processor has AVX-512.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    #[inline(always)]
    pub fn avx512(self) -> bool {
        self.avx512
    }

    /// The widest kernels the processor can run, whatever [`limit_instruction_set`] says (tests).
    #[cfg(test)]
    pub(crate) fn widest() -> Kernels {
        #[cfg(target_arch = "x86_64")]
        if processor_has_avx512() {
            return Kernels { avx512: true };
        }
        Kernels::PORTABLE
    }
}

/// Calls `f` compiled for the widest vector instructions at hand: natively AVX-512 or AVX2 when the
/// processor has them ([`instruction_set`]; otherwise the build's own target, SSE2 on x86-64), in
/// the page's wasm `simd128` (which the browser must support: `src/web/boot.js` checks before
/// loading). Rust never contracts a multiply and an add on its own (AVX-512 and AVX2 machines have
/// FMA, and it is not used unless asked for), so `f` computes the same bits on every path.
#[inline(always)]
pub fn with_widest_simd<R>(f: impl FnOnce(Kernels) -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
        unsafe fn avx512<R>(f: impl FnOnce(Kernels) -> R) -> R {
            f(Kernels { avx512: true })
        }
        #[target_feature(enable = "avx2")]
        unsafe fn avx2<R>(f: impl FnOnce(Kernels) -> R) -> R {
            f(Kernels::PORTABLE)
        }
        match instruction_set() {
            // SAFETY: the processor has these features, checked by `instruction_set`.
            InstructionSet::Avx512 => return unsafe { avx512(f) },
            // SAFETY: as above.
            InstructionSet::Avx2 => return unsafe { avx2(f) },
            InstructionSet::Baseline => {}
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        #[target_feature(enable = "simd128")]
        unsafe fn simd128<R>(f: impl FnOnce(Kernels) -> R) -> R {
            f(Kernels::PORTABLE)
        }
        // SAFETY: a wasm engine without SIMD rejects the whole module when it loads, so code
        // that runs here runs where simd128 is supported.
        #[allow(unused_unsafe)]
        return unsafe { simd128(f) };
    }
    #[allow(unreachable_code)]
    f(Kernels::PORTABLE)
}

/// Whether the processor has `set`, read for the tests straight from the standard library's
/// detection rather than through [`instruction_set`] or [`processor_has_avx512`], which they check.
#[cfg(test)]
pub(crate) fn processor_reports(set: InstructionSet) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        match set {
            InstructionSet::Baseline => true,
            InstructionSet::Avx2 => has!("avx2"),
            InstructionSet::Avx512 => has!("avx512f") && has!("avx512dq") && has!("avx512vl") && has!("avx512bw"),
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        set == InstructionSet::Baseline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_bounds_bracket_every_double() {
        let mut state = 5u64;
        for i in 0..200_000 {
            state = crate::rng::splitmix64(&mut state);
            // Doubles of every kind near [−2, 2], and every third one exactly a single.
            let v = f64::from_bits(state) % 2.0;
            let v = if !v.is_finite() {
                0.5
            } else if i % 3 == 0 {
                f64::from(v as f32)
            } else {
                v
            };
            let (below, above) = (single_at_most(v), single_at_least(v));
            assert!(f64::from(below) <= v && v <= f64::from(above), "{v}");
            if f64::from(v as f32) == v {
                assert!(f64::from(below) == v && f64::from(above) == v, "{v}");
            } else {
                assert_eq!(below.next_up(), above, "{v}");
            }
        }
    }

    #[test]
    fn lesser_and_greater_by_hand() {
        assert_eq!(lesser(0.25, -0.5), -0.5);
        assert_eq!(lesser(-0.5, 0.25), -0.5);
        assert_eq!(greater(0.25, -0.5), 0.25);
        assert_eq!(greater(-0.5, 0.25), 0.25);
        assert_eq!(lesser(f64::INFINITY, 0.9), 0.9);
        assert_eq!(greater(f64::NEG_INFINITY, -0.9), -0.9);
        // +0 and −0 compare equal: the first operand is kept, as documented (a fold from the first
        // value keeps that value's sign).
        assert!(lesser(0.0f64, -0.0).is_sign_positive());
        assert!(lesser(-0.0f64, 0.0).is_sign_negative());
        assert!(greater(0.0f64, -0.0).is_sign_positive());
        assert!(greater(-0.0f64, 0.0).is_sign_negative());
    }
}
