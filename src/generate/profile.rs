//! Per-prison profiles (what one prison's prisoners are drawn from), the home areas, and the
//! draws the stock and the receptions share.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::assumptions::{
    function_shares, main_estate, secondary_estate_share, Role, FOREIGN_NATIONAL_PRISONS,
    REMAND_MEAN_DAYS, REMAND_TRAINERS, REMAND_TRAINER_SHARE, REMAND_YOIS, REMAND_YOI_SHARE,
    REMOVAL_ELSEWHERE, REMOVAL_FOREIGN_NATIONAL,
};
use super::GenerateError;
use crate::domain::{Category, Dataset, Estate, Function, Prison, Sentence};

/// Everything drawn for one prison, worked out once.
pub(super) struct Profile {
    pub(super) prison: usize,
    /// Prisoners to generate there.
    pub(super) count: u32,
    pub(super) estates: Vec<(Estate, f64)>,
    /// Categories held, weighted; empty when the prison has none.
    pub(super) categories: Vec<(Category, f64)>,
    /// The same without D: remand prisoners are not in open conditions.
    pub(super) remand_categories: Vec<(Category, f64)>,
    pub(super) remand: f64,
    pub(super) indeterminate: f64,
    /// Determinate sentence bands (index into `BANDS`) with their weights.
    pub(super) bands: [(usize, f64); 3],
    pub(super) own_cpa: usize,
    pub(super) home_own: f64,
    pub(super) home_neighbour: f64,
    pub(super) removal: f64,
    pub(super) role: Role,
    /// Whether forecast receptions from the courts arrive here.
    pub(super) takes_receptions: bool,
}

impl Profile {
    pub(super) fn new(
        data: &Dataset,
        position: usize,
        count: u32,
    ) -> Result<Profile, GenerateError> {
        let prison = &data.prisons[position];
        let code = prison.code.as_str();
        let shares = function_shares(prison.function);
        let remand_yoi = prison.function == Function::Yoi && REMAND_YOIS.contains(&code);
        let remand = if remand_yoi {
            REMAND_YOI_SHARE
        } else if prison.function == Function::CatBTrainer && REMAND_TRAINERS.contains(&code) {
            REMAND_TRAINER_SHARE
        } else {
            shares.remand
        };
        let role = if remand_yoi {
            Role::Reception
        } else {
            shares.role
        };
        let removal = if FOREIGN_NATIONAL_PRISONS.contains(&code) {
            REMOVAL_FOREIGN_NATIONAL
        } else if prison.function == Function::Juvenile {
            0.0
        } else {
            REMOVAL_ELSEWHERE
        };
        let own_cpa = data
            .cpa_position(&prison.cpa)
            .ok_or_else(|| GenerateError::UnknownCpa {
                code: prison.code.clone(),
                name: prison.name.clone(),
                cpa: prison.cpa.clone(),
            })?;
        let categories: Vec<(Category, f64)> = prison
            .categories
            .iter()
            .map(|&c| (c, shares.categories[category_index(c)]))
            .collect();
        let remand_categories = match categories
            .iter()
            .filter(|(c, _)| *c != Category::D)
            .copied()
            .collect::<Vec<_>>()
        {
            open_only if open_only.is_empty() => categories.clone(),
            closed => closed,
        };
        Ok(Profile {
            prison: position,
            count,
            estates: estate_weights(prison)?,
            categories,
            remand_categories,
            remand,
            indeterminate: shares.indeterminate,
            bands: std::array::from_fn(|i| (i, shares.bands[i])),
            own_cpa,
            home_own: shares.home_own,
            home_neighbour: shares.home_neighbour,
            removal,
            role,
            takes_receptions: matches!(
                prison.function,
                Function::Local | Function::FemaleLocal | Function::Juvenile
            ) || remand_yoi,
        })
    }
}

fn category_index(category: Category) -> usize {
    match category {
        Category::A => 0,
        Category::B => 1,
        Category::C => 2,
        Category::D => 3,
    }
}

