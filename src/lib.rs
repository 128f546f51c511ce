//! resettle: plans where prisoners in England and Wales are held so that as many as possible
//! spend their final three months in a resettlement prison of their home Contract Package
//! Area, and are released from there. See `ARCHITECTURE.md` for the map of the modules.

pub mod baseline;
pub mod bottleneck;
pub mod calendar;
pub mod cli;
pub mod diagnostics;
pub mod error;
pub mod explain;
pub mod generate;
pub mod geography;
pub mod history;
pub mod html;
pub mod instance;
pub mod io;
pub mod kpi;
pub mod marginal;
pub mod model;
pub mod optimise;
pub mod pipeline;
pub mod plan;
pub mod previous;
pub mod report;
pub mod roll;
pub mod rows;
pub mod scenario;
pub mod simulate;
pub mod solver;
pub mod validate;
pub mod workload;
