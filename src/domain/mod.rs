//! The domain model (docs/policy.md §3): CPAs, prisons, designations, prisoners, forecast
//! receptions and booked moves. Plain data: no file formats, no solver.

pub mod calendar;
pub mod geography;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;

/// Declares a closed set of values written as fixed words in the data files.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used for this value in files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Reads the word used in files; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($word => Some($name::$variant),)+ _ => None }
            }

            /// The accepted words, for error messages: `a, b or c`.
            pub fn expected() -> String {
                let words: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                match words.split_last() {
                    Some((last, [])) => last.to_string(),
                    Some((last, rest)) => format!("{} or {}", rest.join(", "), last),
                    None => String::new(),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Declares a newtype over `String` for an identifier.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl $name {
            /// The identifier as written in files.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_string())
            }
        }
    };
}

id_type!(
    /// A Contract Package Area's slug, e.g. `wales`.
    CpaId
);
id_type!(
    /// A NOMIS agency code, e.g. `PVI` for Pentonville.
    PrisonCode
);
id_type!(
    /// A prisoner's identifier (personal data: never logged).
    PrisonerId
);

word_enum!(
    /// A prison's main role (docs/policy.md §3); the estates and categories it holds say the rest.
    Function {
        Local => "local",
        CatBTrainer => "cat_b_trainer",
        CatCTrainer => "cat_c_trainer",
        Open => "open",
        HighSecurity => "high_security",
        Yoi => "yoi",
        Juvenile => "juvenile",
        FemaleLocal => "female_local",
        FemaleClosed => "female_closed",
        FemaleOpen => "female_open",
        /// Not in use as a prison (empty, or being converted): never a destination.
        Other => "other",
    }
);

word_enum!(
    /// The part of the population a prisoner belongs to (docs/planning-rules.md §6).
    Estate {
        AdultMale => "adult_male",
        AdultFemale => "adult_female",
        YoungOffenderMale => "young_offender_male",
        YoungOffenderFemale => "young_offender_female",
        JuvenileMale => "juvenile_male",
        JuvenileFemale => "juvenile_female",
    }
);

word_enum!(
    /// Security category: A (highest) to D (open conditions).
    Category {
        A => "A",
        B => "B",
        C => "C",
        D => "D",
    }
);

word_enum!(
    /// Who runs a prison.
    Operator {
        Public => "public",
        Contracted => "contracted",
    }
);

word_enum!(
    /// The kind of custody; only determinate sentences have a release date.
    Sentence {
        Determinate => "determinate",
        Indeterminate => "indeterminate",
        Remand => "remand",
    }
);

word_enum!(
    /// Where a designation comes from, so a user can tell fact from inference.
    DesignationSource {
        /// The published MoJ list of resettlement prisons (lead CPAs).
        Published => "published",
        /// The NPS Wales service level agreement (seed 000).
        Sla => "sla",
        /// Inferred from the designation rules of the Target Operating Model §2.2.
        Rule => "rule",
    }
);

impl Estate {
    /// The youth custody estate: not designated to CPAs, outside K1 and K2 (docs/planning-rules.md §4).
    pub fn is_juvenile(self) -> bool {
        matches!(self, Estate::JuvenileMale | Estate::JuvenileFemale)
    }
}

/// A Contract Package Area, served by one CRC.
#[derive(Debug, Clone, PartialEq)]
pub struct Cpa {
    pub id: CpaId,
    /// Official number, 1..=21.
    pub number: u32,
    pub name: String,
    /// CPAs sharing a land border.
    pub neighbours: Vec<CpaId>,
}

/// An establishment of the prison estate.
#[derive(Debug, Clone, PartialEq)]
pub struct Prison {
    pub code: PrisonCode,
    pub name: String,
    /// The CPA the prison stands in (by location, not designation).
    pub cpa: CpaId,
    pub function: Function,
    pub estates: Vec<Estate>,
    /// Categories it may hold; empty for establishments outside the adult scheme (juveniles).
    pub categories: Vec<Category>,
    pub operator: Operator,
    /// The hard limit on the number held.
    pub operational_capacity: u32,
    /// Certified normal accommodation: the uncrowded capacity.
    pub cna: u32,
    /// Latitude and longitude in degrees, where known.
    pub location: Option<(f64, f64)>,
}

