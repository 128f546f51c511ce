//! The planners: the status quo and greedy plans (`baseline`), the optimal plan (`optimal`),
//! and last week's plan as an input to the next (`previous`).

pub mod baseline;
pub mod optimal;
pub mod previous;
