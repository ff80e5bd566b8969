//! Sorting through few compiled sorts.
//!
//! Every `sort_by` with a closure of its own is another copy of the standard library's stable sort
//! (3 to 5 KB of wasm each), and the page's bundle has a budget. So the small stable sorts of the
//! page's code go through [`sort_stably_by`], which sorts indices with one comparator type and then
//! moves the items into that order; and doubles are sorted by [`sort_doubles`], a few hundred bytes
//! where the standard library's unstable sort of them was about 5.9 KB.

use core::cmp::Ordering;

/// Sorts `items` by `order`, keeping equal items in the order they had (as `slice::sort_by`).
pub fn sort_stably_by<T>(items: &mut Vec<T>, order: impl Fn(&T, &T) -> Ordering) {
    let sorted = stable_order(items.len(), &|a, b| order(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(sorted.into_iter().map(|i| slots[i].take().expect("each index once")));
}

/// The indices 0..n sorted stably by `order`: the one stable sort compiled for all callers. A
/// bottom-up merge sort (n log n comparisons at most, as the standard library's), a few hundred
/// bytes of wasm where the standard library's stable sort was about 6 KB.
#[inline(never)]
fn stable_order(n: usize, order: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..n).collect();
    let mut merged = vec![0; n];
    let mut width = 1;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, middle);
            for slot in &mut merged[start..end] {
                // The left run's item first unless the right's sorts strictly before it: stable.
                let take_right =
                    right < end && (left == middle || order(indices[right], indices[left]) == Ordering::Less);
                if take_right {
                    *slot = indices[right];
                    right += 1;
                } else {
                    *slot = indices[left];
                    left += 1;
                }
            }
        }
        core::mem::swap(&mut indices, &mut merged);
        width *= 2;
    }
    indices
}

/// Sorts `values` ascending by [`f64::total_cmp`]. Doubles equal under that order are the same bits,
/// so every correct sort leaves the same slice: this one gives exactly what
/// `sort_unstable_by(f64::total_cmp)` gives. Insertion for a few values (the quantiles' spans, the
/// common case), a heap sort above, so that no input takes more than n log n comparisons.
pub fn sort_doubles(values: &mut [f64]) {
    let n = values.len();
    if n <= 16 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && values[j].total_cmp(&values[j - 1]).is_lt() {
                values.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    // Sift `root` down within `heap` (a max-heap of its first `end` values).
    let sift = |heap: &mut [f64], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && heap[child].total_cmp(&heap[child + 1]).is_lt() {
            child += 1;
        }
        if heap[root].total_cmp(&heap[child]).is_ge() {
            return;
        }
        heap.swap(root, child);
        root = child;
    };
    for root in (0..n / 2).rev() {
        sift(values, root, n);
    }
    for end in (1..n).rev() {
        values.swap(0, end);
        sift(values, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the standard library's sort of doubles, at sizes on both sides of the switch to the
    /// heap sort, with ties, both zeros, infinities and NaNs of either sign, and sorted and reversed
    /// inputs. Compared bit for bit.
    #[test]
    fn doubles_sort_as_the_standard_sort() {
        let mut state = 11u64;
        let mut next = || crate::splitmix64(&mut state);
        let specials = [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            1.0,
            -1.0,
        ];
        for n in [0, 1, 2, 3, 15, 16, 17, 18, 31, 64, 257, 1000] {
            for kind in 0..5 {
                let mut values: Vec<f64> = (0..n)
                    .map(|_| match kind {
                        0 => f64::from_bits(next() >> 2) - 1e-300,
                        1 => (next() % 5) as f64 - 2.0,
                        2 => specials[(next() % 8) as usize],
                        _ => (next() % 1000) as f64 / 7.0,
                    })
                    .collect();
                if kind == 3 {
                    values.sort_by(f64::total_cmp);
                } else if kind == 4 {
                    values.sort_by(|a, b| b.total_cmp(a));
                }
                let mut want = values.clone();
                want.sort_unstable_by(f64::total_cmp);
                sort_doubles(&mut values);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&values), bits(&want), "{n} values of kind {kind}");
            }
        }
    }

    /// Against the standard library's stable sort, on pairs whose keys repeat (so that stability
    /// shows: the second element records the original position).
    #[test]
    fn sorts_as_the_standard_stable_sort() {
        let mut state = 7u64;
        for n in [0, 1, 2, 3, 5, 8, 31, 200, 1025] {
            let items: Vec<(u64, usize)> = (0..n)
                .map(|i| {
                    state = crate::splitmix64(&mut state);
                    (state % 7, i)
                })
                .collect();
            let mut want = items.clone();
            want.sort_by_key(|item| std::cmp::Reverse(item.0));
            let mut got = items;
            sort_stably_by(&mut got, |a, b| b.0.cmp(&a.0));
            assert_eq!(got, want, "{n} items");
        }
    }
}
