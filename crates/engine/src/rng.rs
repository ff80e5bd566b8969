//! One random stream per run, derived from (seed, run index) only.
//!
//! Xoshiro256++ (64-bit integer operations only: fast natively and in wasm), with stream s's state
//! taken from SplitMix64 outputs 4s+1…4s+4 counted from a base derived from the seed; run r uses
//! streams 2r (shocks) and 2r+1 (events). SplitMix64 is a bijection of its counter, so every stream
//! of a seed starts from its own distinct state, and run r draws the same numbers whatever the batch
//! size, worker count or platform. Normals use the Marsaglia–Tsang
//! ziggurat (1024 layers, Doornik's ZIGNOR formulation) with tables and tail computed by `libm`, so
//! the page (wasm) and the command line (native) agree to the bit. Engine 3 takes two normals from
//! each 64-bit draw, one from each half (the state they feed is single precision, so 22 bits of
//! position are as fine as it can resolve); the rare point outside its layer's rectangle is
//! decided in double precision, as before.
//!
//! [`LaneRng`] runs [`LANES`] such streams side by side (one run per lane) so that the compiler can
//! keep them in SIMD registers: every lane computes exactly what [`RunRng`] computes for its run,
//! and the rare normal that falls outside the ziggurat's rectangles finishes on the scalar path.

// Lane loops index several arrays by the same lane: an index reads best there.
#![allow(clippy::needless_range_loop)]

use super::fastmath::ExpTable;
use super::lanes::{map_to, single_at_most, Kernels, Lanes, LANES};

/// SplitMix64 step: spreads a 64-bit seed into well-mixed key material.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// 1024 layers: a draw falls outside its layer's rectangle 0.43 % of the time (2.8 % with 128).
/// The layer takes a half draw's low 10 bits, and the position its high 22, so they never overlap.
pub(crate) const ZIGGURAT_LAYERS: usize = 1024;
/// Start of the tail, R, and the area of each layer, V, for 1024 layers: the root of the
/// ziggurat's closing equation (V = R·f(R) + ∫_R^∞ f, x_{i+1} = f⁻¹(f(x_i) + V/x_i), and the top
/// layer ending at f(0) = 1), solved by bisection in 50-digit arithmetic (`mpmath`). The same
/// solver gives Marsaglia and Tsang's published constants for 128 and 256 layers to all their
/// digits. The test `every_layer_of_the_tables_has_the_area_v` checks the tables they build.
const ZIGGURAT_R: f64 = 4.038_849_846_109_505;
const ZIGGURAT_V: f64 = 0.001_226_324_646_353_088;

/// Layer tables of the ziggurat for N(0, 1).
#[derive(Clone, Debug)]
pub struct Ziggurat {
    /// Right edges x_i of the layers (x_0 = V / f(R) for the base strip, x_1 = R, x_1024 = 0).
    x: [f64; ZIGGURAT_LAYERS + 1],
    /// x_{i+1} / x_i: below this |u| the point is inside the layer's rectangle.
    ratio: [f64; ZIGGURAT_LAYERS],
    /// x_i in single precision (nearest): a normal inside its layer's rectangle is u · x_i in
    /// single precision, wherever it was decided.
    x_single: [f32; ZIGGURAT_LAYERS + 1],
    /// x_{i+1} / x_i rounded down to single precision: below it the point is inside for certain,
    /// so the vector step's test never accepts a point that [`Ziggurat::ratio`] would not; a point
    /// between the two is decided on the scalar path, against `ratio` itself.
    ratio_below: [f32; ZIGGURAT_LAYERS],
    /// Layer i's `x_single` (low 32 bits) and `ratio_below` (high 32 bits) in one word: the vector
    /// kernels read both with one 64-bit read per lane instead of two 32-bit ones (with AVX-512,
    /// half the gathered elements).
    edge_and_ratio: [u64; ZIGGURAT_LAYERS],
    /// The wedge test's exponentials, checked against `libm`'s where they could decide it.
    exp: ExpTable,
    /// 1 / (x_i − x_{i+1}): a point's place across its layer's wedge, for the chord test.
    inverse_width: [f64; ZIGGURAT_LAYERS],
    /// Which side of the chord across its wedge a layer's density lies on.
    curve: [Curve; ZIGGURAT_LAYERS],
}

/// The density between a layer's edges x_{i+1} and x_i against the chord between its ends: below
/// it beyond x = 1, where the density is convex, above it within, where it is concave.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Curve {
    BelowTheChord,
    AboveTheChord,
    /// The layer with x = 1 inside it (and the base strip, which never takes the wedge test).
    Crossing,
}

/// How far from the chord, in the uniform, a point must be for the chord to decide the wedge
/// test. The density is on the chord's other side, and a uniform that far from it is at least
/// 1e-9 · (f(x_{i+1}) − f(x_i)) / f(x) from the edge of acceptance: over 3e-13 (each layer's
/// rectangle has area V, so f(x_{i+1}) − f(x_i) ≥ V / R ≈ 0.000304, and f ≤ 1), against the
/// 1e-14 at most by which the sum `libm`'s exponentials give can be off. So the chord decides
/// only where `libm`'s sum would decide the same.
const CHORD_MARGIN: f64 = 1e-9;

