//! The weekly cycle: next week's inputs from this week's plan (`roll`), and the loop of plan,
//! carry out, roll, week after week (`simulate`).

pub mod roll;
pub mod simulate;
