//! Dynamics from data: a mean-reverting fit of yearly UN-voting distances, for the model's
//! half-life and volatility σ (`alignment-sim calibrate`).
//!
//! The data are ideal points x_c(t) per country and UN session (Bailey, Strezhnev & Voeten, April
//! 2020 release; see README §10). For a pair (i, j) the series is the voting distance
//! d(t) = |x_i(t) − x_j(t)|, "EU" being the mean of Germany, France and Poland as in the scenario
//! files. The model's latent alignment follows an Ornstein–Uhlenbeck process; sampled once a year it
//! is the autoregression
//!
//! ```text
//! d(t+1) = c + φ·d(t) + ε,   φ = e^(−12θ),   Var ε = σ²·(1 − φ²)/(2θ)   (θ per month)
//! ```
//!
//! fitted here by ordinary least squares. The half-life, ln 2/θ months, does not depend on the
//! scale of d, so it carries over to the model whatever the mapping from distance to alignment;
//! σ does depend on it, and is reported both in distance units and in alignment units under the
//! files' convention a = 0.7 − 0.45·d (slope 0.45), which is a convention, not data.
//!
//! The data README warns that China's and North Korea's estimates jump around 2015. Pairs with
//! either are read as two regimes with their own level, before and from 2015: the transition into
//! 2015 is left out and a step regressor 1[year ≥ 2015] gives the later years their own intercept,
//! so the jump neither lengthens the half-life nor inflates σ; the step is reported as the change
//! of level it implies, δ/(1 − φ). The pooled fit (one φ for all pairs, as the model has one
//! half-life) removes each pair's own level (and, for those pairs, each regime's) and regresses the
//! deviations.
//!
//! Known limits, printed with the fit: least squares on 20–30 yearly points underestimates φ (by
//! about (1 + 3φ)/n for one pair), so half-lives come out short; UN voting is not security
//! alignment; the data end in 2019, before the 2022 invasion of Ukraine.

use std::collections::BTreeMap;

/// The files' convention: alignment a = 0.7 − 0.45·d, so one unit of distance is 0.45 of alignment.
pub const ALIGNMENT_PER_DISTANCE: f64 = 0.45;
/// The first session year whose estimates for China and North Korea are on the new level.
pub const JUMP_YEAR: i32 = 2015;
/// Countries whose estimates jump in [`JUMP_YEAR`].
const JUMPING: [&str; 2] = ["CHN", "PRK"];
/// The members averaged into "EU".
const EU_MEMBERS: [&str; 3] = ["DEU", "FRA", "POL"];
/// z of a two-sided 90 % interval.
const Z90: f64 = 1.644_853_626_951_472_2;

/// Ideal points by actor and year, read from the data set's CSV.
#[derive(Clone, Debug, Default)]
pub struct IdealPoints {
    /// actor id → (session start year → ideal point).
    pub series: BTreeMap<String, BTreeMap<i32, f64>>,
}

impl IdealPoints {
    /// Reads `iso3c,session,year_start,NVotes,IdealPoint,Q5,Q95`; adds "EU" for years in which
    /// all of its members have a value. Errors name the line.
    pub fn from_csv(text: &str) -> Result<Self, String> {
        let mut lines = text.lines().enumerate();
        let (_, header) = lines.next().ok_or("the data file is empty")?;
        let columns: Vec<&str> = header.split(',').map(str::trim).collect();
        let column = |name: &str| {
            columns
                .iter()
                .position(|c| *c == name)
                .ok_or_else(|| format!("line 1: no `{name}` column"))
        };
        let (country, year, point) = (column("iso3c")?, column("year_start")?, column("IdealPoint")?);
        let mut series: BTreeMap<String, BTreeMap<i32, f64>> = BTreeMap::new();
        for (index, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let cell = |k: usize| {
                cells
                    .get(k)
                    .copied()
                    .ok_or_else(|| format!("line {}: too few cells", index + 1))
            };
            let y: i32 = cell(year)?
                .parse()
                .map_err(|_| format!("line {}: `{}` is not a year", index + 1, cells[year]))?;
            let x: f64 = cell(point)?
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| format!("line {}: `{}` is not an ideal point", index + 1, cells[point]))?;
            series.entry(cell(country)?.to_string()).or_default().insert(y, x);
        }
        let years: Vec<i32> = series
            .get(EU_MEMBERS[0])
            .map(|s| s.keys().copied().collect())
            .unwrap_or_default();
        let eu: BTreeMap<i32, f64> = years
            .into_iter()
            .filter_map(|y| {
                let members: Option<Vec<f64>> = EU_MEMBERS
                    .iter()
                    .map(|m| series.get(*m).and_then(|s| s.get(&y)).copied())
                    .collect();
                members.map(|v| (y, v.iter().sum::<f64>() / v.len() as f64))
            })
            .collect();
        if !eu.is_empty() {
            series.insert("EU".to_string(), eu);
        }
        Ok(IdealPoints { series })
    }
}

