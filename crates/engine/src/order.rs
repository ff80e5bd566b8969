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
/// `sort_unstable_by(f64::total_cmp)` gives.
///
/// Each double is first replaced by the double whose bits are its `total_cmp` key (a signed
/// integer: the bits, with the magnitude's bits flipped for negatives), so that each comparison
/// is one integer comparison; the same map applied again restores the values. The sort is an
/// introsort: quicksort on the median of three, insertion below 20 values (the quantiles' spans,
/// usually), and a heap sort for a range that has taken too many partitions (many equal values),
/// so that no input takes more than about n log n comparisons.
pub fn sort_doubles(values: &mut [f64]) {
    flip_keys(values);
    let depth = 2 * (usize::BITS - values.len().leading_zeros());
    sort_keys(values, depth);
    flip_keys(values);
}

/// Replaces each double by the double whose bits are its `total_cmp` key, or back: the map is its
/// own inverse (it keeps the sign bit, which decides it).
fn flip_keys(values: &mut [f64]) {
    for v in values {
        let bits = v.to_bits();
        *v = f64::from_bits(bits ^ (((bits as i64) >> 63) as u64 >> 1));
    }
}

/// The integer key [`sort_doubles`] left in a double's bits.
#[inline(always)]
fn key(v: f64) -> i64 {
    v.to_bits() as i64
}

/// [`sort_doubles`]' introsort of keys, allowed `depth` more partitions.
fn sort_keys(mut values: &mut [f64], mut depth: u32) {
    loop {
        let n = values.len();
        if n <= 20 {
            for i in 1..n {
                let value = values[i];
                let mut j = i;
                while j > 0 && key(value) < key(values[j - 1]) {
                    values[j] = values[j - 1];
                    j -= 1;
                }
                values[j] = value;
            }
            return;
        }
        if depth == 0 {
            return heap_sort_keys(values);
        }
        depth -= 1;
        // The median of the first, middle and last value as the pivot, moved to the end.
        let (first, middle, last) = (0, n / 2, n - 1);
        let lesser_of = |a: usize, b: usize| if key(values[a]) <= key(values[b]) { a } else { b };
        let greater_of = |a: usize, b: usize| if key(values[a]) <= key(values[b]) { b } else { a };
        let median = greater_of(lesser_of(first, middle), lesser_of(greater_of(first, middle), last));
        values.swap(median, last);
        let pivot = key(values[last]);
        // Lomuto's partition, without a branch on the comparison: values[..below] are under the
        // pivot, values[below..i] are not.
        let mut below = 0;
        for i in 0..last {
            values.swap(i, below);
            below += usize::from(key(values[below]) < pivot);
        }
        values.swap(below, last);
        // The smaller side by recursion (at most log n deep), the larger by the loop.
        let (left, right) = values.split_at_mut(below);
        let right = &mut right[1..];
        if left.len() < right.len() {
            sort_keys(left, depth);
            values = right;
        } else {
            sort_keys(right, depth);
            values = left;
        }
    }
}

/// A heap sort of keys: n log n comparisons whatever the input.
fn heap_sort_keys(values: &mut [f64]) {
    // Sift `root` down within the max-heap of the first `end` values.
    let sift = |heap: &mut [f64], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && key(heap[child]) < key(heap[child + 1]) {
            child += 1;
        }
        if key(heap[root]) >= key(heap[child]) {
            return;
        }
        heap.swap(root, child);
        root = child;
    };
    let n = values.len();
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
        for n in [0, 1, 2, 3, 19, 20, 21, 22, 31, 64, 257, 1000] {
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

    /// The introsort's fallback alone (no partition allowed), on distinct and on repeated values:
    /// the inputs above reach it only for ranges of equal values.
    #[test]
    fn the_heap_sort_fallback_sorts() {
        let mut state = 3u64;
        for n in [21, 22, 100, 513] {
            for distinct in [3, u64::MAX] {
                let mut values: Vec<f64> = (0..n)
                    .map(|_| (crate::splitmix64(&mut state) % distinct) as f64 - 1.5)
                    .collect();
                let mut want = values.clone();
                want.sort_unstable_by(f64::total_cmp);
                flip_keys(&mut values);
                sort_keys(&mut values, 0);
                flip_keys(&mut values);
                assert_eq!(values, want, "{n} values");
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
