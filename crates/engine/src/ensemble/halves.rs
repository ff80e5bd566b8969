//! One ensemble computed by two workers that share no memory (the page's Web Workers).
//!
//! The lead advances the first blocks of runs and the follow the others, each month. The
//! fan-chart bands need every run's value of the month, so the follow hands each month's rows of
//! its runs to the lead, and at the end the state of its runs, both as plain numbers (what a
//! worker posts best); the lead then holds exactly what one ensemble of every run would hold: the
//! same rows, summed in run order and taken the same quantiles of, and the same per-run state, so
//! its summary and every reading are the same to the bit
//! (`two_halves_compute_what_one_ensemble_computes`).

use super::{Ensemble, SplitMask, LANES, MAX_PAIRS};

/// Which blocks of runs an ensemble advances.
#[derive(Clone, Copy, Debug)]
pub(super) enum Part {
    Whole,
    /// Blocks `0..blocks`; each month closes once given the other runs' rows.
    Lead {
        blocks: usize,
        /// Its blocks are through the month; the other runs' rows are not in yet.
        awaiting_rows: bool,
        /// The follow's runs' state is in (after the last month).
        joined: bool,
    },
    /// Blocks `from..`: the rows of the month it last finished (in `record`) are left for the lead
    /// until taken.
    Follow {
        from: usize,
        rows_left: bool,
    },
}

/// Writes `slots` from the next of `values` (which must have them).
fn fill<T>(slots: &mut [T], values: &mut impl Iterator<Item = f64>, from: impl Fn(f64) -> T) {
    for slot in slots {
        *slot = from(values.next().expect("a follow's end has every value"));
    }
}

impl Ensemble {
    /// This new ensemble ([`Ensemble::new`]) as the lead of two that share it: it advances the
    /// first `blocks` blocks of [`LANES`] runs (at least one, fewer than all), and the follow
    /// ([`Ensemble::into_follow`] with the same `blocks`) the rest. Give it each month's rows when
    /// it [awaits them](Ensemble::awaits_rows), then the follow's end; it then holds and
    /// summarises exactly what the whole ensemble would.
    pub fn into_lead(mut self, blocks: usize) -> Self {
        assert!(self.month == 1 && self.next_block == 0, "a new ensemble");
        assert!((1..self.blocks).contains(&blocks), "a lead has some blocks, not all");
        self.part = Part::Lead {
            blocks,
            awaiting_rows: false,
            joined: false,
        };
        self
    }

    /// The other side of [`Ensemble::into_lead`]: the blocks from `blocks` on. After each month,
    /// [`Ensemble::month_rows`] gives its rows; once done, [`Ensemble::follow_end`] its runs.
    pub fn into_follow(mut self, blocks: usize) -> Self {
        assert!(self.month == 1 && self.next_block == 0, "a new ensemble");
        assert!((1..self.blocks).contains(&blocks), "a follow has some blocks, not all");
        self.part = Part::Follow {
            from: blocks,
            rows_left: false,
        };
        self.next_block = blocks;
        self
    }

    /// The blocks this ensemble advances.
    pub(super) fn part_blocks(&self) -> std::ops::Range<usize> {
        match self.part {
            Part::Whole => 0..self.blocks,
            Part::Lead { blocks, .. } => 0..blocks,
            Part::Follow { from, .. } => from..self.blocks,
        }
    }

    /// Whether a lead waits for the month's rows (it advances nothing until then).
    pub fn awaits_rows(&self) -> bool {
        matches!(
            self.part,
            Part::Lead {
                awaiting_rows: true,
                ..
            }
        )
    }

    /// Whether a lead is through every month and waits for the follow's end.
    pub fn awaits_end(&self) -> bool {
        matches!(self.part, Part::Lead { joined: false, .. }) && self.month > self.settings.horizon
    }

    /// A side's blocks are through the month: a follow leaves its rows and goes on; a lead waits.
    pub(super) fn close_shared_month(&mut self) {
        match &mut self.part {
            Part::Whole => unreachable!("a whole ensemble closes its own months"),
            Part::Lead { awaiting_rows, .. } => *awaiting_rows = true,
            Part::Follow { from, .. } => {
                let from = *from;
                let stride = self.settings.runs - from * LANES;
                self.record.resize(self.shape.pairs * stride, 0.0);
                self.record_rows(from..self.blocks, stride, &mut [0.0; MAX_PAIRS]);
                self.part = Part::Follow { from, rows_left: true };
                self.month += 1;
                self.next_block = from;
            }
        }
    }

    /// A follow's rows of the month it last finished, once: a row per pair of its runs'
    /// alignments (pairs × its runs).
    pub fn month_rows(&mut self) -> Option<&[f64]> {
        let Part::Follow { rows_left, .. } = &mut self.part else {
            return None;
        };
        std::mem::take(rows_left).then_some(&self.record)
    }

