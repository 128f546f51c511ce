//! Bottlenecks (docs/policy.md §2, the estate planner's "where are places short?"): per week, a
//! max-flow/min-cut bound on how many eligible prisoners in their final window (K2's people,
//! docs/planning-rules.md §4) any plan could hold in a resettlement prison of their home CPA.
//!
//! The network of week t (petgraph, solved with Dinic's algorithm):
//! - **source → class** (home CPA, estate, category): the eligible prisoners in their final
//!   W weeks that week whom a plan may have moved by then;
//! - **class → prison** for every prison in use that is a resettlement prison of the CPA and
//!   holds the estate and category (unbounded: the class's size);
//! - **prison → sink**: the prison's *room*, its usable capacity that week less the people
//!   no plan can move out by then (do-not-move, remand, booked, those who arrive that week or
//!   before the first movable week: all held where the booked moves alone put them).
//!
//! Everyone else — prisoners a plan may move who are not in their window — is assumed to be
//! movable out of the way (decanted): the bound does not check that there is room for them
//! elsewhere, nor the one-move rule, nor that an earlier move was in time. It is therefore an
//! upper bound on K2 whatever the moves, within usable capacity (overflow aside). The eligible
//! in their window whom no plan can move count in the demand, and among the reachable when
//! they are already held at home.
//!
//! Each home CPA gets its own flow (its demand alone: the most it could reach if it had every
//! place to itself), and the nation one flow with every CPA competing for the same places. The
//! **cut** of a flow is the set of prisons on the source side of the minimum cut found from
//! the residual network: the designated prisons that are full in the best case, where more
//! room would raise the bound. A CPA below 80% with no cut prisons is short of people who
//! cannot be moved that week, or whom no designated prison holds.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::algo::dinics;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use crate::domain::{Category, Estate};
use crate::problem::instance::Instance;
use crate::problem::kpi::TARGET;
use crate::problem::plan::Route;

/// One flow's result: the bound of one home CPA (or the nation) in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub week: u32,
    /// Index of the home CPA; `None` for the nation (every CPA at once).
    pub cpa: Option<usize>,
    /// Eligible prisoners in their final window that week.
    pub demand: u64,
    /// The most of them any plan could hold at home that week.
    pub reachable: u64,
    /// The prisons of the minimum cut (indexes, in code order).
    pub cut: Vec<usize>,
}

impl Bound {
    /// reachable / demand, or `None` when there is no demand.
    pub fn share(&self) -> Option<f64> {
        (self.demand > 0).then(|| self.reachable as f64 / self.demand as f64)
    }

    /// Whether the target cannot be reached whatever the moves.
    pub fn below_target(&self) -> bool {
        self.share().is_some_and(|s| s < TARGET)
    }
}

/// A class of interchangeable demand: home CPA index, estate, category.
type Class = (usize, Estate, Option<Category>);

/// What one week's flows are computed from.
struct Week {
    /// Per home CPA: eligible prisoners in their final window.
    demand: Vec<u64>,
    /// Per home CPA: those of them no plan can move that week who are held at home.
    fixed_home: Vec<u64>,
    /// Those a plan may have moved by that week, by class.
    movable: BTreeMap<Class, u64>,
    /// Per prison: people held there that week whom no plan can move.
    fixed: Vec<u64>,
}

/// Per week (in order), the nation's bound, then each home CPA's (in data order).
pub fn analyse(instance: &Instance) -> Vec<Bound> {
    let cpas = instance.inputs.data.cpas.len();
    weeks(instance)
        .iter()
        .enumerate()
        .flat_map(|(t, week)| {
            let national = flow(instance, t, week, None);
            std::iter::once(national)
                .chain((0..cpas).map(move |c| flow(instance, t, week, Some(c))))
        })
        .collect()
}

/// The demand and the fixed occupancy of every week, in one pass over the movers.
fn weeks(instance: &Instance) -> Vec<Week> {
    let horizon = instance.options.horizon;
    let window = instance.options.window;
    let cpas = instance.inputs.data.cpas.len();
    let mut weeks: Vec<Week> = (0..horizon)
        .map(|_| Week {
            demand: vec![0; cpas],
            fixed_home: vec![0; cpas],
            movable: BTreeMap::new(),
            fixed: vec![0; instance.prisons().len()],
        })
        .collect();
    for mover in &instance.movers {
        let count = u64::from(mover.count);
        let booked = Route::unmoved(mover, mover.count, horizon);
        for t in (0..horizon).filter(|&t| mover.present(t)) {
            let week = &mut weeks[t as usize];
            let fixed_at = match mover.movable_from {
                Some(first) if t >= first => None,
                _ => Some(booked.location(mover.prison, t)),
            };
            // Eligible and in the final window (present, so not yet released).
            let home = mover
                .home
                .filter(|_| mover.eligible && mover.release_week.is_some_and(|r| t + window > r));
            if let Some(at) = fixed_at {
                week.fixed[at] += count;
            }
            let Some(home) = home else {
                continue;
            };
            week.demand[home] += count;
            match fixed_at {
                Some(at) if instance.serves[at][home] => week.fixed_home[home] += count,
                Some(_) => {}
                None => {
                    *week
                        .movable
                        .entry((home, mover.estate, mover.category))
                        .or_default() += count
                }
            }
        }
    }
    weeks
}

