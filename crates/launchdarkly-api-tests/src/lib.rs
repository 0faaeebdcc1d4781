//! This crate only holds tests: see `tests/`.
