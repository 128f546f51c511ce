//! Loading every input of a run together, the checks that span files, and the summary
//! `resettle validate` prints.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::calendar::Calendar;
use crate::domain::{BookedMove, CpaId, Dataset, Prisoner, ReceptionCohort, Sentence};
use crate::input;
use crate::input::diagnostics::{Diagnostic, Diagnostics, Severity};

/// Where a run's inputs are.
#[derive(Debug, Clone, Default)]
pub struct InputPaths {
    /// The reference data folder (`cpas.csv`, `prisons.csv`, `designations.csv`).
    pub data: PathBuf,
    pub population: Option<PathBuf>,
    pub receptions: Option<PathBuf>,
    pub booked: Option<PathBuf>,
}

/// Everything a run reads, as far as it could be read.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub data: Dataset,
    pub prisoners: Vec<Prisoner>,
    pub receptions: Vec<ReceptionCohort>,
    pub booked: Vec<BookedMove>,
}

/// Reads every input named in `paths`, checking dates against `calendar` when given.
/// Returns what could be read and every problem found, in every file. The planning inputs
/// are read only when the reference data have no error: every row names a prison or a CPA
/// of them, and would otherwise be reported again for the same cause.
pub fn load_inputs(paths: &InputPaths, calendar: Option<&Calendar>) -> (Inputs, Diagnostics) {
    let (data, mut diagnostics) = input::load_dataset(&paths.data);
    diagnostics.extend(check_dataset(&data, &paths.data));
    if diagnostics.has_errors() {
        let inputs = Inputs {
            data,
            ..Inputs::default()
        };
        return (inputs, diagnostics);
    }
    // The population and the receptions are read side by side (nationally 8.5 and 5.8 MB),
    // their problems reported in that order; on a scoped thread, as `rayon::join` left the
    // national plan's peak 50 MB higher.
    let ((prisoners, population_problems), (receptions, reception_problems)) =
        std::thread::scope(|scope| {
            let receptions = scope.spawn(|| {
                let mut problems = Diagnostics::default();
                let receptions = paths.receptions.as_deref().map_or_else(Vec::new, |path| {
                    input::load_receptions(path, &data, &mut problems)
                });
                (receptions, problems)
            });
            let mut problems = Diagnostics::default();
            let prisoners = paths.population.as_deref().map_or_else(Vec::new, |path| {
                input::load_population(path, &data, calendar, &mut problems)
            });
            let receptions = receptions.join();
            (
                (prisoners, problems),
                receptions.unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            )
        });
    // Booked moves are checked against the population only when it loaded whole: a broken
    // row would otherwise make its prisoner look unknown.
    let population_whole = paths.population.is_some() && population_problems.error_count() == 0;
    diagnostics.extend(population_problems);
    diagnostics.extend(reception_problems);
    let booked = paths.booked.as_deref().map_or_else(Vec::new, |path| {
        let population = population_whole.then_some(prisoners.as_slice());
        input::load_booked_moves(path, &data, population, calendar, &mut diagnostics)
    });
    let inputs = Inputs {
        data,
        prisoners,
        receptions,
        booked,
    };
    (inputs, diagnostics)
}

/// Checks that span the reference files: a CPA with no resettlement prison cannot have a
/// home release (a warning: a scenario may mean it).
pub fn check_dataset(data: &Dataset, dir: &Path) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    for cpa in &data.cpas {
        if data.prisons_serving(&cpa.id).next().is_none() {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::file_error(
                    &dir.join("designations.csv"),
                    format!("CPA '{}' has no resettlement prison: none of its prisoners can be released home", cpa.id),
                )
            });
        }
    }
    diagnostics
}

/// What `resettle validate` reports: the estate, the population, and per CPA the designated
/// places beside the population whose home it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub prisons: usize,
    pub prisons_in_use: usize,
    pub places: u64,
    pub published_population: u64,
    /// `None` when no population file was given.
    pub population: Option<PopulationSummary>,
    /// Reception weeks and prisoners, when a receptions file was given.
    pub receptions: Option<(u32, u64)>,
    pub by_cpa: Vec<CpaSummary>,
}

/// The population by kind of sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationSummary {
    pub prisoners: usize,
    pub determinate: usize,
    pub indeterminate: usize,
    pub remand: usize,
    pub removal: usize,
    pub home_unknown: usize,
}

