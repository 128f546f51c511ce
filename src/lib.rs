//! resettle: plans where prisoners in England and Wales are held so that as many as possible
//! spend their final three months in a resettlement prison of their home Contract Package
//! Area, and are released from there. See `ARCHITECTURE.md` for the map of the modules.

pub mod analysis;
pub mod cli;
pub mod cycle;
pub mod domain;
pub mod error;
pub mod generate;
pub mod history;
pub mod input;
pub mod output;
pub mod pipeline;
pub mod planners;
pub mod problem;
pub mod report;
pub mod scenario;
pub mod solver;
