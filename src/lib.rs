//! pykata grades Python code: bundled exercises against a reference, and plain folders of
//! unittest or pytest-style tests.
//!
//! Data flows one way: command-line arguments become [`settings`], the [`runner`] grades
//! each target and emits typed [`report::Event`]s, and reporters turn events into output.
//! Nothing below `cli` knows about clap, and nothing but reporters prints.

pub mod assets;
pub mod cli;
pub mod engine;
pub mod exercise;
pub mod grade;
pub mod report;
pub mod runner;
pub mod settings;
pub mod verify;
pub mod workspace;
