//! End-to-end load run (being written).
fn main() {}
