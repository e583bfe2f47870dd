//! Pack loading benchmark (being written).
fn main() {}