/// The prison's estates, weighted: the main estate of its function (or, when it does not hold
/// that, the first listed) takes what the secondary estates leave, and at least 40%.
fn estate_weights(prison: &Prison) -> Result<Vec<(Estate, f64)>, GenerateError> {
    let main = main_estate(prison.function);
    let main = if prison.estates.contains(&main) {
        main
    } else {
        *prison
            .estates
            .first()
            .ok_or_else(|| GenerateError::NoEstate {
                code: prison.code.clone(),
                name: prison.name.clone(),
            })?
    };
    let secondary: f64 = prison
        .estates
        .iter()
        .filter(|&&e| e != main)
        .map(|&e| secondary_estate_share(e))
        .sum();
    Ok(prison
        .estates
        .iter()
        .map(|&e| {
            let weight = if e == main {
                (1.0 - secondary).max(0.4)
            } else {
                secondary_estate_share(e)
            };
            (e, weight)
        })
        .collect())
}

/// One item drawn with probability proportional to its weight (uniformly when no weight is
/// positive). `items` must not be empty.
pub(super) fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|(_, w)| w.max(0.0)).sum();
    if total <= 0.0 {
        return items[rng.gen_range(0..items.len())].0;
    }
    let mut left = rng.gen::<f64>() * total;
    let mut last = items[0].0;
    for &(item, weight) in items {
        if weight > 0.0 {
            if left < weight {
                return item;
            }
            left -= weight;
            last = item;
        }
    }
    last
}

/// Whole days drawn from the exponential distribution with this mean (by inversion).
pub(super) fn exponential_days(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    let u: f64 = rng.gen();
    (-mean * (1.0 - u).ln()).floor() as u64
}

/// A remand prisoner's time still to serve on remand, in whole days (exponential, mean
/// [`REMAND_MEAN_DAYS`]).
pub(super) fn remand_days_left(rng: &mut ChaCha8Rng) -> u64 {
    exponential_days(rng, REMAND_MEAN_DAYS)
}

/// Where home CPAs are drawn from: each CPA's neighbours and the whole country, weighted by
/// the published population of the prisons standing in each CPA.
pub(super) struct HomeAreas {
    everywhere: Vec<(usize, f64)>,
    neighbours: Vec<Vec<(usize, f64)>>,
}

impl HomeAreas {
    pub(super) fn new(data: &Dataset) -> HomeAreas {
        let mut weight = vec![0.0; data.cpas.len()];
        for prison in &data.prisons {
            if let (Some(cpa), Some(&population)) = (
                data.cpa_position(&prison.cpa),
                data.published_population.get(&prison.code),
            ) {
                weight[cpa] += f64::from(population);
            }
        }
        let neighbours = data
            .cpas
            .iter()
            .map(|cpa| {
                cpa.neighbours
                    .iter()
                    .filter_map(|n| data.cpa_position(n))
                    .map(|n| (n, weight[n]))
                    .collect()
            })
            .collect();
        HomeAreas {
            everywhere: weight.into_iter().enumerate().collect(),
            neighbours,
        }
    }

    /// A home CPA for someone held at (or received into) the profile's prison.
    pub(super) fn draw(&self, rng: &mut ChaCha8Rng, profile: &Profile) -> usize {
        let u = rng.gen::<f64>();
        let neighbours = &self.neighbours[profile.own_cpa];
        if u < profile.home_own {
            profile.own_cpa
        } else if u < profile.home_own + profile.home_neighbour && !neighbours.is_empty() {
            pick(rng, neighbours)
        } else {
            pick(rng, &self.everywhere)
        }
    }
}

/// A category for someone of `estate` at the profile's prison (juveniles are uncategorised).
pub(super) fn draw_category(
    rng: &mut ChaCha8Rng,
    profile: &Profile,
    estate: Estate,
    sentence: Sentence,
) -> Option<Category> {
    let categories = if sentence == Sentence::Remand {
        &profile.remand_categories
    } else {
        &profile.categories
    };
    let juvenile = matches!(estate, Estate::JuvenileMale | Estate::JuvenileFemale);
    (!juvenile && !categories.is_empty()).then(|| pick(rng, categories))
}
