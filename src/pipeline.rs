//! The planning run shared by `resettle plan` and `resettle scenarios run`: the three plans of
//! an instance (status quo, greedy, optimal) and every file written about them.

use crate::analysis::bottleneck::{analyse, Bound};
use crate::analysis::marginal::{assess, MarginalValue, CONFIRM};
use crate::error::Error;
use crate::output::{
    bottlenecks_csv, marginal_value_csv, plan_outputs, workload_outputs, OutputFiles, PlanSet,
    ReportOptions,
};
use crate::planners::baseline::{greedy, status_quo};
use crate::planners::optimal::{optimise_reporting, KeyedBasis, Optimised};
use crate::problem::instance::Instance;
use crate::problem::kpi::{evaluate, Kpis};
use crate::problem::plan::Plan;
use crate::solver::SolverOptions;

/// The three plans of one instance.
#[derive(Debug, Clone)]
pub struct Planned {
    /// No moves.
    pub status_quo: Plan,
    /// By release date, each to the home resettlement prison with most room.
    pub greedy: Plan,
    /// The optimised plan and how it was proven.
    pub optimal: Optimised,
    /// The bottleneck bounds of every week ([`analyse`]), computed once for the files and
    /// the summaries.
    pub bottlenecks: Vec<Bound>,
    /// The marginal value of a place at each prison, ranked, the first re-solved
    /// ([`assess`]).
    pub marginal: Vec<MarginalValue>,
    /// The KPIs of the status quo and greedy plans ([`evaluate`]); the optimal plan's are
    /// `optimal.kpis`.
    pub baseline_kpis: [Kpis; 2],
}

/// What is made beside the optimiser: the baseline plans, their KPIs and the bottlenecks.
struct Beside {
    status_quo: Plan,
    greedy: Plan,
    kpis: [Kpis; 2],
    bottlenecks: Vec<Bound>,
}

impl Beside {
    fn of(instance: &Instance) -> Beside {
        let status_quo = status_quo(instance);
        let greedy = greedy(instance);
        let kpis = [&status_quo, &greedy].map(|plan| evaluate(instance, plan));
        Beside {
            status_quo,
            greedy,
            kpis,
            bottlenecks: analyse(instance),
        }
    }
}

impl Planned {
    /// The KPIs of the status quo, greedy and optimal plans, in that order, computed once
    /// for the files and the summaries.
    pub fn kpis(&self) -> [&Kpis; 3] {
        let [status_quo, greedy] = &self.baseline_kpis;
        [status_quo, greedy, &self.optimal.kpis]
    }

    /// The plans as the report functions take them.
    pub fn set(&self) -> PlanSet<'_> {
        PlanSet {
            status_quo: &self.status_quo,
            greedy: &self.greedy,
            optimal: &self.optimal.plan,
            report: &self.optimal.report,
            bottlenecks: &self.bottlenecks,
            marginal: &self.marginal,
            kpis: self.kpis(),
        }
    }
}

/// Makes the three plans, confirming the marginal values of the first [`CONFIRM`] prisons;
/// `progress` is told of each step (no personal data).
pub fn plan_all(
    instance: &Instance,
    solver: SolverOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<Planned, Error> {
    plan_all_confirming(instance, solver, CONFIRM, None, progress)
}

/// Makes the three plans and re-solves the first `confirm` prisons of the marginal values'
/// ranking (`--confirm-marginal`), within the same time limit as the optimisation; the
/// optimisation starts from `start`, a similar instance's basis, when given
/// ([`optimise_reporting`]).
pub fn plan_all_confirming(
    instance: &Instance,
    solver: SolverOptions,
    confirm: usize,
    start: Option<&KeyedBasis>,
    progress: &mut dyn FnMut(&str),
) -> Result<Planned, Error> {
    let solver = solver.started();
    // What does not depend on the optimisation is done on another thread beside it (the
    // interior-point method uses one core).
    let (optimal, beside) = std::thread::scope(|scope| {
        let beside = scope.spawn(|| Beside::of(instance));
        let optimal = optimise_reporting(instance, solver, start, progress);
        let beside = beside.join();
        (
            optimal,
            beside.unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    });
    let optimal = optimal?;
    progress(&format!(
        "greedy plan: {} moves",
        beside.greedy.people_moved()
    ));
    progress(&format!(
        "optimal plan: {} moves; model {} rows, {} columns, {} non-zeros",
        optimal.plan.people_moved(),
        optimal.report.rows,
        optimal.report.columns,
        optimal.report.nonzeros
    ));
    let marginal = assess(instance, &optimal.report, confirm, solver, progress);
    Ok(Planned {
        status_quo: beside.status_quo,
        greedy: beside.greedy,
        optimal,
        bottlenecks: beside.bottlenecks,
        marginal,
        baseline_kpis: beside.kpis,
    })
}

/// Every file `resettle plan` writes about the plans of `instance`, with the CRC workload
/// forecast of the optimal plan, the marginal value of a place and the bottlenecks.
pub fn outputs(instance: &Instance, planned: &Planned, options: &ReportOptions) -> OutputFiles {
    let mut files = OutputFiles::default();
    plan_outputs(instance, &planned.set(), options, &mut files);
    workload_outputs(instance, &planned.optimal.plan, &mut files);
    files.add(
        "marginal_value.csv",
        marginal_value_csv(instance, &planned.marginal),
    );
    files.add(
        "bottlenecks.csv",
        bottlenecks_csv(instance, &planned.bottlenecks),
    );
    files
}