/// One CPA's line of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpaSummary {
    pub cpa: CpaId,
    pub number: u32,
    pub name: String,
    pub resettlement_prisons: usize,
    /// Operational capacity of its resettlement prisons (a prison serving several CPAs counts
    /// in full for each).
    pub designated_places: u64,
    /// Prisoners whose home CPA it is.
    pub home_population: usize,
}

/// Summarises loaded inputs.
pub fn summarise(inputs: &Inputs, population_given: bool, receptions_given: bool) -> Summary {
    let data = &inputs.data;
    let mut home: BTreeMap<&CpaId, usize> = BTreeMap::new();
    for prisoner in &inputs.prisoners {
        if let Some(cpa) = &prisoner.home_cpa {
            *home.entry(cpa).or_default() += 1;
        }
    }
    let count = |sentence| {
        inputs
            .prisoners
            .iter()
            .filter(|p| p.sentence == sentence)
            .count()
    };
    let population = population_given.then(|| PopulationSummary {
        prisoners: inputs.prisoners.len(),
        determinate: count(Sentence::Determinate),
        indeterminate: count(Sentence::Indeterminate),
        remand: count(Sentence::Remand),
        removal: inputs.prisoners.iter().filter(|p| p.removal).count(),
        home_unknown: inputs
            .prisoners
            .iter()
            .filter(|p| p.home_cpa.is_none())
            .count(),
    });
    let receptions = receptions_given.then(|| {
        let weeks = inputs
            .receptions
            .iter()
            .map(|c| c.week + 1)
            .max()
            .unwrap_or(0);
        let prisoners = inputs.receptions.iter().map(|c| u64::from(c.count)).sum();
        (weeks, prisoners)
    });
    let by_cpa = data
        .cpas
        .iter()
        .map(|cpa| {
            let serving: Vec<_> = data.prisons_serving(&cpa.id).collect();
            CpaSummary {
                cpa: cpa.id.clone(),
                number: cpa.number,
                name: cpa.name.clone(),
                resettlement_prisons: serving.len(),
                designated_places: serving
                    .iter()
                    .map(|p| u64::from(p.operational_capacity))
                    .sum(),
                home_population: home.get(&cpa.id).copied().unwrap_or(0),
            }
        })
        .collect();
    Summary {
        prisons: data.prisons.len(),
        prisons_in_use: data.prisons.iter().filter(|p| p.is_destination()).count(),
        places: data
            .prisons
            .iter()
            .map(|p| u64::from(p.operational_capacity))
            .sum(),
        published_population: data
            .published_population
            .values()
            .map(|&n| u64::from(n))
            .sum(),
        population,
        receptions,
        by_cpa,
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "estate:      {} prisons ({} in use), {} places (operational capacity), published population {}",
            self.prisons, self.prisons_in_use, self.places, self.published_population
        )?;
        if let Some(p) = &self.population {
            writeln!(
                f,
                "population:  {} prisoners: {} determinate, {} indeterminate, {} remand; {} liable to removal, {} with no known home CPA",
                p.prisoners, p.determinate, p.indeterminate, p.remand, p.removal, p.home_unknown
            )?;
        }
        if let Some((weeks, prisoners)) = self.receptions {
            writeln!(f, "receptions:  {prisoners} prisoners over {weeks} weeks")?;
        }
        writeln!(f)?;
        let with_population = self.population.is_some();
        write!(
            f,
            "{:>3}  {:<64} {:>7} {:>11}",
            "no", "CPA", "prisons", "places"
        )?;
        if with_population {
            write!(f, " {:>10} {:>16}", "home pop.", "places per home")?;
        }
        writeln!(f)?;
        for c in &self.by_cpa {
            write!(
                f,
                "{:>3}  {:<64} {:>7} {:>11}",
                c.number, c.name, c.resettlement_prisons, c.designated_places
            )?;
            if with_population {
                let ratio = if c.home_population == 0 {
                    "-".to_string()
                } else {
                    format!(
                        "{:.2}",
                        c.designated_places as f64 / c.home_population as f64
                    )
                };
                write!(f, " {:>10} {:>16}", c.home_population, ratio)?;
            }
            writeln!(f)?;
        }
        writeln!(
            f,
            "\nprisons: resettlement prisons designated for the CPA; places: their operational capacity \
             (a prison serving several CPAs counts in full for each)"
        )
    }
}
