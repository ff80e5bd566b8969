//! Prints each built-in scenario's model at its default values as one JSON line: `id<TAB>json`.

fn main() {
    for id in alignment_sim::scenario::builtin_ids() {
        let scenario = alignment_sim::scenario::builtin(id)
            .expect("a built-in id")
            .expect("built-in scenarios load");
        let model = scenario.model(&scenario.defaults());
        println!("{id}\t{}", serde_json::to_string(&model).expect("a model serialises"));
    }
}