impl Prison {
    /// Whether the prison holds this estate and category (an uncategorised prisoner needs
    /// only the estate).
    pub fn holds(&self, estate: Estate, category: Option<Category>) -> bool {
        self.estates.contains(&estate)
            && category.is_none_or(|category| self.categories.contains(&category))
    }

    /// Whether prisoners may be moved here at all.
    pub fn is_destination(&self) -> bool {
        self.function != Function::Other
    }

    /// Whether it takes remand prisoners (docs/planning-rules.md §5 rule 2): a local prison, a women's
    /// local, a YOI or a juvenile establishment.
    pub fn takes_remand(&self) -> bool {
        matches!(
            self.function,
            Function::Local | Function::FemaleLocal | Function::Yoi | Function::Juvenile
        )
    }
}

/// A prison designated as a resettlement prison for a CPA.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Designation {
    pub prison: PrisonCode,
    pub cpa: CpaId,
    pub source: DesignationSource,
}

/// The national reference data: CPAs, prisons, designations and the published population
/// that synthetic populations are calibrated against.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub cpas: Vec<Cpa>,
    pub prisons: Vec<Prison>,
    pub designations: Vec<Designation>,
    /// Published population per prison (August 2014 bulletin), where given.
    pub published_population: BTreeMap<PrisonCode, u32>,
    cpa_index: BTreeMap<CpaId, usize>,
    prison_index: BTreeMap<PrisonCode, usize>,
    served: BTreeSet<(PrisonCode, CpaId)>,
}

impl Dataset {
    /// Assembles a data set and its look-up indexes.
    pub fn new(
        cpas: Vec<Cpa>,
        prisons: Vec<Prison>,
        designations: Vec<Designation>,
        published_population: BTreeMap<PrisonCode, u32>,
    ) -> Self {
        let cpa_index = cpas
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let prison_index = prisons
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.clone(), i))
            .collect();
        let served = designations
            .iter()
            .map(|d| (d.prison.clone(), d.cpa.clone()))
            .collect();
        Dataset {
            cpas,
            prisons,
            designations,
            published_population,
            cpa_index,
            prison_index,
            served,
        }
    }

    /// The CPA with this slug.
    pub fn cpa(&self, id: &CpaId) -> Option<&Cpa> {
        self.cpa_index.get(id).map(|&i| &self.cpas[i])
    }

    /// The prison with this code.
    pub fn prison(&self, code: &PrisonCode) -> Option<&Prison> {
        self.prison_index.get(code).map(|&i| &self.prisons[i])
    }

    /// Position of the prison in `prisons`.
    pub fn prison_position(&self, code: &PrisonCode) -> Option<usize> {
        self.prison_index.get(code).copied()
    }

    /// Position of the CPA in `cpas`.
    pub fn cpa_position(&self, id: &CpaId) -> Option<usize> {
        self.cpa_index.get(id).copied()
    }

    /// Whether `prison` is a resettlement prison for `cpa`.
    pub fn serves(&self, prison: &PrisonCode, cpa: &CpaId) -> bool {
        self.served.contains(&(prison.clone(), cpa.clone()))
    }

    /// The prisons designated as resettlement prisons for a CPA, in code order.
    pub fn prisons_serving<'a>(&'a self, cpa: &'a CpaId) -> impl Iterator<Item = &'a Prison> {
        self.prisons
            .iter()
            .filter(move |p| self.serves(&p.code, cpa))
    }
}

