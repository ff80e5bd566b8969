//! Two rules of `analysis::leans` that the mutation run of that file showed no test reading,
//! worked out by hand on three actors whose horizon state is fixed (pairs in index order:
//! 0–1, 0–2, 1–2; energies E = Σ across the split of w_i w_j a_ij, the best split has the least E).

use alignment_sim::analysis::leans::read_blocs;

const EQUAL: [f64; 3] = [1.0, 1.0, 1.0];

/// Two runs whose best splits differ, once each: the camps are the most frequent best split, and
/// a tie in frequency goes to the smaller mask (the module's documented rule).
#[test]
fn camps_tied_in_frequency_are_the_smaller_mask() {
    // Run 0: a01 = 0.5, a02 = −0.4, a12 = −0.6: E({0,1}|{2}) = −1.0 (mask 0b100) is the least
    // (E({0,2}|{1}) = −0.1, E({0}|{1,2}) = 0.1, one bloc 0).
    // Run 1: a01 = −0.4, a02 = 0.5, a12 = −0.6: E({0,2}|{1}) = −1.0 (mask 0b010) is the least.
    let alignments = [0.5, -0.4, -0.6, -0.4, 0.5, -0.6];
    let reading = read_blocs(&alignments, 2, |_| &EQUAL[..]);
    assert_eq!(
        reading.camps, 0b010,
        "a tie between 0b100 and 0b010 goes to the smaller mask"
    );
    assert_eq!(reading.camps_share.probability, 0.5);
    // Either order of the runs gives the same camps.
    let swapped = [-0.4, 0.5, -0.6, 0.5, -0.4, -0.6];
    assert_eq!(read_blocs(&swapped, 2, |_| &EQUAL[..]).camps, 0b010);
}

/// A lean of exactly 0 is not "toward the first camp": the share counts leans above 0 only.
#[test]
fn a_lean_of_exactly_zero_is_not_toward_the_first_camp() {
    // a01 = 0.5, a02 = 0.4, a12 = −0.4, equal weights. Actor 2's pulls from actors 0 and 1 cancel:
    // its pull toward the camp holding both is (0.4 − 0.4) / 2 = 0 exactly, and toward the other
    // camp 0 (no one else there), whatever the best split (E = 0 for one bloc and for {0,1}|{2}).
    let alignments = [0.5, 0.4, -0.4];
    let reading = read_blocs(&alignments, 1, |_| &EQUAL[..]);
    let actor2 = &reading.leans[2];
    assert_eq!(actor2.mean, 0.0);
    assert_eq!(
        actor2.toward_first.probability, 0.0,
        "a lean of 0 leans toward neither camp"
    );
    assert!(actor2.too_weak_to_call);
    // Actor 0 leans toward its own camp: (0.5 + 0.4) / 2 = 0.45 > 0 in the one run.
    assert_eq!(reading.leans[0].toward_first.probability, 1.0);
}