    /// Closes a lead's month with the follow's rows of it, which `fill(p, row)` writes (pair p's
    /// alignments of the follow's runs): each pair's row is the lead's runs then the follow's,
    /// summed in that order, as one ensemble's row. Panics unless the lead
    /// [awaits](Ensemble::awaits_rows) rows.
    pub fn join_month(&mut self, mut fill: impl FnMut(usize, &mut [f64])) {
        let Part::Lead { blocks, .. } = self.part else {
            panic!("only a lead joins rows");
        };
        let (runs, pairs, lead_runs) = (self.settings.runs, self.shape.pairs, blocks * LANES);
        assert!(self.awaits_rows(), "a lead joins rows when it waits for them");
        self.record.resize(pairs * runs, 0.0);
        let mut sums = [0.0; MAX_PAIRS];
        self.record_rows(0..blocks, runs, &mut sums);
        for (p, sum) in sums[..pairs].iter_mut().enumerate() {
            let theirs = &mut self.record[p * runs + lead_runs..(p + 1) * runs];
            fill(p, theirs);
            for &a in &*theirs {
                *sum += a;
            }
        }
        self.part = Part::Lead {
            blocks,
            awaiting_rows: false,
            joined: false,
        };
        self.month += 1;
        self.next_block = 0;
        self.finish_month(&sums);
    }

    /// A follow's runs, once it is done: their state, block by block as the engine keeps it, as
    /// numbers (the counts, months, masks and flags are small integers, exact as doubles).
    pub fn follow_end(&self) -> Vec<f64> {
        let Part::Follow { from, .. } = self.part else {
            panic!("only a follow has an end to give");
        };
        assert!(self.progress().is_done(), "a follow gives its end once done");
        let (shape, runs) = (self.shape, &self.runs);
        let per_block = |size: usize| from * size..self.blocks * size;
        let mut end = Vec::new();
        // Single-precision state as doubles: exact, and exactly single again when joined.
        end.extend(
            runs.latent[per_block(shape.pairs)]
                .as_flattened()
                .iter()
                .map(|&v| f64::from(v)),
        );
        end.extend(
            runs.alignment[per_block(shape.pairs)]
                .as_flattened()
                .iter()
                .map(|&v| f64::from(v)),
        );
        end.extend(&runs.frustrations[per_block(LANES)]);
        let counts = runs.firings[per_block(LANES * shape.events)].iter();
        let months = runs.first_fired[per_block(LANES * shape.events)].iter();
        end.extend(counts.chain(months).map(|&n| f64::from(n)));
        // Each run's two best splits: masks and energies (a run without a second has NaN there).
        for &((best, best_energy), second) in &runs.splits[per_block(LANES)] {
            let (second, second_energy) = second.map_or((f64::NAN, f64::NAN), |(m, e)| (f64::from(m), e));
            end.extend([f64::from(best), best_energy, second, second_energy]);
        }
        end.extend(
            runs.outcome_state[per_block(LANES * shape.outcomes)]
                .iter()
                .map(|&b| f64::from(u8::from(b))),
        );
        end
    }

    /// Completes a lead with the follow's runs ([`Ensemble::follow_end`]). Panics unless the lead
    /// [awaits](Ensemble::awaits_end) them and `end` has every one.
    pub fn join_end(&mut self, end: &[f64]) {
        let Part::Lead { blocks, .. } = self.part else {
            panic!("only a lead joins an end");
        };
        assert!(self.awaits_end(), "a lead joins the end after its last month");
        let (shape, runs) = (self.shape, &mut self.runs);
        let per_block = |size: usize| blocks * size..self.blocks * size;
        let values = &mut end.iter().copied();
        let number = |v: f64| v;
        let single = |v: f64| v as f32;
        fill(runs.latent[per_block(shape.pairs)].as_flattened_mut(), values, single);
        fill(
            runs.alignment[per_block(shape.pairs)].as_flattened_mut(),
            values,
            single,
        );
        fill(&mut runs.frustrations[per_block(LANES)], values, number);
        let count = |v: f64| v as u32;
        fill(&mut runs.firings[per_block(LANES * shape.events)], values, count);
        fill(&mut runs.first_fired[per_block(LANES * shape.events)], values, count);
        for splits in &mut runs.splits[per_block(LANES)] {
            let mut next = || values.next().expect("a follow's end has every run's splits");
            let (best, best_energy, second, second_energy) = (next(), next(), next(), next());
            let second = (!second.is_nan()).then_some((second as SplitMask, second_energy));
            *splits = ((best as SplitMask, best_energy), second);
        }
        fill(
            &mut runs.outcome_state[per_block(LANES * shape.outcomes)],
            values,
            |v| v != 0.0,
        );
        assert!(values.next().is_none(), "a follow's end has no more values");
        self.part = Part::Lead {
            blocks,
            awaiting_rows: false,
            joined: true,
        };
    }
}
