//! `close`: a prison holds nobody from a date; its forecast receptions go to the prison named,
//! or to the nearest that takes them.

use super::{At, Editor};
use crate::domain::geography::great_circle_km;
use crate::domain::ReceptionCohort;

impl Editor<'_> {
    pub(super) fn close(
        &mut self,
        at: At,
        code: &str,
        receptions_to: Option<&str>,
    ) -> Option<String> {
        let prison = self.prison(at, code)?;
        if let Some(&(week, edit)) = self.closed.get(&prison) {
            self.error(
                at,
                format!(
                    "prison '{code}' is closed twice: edit #{edit} already closes it from {}",
                    self.date(week)
                ),
            );
            return None;
        }
        if let Some(&(opens, edit)) = self.opened.get(&prison) {
            if at.week <= opens {
                self.error(
                    at,
                    format!(
                        "prison '{code}' opens from {} (edit #{edit}): it cannot close at or before that",
                        self.date(opens)
                    ),
                );
                return None;
            }
        }
        let target = match receptions_to {
            None => None,
            Some(to) => {
                let target = self.prison(at, to)?;
                if target == prison {
                    self.error(at, format!("receptions_to = '{to}' is the prison closed"));
                    return None;
                }
                Some(target)
            }
        };
        let before = self.places[prison]
            .get(at.week as usize)
            .copied()
            .unwrap_or(0);
        for t in self.open_weeks(prison, at.week) {
            self.places[prison][t] = 0;
        }
        self.closed.insert(prison, (at.week, at.index));
        self.redirects.push((prison, at.week, target));
        let to = match target {
            Some(t) => format!("to {}", self.name(t)),
            None => "to the nearest open prison of the same function that holds them".into(),
        };
        Some(format!(
            "{} closes from week {}: {before} places to 0; receptions from then {to}",
            self.name(prison),
            at.week
        ))
    }

    /// Sends the forecast receptions into each closed prison, from its closure on, to the
    /// prison named by `receptions_to`, or else to the nearest prison (by coordinates; then
    /// by code) that holds them, takes receptions (has places and is not closed) that week
    /// and, where there is one, has the closed prison's function.
    pub(in crate::scenario) fn redirect_receptions(&mut self) {
        let redirects = std::mem::take(&mut self.redirects);
        for (closed, week, target) in redirects {
            let mut stranded = 0u64;
            for i in 0..self.receptions.len() {
                let cohort = &self.receptions[i];
                if cohort.week < week || self.prisons[closed].code != cohort.prison {
                    continue;
                }
                let to = target.or_else(|| self.nearest_reception_prison(closed, cohort));
                match to {
                    Some(to) => self.receptions[i].prison = self.prisons[to].code.clone(),
                    None => stranded += u64::from(cohort.count),
                }
            }
            if stranded > 0 {
                let (index, _) = self.closed[&closed];
                let code = self.prisons[closed].code.clone();
                self.warnings.push(format!(
                    "{}: warning: edit #{index} (close): {stranded} forecast receptions into '{code}' after its closure have no open prison that holds them: they stay and count as overflow",
                    self.path.display()
                ));
            }
        }
    }

    fn nearest_reception_prison(&self, closed: usize, cohort: &ReceptionCohort) -> Option<usize> {
        let week = (cohort.week as usize).min(self.horizon as usize - 1);
        let from = &self.prisons[closed];
        let candidates: Vec<usize> = (0..self.prisons.len())
            .filter(|&j| {
                let p = &self.prisons[j];
                j != closed
                    && p.is_destination()
                    && p.holds(cohort.estate, cohort.category)
                    && self.places[j][week] > 0
            })
            .collect();
        let same_function: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&j| self.prisons[j].function == from.function)
            .collect();
        let pool = if same_function.is_empty() {
            candidates
        } else {
            same_function
        };
        // A prison without coordinates counts as infinitely far: after every prison with them,
        // and among its like by code.
        let distance = |j: usize| great_circle_km(from, &self.prisons[j]).unwrap_or(f64::INFINITY);
        pool.into_iter().min_by(|&a, &b| {
            let (da, db) = (distance(a), distance(b));
            da.total_cmp(&db)
                .then_with(|| self.prisons[a].code.cmp(&self.prisons[b].code))
        })
    }
}
