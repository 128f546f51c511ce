//! `surge`: the forecast receptions scaled, or prisoners added, from a date.

use super::{At, Editor};
use crate::domain::ReceptionCohort;
use crate::input::limits::{check_factor, MAX_COUNT, MAX_PRISONERS};

impl Editor<'_> {
    pub(super) fn surge(
        &mut self,
        at: At,
        factor: Option<f64>,
        add: Option<u32>,
    ) -> Option<String> {
        if factor.is_none() && add.is_none() {
            self.error(
                at,
                "changes nothing: give receptions_factor or add_prisoners",
            );
            return None;
        }
        let mut effect = Vec::new();
        if let Some(n) = add.filter(|&n| n > MAX_COUNT) {
            self.error(
                at,
                format!("add_prisoners = {n}: at most {MAX_COUNT} at once"),
            );
            return None;
        }
        if let Some(factor) = factor {
            if let Err(e) = check_factor(factor, true) {
                self.error(at, format!("receptions_factor = {e}"));
                return None;
            }
            let chosen: Vec<usize> = (0..self.receptions.len())
                .filter(|&i| self.receptions[i].week >= at.week)
                .collect();
            if chosen.is_empty() {
                self.error(
                    at,
                    format!(
                        "receptions_factor = {factor}: there are no forecast receptions from {} to scale",
                        self.date(at.week)
                    ),
                );
                return None;
            }
            let (before, after) = scale(&mut self.receptions, &chosen, factor);
            effect.push(format!(
                "receptions from week {} × {factor}: {before} to {after}",
                at.week
            ));
        }
        if let Some(add) = add {
            let chosen: Vec<usize> = (0..self.receptions.len())
                .filter(|&i| self.receptions[i].week == at.week && self.receptions[i].count > 0)
                .collect();
            if chosen.is_empty() {
                self.error(
                    at,
                    format!(
                        "add_prisoners = {add}: there are no forecast receptions in week {} ({}) to model them on",
                        at.week,
                        self.date(at.week)
                    ),
                );
                return None;
            }
            let total: u64 = chosen
                .iter()
                .map(|&i| u64::from(self.receptions[i].count))
                .sum();
            let factor = (total + u64::from(add)) as f64 / total as f64;
            let (before, after) = scale(&mut self.receptions, &chosen, factor);
            effect.push(format!(
                "{} more received in week {} (like that week's {before} receptions)",
                after - before,
                at.week
            ));
        }
        self.receptions.retain(|c| c.count > 0);
        let total: u64 = self.receptions.iter().map(|c| u64::from(c.count)).sum();
        if total > MAX_PRISONERS {
            self.error(
                at,
                format!("the receptions would number {total}: at most {MAX_PRISONERS} in all"),
            );
            return None;
        }
        Some(effect.join("; "))
    }
}

/// Scales the counts of the chosen cohorts by `factor`, keeping whole prisoners: the total
/// becomes round(total × factor), each cohort gets the floor of its share and the rest go one
/// each to the largest remainders (ties to the earlier cohort). Returns the totals before and
/// after.
fn scale(receptions: &mut [ReceptionCohort], chosen: &[usize], factor: f64) -> (u64, u64) {
    let before: u64 = chosen.iter().map(|&i| u64::from(receptions[i].count)).sum();
    let target = (before as f64 * factor).round() as u64;
    let mut shares: Vec<(usize, u64, f64)> = chosen
        .iter()
        .map(|&i| {
            let exact = f64::from(receptions[i].count) * factor;
            (i, exact.floor() as u64, exact - exact.floor())
        })
        .collect();
    let floors: u64 = shares.iter().map(|s| s.1).sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].2.total_cmp(&shares[a].2).then(a.cmp(&b)));
    for &k in order.iter().take(target.saturating_sub(floors) as usize) {
        shares[k].1 += 1;
    }
    for (i, count, _) in shares {
        receptions[i].count = u32::try_from(count).unwrap_or(u32::MAX);
    }
    let after = chosen.iter().map(|&i| u64::from(receptions[i].count)).sum();
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, Estate};

    fn cohort(count: u32) -> ReceptionCohort {
        ReceptionCohort {
            week: 0,
            prison: "XXI".into(),
            home_cpa: None,
            estate: Estate::AdultMale,
            category: Some(Category::C),
            release_week: Some(10),
            expected_release_week: None,
            count,
        }
    }

    #[test]
    fn scaling_keeps_whole_prisoners_and_hits_the_rounded_total() {
        let mut cohorts: Vec<_> = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]
            .into_iter()
            .map(cohort)
            .collect();
        let chosen: Vec<usize> = (0..cohorts.len()).collect();
        let (before, after) = scale(&mut cohorts, &chosen, 1.05);
        assert_eq!((before, after), (22, 23));
        // The largest remainder is the cohort of 3 (3.15).
        assert_eq!(cohorts[19].count, 4);
        let (_, after) = scale(&mut cohorts, &chosen, 0.0);
        assert_eq!(after, 0);
    }
}
