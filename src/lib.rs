//! pykata grades Python code: bundled exercises against a reference, and plain folders of
//! unittest or pytest-style tests.
//!
//! Data flows one way: command-line arguments become [`settings`], the [`runner`] grades
//! each target and emits typed [`report::Event`]s, and reporters turn events into output.
//! Nothing below `cli` knows about clap, and nothing but reporters prints.

// A grading error carries the learner's file, line and traceback; it is made once per
// graded PATH at most, so its size on the error path does not matter.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod batch;
pub mod cli;
pub mod doctor;
pub mod engine;
pub mod exercise;
pub mod grade;
pub mod progress;
pub mod quiz;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod settings;
pub mod verify;
pub mod watch;
pub mod workspace;
