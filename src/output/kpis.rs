//! The KPI files: `kpis.json` (with the run's parameters and the model), the four
//! `kpis_by_*.csv`, and `occupancy.csv`.

use crate::domain::Estate;
use crate::output::record::rows_csv;
use crate::output::rows::{
    BoundFigures, CpaKpiRow, EstateFigures, EstateKpiRow, JuvenileFigures, KpiFigures,
    ModelFigures, OccupancyRow, Parameters, PartKpis, PlanFigures, PrisonKpiRow, StageFigures,
    TallyFigures, WeekKpiRow,
};
use crate::output::{json_bytes, ReportOptions};
use crate::planners::optimal::{Integrality, SolveReport};
use crate::problem::instance::{Instance, Mover};
use crate::problem::kpi::{Breakdown, Kpis, Tally};
use crate::solver::SolverOptions;

impl From<Tally> for TallyFigures {
    fn from(tally: Tally) -> Self {
        TallyFigures {
            home: tally.home,
            eligible: tally.eligible,
            share: tally.share(),
        }
    }
}

/// One plan's figures in `kpis.json`.
pub(super) fn plan_figures(instance: &Instance, kpis: &Kpis) -> PlanFigures {
    PlanFigures {
        k1_within_reach_adult_male: adult_male(&kpis.k1_reach).into(),
        k1_within_reach: kpis.k1_reach.national.into(),
        k1: kpis.k1.national.into(),
        k1_adult_male: adult_male(&kpis.k1).into(),
        k2: kpis.k2.national.into(),
        on_track: kpis.on_track,
        home_plus_on_track: kpis.k1.national.home + kpis.on_track,
        by_estate: estates(instance)
            .into_iter()
            .map(|estate| EstateFigures {
                estate: estate.as_str().to_string(),
                k1_within_reach: of_estate(&kpis.k1_reach, estate).into(),
                k1: of_estate(&kpis.k1, estate).into(),
                k2: of_estate(&kpis.k2, estate).into(),
            })
            .collect(),
        moves: kpis.moves,
        overflow_person_weeks: kpis.overflow_person_weeks,
    }
}

/// The run's parameters, as the plan was made.
pub(super) fn parameters(instance: &Instance, solver: &SolverOptions) -> Parameters {
    let options = &instance.options;
    Parameters {
        start: instance.date_of(0).to_string(),
        horizon: options.horizon,
        window: options.window,
        first_movable_week: options.first_movable_week,
        within_reach_from_week: reach_from(instance),
        // Rounded to 1e-9 so that a share of 0.07 is written 7, not 7.000000000000001.
        headroom_percent: (options.headroom * 100.0 * 1e9).round() / 1e9,
        max_moves_per_week: options.max_moves_per_week,
        max_moves_per_prison_week: options.max_moves_per_prison_week,
        time_limit_seconds: solver.time_limit.map(|limit| limit.as_secs_f64()),
        mip_gap: solver.mip_gap,
    }
}

/// A breakdown's tally for one estate.
pub(super) fn of_estate(breakdown: &Breakdown, estate: Estate) -> Tally {
    breakdown
        .by_estate
        .get(&estate)
        .copied()
        .unwrap_or_default()
}

/// A breakdown's adult male tally: K1 (within reach) is read against the 80% target on it.
pub(super) fn adult_male(breakdown: &Breakdown) -> Tally {
    of_estate(breakdown, Estate::AdultMale)
}

/// The estates of the KPIs: those of any mover, but the juvenile ones, in the order of
/// [`Estate::ALL`].
pub(super) fn estates(instance: &Instance) -> Vec<Estate> {
    Estate::ALL
        .iter()
        .copied()
        .filter(|estate| !estate.is_juvenile())
        .filter(|&estate| instance.movers.iter().any(|m| m.estate == estate))
        .collect()
}

/// The first release week within reach: m + W.
pub(super) fn reach_from(instance: &Instance) -> u32 {
    instance.options.first_movable_week + instance.options.window
}

/// The juvenile estates' releases in the horizon and their people held in week 0.
pub(super) fn juvenile(instance: &Instance) -> JuvenileFigures {
    let horizon = instance.options.horizon;
    let people = |keep: &dyn Fn(&Mover) -> bool| -> u64 {
        instance
            .movers
            .iter()
            .filter(|m| m.estate.is_juvenile() && keep(m))
            .map(|m| u64::from(m.count))
            .sum()
    };
    JuvenileFigures {
        releases_in_horizon: people(&|m| m.release_week.is_some_and(|r| r < horizon)),
        held_at_start: people(&|m| m.present(0)),
    }
}