/// The max-flow/min-cut of week `t` for one home CPA, or for all when `cpa` is `None`.
fn flow(instance: &Instance, t: usize, week: &Week, cpa: Option<usize>) -> Bound {
    let included = |c: usize| cpa.is_none_or(|only| only == c);
    let mut graph = DiGraph::<(), u64>::new();
    let source = graph.add_node(());
    let sink = graph.add_node(());
    let prisons: Vec<NodeIndex> = (0..instance.prisons().len())
        .map(|j| {
            let node = graph.add_node(());
            let room = u64::from(instance.capacity[j][t]).saturating_sub(week.fixed[j]);
            graph.add_edge(node, sink, room);
            node
        })
        .collect();
    for (&(home, estate, category), &count) in &week.movable {
        if !included(home) {
            continue;
        }
        let class = graph.add_node(());
        graph.add_edge(source, class, count);
        for (j, p) in instance.prisons().iter().enumerate() {
            if instance.serves[j][home] && p.is_destination() && p.holds(estate, category) {
                graph.add_edge(class, prisons[j], count);
            }
        }
    }
    let (moved, flows) = dinics(&graph, source, sink);
    let side = source_side(&graph, source, &flows);
    let mut cut: Vec<usize> = (0..prisons.len())
        .filter(|&j| side.contains(&prisons[j]))
        .collect();
    cut.sort_by(|&a, &b| instance.prisons()[a].code.cmp(&instance.prisons()[b].code));
    let sum = |values: &[u64]| -> u64 {
        values
            .iter()
            .enumerate()
            .filter(|&(c, _)| included(c))
            .map(|(_, v)| v)
            .sum()
    };
    Bound {
        week: t as u32,
        cpa,
        demand: sum(&week.demand),
        reachable: sum(&week.fixed_home) + moved,
        cut,
    }
}

/// The nodes reachable from the source in the residual network of a maximum flow: the
/// source side of a minimum cut.
fn source_side(graph: &DiGraph<(), u64>, source: NodeIndex, flows: &[u64]) -> BTreeSet<NodeIndex> {
    let mut side = BTreeSet::from([source]);
    let mut queue = VecDeque::from([source]);
    while let Some(node) = queue.pop_front() {
        let forward = graph
            .edges_directed(node, Direction::Outgoing)
            .filter(|e| flows[e.id().index()] < *e.weight())
            .map(|e| e.target());
        let backward = graph
            .edges_directed(node, Direction::Incoming)
            .filter(|e| flows[e.id().index()] > 0)
            .map(|e| e.source());
        let next: Vec<NodeIndex> = forward.chain(backward).collect();
        for n in next {
            if side.insert(n) {
                queue.push_back(n);
            }
        }
    }
    side
}

/// The codes of `prisons`, in the order given.
pub(crate) fn codes(instance: &Instance, prisons: &[usize]) -> Vec<String> {
    prisons
        .iter()
        .map(|&j| instance.prisons()[j].code.to_string())
        .collect()
}

/// A home CPA that cannot reach 80% in some week whatever the moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShortCpa {
    pub cpa: String,
    /// Weeks below 80%, among the weeks from the first movable week on.
    pub weeks_below: u32,
    /// Its lowest share (4 decimals) and the first week it falls to it.
    pub lowest_share: f64,
    pub lowest_week: u32,
    /// The prisons of its cut in any of those weeks, by code.
    pub cut: Vec<String>,
}

/// The home CPAs below 80% in some week from the first movable week on (before it, nobody
/// can have moved, and the bound is the status quo), in data order.
pub fn short_cpas(instance: &Instance, bounds: &[Bound]) -> Vec<ShortCpa> {
    let first = instance.options.first_movable_week;
    let mut short: BTreeMap<usize, (u32, f64, u32, BTreeSet<String>)> = BTreeMap::new();
    for b in bounds
        .iter()
        .filter(|b| b.week >= first && b.below_target())
    {
        let (Some(cpa), Some(share)) = (b.cpa, b.share()) else {
            continue;
        };
        let entry = short
            .entry(cpa)
            .or_insert((0, f64::INFINITY, b.week, BTreeSet::new()));
        entry.0 += 1;
        if share < entry.1 {
            (entry.1, entry.2) = (share, b.week);
        }
        entry.3.extend(codes(instance, &b.cut));
    }
    short
        .into_iter()
        .map(|(cpa, (weeks_below, share, week, cut))| ShortCpa {
            cpa: instance.inputs.data.cpas[cpa].id.to_string(),
            weeks_below,
            lowest_share: (share * 1e4).round() / 1e4,
            lowest_week: week,
            cut: cut.into_iter().collect(),
        })
        .collect()
}

/// The CPAs below 80% in words: `slug: N weeks, at worst S% (week W); cut A, B` joined by
/// ` | `, or `none`.
pub fn describe(short: &[ShortCpa]) -> String {
    if short.is_empty() {
        return "none".into();
    }
    short
        .iter()
        .map(|s| {
            let cut = if s.cut.is_empty() {
                "no cut prisons (they cannot be moved that week, or no designated prison holds them)"
                    .to_string()
            } else {
                format!("cut {}", s.cut.join(", "))
            };
            format!(
                "{}: {} week(s), at worst {:.1}% (week {}); {cut}",
                s.cpa,
                s.weeks_below,
                s.lowest_share * 100.0,
                s.lowest_week
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The summary's line: the CPAs that cannot reach 80% whatever the moves, and their cuts.
pub fn summary_line(instance: &Instance, bounds: &[Bound]) -> String {
    format!(
        "CPAs below 80% whatever the moves (K2 bound within usable capacity, bottlenecks.csv): {}",
        describe(&short_cpas(instance, bounds))
    )
}