/// The least-squares fit of one pair, or of the pool.
#[derive(Clone, Debug, PartialEq)]
pub struct DistanceFit {
    /// "RUS-CHN", or "pooled".
    pub pair: String,
    /// Year-on-year transitions used.
    pub transitions: usize,
    /// Yearly persistence φ and its standard error.
    pub phi: f64,
    pub phi_se: f64,
    /// Months for a deviation to halve, ln 2 / θ with θ = −ln φ / 12; `None` when φ ≤ 0 or φ ≥ 1
    /// (no mean reversion a half-life can describe).
    pub half_life: Option<f64>,
    /// The half-life at φ ∓ 1.645 standard errors (a 90 % interval); `None` for an end at which
    /// φ ≥ 1 (then the data cannot rule out no reversion at all) or φ ≤ 0.
    pub half_life_interval: (Option<f64>, Option<f64>),
    /// Monthly volatility of the OU process implied by the residuals, in distance units and in
    /// alignment units (× [`ALIGNMENT_PER_DISTANCE`]).
    pub sigma_distance: Option<f64>,
    pub sigma_alignment: Option<f64>,
    /// The change of level in 2015 (distance units), for pairs with China or North Korea.
    pub jump: Option<f64>,
}

fn half_life_of(phi: f64) -> Option<f64> {
    (phi > 0.0 && phi < 1.0).then(|| 12.0 * std::f64::consts::LN_2 / -phi.ln())
}

/// Monthly σ of an OU process whose yearly samples have persistence φ and innovation variance s².
fn monthly_sigma(phi: f64, residual_variance: f64) -> Option<f64> {
    if !(phi > 0.0 && phi < 1.0) {
        return None;
    }
    let theta = -phi.ln() / 12.0;
    Some((residual_variance * 2.0 * theta / (1.0 - phi * phi)).sqrt())
}

/// Solves the normal equations of `rows` (regressors, response) by Gaussian elimination; returns
/// the coefficients, the residual variance RSS/(n − k) and the diagonal of (XᵀX)⁻¹.
fn least_squares(rows: &[(Vec<f64>, f64)]) -> Option<(Vec<f64>, f64, Vec<f64>)> {
    let k = rows.first()?.0.len();
    if rows.len() <= k {
        return None;
    }
    // [XᵀX | I | Xᵀy]
    let width = 2 * k + 1;
    let mut m = vec![vec![0.0; width]; k];
    for (x, y) in rows {
        for a in 0..k {
            for b in 0..k {
                m[a][b] += x[a] * x[b];
            }
            m[a][2 * k] += x[a] * y;
        }
    }
    for (a, row) in m.iter_mut().enumerate() {
        row[k + a] = 1.0;
    }
    for col in 0..k {
        let pivot = (col..k).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let p = m[col][col];
        m[col].iter_mut().for_each(|v| *v /= p);
        let pivot_row = m[col].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let f = row[col];
                for (value, p) in row.iter_mut().zip(&pivot_row) {
                    *value -= f * p;
                }
            }
        }
    }
    let beta: Vec<f64> = (0..k).map(|a| m[a][2 * k]).collect();
    let rss: f64 = rows
        .iter()
        .map(|(x, y)| {
            let fit: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
            (y - fit).powi(2)
        })
        .sum();
    let inverse_diagonal = (0..k).map(|a| m[a][k + a]).collect();
    Some((beta, rss / (rows.len() - k) as f64, inverse_diagonal))
}

fn fit_from(
    pair: String,
    rows: &[(Vec<f64>, f64)],
    phi_index: usize,
    jump_index: Option<usize>,
) -> Option<DistanceFit> {
    let (beta, s2, inverse) = least_squares(rows)?;
    let (phi, phi_se) = (beta[phi_index], (s2 * inverse[phi_index]).sqrt());
    let sigma = monthly_sigma(phi, s2);
    Some(DistanceFit {
        pair,
        transitions: rows.len(),
        phi,
        phi_se,
        half_life: half_life_of(phi),
        // A larger φ is a longer half-life: the interval's low end comes from φ − 1.645 se.
        half_life_interval: (half_life_of(phi - Z90 * phi_se), half_life_of(phi + Z90 * phi_se)),
        sigma_distance: sigma,
        sigma_alignment: sigma.map(|s| s * ALIGNMENT_PER_DISTANCE),
        jump: jump_index.map(|j| beta[j] / (1.0 - phi)),
    })
}

