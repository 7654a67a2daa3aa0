//! whosaw: who read a secret, and what must be rotated, from secret-store
//! audit logs. `main.rs` only parses arguments and maps the result to an
//! exit status; everything else lives here, one module per concern.

pub mod app;
pub mod cli;
pub mod config;
pub mod diag;
pub mod environment;
pub mod event;
pub mod exit;
pub mod input;
pub mod json;
pub mod lines;
pub mod matcher;
pub mod net;
pub mod output;
pub mod pipeline;
pub mod query;
pub mod scan;
pub mod sigbus;
pub mod source;
pub mod time;
