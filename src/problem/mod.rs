//! The planning problem (`instance`: the inputs with the plan's options, capacity per week and
//! every mover), a plan of it (`plan`: the moves any planner returns) and the KPIs every plan
//! is judged by (`kpi`).

pub mod instance;
pub mod kpi;
pub mod plan;