/// The yearly transitions (d(t), d(t+1), year t+1) of a pair within [from, to]; for pairs with
/// China or North Korea, not the one into [`JUMP_YEAR`], which straddles the two regimes.
fn transitions(points: &IdealPoints, a: &str, b: &str, from: i32, to: i32) -> Vec<(f64, f64, i32)> {
    let (Some(sa), Some(sb)) = (points.series.get(a), points.series.get(b)) else {
        return Vec::new();
    };
    let distance = |y: i32| Some((sa.get(&y)? - sb.get(&y)?).abs());
    (from..to)
        .filter(|&y| !(jumps(a, b) && y + 1 == JUMP_YEAR))
        .filter_map(|y| Some((distance(y)?, distance(y + 1)?, y + 1)))
        .collect()
}

fn jumps(a: &str, b: &str) -> bool {
    JUMPING.contains(&a) || JUMPING.contains(&b)
}

/// One pair's fit over the years [from, to]: d(t+1) on 1, d(t) and, for pairs with China or North
/// Korea, the 2015 step (when the span holds years on both sides of it).
pub fn fit_pair(points: &IdealPoints, a: &str, b: &str, from: i32, to: i32) -> Option<DistanceFit> {
    let steps = transitions(points, a, b, from, to);
    let step = jumps(a, b) && steps.iter().any(|s| s.2 >= JUMP_YEAR) && steps.iter().any(|s| s.2 < JUMP_YEAR);
    let rows: Vec<(Vec<f64>, f64)> = steps
        .iter()
        .map(|&(d0, d1, year)| {
            let mut x = vec![1.0, d0];
            if step {
                x.push(f64::from(u8::from(year >= JUMP_YEAR)));
            }
            (x, d1)
        })
        .collect();
    fit_from(format!("{a}-{b}"), &rows, 1, step.then_some(2))
}

/// One φ for all pairs: each pair's deviations from its own mean (its own mean before and after
/// 2015 for pairs with China or North Korea), regressed through the origin. The residual variance
/// counts one degree of freedom per mean removed.
pub fn fit_pooled(points: &IdealPoints, pairs: &[(String, String)], from: i32, to: i32) -> Option<DistanceFit> {
    let mut deviations: Vec<(f64, f64)> = Vec::new();
    let mut means_removed = 0;
    for (a, b) in pairs {
        let steps = transitions(points, a, b, from, to);
        let regimes: Vec<bool> = if jumps(a, b) { vec![false, true] } else { vec![false] };
        for after in regimes {
            let group: Vec<_> = steps
                .iter()
                .filter(|s| !jumps(a, b) || (s.2 >= JUMP_YEAR) == after)
                .collect();
            if group.len() < 2 {
                continue;
            }
            let n = group.len() as f64;
            let (m0, m1) = (
                group.iter().map(|s| s.0).sum::<f64>() / n,
                group.iter().map(|s| s.1).sum::<f64>() / n,
            );
            deviations.extend(group.iter().map(|s| (s.0 - m0, s.1 - m1)));
            means_removed += 1;
        }
    }
    let sxx: f64 = deviations.iter().map(|d| d.0 * d.0).sum();
    let dof = deviations.len().checked_sub(means_removed + 1).filter(|&d| d > 0)?;
    if sxx <= 0.0 {
        return None;
    }
    let phi = deviations.iter().map(|d| d.0 * d.1).sum::<f64>() / sxx;
    let s2 = deviations.iter().map(|d| (d.1 - phi * d.0).powi(2)).sum::<f64>() / dof as f64;
    let phi_se = (s2 / sxx).sqrt();
    let sigma = monthly_sigma(phi, s2);
    Some(DistanceFit {
        pair: "pooled".to_string(),
        transitions: deviations.len(),
        phi,
        phi_se,
        half_life: half_life_of(phi),
        half_life_interval: (half_life_of(phi - Z90 * phi_se), half_life_of(phi + Z90 * phi_se)),
        sigma_distance: sigma,
        sigma_alignment: sigma.map(|s| s * ALIGNMENT_PER_DISTANCE),
        jump: None,
    })
}