/// The headline KPIs of the three plans, the bound on (b) and the gap, the run's parameters,
/// the juvenile estate apart, and the model's size and how it was solved. The stages'
/// timings are left out: they differ from run to run.
pub(super) fn kpis_json(
    instance: &Instance,
    kpis: &[(&'static str, &Kpis)],
    report: &SolveReport,
    options: &ReportOptions,
) -> Vec<u8> {
    let file = KpiFigures {
        parameters: parameters(instance, &options.solver),
        status_quo: plan_figures(instance, kpis[0].1),
        greedy: plan_figures(instance, kpis[1].1),
        optimal: plan_figures(instance, kpis[2].1),
        bound: BoundFigures {
            home_plus_on_track: home_bound(report),
        },
        gap: report.gap,
        juvenile_estate: juvenile(instance),
        model: ModelFigures {
            rows: report.rows as u64,
            columns: report.columns as u64,
            nonzeros: report.nonzeros as u64,
            integrality: report.integrality.name().to_string(),
            solved: report.integrality.describe(),
            time_limit_reached: matches!(
                report.integrality,
                Integrality::TimeLimit { .. } | Integrality::TimeLimitGreedy { .. }
            ),
            stages: report
                .stages
                .iter()
                .map(|stage| StageFigures {
                    name: stage.name.to_string(),
                    value: stage.value,
                    bound: stage.bound,
                })
                .collect(),
        },
    };
    json_bytes(&file)
}

/// The proven bound on (b), home releases plus on track, a whole number of people.
pub(super) fn home_bound(report: &SolveReport) -> u64 {
    report.home_bound.max(0.0).round() as u64
}

/// One row's [`PartKpis`] per plan compared, in order: K1 within reach, K1 and K2 of the part
/// that `select` takes from each breakdown.
pub(super) fn part_kpis<'k>(
    kpis: &'k [(&'static str, &Kpis)],
    select: impl Fn(&Breakdown) -> Tally + 'k,
) -> impl Iterator<Item = PartKpis> + 'k {
    kpis.iter().map(move |(plan, k)| {
        let [k1_reach, k1, k2] = [&k.k1_reach, &k.k1, &k.k2].map(&select);
        PartKpis {
            plan: plan.to_string(),
            k1_within_reach_home: k1_reach.home,
            k1_within_reach_eligible: k1_reach.eligible,
            k1_within_reach_share: k1_reach.share(),
            k1_home: k1.home,
            k1_eligible: k1.eligible,
            k1_share: k1.share(),
            k2_home: k2.home,
            k2_eligible: k2.eligible,
            k2_share: k2.share(),
        }
    })
}

/// One row per CPA (data order) and plan.
pub(super) fn kpis_by_cpa_csv(instance: &Instance, kpis: &[(&'static str, &Kpis)]) -> Vec<u8> {
    let cpas = &instance.inputs.data.cpas;
    rows_csv(cpas.iter().enumerate().flat_map(|(i, cpa)| {
        part_kpis(kpis, move |b| b.by_cpa[i]).map(move |kpis| CpaKpiRow {
            cpa: cpa.id.to_string(),
            number: cpa.number,
            name: cpa.name.clone(),
            kpis,
        })
    }))
}

/// One row per prison (data order) and plan.
pub(super) fn kpis_by_prison_csv(instance: &Instance, kpis: &[(&'static str, &Kpis)]) -> Vec<u8> {
    rows_csv(
        instance
            .prisons()
            .iter()
            .enumerate()
            .flat_map(|(i, prison)| {
                part_kpis(kpis, move |b| b.by_prison[i]).map(move |kpis| PrisonKpiRow {
                    prison: prison.code.to_string(),
                    name: prison.name.clone(),
                    kpis,
                })
            }),
    )
}

/// One row per estate of the KPIs ([`estates`]: the juvenile estates are out of scope) and
/// plan.
pub(super) fn kpis_by_estate_csv(instance: &Instance, kpis: &[(&'static str, &Kpis)]) -> Vec<u8> {
    rows_csv(estates(instance).into_iter().flat_map(|estate| {
        part_kpis(kpis, move |b| of_estate(b, estate)).map(move |kpis| EstateKpiRow {
            estate: estate.as_str().to_string(),
            kpis,
        })
    }))
}

/// One row per week and plan: K1 by release week (within reach from week m + W on), K2 by
/// week.
pub(super) fn kpis_by_week_csv(instance: &Instance, kpis: &[(&'static str, &Kpis)]) -> Vec<u8> {
    rows_csv((0..instance.options.horizon).flat_map(|week| {
        part_kpis(kpis, move |b| b.by_week[week as usize]).map(move |kpis| WeekKpiRow {
            week,
            date: instance.date_of(week).to_string(),
            kpis,
        })
    }))
}

/// Occupancy against usable capacity, per prison (in data order) and week.
pub(super) fn occupancy_csv(instance: &Instance, kpis: &Kpis) -> Vec<u8> {
    rows_csv(
        instance
            .prisons()
            .iter()
            .enumerate()
            .flat_map(|(i, prison)| {
                (0..instance.options.horizon).map(move |week| {
                    let t = week as usize;
                    OccupancyRow {
                        prison: prison.code.to_string(),
                        week,
                        date: instance.date_of(week).to_string(),
                        occupancy: kpis.occupancy[i][t],
                        capacity: u64::from(instance.capacity[i][t]),
                    }
                })
            }),
    )
}
