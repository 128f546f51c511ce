//! What is computed from an instance and its plans: why each move is made
//! and why a prisoner is not released home (`explain`), the CRC workload (`workload`), the
//! marginal value of a place (`marginal`) and the bottlenecks whatever the moves
//! (`bottleneck`).

pub mod bottleneck;
pub mod explain;
pub mod marginal;
pub mod workload;
