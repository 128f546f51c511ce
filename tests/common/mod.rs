//! Hand-built planning instances, the invariants every plan must keep, and the sample's
//! files as the binary's tests read them.
#![allow(dead_code)] // each test file uses part of this module

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use resettle::domain::calendar::Calendar;
use resettle::domain::*;
use resettle::input::validate::Inputs;
use resettle::problem::instance::{Instance, Origin, PlanOptions};
use resettle::problem::kpi::evaluate;
use resettle::problem::plan::{MoveReason, Plan};

/// The plan's start date: Monday 1 September 2014.
pub fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()
}

/// A small estate and population, built line by line.
#[derive(Default)]
pub struct Builder {
    cpas: Vec<Cpa>,
    prisons: Vec<Prison>,
    designations: Vec<Designation>,
    prisoners: Vec<Prisoner>,
    receptions: Vec<ReceptionCohort>,
    booked: Vec<BookedMove>,
}

impl Builder {
    pub fn cpa(mut self, id: &str) -> Self {
        let number = self.cpas.len() as u32 + 1;
        self.cpas.push(Cpa {
            id: id.into(),
            number,
            name: id.to_uppercase(),
            neighbours: vec![],
        });
        self
    }

    /// An adult male prison holding `categories` (e.g. "BC"), in `cpa`.
    pub fn prison(
        mut self,
        code: &str,
        cpa: &str,
        function: Function,
        categories: &str,
        capacity: u32,
    ) -> Self {
        let categories = categories
            .chars()
            .map(|c| Category::parse(&c.to_string()).unwrap())
            .collect();
        let location = Some((51.0 + self.prisons.len() as f64 * 0.1, -1.0));
        self.prisons.push(Prison {
            code: code.into(),
            name: code.into(),
            cpa: cpa.into(),
            function,
            estates: vec![Estate::AdultMale],
            categories,
            operator: Operator::Public,
            operational_capacity: capacity,
            cna: capacity,
            location,
        });
        self
    }

    /// `prison` is a resettlement prison for `cpa`.
    pub fn serves(mut self, prison: &str, cpa: &str) -> Self {
        self.designations.push(Designation {
            prison: prison.into(),
            cpa: cpa.into(),
            source: DesignationSource::Rule,
        });
        self
    }

    /// An adult male determinate prisoner released on the Wednesday of `release_week`
    /// (`None`: an indeterminate sentence), in custody (and at `prison`) for a year.
    pub fn prisoner(
        mut self,
        id: &str,
        prison: &str,
        home: Option<&str>,
        category: Category,
        release_week: Option<i64>,
    ) -> Self {
        let custody_start = start() - Duration::days(365);
        self.prisoners.push(Prisoner {
            id: id.into(),
            prison: prison.into(),
            home_cpa: home.map(CpaId::from),
            estate: Estate::AdultMale,
            category: Some(category),
            sentence: if release_week.is_some() {
                Sentence::Determinate
            } else {
                Sentence::Indeterminate
            },
            custody_start,
            arrived: custody_start,
            release_date: release_week.map(|r| start() + Duration::days(7 * r + 2)),
            expected_release: None,
            do_not_move: false,
            removal: false,
        });
        self
    }

    /// Changes the last prisoner added.
    pub fn with(mut self, change: impl FnOnce(&mut Prisoner)) -> Self {
        change(self.prisoners.last_mut().unwrap());
        self
    }

    /// Changes the last prison added (e.g. its estates, for a juvenile establishment).
    pub fn with_prison(mut self, change: impl FnOnce(&mut Prison)) -> Self {
        change(self.prisons.last_mut().unwrap());
        self
    }

    /// Changes the last reception cohort added.
    pub fn with_reception(mut self, change: impl FnOnce(&mut ReceptionCohort)) -> Self {
        change(self.receptions.last_mut().unwrap());
        self
    }

    pub fn reception(
        mut self,
        week: u32,
        prison: &str,
        home: Option<&str>,
        category: Category,
        release_week: Option<u32>,
        count: u32,
    ) -> Self {
        self.receptions.push(ReceptionCohort {
            week,
            prison: prison.into(),
            home_cpa: home.map(CpaId::from),
            estate: Estate::AdultMale,
            category: Some(category),
            release_week,
            expected_release_week: None,
            count,
        });
        self
    }

