//! What each row and column of the model stands for, as a number that names the same row or
//! column in the model of a similar instance (another scenario of the same estate, the same
//! prison with more places): the key by which one plan's basis starts another's blend.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::RangeInclusive;

use crate::solver::{Basis, LinearProgram, Status};

/// A row's or column's meaning, hashed: a family name with the prisons, weeks and groups
/// that identify it (prisons by their place in the data, cohorts by what their members
/// share, never by their place in the model).
pub type Key = u64;

/// The key of `what`.
pub fn key(what: impl Hash) -> Key {
    let mut hasher = DefaultHasher::new();
    what.hash(&mut hasher);
    hasher.finish()
}

/// The key of a move of the cohort with key `cohort` to prison `to` in week `week`.
pub fn move_key(cohort: Key, to: usize, week: u32) -> Key {
    key(("move", cohort, to, week))
}

/// Each row's and column's key, in the program's order.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    rows: Vec<Key>,
    columns: Vec<Key>,
}

/// A basis by meaning: each key's status at a solved plan's blend.
#[derive(Debug, Clone, Default)]
pub struct KeyedBasis {
    rows: HashMap<Key, Status>,
    columns: HashMap<Key, Status>,
}

impl Keys {
    /// Adds a row to `lp` that stands for `what`.
    pub fn row(
        &mut self,
        lp: &mut LinearProgram,
        what: impl Hash,
        bounds: RangeInclusive<f64>,
    ) -> usize {
        self.rows.push(key(what));
        lp.add_row(bounds)
    }

    /// Adds a column to `lp` that stands for `what`.
    pub fn column(
        &mut self,
        lp: &mut LinearProgram,
        what: impl Hash,
        bounds: RangeInclusive<f64>,
        entries: Vec<(usize, f64)>,
    ) -> usize {
        self.columns.push(key(what));
        lp.add_column(bounds, entries)
    }

    /// Adds a reserve column to `lp` ([`LinearProgram::add_reserve_column`]) with key `key`.
    pub fn reserve_column(
        &mut self,
        lp: &mut LinearProgram,
        key: Key,
        upper: f64,
        entries: Vec<(usize, f64)>,
        alternatives: usize,
    ) -> usize {
        self.columns.push(key);
        lp.add_reserve_column(upper, entries, alternatives)
    }

    /// Records the key of a column added to the program by other means (an adopted one).
    pub fn adopted(&mut self, key: Key) {
        self.columns.push(key);
    }

    pub fn counts(&self) -> (usize, usize) {
        (self.rows.len(), self.columns.len())
    }

    /// `basis` (in this program's numbers) by meaning.
    pub fn name(&self, basis: &Basis) -> KeyedBasis {
        KeyedBasis {
            rows: self
                .rows
                .iter()
                .copied()
                .zip(basis.rows.iter().copied())
                .collect(),
            columns: self
                .columns
                .iter()
                .zip(&basis.columns)
                .filter_map(|(&k, status)| status.map(|s| (k, s)))
                .collect(),
        }
    }

    /// How many rows there are, and how many of them `basis` names.
    pub fn rows_named(&self, basis: &KeyedBasis) -> (usize, usize) {
        let named = self
            .rows
            .iter()
            .filter(|k| basis.rows.contains_key(k))
            .count();
        (self.rows.len(), named)
    }

    /// `basis` in this program's numbers, with the generated columns it names (each with
    /// its key): what it does not name is left to the solver.
    pub fn number(
        &self,
        basis: &KeyedBasis,
        generated: impl Iterator<Item = (usize, Key)>,
    ) -> Basis {
        Basis {
            generated: generated
                .filter_map(|(v, k)| basis.columns.get(&k).map(|&s| (v, s)))
                .collect(),
            columns: self
                .columns
                .iter()
                .map(|k| basis.columns.get(k).copied())
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|k| basis.rows.get(k).copied().unwrap_or(Status::Basic))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A basis named in one program is numbered in another by meaning: rows and columns
    /// found in another place keep their status, a new row is basic, a new column is left to
    /// the solver, and a generated column the basis names is listed with its status.
    #[test]
    fn a_basis_follows_the_meaning_of_rows_and_columns_not_their_numbers() {
        let mut lp = LinearProgram::default();
        let mut first = Keys::default();
        first.row(&mut lp, ("balance", 0), 0.0..=0.0);
        first.row(&mut lp, ("capacity", 0), 0.0..=1.0);
        first.column(&mut lp, ("change", 0), 0.0..=1.0, Vec::new());
        first.column(&mut lp, ("over", 0), 0.0..=1.0, Vec::new());
        first.adopted(move_key(7, 1, 3));
        let solved = Basis {
            columns: vec![
                Some(Status::Basic),
                Some(Status::Lower),
                Some(Status::Upper),
            ],
            rows: vec![Status::Lower, Status::Basic],
            generated: Vec::new(),
        };
        let named = first.name(&solved);

        let mut lp = LinearProgram::default();
        let mut second = Keys::default();
        second.row(&mut lp, ("escort", 0), 0.0..=5.0);
        second.row(&mut lp, ("capacity", 0), 0.0..=2.0);
        second.row(&mut lp, ("balance", 0), 0.0..=0.0);
        second.column(&mut lp, ("over", 0), 0.0..=1.0, Vec::new());
        second.column(&mut lp, ("in", 2), 0.0..=1.0, Vec::new());
        second.column(&mut lp, ("change", 0), 0.0..=1.0, Vec::new());
        let generated = [(0, move_key(7, 1, 2)), (1, move_key(7, 1, 3))];
        let start = second.number(&named, generated.into_iter());
        assert_eq!(
            start.rows,
            [Status::Basic, Status::Basic, Status::Lower],
            "escort (new), capacity, balance"
        );
        assert_eq!(
            start.columns,
            [Some(Status::Lower), None, Some(Status::Basic)],
            "over, in (new), change"
        );
        assert_eq!(start.generated, [(1, Status::Upper)]);
    }
}
