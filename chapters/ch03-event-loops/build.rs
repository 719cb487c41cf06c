//! Sets `cfg(reference)` when the reference solutions are present. A
//! learner may delete `solutions/` to avoid spoilers; the demos then build
//! against the learner's own exercise crate instead (as with `--features mine`).

fn main() {
    let solutions = "../../solutions/ch03-event-loops/src";
    println!("cargo::rustc-check-cfg=cfg(reference)");
    println!("cargo::rerun-if-changed={solutions}");
    if std::path::Path::new(solutions).is_dir() {
        println!("cargo::rustc-cfg=reference");
    }
}
