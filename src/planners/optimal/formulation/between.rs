//! The weeks between a resettlement cohort's first and last movable week: moves the model
//! holds only as a description, generated when a stage's duals say one could improve it
//! ([`Generator`]). Nationally over 52 weeks they are 720,761 of the 918,005 columns and a
//! few hundred enter; held as columns they took 270 MB (BENCHMARKS.md).

use crate::solver::Generator;

/// The moves of every cohort to each home resettlement prison in the weeks between.
#[derive(Debug, Default)]
pub struct WeeksBetween {
    families: Vec<Family>,
    /// The number of each family's first column (its first week's), and the count last.
    starts: Vec<usize>,
    /// Per column: its change to (b) and to (d); NaN for a week with no such column (the
    /// destination may not receive them then, or the column is held in the program).
    home_gain: Vec<f64>,
    k2_gain: Vec<f64>,
    /// `balance[i][t]` and the escort rows of week t, as in the builder.
    balance: Vec<Vec<usize>>,
    national_escort: Vec<Option<usize>>,
    prison_escort: Vec<Vec<Option<usize>>>,
    /// The positions of (b), (c), (d) and (e) among the objectives.
    objectives: [usize; 4],
}

/// One cohort's moves to one destination, week by week.
#[derive(Debug)]
struct Family {
    cohort: usize,
    prison: usize,
    to: usize,
    first_week: u32,
    size: f64,
    /// The week the cohort is gone from the horizon, when inside it.
    until: Option<u32>,
    /// The cohort's limit row first, then its decant group's stock row, if any.
    shared: Vec<(usize, f64)>,
    distance: f64,
}

/// One week's move of a family, before it is added.
pub struct WeekMove {
    pub week: u32,
    /// Its change to (b) and (d), or `None` when it is not generated.
    pub gains: Option<(f64, f64)>,
}

impl WeeksBetween {
    /// Rows the generated columns use, from the builder.
    pub(super) fn new(
        balance: Vec<Vec<usize>>,
        national_escort: Vec<Option<usize>>,
        prison_escort: Vec<Vec<Option<usize>>>,
    ) -> Self {
        WeeksBetween {
            starts: vec![0],
            balance,
            national_escort,
            prison_escort,
            ..WeeksBetween::default()
        }
    }

    /// Adds cohort `cohort`'s moves from `prison` to `to` in consecutive `weeks`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add_family(
        &mut self,
        cohort: usize,
        prison: usize,
        to: usize,
        size: u32,
        until: Option<u32>,
        shared: &[(usize, f64)],
        distance: f64,
        weeks: &[WeekMove],
    ) {
        let Some(first) = weeks.first() else {
            return;
        };
        debug_assert!(weeks.windows(2).all(|w| w[1].week == w[0].week + 1));
        for week in weeks {
            let (home, k2) = week.gains.unwrap_or((f64::NAN, f64::NAN));
            self.home_gain.push(home);
            self.k2_gain.push(k2);
        }
        self.families.push(Family {
            cohort,
            prison,
            to,
            first_week: first.week,
            size: f64::from(size),
            until,
            shared: shared.to_vec(),
            distance,
        });
        self.starts.push(self.home_gain.len());
    }

    /// Where (b), (c), (d) and (e) are among the objectives.
    pub(super) fn set_objectives(&mut self, objectives: [usize; 4]) {
        self.objectives = objectives;
    }

    /// The cohort, destination and week of column `v`.
    pub fn describe(&self, v: usize) -> (usize, usize, u32) {
        let (family, week) = self.locate(v);
        (family.cohort, family.to, week)
    }

    /// The numbers of the columns that exist.
    pub fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.count()).filter(|&v| !self.home_gain[v].is_nan())
    }

    /// The columns that exist, and their non-zero coefficients.
    pub fn size(&self) -> (usize, usize) {
        let (mut entries, mut costs) = (Vec::new(), Vec::new());
        self.columns().fold((0, 0), |(columns, nonzeros), v| {
            entries.clear();
            costs.clear();
            self.column(v, &mut entries, &mut costs);
            (columns + 1, nonzeros + entries.len())
        })
    }

    fn locate(&self, v: usize) -> (&Family, u32) {
        let f = self.starts.partition_point(|&start| start <= v) - 1;
        let family = &self.families[f];
        let offset = u32::try_from(v - self.starts[f]).expect("weeks fit u32");
        (family, family.first_week + offset)
    }
}

impl Generator for WeeksBetween {
    fn count(&self) -> usize {
        self.home_gain.len()
    }

    /// The same entries, in the same order, as a move column of the builder's.
    fn column(
        &self,
        v: usize,
        entries: &mut Vec<(usize, f64)>,
        costs: &mut Vec<(usize, f64)>,
    ) -> Option<(f64, usize)> {
        if self.home_gain[v].is_nan() {
            return None;
        }
        let (family, week) = self.locate(v);
        let (prison, to, t) = (family.prison, family.to, week as usize);
        entries.push((self.balance[to][t], -1.0));
        entries.push((self.balance[prison][t], 1.0));
        if let Some(until) = family.until {
            entries.push((self.balance[to][until as usize], 1.0));
            entries.push((self.balance[prison][until as usize], -1.0));
        }
        entries.extend_from_slice(&family.shared);
        let escorts = self.national_escort[t]
            .iter()
            .chain(&self.prison_escort[prison][t]);
        entries.extend(escorts.map(|&row| (row, 1.0)));
        let [home, moves, k2, distance] = self.objectives;
        costs.extend([
            (home, self.home_gain[v]),
            (moves, 1.0),
            (k2, self.k2_gain[v]),
            (distance, family.distance),
        ]);
        Some((family.size, family.shared[0].0))
    }

    fn costs_in(&self, k: usize) -> bool {
        let [home, moves, k2, distance] = self.objectives;
        let any = |values: &[f64]| values.iter().any(|&c| !c.is_nan() && c != 0.0);
        (k == home && any(&self.home_gain))
            || (k == moves && self.home_gain.iter().any(|c| !c.is_nan()))
            || (k == k2 && any(&self.k2_gain))
            || (k == distance && self.families.iter().any(|f| f.distance != 0.0))
    }
}