    pub fn booked(mut self, id: &str, to: &str, week: u32) -> Self {
        self.booked.push(BookedMove {
            prisoner_id: id.into(),
            to: to.into(),
            week,
        });
        self
    }

    pub fn inputs(self) -> Inputs {
        Inputs {
            data: Dataset::new(self.cpas, self.prisons, self.designations, BTreeMap::new()),
            prisoners: self.prisoners,
            receptions: self.receptions,
            booked: self.booked,
        }
    }

    /// The instance with the planning rules' default options (H = 26, W = 12, first movable week 1).
    pub fn instance(self) -> Instance {
        Instance::new(
            self.inputs(),
            PlanOptions::new(Calendar::new(start()).unwrap()),
        )
        .unwrap()
    }

    /// The instance with the planning rules' default options changed by `change` (e.g. escort limits).
    pub fn instance_with(self, change: impl FnOnce(&mut PlanOptions)) -> Instance {
        let mut options = PlanOptions::new(Calendar::new(start()).unwrap());
        change(&mut options);
        Instance::new(self.inputs(), options).unwrap()
    }
}

/// A capacity-bound CPA: north's only resettlement prison RRI has 3 places, one taken by a
/// do-not-move lifer; four north prisoners at the trainer TTI (10 places, serving nobody)
/// release in weeks 14–17 and would all need RRI in weeks 5–14. Its optimum (2 home
/// releases with 2 moves) is proven in tests/optimise.rs.
pub fn capacity_bound_north() -> Instance {
    use Category::C;
    use Function::CatCTrainer;
    Builder::default()
        .cpa("north")
        .prison("RRI", "north", CatCTrainer, "C", 3)
        .prison("TTI", "north", CatCTrainer, "C", 10)
        .serves("RRI", "north")
        .prisoner("L1", "RRI", Some("north"), C, None)
        .with(|p| p.do_not_move = true)
        .prisoner("A1", "TTI", Some("north"), C, Some(14))
        .prisoner("A2", "TTI", Some("north"), C, Some(15))
        .prisoner("A3", "TTI", Some("north"), C, Some(16))
        .prisoner("A4", "TTI", Some("north"), C, Some(17))
        .instance()
}

