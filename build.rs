//! Build script: rebuild when the embedded harness or catalogue changes.

fn main() {
    println!("cargo:rerun-if-changed=harness");
    println!("cargo:rerun-if-changed=exercises");
    println!("cargo:rerun-if-changed=build.rs");
}