/// How close to 1 the wedge test's sum may come before it is computed again with `libm`'s exp.
/// The table's exp is within 1e-15 of e^x relatively, as `libm`'s is, on the arguments the test
/// takes (−0.73 to 0.73 with 1024 layers), so the two sums differ by less than 1e-14 (the
/// larger exponential is below 2.1): a margin a hundred times that leaves every decision to
/// `libm`'s sum.
const WEDGE_MARGIN: f64 = 1e-12;

impl Ziggurat {
    pub fn new() -> Self {
        let mut x = [0.0; ZIGGURAT_LAYERS + 1];
        let mut f = libm::exp(-0.5 * ZIGGURAT_R * ZIGGURAT_R);
        x[0] = ZIGGURAT_V / f;
        x[1] = ZIGGURAT_R;
        for i in 2..ZIGGURAT_LAYERS {
            x[i] = (-2.0 * libm::log(ZIGGURAT_V / x[i - 1] + f)).sqrt();
            f = libm::exp(-0.5 * x[i] * x[i]);
        }
        let mut ratio = [0.0; ZIGGURAT_LAYERS];
        for i in 0..ZIGGURAT_LAYERS {
            ratio[i] = x[i + 1] / x[i];
        }
        let inverse_width = core::array::from_fn(|i| 1.0 / (x[i] - x[i + 1]));
        let x_single = x.map(|edge| edge as f32);
        let ratio_below = ratio.map(single_at_most);
        let edge_and_ratio =
            core::array::from_fn(|i| u64::from(x_single[i].to_bits()) | u64::from(ratio_below[i].to_bits()) << 32);
        let curve = core::array::from_fn(|i| match i {
            0 => Curve::Crossing,
            _ if x[i + 1] >= 1.0 => Curve::BelowTheChord,
            _ if x[i] <= 1.0 => Curve::AboveTheChord,
            _ => Curve::Crossing,
        });
        Ziggurat {
            x,
            ratio,
            x_single,
            ratio_below,
            edge_and_ratio,
            exp: ExpTable::new(),
            inverse_width,
            curve,
        }
    }

    /// The wedge test of layer `layer` (≥ 1) at `x` (between x_{layer+1} and x_layer in size) with
    /// the uniform `uniform`: is the point under the density? That is f(x_{i+1}) + U·(f(x_i) −
    /// f(x_{i+1})) < f(x), divided through by f(x), with the exponentials of `libm`'s exp. They
    /// come from the table instead (no call, no special cases), and from `libm` only when the sum is
    /// within [`WEDGE_MARGIN`] of 1, where the difference could decide: so the decision, and with
    /// it every draw, is always the one `libm`'s exp gives.
    ///
    /// Before any exponential, the chord across the wedge: the point is at height f(x_{i+1}) +
    /// U·(f(x_i) − f(x_{i+1})) and the chord at the same with U = t, t = (|x| − x_{i+1}) / (x_i −
    /// x_{i+1}). So a U below t is above the chord, where a layer below it rejects; a U above t is
    /// below the chord, where a layer above it accepts. That settles about half the tests.
    #[inline(always)]
    fn wedge_accepts(&self, layer: usize, x: f64, uniform: f64) -> bool {
        let across = (x.abs() - self.x[layer + 1]) * self.inverse_width[layer];
        match self.curve[layer] {
            Curve::BelowTheChord if uniform < across - CHORD_MARGIN => return false,
            Curve::AboveTheChord if uniform > across + CHORD_MARGIN => return true,
            _ => {}
        }
        let to_outer = -0.5 * (self.x[layer] * self.x[layer] - x * x);
        let to_inner = -0.5 * (self.x[layer + 1] * self.x[layer + 1] - x * x);
        let sum = |outer: f64, inner: f64| inner + uniform * (outer - inner);
        let near = sum(self.exp.exp(to_outer), self.exp.exp(to_inner));
        if (near - 1.0).abs() > WEDGE_MARGIN {
            return near < 1.0;
        }
        sum(libm::exp(to_outer), libm::exp(to_inner)) < 1.0
    }

    /// The rectangle step of [`LaneRng::normal_pair`] for the half draws `halves`, portable (the
    /// page's and the AVX-512 kernels do the same): each lane's candidate, and the lanes that fell
    /// outside their rectangles (bit l for lane l), or may have ([`Ziggurat::ratio_below`]).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    fn rectangles(&self, halves: &[u32; LANES]) -> (Lanes, u32) {
        let u: Lanes = super::lanes::map(|l| signed_unit(halves[l]));
        let layer: [usize; LANES] = map_to(|l| layer_of(halves[l]));
        let mut x = [0.0; LANES];
        let mut outside = 0u32;
        // One loop for the candidate and the mask: a `map` and a `lanes::lane_mask` read each
        // lane's layer twice, and the AVX2 copy of the default ensemble took 1–2 % longer.
        for l in 0..LANES {
            x[l] = u[l] * self.x_single[layer[l]];
            outside |= u32::from(u[l].abs() >= self.ratio_below[layer[l]]) << l;
        }
        (x, outside)
    }

    /// [`Ziggurat::rectangles`] of both halves of each lane's draw: the low halves' candidates and
    /// lanes outside, then the high halves'.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    fn rectangles_of_both_halves(&self, bits: &[u64; LANES]) -> ([Lanes; 2], [u32; 2]) {
        let (first, first_outside) = self.rectangles(&map_to(|l| bits[l] as u32));
        let (second, second_outside) = self.rectangles(&map_to(|l| (bits[l] >> 32) as u32));
        ([first, second], [first_outside, second_outside])
    }
}

