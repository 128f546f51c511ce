//! The objectives of an exported model (`plan --write-model`), beside its MPS.

use super::csv_bytes;
use crate::solver::{Direction, Objective};

/// Every objective in priority order, one row per cost: stage, name, sense, MPS column, cost.
pub fn objectives_csv(objectives: &[Objective]) -> Vec<u8> {
    let rows = objectives.iter().enumerate().flat_map(|(k, objective)| {
        let sense = match objective.direction {
            Direction::Minimise => "min",
            Direction::Maximise => "max",
        };
        objective.costs.iter().map(move |&(j, cost)| {
            [
                (k + 1).to_string(),
                objective.name.to_string(),
                sense.to_string(),
                format!("c{j}"),
                cost.to_string(),
            ]
        })
    });
    let header = ["stage", "objective", "sense", "column", "cost"];
    csv_bytes(header, rows)
}