/// Every pair of `actors` with data, in order, and the pooled fit over them.
pub fn calibrate(points: &IdealPoints, actors: &[&str], from: i32, to: i32) -> (Vec<DistanceFit>, Option<DistanceFit>) {
    let mut pairs = Vec::new();
    for (k, a) in actors.iter().enumerate() {
        for b in &actors[k + 1..] {
            pairs.push((a.to_string(), b.to_string()));
        }
    }
    let fits = pairs
        .iter()
        .filter_map(|(a, b)| fit_pair(points, a, b, from, to))
        .collect();
    (fits, fit_pooled(points, &pairs, from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(series: &[(&str, Vec<(i32, f64)>)]) -> IdealPoints {
        IdealPoints {
            series: series
                .iter()
                .map(|(c, s)| (c.to_string(), s.iter().copied().collect()))
                .collect(),
        }
    }

    #[test]
    fn an_exact_autoregression_is_recovered_with_its_half_life() {
        // d(t+1) = 0.2 + 0.5 d(t) exactly, plus a tiny alternating wiggle so the fit is determined:
        // φ = 0.5 a year is a half-life of exactly 12 months.
        let mut d = 2.0;
        let mut series = Vec::new();
        for (k, year) in (1990..2020).enumerate() {
            series.push((year, d));
            d = 0.2 + 0.5 * d + if k % 2 == 0 { 1e-9 } else { -1e-9 };
        }
        let p = points(&[("AAA", series), ("BBB", (1990..2020).map(|y| (y, 0.0)).collect())]);
        let fit = fit_pair(&p, "AAA", "BBB", 1990, 2019).unwrap();
        assert!((fit.phi - 0.5).abs() < 1e-6, "{fit:?}");
        assert!((fit.half_life.unwrap() - 12.0).abs() < 1e-4);
        assert_eq!(fit.transitions, 29);
    }

    #[test]
    fn a_step_in_2015_is_a_level_change_not_reversion() {
        // A constant distance that jumps once in 2015: without the step the fit would read the jump
        // as persistence; with it, φ is exactly what the wiggle around each level says.
        let mut series = Vec::new();
        for (k, year) in (1995..2020).enumerate() {
            let level = if year >= JUMP_YEAR { 3.0 } else { 1.0 };
            series.push((year, level + if k % 2 == 0 { 0.1 } else { -0.1 }));
        }
        let p = points(&[("CHN", series), ("USA", (1995..2020).map(|y| (y, 0.0)).collect())]);
        let fit = fit_pair(&p, "CHN", "USA", 1995, 2019).unwrap();
        // Alternating ±0.1 around each level: d(t+1) − level = −(d(t) − level), φ = −1, and the
        // level changes by 2 (the transition into 2015 is left out).
        assert!((fit.phi + 1.0).abs() < 1e-9, "{fit:?}");
        assert!((fit.jump.unwrap() - 2.0).abs() < 1e-9, "{fit:?}");
        assert_eq!(fit.transitions, 23);
        assert_eq!(fit.half_life, None, "no half-life for φ ≤ 0");
    }

    #[test]
    fn least_squares_matches_a_fit_worked_by_hand() {
        // y = 1 + 2x on x = 0, 1, 2 with residuals +1, −2, +1: coefficients (1, 2), RSS = 6,
        // s² = 6 / (3 − 2) = 6, (XᵀX)⁻¹ = [[5/6, −1/2], [−1/2, 1/2]].
        let rows = vec![(vec![1.0, 0.0], 2.0), (vec![1.0, 1.0], 1.0), (vec![1.0, 2.0], 6.0)];
        let (beta, s2, inverse) = least_squares(&rows).unwrap();
        assert!(
            (beta[0] - 1.0).abs() < 1e-12 && (beta[1] - 2.0).abs() < 1e-12,
            "{beta:?}"
        );
        assert!((s2 - 6.0).abs() < 1e-12);
        assert!((inverse[0] - 5.0 / 6.0).abs() < 1e-12 && (inverse[1] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_monthly_sigma_reproduces_the_yearly_variance_of_an_ou_process() {
        // Var of the yearly innovation of an OU process with θ per month: σ²(1 − e^(−24θ))/(2θ).
        let (sigma, theta) = (0.07_f64, 0.03_f64);
        let phi = (-12.0 * theta).exp();
        let yearly = sigma * sigma * (1.0 - phi * phi) / (2.0 * theta);
        assert!((monthly_sigma(phi, yearly).unwrap() - sigma).abs() < 1e-12);
    }

    #[test]
    fn eu_is_the_mean_of_its_members_where_all_have_a_value() {
        let csv = "iso3c,session,year_start,NVotes,IdealPoint,Q5,Q95\nDEU,70,2015,1,1.0,0,0\nFRA,70,2015,1,2.0,0,0\nPOL,70,2015,1,3.0,0,0\nDEU,71,2016,1,1.0,0,0\n";
        let p = IdealPoints::from_csv(csv).unwrap();
        assert_eq!(p.series["EU"].len(), 1);
        assert_eq!(p.series["EU"][&2015], 2.0);
        assert!(IdealPoints::from_csv("iso3c,year_start,IdealPoint\nUSA,x,1\n")
            .unwrap_err()
            .contains("line 2"));
    }
}