impl Default for Ziggurat {
    fn default() -> Self {
        Self::new()
    }
}

/// What a run's random numbers are for: each purpose has its own stream, so that a change to one
/// (say an event that becomes eligible) never shifts the draws of the other. That keeps common
/// random numbers common when two ensembles differ only in some assumptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// The monthly shocks ε of every pair.
    Noise = 0,
    /// One uniform per event per month, drawn whether or not the event is eligible.
    Events = 1,
}

/// The four words of a Xoshiro256++ state for stream `stream` of `seed`.
fn stream_state(seed: u64, stream: u64) -> [u64; 4] {
    let mut base = seed;
    let base = splitmix64(&mut base);
    // Advance the counter to stream s's four outputs (the increment is added once per output).
    let mut state = base.wrapping_add(stream.wrapping_mul(4).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let words = [(); 4].map(|_| splitmix64(&mut state));
    // An all-zero state would repeat zeros for ever; Xoshiro's reference seeding replaces it by
    // SplitMix64 from 0 (four consecutive SplitMix64 outputs are never all zero in practice).
    if words == [0; 4] {
        let mut zero = 0;
        return [(); 4].map(|_| splitmix64(&mut zero));
    }
    words
}

/// 2^-53: turns the top 53 bits of a draw into a uniform in [0, 1).
const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// The uniform in [0, 1) of a 64-bit draw: its high 53 bits times 2^-53.
#[inline(always)]
fn unit_interval(bits: u64) -> f64 {
    unit_steps(bits) as f64 * UNIT
}

/// The integer k of a uniform k · 2^-53 in [0, 1) ([`unit_interval`] without its scale): the high
/// 53 bits of a draw.
#[inline(always)]
fn unit_steps(bits: u64) -> u64 {
    bits >> 11
}

/// The number of the 2^53 uniforms k · 2^-53 (k = 0, 1, …) that lie below `p`: a uniform `u` of
/// [`RunRng::uniform`] is below `p` exactly when [`fires`]`(k, firing_threshold(p))`. So an event
/// step compares integers and never converts its draws to doubles. Exact: p · 2^53 scales by a
/// power of two (no rounding for p in [0, 1]); an integer k is below a real x exactly when it is
/// below ⌈x⌉. NaN and p ≤ 0 give 0 (no uniform is below them), p ≥ 1 gives 2^53 (every uniform).
pub fn firing_threshold(p: f64) -> u64 {
    // `as` saturates: NaN and negative values become 0, +∞ u64::MAX; hence the cap at 2^53.
    ((p * (1u64 << 53) as f64).ceil() as u64).min(1 << 53)
}

/// A uniform's k is below a [`firing_threshold`]. Both are at most 2^53, so they compare as signed
/// integers: one vector comparison in wasm, which has no unsigned 64-bit one.
#[inline(always)]
pub fn fires(k: u64, threshold: u64) -> bool {
    (k as i64) < (threshold as i64)
}

/// The ziggurat's position in [−1, 1) of a half draw: its high 22 bits k as k · 2^-21 − 1. Exact in
/// single precision (k converts exactly, the scale is a power of two, and the difference has at
/// most 22 significant bits), so the vector kernels compute the very same value.
#[inline(always)]
fn signed_unit(half: u32) -> f32 {
    (half >> POSITION_SHIFT) as f32 * POSITION_SCALE - 1.0
}

// The ziggurat's layout of a half draw, here once for the scalar step and for the vector copies of
// its rectangle step (`simd128.rs`, `avx512.rs`), which must compute exactly what it computes.

/// A half draw's low bits that number its layer (1024 layers: the low 10).
pub(crate) const LAYER_BITS: u32 = ZIGGURAT_LAYERS as u32 - 1;
/// The position is the half draw's bits above the layer's.
pub(crate) const POSITION_SHIFT: u32 = 10;
/// 2^-21: the position's 22 bits k to k · 2^-21 in [0, 2).
pub(crate) const POSITION_SCALE: f32 = 1.0 / (1u32 << 21) as f32;

/// Xoshiro256++ (Blackman & Vigna), one stream.
#[derive(Clone, Debug)]
pub struct RunRng {
    s: [u64; 4],
}

impl RunRng {
    /// Run `run`'s stream for `purpose`: stream number 2·run + purpose of the seed.
    pub fn for_run(seed: u64, run: u64, purpose: Stream) -> Self {
        Self::new(seed, run.wrapping_mul(2).wrapping_add(purpose as u64))
    }

    /// Stream number `stream` of `seed`.
    pub fn new(seed: u64, stream: u64) -> Self {
        RunRng {
            s: stream_state(seed, stream),
        }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        unit_interval(self.next_u64())
    }

    /// Uniform in (0, 1]: safe for a logarithm.
    fn uniform_open_zero(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// Two standard normals N(0, 1) by the ziggurat from one 64-bit draw: the first from its low 32
    /// bits, the second from its high 32 (each: the layer from the low 10 bits, the position from
    /// the high 22). A half that falls outside its rectangle draws what it needs next, the first
    /// half's before the second's.
    pub fn normal_pair(&mut self, zig: &Ziggurat) -> [f32; 2] {
        let bits = self.next_u64();
        let first = self.normal_of_half(zig, bits as u32);
        let second = self.normal_of_half(zig, (bits >> 32) as u32);
        [first, second]
    }

    /// The normal of a half draw: almost always its rectangle's point.
    fn normal_of_half(&mut self, zig: &Ziggurat, half: u32) -> f32 {
        let (layer, u) = (layer_of(half), signed_unit(half));
        if u.abs() < zig.ratio_below[layer] {
            return u * zig.x_single[layer];
        }
        self.normal_outside_rectangle(zig, half)
    }

    /// The rest of a normal when the half draw `half` fell outside its layer's rectangle (or may
    /// have: [`Ziggurat::ratio_below`]), decided in double precision: the rectangle test against
    /// the exact ratio, the tail, the wedge test, and further draws until one is accepted (each a
    /// new 64-bit draw, of which the low half is read: rare enough not to count).
    #[cold]
    fn normal_outside_rectangle(&mut self, zig: &Ziggurat, mut half: u32) -> f32 {
        loop {
            let (layer, u) = (layer_of(half), signed_unit(half));
            let wide = f64::from(u);
            if wide.abs() < zig.ratio[layer] {
                return u * zig.x_single[layer];
            }
            if layer == 0 {
                return self.normal_tail(u < 0.0) as f32;
            }
            let x = wide * zig.x[layer];
            if zig.wedge_accepts(layer, x, self.uniform()) {
                return x as f32;
            }
            half = self.next_u64() as u32;
        }
    }

    /// A normal beyond ±R (Marsaglia's tail method).
    fn normal_tail(&mut self, negative: bool) -> f64 {
        loop {
            let x = libm::log(self.uniform_open_zero()) / ZIGGURAT_R;
            let y = libm::log(self.uniform_open_zero());
            if -2.0 * y >= x * x {
                return if negative { x - ZIGGURAT_R } else { ZIGGURAT_R - x };
            }
        }
    }
}

/// The ziggurat layer of a half draw: its low 10 bits.
#[inline(always)]
fn layer_of(half: u32) -> usize {
    (half & LAYER_BITS) as usize
}

/// [`LANES`] Xoshiro256++ streams side by side, lane l being one run's [`RunRng`].
#[derive(Clone, Debug)]
pub struct LaneRng {
    /// Word w of lane l's state at `s[w][l]`.
    s: [[u64; LANES]; 4],
}

impl LaneRng {
    /// The streams for `purpose` of runs `first_run`, `first_run + 1`, … (one per lane).
    pub fn for_runs(seed: u64, first_run: u64, purpose: Stream) -> Self {
        Self::for_run_ids(seed, core::array::from_fn(|l| first_run + l as u64), purpose)
    }

    /// The streams for `purpose` of the runs numbered `runs` (one per lane): lane l draws what run
    /// `runs[l]` of an ensemble with this seed draws. Not inlined: once per block, and each copy
    /// of its sixteen unrolled seedings is over a kilobyte of the page's bundle.
    #[inline(never)]
    pub fn for_run_ids(seed: u64, runs: [u64; LANES], purpose: Stream) -> Self {
        let mut s = [[0; LANES]; 4];
        for l in 0..LANES {
            let words = RunRng::for_run(seed, runs[l], purpose).s;
            for w in 0..4 {
                s[w][l] = words[w];
            }
        }
        LaneRng { s }
    }

    /// The next 64 random bits of every lane, with `kernels`' step.
    #[inline(always)]
    fn next_u64(&mut self, kernels: Kernels) -> [u64; LANES] {
        #[cfg(not(target_arch = "x86_64"))]
        let _ = kernels;
        // In the page, with `simd128` intrinsics: LLVM keeps the loop below scalar in wasm.
        #[cfg(target_arch = "wasm32")]
        {
            crate::simd128::xoshiro_next(&mut self.s)
        }
        #[cfg(target_arch = "x86_64")]
        if kernels.avx512() {
            // SAFETY: `Kernels::avx512` is true only where the processor has the kernel's features.
            return unsafe { crate::avx512::xoshiro_next(&mut self.s) };
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let [s0, s1, s2, s3] = &mut self.s;
            let mut result = [0; LANES];
            for l in 0..LANES {
                result[l] = s0[l].wrapping_add(s3[l]).rotate_left(23).wrapping_add(s0[l]);
                let t = s1[l] << 17;
                s2[l] ^= s0[l];
                s3[l] ^= s1[l];
                s1[l] ^= s2[l];
                s0[l] ^= s3[l];
                s2[l] ^= t;
                s3[l] = s3[l].rotate_left(45);
            }
            result
        }
    }

    /// One uniform in [0, 1) per lane as its integer k of k · 2^-53 (compare it with
    /// [`firing_threshold`]): what [`RunRng::uniform`] gives for each lane's run, unscaled.
    #[inline(always)]
    pub fn unit_steps(&mut self, kernels: Kernels) -> [u64; LANES] {
        let bits = self.next_u64(kernels);
        map_to(|l| unit_steps(bits[l]))
    }

    /// Two standard normals per lane: what [`RunRng::normal_pair`] gives for each lane's run. All
    /// lanes take the rectangle test together, for both halves of their draw; a half that fails it
    /// (0.43 % of them) finishes on the scalar path with its lane's stream, the first halves'
    /// before the second halves', as each run draws them.
    #[inline(always)]
    pub fn normal_pair(&mut self, zig: &Ziggurat, kernels: Kernels) -> [Lanes; 2] {
        let bits = self.next_u64(kernels);
        #[cfg(target_arch = "wasm32")]
        let ([mut first, mut second], outside) = crate::simd128::ziggurat_rectangles(&bits, &zig.edge_and_ratio);
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Kernels::avx512` is true only where the processor has the kernel's features.
        let ([mut first, mut second], outside) = if kernels.avx512() {
            unsafe { crate::avx512::ziggurat_rectangles(&bits, &zig.edge_and_ratio) }
        } else {
            zig.rectangles_of_both_halves(&bits)
        };
        #[cfg(not(any(target_arch = "wasm32", target_arch = "x86_64")))]
        let ([mut first, mut second], outside) = zig.rectangles_of_both_halves(&bits);
        if outside != [0, 0] {
            self.finish_outside(zig, &bits, outside, [&mut first, &mut second]);
        }
        [first, second]
    }

    /// The halves of a normal pair's draw that fell outside their rectangles (bit l of
    /// `outside[h]` for lane l's half h), finished one by one: every lane's first half, then every
    /// lane's second. Passed as masks so that only those lanes are visited: about one block draw
    /// in eight has one (1 − 0.9957³²), and seldom more than one.
    #[cold]
    #[inline(never)]
    fn finish_outside(&mut self, zig: &Ziggurat, bits: &[u64; LANES], outside: [u32; 2], x: [&mut Lanes; 2]) {
        for (half, (mut lanes, x)) in outside.into_iter().zip(x).enumerate() {
            while lanes != 0 {
                let l = lanes.trailing_zeros() as usize;
                lanes &= lanes - 1;
                let mut lane = RunRng {
                    s: [self.s[0][l], self.s[1][l], self.s[2][l], self.s[3][l]],
                };
                x[l] = lane.normal_outside_rectangle(zig, (bits[l] >> (32 * half)) as u32);
                for w in 0..4 {
                    self.s[w][l] = lane.s[w];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngCore, SeedableRng};

    #[test]
    fn the_generator_is_xoshiro256_plus_plus() {
        // Against the reference implementation in `rand_xoshiro`, seeded with the same words.
        for (seed, stream) in [(0, 0), (1, 5), (u64::MAX, 123_456_789)] {
            let mut ours = RunRng::new(seed, stream);
            let mut bytes = [0u8; 32];
            for (chunk, word) in bytes.chunks_exact_mut(8).zip(ours.s) {
                chunk.copy_from_slice(&word.to_le_bytes());
            }
            let mut reference = rand_xoshiro::Xoshiro256PlusPlus::from_seed(bytes);
            for _ in 0..1000 {
                assert_eq!(ours.next_u64(), reference.next_u64());
            }
        }
    }

    #[test]
    fn streams_are_seeded_as_documented_by_the_reference_splitmix64() {
        // The seeding of this file's header, by the reference SplitMix64 of `rand_xoshiro`: the base
        // is the first output of SplitMix64 started at the seed; stream s's Xoshiro256++ state is
        // outputs 4s + 1 … 4s + 4 of SplitMix64 started at the base (each output's 8 bytes little
        // endian, as `from_seed` reads them).
        for seed in [0, 1, 42, 0x0123_4567_89AB_CDEF, u64::MAX] {
            let mut state = seed;
            let base = rand_xoshiro::SplitMix64::seed_from_u64(seed).next_u64();
            assert_eq!(splitmix64(&mut state), base, "seed {seed}");
            let mut outputs = rand_xoshiro::SplitMix64::seed_from_u64(base);
            for stream in 0..10 {
                let mut words = [0u8; 32];
                for chunk in words.chunks_exact_mut(8) {
                    chunk.copy_from_slice(&outputs.next_u64().to_le_bytes());
                }
                let mut reference = rand_xoshiro::Xoshiro256PlusPlus::from_seed(words);
                let mut ours = RunRng::new(seed, stream);
                for _ in 0..4 {
                    assert_eq!(ours.next_u64(), reference.next_u64(), "seed {seed}, stream {stream}");
                }
            }
        }
        // Run r's shocks are stream 2r and its events stream 2r + 1.
        for run in [0, 1, 7, 1_000_003] {
            for (purpose, stream) in [(Stream::Noise, 2 * run), (Stream::Events, 2 * run + 1)] {
                let mut ours = RunRng::for_run(5, run, purpose);
                let mut reference = RunRng::new(5, stream);
                assert_eq!(ours.next_u64(), reference.next_u64(), "run {run}, {purpose:?}");
            }
        }
    }

    #[test]
    fn a_half_draws_position_is_exact_in_single_precision() {
        // 2 · (k / 2^22) − 1 for the high 22 bits k, computed in double precision (where every
        // step is exact): the single-precision steps round nothing either.
        let mut r = RunRng::new(3, 3);
        let edges = [0, 1, 1 << 10, (1 << 11) - 1, 1 << 31, u32::MAX, u32::MAX - (1 << 10)];
        for half in edges.into_iter().chain((0..100_000).map(|_| r.next_u64() as u32)) {
            let want = 2.0 * (f64::from(half >> 10) / 2f64.powi(22)) - 1.0;
            assert_eq!(f64::from(signed_unit(half)), want, "{half:#x}");
        }
        assert_eq!(signed_unit(0), -1.0);
        assert_eq!(f64::from(signed_unit(u32::MAX)), 1.0 - 2f64.powi(-21));
    }

    /// The event step's integer comparison is the comparison of the uniform with the hazard:
    /// `k < firing_threshold(p)` exactly when `k · 2^-53 < p`, written here with doubles as the
    /// scalar model writes it, for hazards of every kind (exact multiples of 2^-53 and their
    /// neighbours, the ends, subnormals, NaN, values outside [0, 1]) and draws around the threshold.
    #[test]
    fn an_event_fires_on_the_integer_test_exactly_when_its_uniform_is_below_the_hazard() {
        let two53 = (1u64 << 53) as f64;
        let mut r = RunRng::new(11, 4);
        let mut hazards = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            f64::from_bits(1),
            1e-300,
            1.0 / two53,
            0.5,
            1.0,
            1.0 - f64::EPSILON / 2.0,
            1.5,
            -0.25,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for _ in 0..2_000 {
            let k = (r.next_u64() >> 11) as f64;
            let on_grid = k / two53;
            // Its neighbours: the next double up and down (on_grid is never negative).
            let up = f64::from_bits(on_grid.to_bits() + 1);
            let down = f64::from_bits(on_grid.to_bits().saturating_sub(1));
            hazards.extend([r.uniform(), r.uniform().powi(9), on_grid, up, down]);
        }
        for p in hazards {
            let threshold = firing_threshold(p);
            let near = if p.is_finite() {
                (p.clamp(0.0, 1.0) * two53) as u64
            } else {
                0
            };
            let draws = (near.saturating_sub(3)..near + 3).chain((0..20).map(|_| r.next_u64() >> 11));
            for k in draws.filter(|&k| k < 1 << 53) {
                let uniform = k as f64 * (1.0 / two53);
                assert_eq!(fires(k, threshold), uniform < p, "k = {k}, p = {p:e}");
            }
        }
    }

    #[test]
    fn lanes_draw_exactly_what_each_run_draws() {
        let zig = Ziggurat::new();
        // The portable loops, and where the processor has AVX-512, its kernels (`crate::avx512`).
        let kernels = [Kernels::PORTABLE, Kernels::widest()];
        // Where it has them, the kernels do run (asked of the processor by the tests' own
        // reading): otherwise this test would compare the portable loops with themselves.
        assert_eq!(
            kernels[1].avx512(),
            crate::lanes::processor_reports(crate::lanes::InstructionSet::Avx512)
        );
        for (purpose, kernels) in [Stream::Noise, Stream::Events]
            .into_iter()
            .flat_map(|p| kernels.into_iter().map(move |k| (p, k)))
        {
            let mut lanes = LaneRng::for_runs(77, 40, purpose);
            let mut runs: Vec<RunRng> = (0..LANES as u64)
                .map(|l| RunRng::for_run(77, 40 + l, purpose))
                .collect();
            // Enough normals that every lane takes the slow path (tail and wedges) many times, in
            // both halves of its draws.
            for i in 0..20_000 {
                let (got, want): (Vec<u64>, Vec<u64>) = if i % 3 == 0 {
                    let steps = lanes.unit_steps(kernels);
                    (
                        steps.map(|k| (k as f64 / 2f64.powi(53)).to_bits()).to_vec(),
                        runs.iter_mut().map(|r| r.uniform().to_bits()).collect(),
                    )
                } else {
                    let [first, second] = lanes.normal_pair(&zig, kernels);
                    let pairs: Vec<[f32; 2]> = runs.iter_mut().map(|r| r.normal_pair(&zig)).collect();
                    (
                        first.iter().chain(&second).map(|x| u64::from(x.to_bits())).collect(),
                        (0..2)
                            .flat_map(|h| pairs.iter().map(move |pair| u64::from(pair[h].to_bits())))
                            .collect(),
                    )
                };
                assert_eq!(got, want, "draw {i} ({kernels:?})");
            }
        }
    }

    /// Doornik's ZIGNOR for two normals from one word, written from the paper with the density in
    /// its plain form f(x) = e^(−x²/2) and the words of the reference Xoshiro256++. Each normal
    /// starts from one 32-bit half of the word (the first from the low half, the second from the
    /// high): the layer from the half's low 10 bits, u = 2·(high 22 bits · 2^−22) − 1 and x = u·x_i;
    /// inside the rectangle (|x| < x_{i+1}) the normal is u times x_i rounded to single precision,
    /// in single precision; in the base strip (i = 0) beyond it, Marsaglia's tail beyond R on the
    /// side of u (ξ = −ln U₁/R, η = −ln U₂ with U in (0, 1], until 2η > ξ²); in a wedge, x is taken
    /// when f(x_{i+1}) + U·(f(x_i) − f(x_{i+1})) < f(x); otherwise all over again with the low half
    /// of a new word. A tail or wedge value is rounded to single precision. `path` counts (tails,
    /// wedge tests, rejected wedges).
    fn zignor_pair(
        words: &mut rand_xoshiro::Xoshiro256PlusPlus,
        zig: &Ziggurat,
        path: &mut (usize, usize, usize),
    ) -> [f32; 2] {
        let f = |x: f64| libm::exp(-0.5 * x * x);
        let uniform = |words: &mut rand_xoshiro::Xoshiro256PlusPlus| (words.next_u64() >> 11) as f64 / 2f64.powi(53);
        let mut one = |mut half: u32, words: &mut rand_xoshiro::Xoshiro256PlusPlus| -> f32 {
            loop {
                let layer = (half & 1023) as usize;
                let u = 2.0 * (f64::from(half >> 10) / 2f64.powi(22)) - 1.0;
                let x = u * zig.x[layer];
                if x.abs() < zig.x[layer + 1] {
                    return u as f32 * zig.x[layer] as f32;
                }
                if layer == 0 {
                    path.0 += 1;
                    let r = zig.x[1];
                    loop {
                        let xi = -libm::log(1.0 - uniform(words)) / r;
                        let eta = -libm::log(1.0 - uniform(words));
                        if 2.0 * eta > xi * xi {
                            return (if u < 0.0 { -(r + xi) } else { r + xi }) as f32;
                        }
                    }
                }
                path.1 += 1;
                if f(zig.x[layer + 1]) + uniform(words) * (f(zig.x[layer]) - f(zig.x[layer + 1])) < f(x) {
                    return x as f32;
                }
                path.2 += 1;
                half = words.next_u64() as u32;
            }
        };
        let word = words.next_u64();
        let first = one(word as u32, words);
        let second = one((word >> 32) as u32, words);
        [first, second]
    }

    #[test]
    fn normals_outside_the_rectangles_follow_an_independent_zignor() {
        // 3 000 000 normals bit for bit, with enough draws through the tail and the wedges (and
        // wedges rejected, which start over) that every branch of the slow path is taken often.
        let zig = Ziggurat::new();
        let mut ours = RunRng::new(2026, 12);
        let mut seed = [0u8; 32];
        for (chunk, word) in seed.chunks_exact_mut(8).zip(ours.s) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        let mut words = rand_xoshiro::Xoshiro256PlusPlus::from_seed(seed);
        let mut path = (0, 0, 0);
        for i in 0..1_500_000 {
            let want = zignor_pair(&mut words, &zig, &mut path);
            let got = ours.normal_pair(&zig);
            assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits), "pair {i}: {want:?}");
        }
        let (tails, wedges, rejected) = path;
        assert!(tails > 100 && wedges > 5_000 && rejected > 500, "{path:?}");
    }

    #[test]
    fn the_wedge_test_decides_as_libm_exp_does_even_at_its_edge() {
        // Points in every layer's wedge, each with the uniform that puts the sum exactly at 1
        // (where the table's few ulp could decide) and its neighbours, and with random uniforms.
        let zig = Ziggurat::new();
        let mut rng = RunRng::new(7, 3);
        let (mut near_edge, mut accepted, mut rejected) = (0, 0, 0);
        for _ in 0..30_000 {
            let layer = 1 + (rng.next_u64() % (ZIGGURAT_LAYERS as u64 - 1)) as usize;
            let ratio = zig.ratio[layer];
            // A third of the points within 1e-6 of the wedge's inner or outer edge, where the chord
            // meets the density.
            let across = match rng.next_u64() % 3 {
                0 => rng.uniform(),
                1 => 1e-6 * rng.uniform(),
                _ => 1.0 - 1e-6 * rng.uniform(),
            };
            let u = (ratio + (1.0 - ratio) * across) * if rng.uniform() < 0.5 { -1.0 } else { 1.0 };
            let x = u * zig.x[layer];
            let f0 = libm::exp(-0.5 * (zig.x[layer] * zig.x[layer] - x * x));
            let f1 = libm::exp(-0.5 * (zig.x[layer + 1] * zig.x[layer + 1] - x * x));
            let libm_decides = |uniform: f64| f1 + uniform * (f0 - f1) < 1.0;
            let edge = (1.0 - f1) / (f0 - f1);
            // And around the chord, where it meets the density at the layer's two edges.
            let across = (x.abs() - zig.x[layer + 1]) / (zig.x[layer] - zig.x[layer + 1]);
            let mut uniforms = vec![rng.uniform(), across];
            for step in [1e-12, 1e-10, 1e-9, 2e-9, 1e-8, 1e-6] {
                uniforms.extend(
                    [across - step, across + step]
                        .into_iter()
                        .filter(|u| (0.0..1.0).contains(u)),
                );
            }
            if (0.0..1.0).contains(&edge) {
                let mut below = edge;
                let mut above = edge;
                uniforms.push(edge);
                for _ in 0..3 {
                    below = below.next_down();
                    above = above.next_up();
                    uniforms.extend([below, above]);
                }
                near_edge += 1;
            }
            for uniform in uniforms {
                let want = libm_decides(uniform);
                assert_eq!(
                    zig.wedge_accepts(layer, x, uniform),
                    want,
                    "layer {layer}, x {x}, U {uniform}"
                );
                if want {
                    accepted += 1;
                } else {
                    rejected += 1;
                }
            }
        }
        assert!(
            near_edge > 5_000 && accepted > 10_000 && rejected > 10_000,
            "{near_edge} {accepted} {rejected}"
        );
    }

    #[test]
    fn runs_start_from_distinct_states() {
        let mut firsts: Vec<u64> = (0..20_000).map(|run| RunRng::new(9, run).next_u64()).collect();
        firsts.sort_unstable();
        firsts.dedup();
        assert_eq!(firsts.len(), 20_000);
    }

    #[test]
    fn streams_differ_by_run_and_seed_and_repeat_exactly() {
        let draw = |seed, run| {
            let mut r = RunRng::new(seed, run);
            (0..4).map(|_| r.uniform()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, 3), draw(7, 3));
        assert_ne!(draw(7, 3), draw(7, 4));
        assert_ne!(draw(7, 3), draw(8, 3));
    }

    #[test]
    fn every_layer_of_the_tables_has_the_area_v() {
        // The ziggurat's defining property, checked from the tables and the density alone: each
        // layer's rectangle x_i · (f(x_{i+1}) − f(x_i)) has the area V, the top one (x_1024 = 0)
        // included, and so has the base strip with the tail beyond R, R·f(R) + √(π/2)·erfc(R/√2).
        // Wrong constants R and V for this layer count leave the top layer off by far more.
        let zig = Ziggurat::new();
        let f = |x: f64| libm::exp(-0.5 * x * x);
        for i in 1..ZIGGURAT_LAYERS {
            let area = zig.x[i] * (f(zig.x[i + 1]) - f(zig.x[i]));
            assert!((area / ZIGGURAT_V - 1.0).abs() < 1e-8, "layer {i}: area {area}");
        }
        assert_eq!(zig.x[ZIGGURAT_LAYERS], 0.0);
        let base = ZIGGURAT_R * f(ZIGGURAT_R)
            + (std::f64::consts::PI / 2.0).sqrt() * libm::erfc(ZIGGURAT_R / std::f64::consts::SQRT_2);
        assert!((base / ZIGGURAT_V - 1.0).abs() < 1e-8, "base strip {base}");
        assert_eq!(zig.x[1], ZIGGURAT_R);
        assert!((zig.x[0] * f(ZIGGURAT_R) / ZIGGURAT_V - 1.0).abs() < 1e-15);
    }

    #[test]
    fn normals_have_unit_moments() {
        let mut r = RunRng::new(1, 0);
        let zig = Ziggurat::new();
        let n = 200_000;
        let xs: Vec<f64> = (0..n / 2).flat_map(|_| r.normal_pair(&zig)).map(f64::from).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        // Standard errors: 1/sqrt(n) ≈ 0.0022 for the mean, sqrt(2/n) ≈ 0.0032 for the variance.
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.015, "variance {var}");
    }

    /// Standard normal CDF.
    fn phi(x: f64) -> f64 {
        0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
    }

    #[test]
    fn normals_follow_the_normal_distribution_body_and_tails() {
        // Kolmogorov–Smirnov distance against Φ, and the share beyond ±3 and ±R (tail path).
        let mut r = RunRng::new(42, 7);
        let zig = Ziggurat::new();
        let n = 400_000;
        let mut xs: Vec<f64> = (0..n / 2).flat_map(|_| r.normal_pair(&zig)).map(f64::from).collect();
        xs.sort_by(f64::total_cmp);
        let ks = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = phi(x);
                (f - i as f64 / n as f64)
                    .abs()
                    .max(((i + 1) as f64 / n as f64 - f).abs())
            })
            .fold(0.0, f64::max);
        // The 0.1 % critical value is 1.95 / sqrt(n) ≈ 0.0031.
        assert!(ks < 1.95 / (n as f64).sqrt(), "KS distance {ks}");
        for cut in [1.0, 2.0, 3.0, ZIGGURAT_R, 4.0] {
            let share = xs.iter().filter(|x| x.abs() > cut).count() as f64 / n as f64;
            let want = 2.0 * (1.0 - phi(cut));
            let se = (want * (1.0 - want) / n as f64).sqrt();
            assert!(
                (share - want).abs() < 4.5 * se + 1e-6,
                "beyond ±{cut}: {share} vs {want}"
            );
        }
    }
}
