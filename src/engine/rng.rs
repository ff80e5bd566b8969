//! One random stream per run, derived from (seed, run index) only.
//!
//! Xoshiro256++ (64-bit integer operations only: fast natively and in wasm), with stream s's state
//! taken from SplitMix64 outputs 4s+1…4s+4 counted from a base derived from the seed; run r uses
//! streams 2r (shocks) and 2r+1 (events). SplitMix64 is a bijection of its counter, so every stream
//! of a seed starts from its own distinct state, and run r draws the same numbers whatever the batch
//! size, worker count or platform. Normals use the Marsaglia–Tsang
//! ziggurat (128 layers, Doornik's ZIGNOR formulation) with tables and tail computed by `libm`, so
//! the page (wasm) and the command line (native) agree to the bit.

use rand::{Rng, RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// SplitMix64 step: spreads a 64-bit seed into well-mixed key material.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const ZIGGURAT_LAYERS: usize = 128;
/// Start of the tail, and the area of each layer, for 128 layers.
const ZIGGURAT_R: f64 = 3.442619855899;
const ZIGGURAT_V: f64 = 9.91256303526217e-3;

/// Layer tables of the ziggurat for N(0, 1).
#[derive(Clone, Debug)]
pub struct Ziggurat {
    /// Right edges x_i of the layers (x_0 = V / f(R) for the base strip, x_1 = R, x_128 = 0).
    x: [f64; ZIGGURAT_LAYERS + 1],
    /// x_{i+1} / x_i: below this |u| the point is inside the layer's rectangle.
    ratio: [f64; ZIGGURAT_LAYERS],
}

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
        Ziggurat { x, ratio }
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

/// The random source of one run.
#[derive(Clone, Debug)]
pub struct RunRng {
    rng: Xoshiro256PlusPlus,
}

impl RunRng {
    /// Run `run`'s stream for `purpose`: stream number 2·run + purpose of the seed.
    pub fn for_run(seed: u64, run: u64, purpose: Stream) -> Self {
        Self::new(seed, run.wrapping_mul(2).wrapping_add(purpose as u64))
    }

    /// Stream number `stream` of `seed`.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut base = seed;
        let base = splitmix64(&mut base);
        // Advance the counter to stream s's four outputs (the increment is added once per output).
        let mut state = base.wrapping_add(stream.wrapping_mul(4).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_exact_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        RunRng {
            rng: Xoshiro256PlusPlus::from_seed(bytes),
        }
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// Uniform in (0, 1]: safe for a logarithm.
    fn uniform_open_zero(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// Standard normal N(0, 1) by the ziggurat: one 64-bit draw almost always suffices
    /// (the layer from its low 7 bits, the position from its high 53).
    pub fn normal(&mut self, zig: &Ziggurat) -> f64 {
        loop {
            let bits = self.rng.next_u64();
            let layer = (bits & 0x7F) as usize;
            let u = 2.0 * ((bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)) - 1.0;
            if u.abs() < zig.ratio[layer] {
                return u * zig.x[layer];
            }
            if layer == 0 {
                return self.normal_tail(u < 0.0);
            }
            let x = u * zig.x[layer];
            let f0 = libm::exp(-0.5 * (zig.x[layer] * zig.x[layer] - x * x));
            let f1 = libm::exp(-0.5 * (zig.x[layer + 1] * zig.x[layer + 1] - x * x));
            if f1 + self.uniform() * (f0 - f1) < 1.0 {
                return x;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_start_from_distinct_states() {
        let mut firsts: Vec<u64> = (0..20_000).map(|run| RunRng::new(9, run).rng.next_u64()).collect();
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
    fn normals_have_unit_moments() {
        let mut r = RunRng::new(1, 0);
        let zig = Ziggurat::new();
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal(&zig)).collect();
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
        let mut xs: Vec<f64> = (0..n).map(|_| r.normal(&zig)).collect();
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