/// One prisoner in the population snapshot on the plan's start date.
#[derive(Debug, Clone, PartialEq)]
pub struct Prisoner {
    pub id: PrisonerId,
    /// Where he is held on the start date.
    pub prison: PrisonCode,
    /// Empty when unknown.
    pub home_cpa: Option<CpaId>,
    pub estate: Estate,
    /// Empty when uncategorised.
    pub category: Option<Category>,
    pub sentence: Sentence,
    /// Reception into custody for this sentence.
    pub custody_start: NaiveDate,
    /// Arrival at the current prison.
    pub arrived: NaiveDate,
    /// Only for determinate sentences.
    pub release_date: Option<NaiveDate>,
    /// Only for remand and indeterminate sentences: the day he is expected to leave
    /// (acquittal, bail, sentence served on remand, parole). Occupancy counts it like a
    /// release date; the KPIs ignore it. `None`: he stays beyond any horizon.
    pub expected_release: Option<NaiveDate>,
    /// Court, medical or programme hold: never moved.
    pub do_not_move: bool,
    /// Liable to removal from the UK: no home-CPA target.
    pub removal: bool,
}

/// The latest expected departure week a receptions file may give (10 years): a later one is,
/// for any plan, the same as none.
pub const MAX_EXPECTED_RELEASE_WEEK: u32 = 520;

/// Forecast receptions from the courts: `count` alike prisoners arriving in `week`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReceptionCohort {
    /// Week of arrival, counted from the start date.
    pub week: u32,
    pub prison: PrisonCode,
    pub home_cpa: Option<CpaId>,
    pub estate: Estate,
    pub category: Option<Category>,
    /// Week of release; `None` for remand and indeterminate sentences.
    pub release_week: Option<u32>,
    /// Only without a release week: the week the cohort is expected to leave (counted like a
    /// release week by occupancy, ignored by the KPIs). `None`: it stays beyond any horizon.
    pub expected_release_week: Option<u32>,
    pub count: u32,
}

/// A move already agreed, to be kept as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedMove {
    pub prisoner_id: PrisonerId,
    pub to: PrisonCode,
    pub week: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prison(estates: Vec<Estate>, categories: Vec<Category>) -> Prison {
        Prison {
            code: "XXI".into(),
            name: "Test".into(),
            cpa: "wales".into(),
            function: Function::Local,
            estates,
            categories,
            operator: Operator::Public,
            operational_capacity: 10,
            cna: 8,
            location: None,
        }
    }

    #[test]
    fn holds_needs_both_estate_and_category() {
        let p = prison(vec![Estate::AdultMale], vec![Category::B, Category::C]);
        assert!(p.holds(Estate::AdultMale, Some(Category::C)));
        assert!(!p.holds(Estate::AdultMale, Some(Category::D)));
        assert!(!p.holds(Estate::AdultFemale, Some(Category::C)));
        assert!(p.holds(Estate::AdultMale, None));
    }

    #[test]
    fn words_round_trip_and_unknown_words_are_refused() {
        for f in Function::ALL {
            assert_eq!(Function::parse(f.as_str()), Some(*f));
        }
        assert_eq!(Estate::parse("adult_male"), Some(Estate::AdultMale));
        assert_eq!(Estate::parse("Adult_Male"), None);
        assert_eq!(Category::expected(), "A, B, C or D");
    }

    #[test]
    fn designations_are_looked_up_both_ways() {
        let data = Dataset::new(
            vec![],
            vec![prison(vec![Estate::AdultMale], vec![Category::C])],
            vec![
                Designation {
                    prison: "XXI".into(),
                    cpa: "wales".into(),
                    source: DesignationSource::Rule,
                },
                Designation {
                    prison: "XXI".into(),
                    cpa: "london".into(),
                    source: DesignationSource::Published,
                },
            ],
            BTreeMap::new(),
        );
        let code = PrisonCode::from("XXI");
        assert!(data.serves(&code, &"london".into()));
        assert!(data.serves(&code, &"wales".into()));
        assert_eq!(data.prisons_serving(&"london".into()).count(), 1);
        assert_eq!(data.prisons_serving(&"essex".into()).count(), 0);
    }
}
