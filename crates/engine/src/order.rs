//! Stable sorting through one compiled sort.
//!
//! Every `sort_by` with a closure of its own is another copy of the standard library's stable sort
//! (3 to 5 KB of wasm each), and the page's bundle has a budget. So the small stable sorts of the
//! page's code go through [`sort_stably_by`], which sorts indices with one comparator type and then
//! moves the items into that order.

use core::cmp::Ordering;

/// Sorts `items` by `order`, keeping equal items in the order they had (as `slice::sort_by`).
pub fn sort_stably_by<T>(items: &mut Vec<T>, order: impl Fn(&T, &T) -> Ordering) {
    let sorted = stable_order(items.len(), &|a, b| order(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(sorted.into_iter().map(|i| slots[i].take().expect("each index once")));
}

/// The indices 0..n sorted stably by `order`: the one stable sort compiled for all callers.
#[inline(never)]
fn stable_order(n: usize, order: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..n).collect();
    indices.sort_by(|&a, &b| order(a, b));
    indices
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the standard library's stable sort, on pairs whose keys repeat (so that stability
    /// shows: the second element records the original position).
    #[test]
    fn sorts_as_the_standard_stable_sort() {
        let mut state = 7u64;
        for n in [0, 1, 2, 5, 31, 200] {
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