/// Checks the invariants every plan must keep; panics with the first one broken.
pub fn check_invariants(instance: &Instance, plan: &Plan) {
    let kpis = evaluate(instance, plan);
    let horizon = instance.options.horizon;
    // Capacity: any excess is reported as overflow, and the overflow is exactly the excess.
    let mut excess = 0;
    for (occupied, capacity) in kpis.occupancy.iter().zip(&instance.capacity) {
        for (&o, &c) in occupied.iter().zip(capacity) {
            excess += o.saturating_sub(u64::from(c));
        }
    }
    assert_eq!(
        excess, kpis.overflow_person_weeks,
        "overflow must equal the excess over capacity"
    );
    // Prisoners conserved: everyone present is somewhere, every week.
    for week in 0..horizon {
        let present: u64 = instance
            .movers
            .iter()
            .filter(|m| m.present(week))
            .map(|m| u64::from(m.count))
            .sum();
        let located: u64 = kpis.occupancy.iter().map(|o| o[week as usize]).sum();
        assert_eq!(present, located, "week {week}: prisoners must be conserved");
    }
    let mut moved: BTreeMap<usize, u32> = BTreeMap::new();
    for m in &plan.moves {
        let mover = &instance.movers[m.mover];
        // A closure may force a second move, out of where his booked move took him.
        let second = m.reason == MoveReason::Closure
            && mover
                .booked
                .is_some_and(|(to, week)| m.from == to && week < m.week);
        if !second {
            *moved.entry(m.mover).or_default() += m.count;
            assert_eq!(m.from, mover.prison, "a move starts where the mover is");
        }
        assert_ne!(m.from, m.to, "a move goes somewhere else");
        assert!(m.week < horizon, "moves fall in the horizon");
        if m.reason == MoveReason::Booked {
            assert_eq!(
                mover.booked,
                Some((m.to, m.week)),
                "booked moves are kept as given"
            );
            continue;
        }
        assert!(instance.suits(m.to, mover), "suitability: {m:?}");
        let first = mover.movable_from.expect("only movable movers are moved");
        assert!(m.week >= first, "no move before the first movable week");
        assert!(m.week >= instance.options.first_movable_week);
        assert!(
            mover.release_week.is_none_or(|r| m.week < r),
            "no move at or after release"
        );
        if let Origin::Prisoner(i) = mover.origin {
            let p = &instance.inputs.prisoners[i];
            if p.do_not_move || p.sentence == Sentence::Remand {
                assert_eq!(
                    m.reason,
                    MoveReason::Closure,
                    "do-not-move and remand moved only by a closure"
                );
            }
        }
        if mover.remand {
            assert!(
                instance.prisons()[m.to].takes_remand(),
                "remand only to a prison that takes remand: {m:?}"
            );
        }
        let escorts = instance.options.max_moves_per_week.is_some()
            || instance.options.max_moves_per_prison_week.is_some();
        if let (Some(by), false) = (mover.forced_out_by, escorts) {
            assert!(m.week <= by, "a closure's moves happen by its week");
        }
        assert!(
            (m.week..mover.gone_from(horizon)).all(|t| !instance.closed(m.to, t)),
            "nobody moves into a prison closed while he is there: {m:?}"
        );
    }
    for (mover, count) in moved {
        assert!(
            count <= instance.movers[mover].count,
            "at most one move per prisoner"
        );
    }
    // Closures are hard: a closed prison holds nobody from the first movable week, but those
    // with no open prison to go to (and, under escort limits, those waiting for an escort).
    let stranded = instance.stranded();
    let escorts = instance.options.max_moves_per_week.is_some()
        || instance.options.max_moves_per_prison_week.is_some();
    for (i, occupied) in kpis.occupancy.iter().enumerate() {
        for t in instance.options.first_movable_week..horizon {
            if instance.closed(i, t) && !escorts {
                assert!(
                    occupied[t as usize] <= u64::from(stranded[i][t as usize]),
                    "closed prison {i} holds {} in week {t}",
                    occupied[t as usize]
                );
            }
        }
    }
    // Escort limits count every move, booked ones included.
    for t in 0..horizon {
        let week: Vec<&resettle::problem::plan::Move> =
            plan.moves.iter().filter(|m| m.week == t).collect();
        if let Some(limit) = instance.options.max_moves_per_week {
            let n: u32 = week.iter().map(|m| m.count).sum();
            assert!(n <= limit, "week {t}: {n} moves over the limit {limit}");
        }
        if let Some(limit) = instance.options.max_moves_per_prison_week {
            for i in 0..instance.prisons().len() {
                let n: u32 = week.iter().filter(|m| m.from == i).map(|m| m.count).sum();
                assert!(
                    n <= limit,
                    "week {t}: {n} moves out of prison {i} over {limit}"
                );
            }
        }
    }
}

/// The embedded sample data set (`data/sample`).
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

/// A population and 30 weeks of receptions generated (seed 5) on the sample's data, written
/// into `dir/inputs` by the binary.
pub fn generated_on_sample(dir: &Path) -> PathBuf {
    let inputs = dir.join("inputs");
    let output = assert_cmd::Command::cargo_bin("resettle")
        .unwrap()
        .args([
            "generate",
            "--seed",
            "5",
            "--scale",
            "1.0",
            "--start",
            "2014-09-01",
        ])
        .args(["--weeks", "30", "--data"])
        .arg(sample())
        .arg("--out")
        .arg(&inputs)
        .output()
        .unwrap();
    assert!(output.status.success());
    inputs
}

/// A CSV file's records as maps from column to value.
pub fn csv_records(path: &Path) -> Vec<BTreeMap<String, String>> {
    csv_text_records(&std::fs::read_to_string(path).unwrap())
}

/// A CSV text's records as maps from column to value.
pub fn csv_text_records(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
