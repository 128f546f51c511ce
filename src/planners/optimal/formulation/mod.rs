//! The model of docs/planning-rules.md §5 on cohorts of interchangeable movers, one function per
//! constraint family. Notation: prisons i, j; weeks t = 0..H−1; m the first movable week;
//! W the window; b[i,t] the occupancy when nobody moves but the booked moves.
//!
//! - **occupancy and capacity** ([`Builder::occupancy`]): `n[i,t]` is the change the plan
//!   makes to the occupancy of i in week t (balance rows `n[i,t] − n[i,t−1] = arrivals −
//!   departures`), and `n[i,t] − over[i,t] ≤ cap[i,t] − b[i,t]` with `over ≥ 0`. A closed
//!   prison (cap 0) may not overflow from week m on (`over = 0`): it holds nobody, except the
//!   people a closure strands with nowhere to go (no open prison that may hold them).
//! - **resettlement moves** ([`Builder::resettlement`]): `x[c,j,t]` members of cohort c (same
//!   prison, home CPA, estate, category, release week r, first movable week s) move at week t
//!   to a resettlement prison j of their home CPA that may hold them, s ≤ t ≤ min(r − W,
//!   H − 1): each earns a home release (r < H) or an on-track credit (r ≥ H). `Σ x[c,·,·] ≤ |c|`.
//! - **closure moves** ([`Builder::closures`]): cohort k of the people a closure forces out by
//!   week e_k (of their prison, or of the one their booked move takes them to) must all leave
//!   in weeks s..min(e_k, r − 1): `Σ y[k,·,·] + Σ u[k,·] = |k|`, where `y[k,j,t]` goes
//!   straight to a home resettlement prison in time for the window (arriving by max(d − 7W
//!   days, custody start): a reception redirected on arrival qualifies) and `u[k,t]` leaves
//!   for the pool of week t (below); remand only to prisons that take remand.
//! - **decants** ([`Builder::decants`]): movers held through the horizon and released after it
//!   (or never) may leave for the pool to free places: `o[g,t]` from supply group g (same
//!   prison, estate, category, and on-track state); stock rows keep each member to one move
//!   (his resettlement move included) and a reception to the weeks after it arrives: at each
//!   week k members become movable, `s[g,k] − s[g,k−1] + moved = count` with `s ≥ 0`.
//!   The first LP holds a group's departures in the weeks its members become movable (each
//!   reception's arrival week too), and a resettlement cohort's moves in the first and last
//!   week of its range; the other weeks are reserve columns, priced in by the stages'
//!   duals (nationally: 194 of 229,000 at the overflow stage), a cohort's weeks between
//!   described rather than held ([`WeeksBetween`]) unless last week's plan moved one of its
//!   members then.
//!   A pool (estate, category, remand, week t, week they leave again) balances departures
//!   `u`, `o` with arrivals `v[p,j] ≥ 0` at prisons j open from t until they leave.
//! - **escorts** ([`Builder::escorts`]): every move counts, booked ones included: at week t
//!   `Σ moves ≤ limit − booked[t]`, nationally and out of each prison.
//!
//! - **last week's moves** ([`Builder::keep_previous`], with `plan --previous`): `k ≤
//!   x[c,j,t]` of last week's later moves kept, up to the members it planned to move; a
//!   decant's bounded by the source's departures and the pool's arrivals at j.
//!
//! Objectives, in strict priority order (each kept in the later stages): (a) min Σ over;
//! (b) max home releases + on-track credits (the change each column makes to them, from
//! `kpi::released_home`: a decant of an on-track prisoner costs his credit); with last
//! week's plan, (b′) max Σ k, its later moves kept; (c) min moves;
//! (d) max K2 person-weeks; (e) min distance of the moves whose destination the model
//! knows (a pool's departures and arrivals are paired afterwards by least distance).

use std::collections::{BTreeMap, BTreeSet};

mod arrivals;
mod between;
mod closures;
mod decants;
mod escorts;
mod kept;
mod keys;
mod occupancy;
mod resettlement;

use crate::domain::geography::great_circle_km;
use crate::domain::{Category, Estate};
use crate::problem::instance::{Instance, Mover};
use crate::problem::kpi::released_home;
use crate::problem::plan::{Move, Plan, Route};
use crate::solver::{Basis, Direction, LinearProgram, Objective};
use between::WeekMove;
pub use between::WeeksBetween;
use keys::{move_key, Key};
pub use keys::{KeyedBasis, Keys};

/// The largest share of a model's rows a similar model's basis may leave unnamed and still
/// start its blend. Nationally over 52 weeks, closing a category C resettlement prison adds
/// 3.6% new rows (closure cohorts, pools) and the dual simplex from the base's basis takes
/// 17,800 steps, 12 s; closing the largest local adds 10% and it takes 199,000, 202 s,
/// where interior point from nothing takes 30 s.
const MOST_ROWS_NEW: f64 = 0.05;

/// The stage that empties closed prisons.
pub const CLOSED: &str = "people in closed prisons";
/// The stage of (b).
pub const HOME: &str = "home releases";
/// The stage of (b′), with last week's plan.
pub const KEPT: &str = "last week's moves kept";
/// The stage of (c).
pub const MOVES: &str = "moves";
/// The stage of (d).
pub const K2: &str = "K2 person-weeks";
/// The last stage, (e): the only one whose value need not be a whole number.
pub const DISTANCE: &str = "distance";
/// Who may share a pool: estate, category and whether only remand-taking prisons may hold
/// them.
pub type Class = (Estate, Option<Category>, bool);

/// A pool of week `week` whose members stay until `until` (exclusive, ≤ H).
pub type PoolKey = (Class, u32, u32);

/// A supply group: prison, class, and the release week of on-track members.
type GroupKey = (usize, Class, Option<u32>);

/// A decant group and its one-move stock rows (first movable week, row).
type SharedRows = (usize, ByStep);

/// Interchangeable movers with the same options.
#[derive(Debug)]
pub struct Cohort {
    pub prison: usize,
    pub members: Vec<usize>,
    pub size: u32,
    /// The week by which a closure forces them out, for a closure cohort.
    pub forced_by: Option<u32>,
    /// What its members share ([`Keys`]).
    pub key: Key,
}

/// Movers who may leave one prison for a pool.
#[derive(Debug)]
pub struct Source {
    pub prison: usize,
    pub members: Vec<usize>,
    /// A closure forces them out (else they are decanted).
    pub forced: bool,
    /// What its members share ([`Keys`]).
    pub key: Key,
    /// A decant group's stock carried into each later step: the step's first week and the
    /// column (empty for a closure's source).
    pub carried: ByStep,
}

/// Something of each step of a decant group's stock: the step's first week, and a row or
/// column.
pub type ByStep = Vec<(u32, usize)>;

/// A move column whose destination the model knows.
#[derive(Debug, Clone, Copy)]
pub struct DirectColumn {
    pub cohort: usize,
    pub to: usize,
    pub week: u32,
    pub column: usize,
}

/// A departure for a pool.
#[derive(Debug, Clone, Copy)]
pub struct OutColumn {
    pub source: usize,
    pub pool: PoolKey,
    pub column: usize,
}

/// An arrival from a pool.
#[derive(Debug, Clone, Copy)]
pub struct InColumn {
    pub pool: PoolKey,
    pub to: usize,
    pub column: usize,
}

/// A column counting last week's later moves kept (b′): members of a cohort moved straight
/// to `to` in `week`, or of a decant source sent through a pool to `to`.
#[derive(Debug, Clone, Copy)]
pub struct KeptColumn {
    pub kept: Kept,
    pub column: usize,
}

/// Which move a [`KeptColumn`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kept {
    Direct {
        cohort: usize,
        to: usize,
        week: u32,
    },
    Decant {
        source: usize,
        pool: PoolKey,
        to: usize,
    },
}

/// The model with the meaning of its columns.
pub struct Formulation {
    pub lp: LinearProgram,
    /// What each row and column of `lp` stands for.
    pub keys: Keys,
    pub capacity_rows: Vec<Vec<usize>>,
    /// `n[i,t]`, prison by prison and week by week (as `overflow`).
    pub change: Vec<usize>,
    /// `over[i,t]`, prison by prison and week by week.
    pub overflow: Vec<usize>,
    /// The overflow columns of closed prisons from the first movable week on.
    pub closed_overflow: Vec<usize>,
    pub cohorts: Vec<Cohort>,
    pub sources: Vec<Source>,
    pub direct: Vec<DirectColumn>,
    /// The direct moves in the weeks between a cohort's first and last, generated when they
    /// could improve a stage; those that entered a solve are in `direct` once adopted.
    pub between: WeeksBetween,
    pub outs: Vec<OutColumn>,
    pub ins: Vec<InColumn>,
    pub kept: Vec<KeptColumn>,
    pub booked: Vec<Move>,
    /// The objectives in priority order ([`Builder::objectives`]).
    pub objectives: Vec<Objective>,
}

/// The model under construction.
struct Builder<'a> {
    instance: &'a Instance,
    f: Formulation,
    balance: Vec<Vec<usize>>,
    national_escort: Vec<Option<usize>>,
    prison_escort: Vec<Vec<Option<usize>>>,
    pools: BTreeMap<PoolKey, usize>,
    /// Each move column's change to (b), (d) and (e).
    home_gain: Vec<(usize, f64)>,
    k2_gain: Vec<(usize, f64)>,
    distance: Vec<(usize, f64)>,
}

impl Formulation {
    /// The model of `instance`.
    pub fn build(instance: &Instance) -> Formulation {
        let booked = Plan::booked(instance);
        let mut b = Builder {
            instance,
            f: Formulation {
                lp: LinearProgram::default(),
                keys: Keys::default(),
                capacity_rows: Vec::new(),
                change: Vec::new(),
                overflow: Vec::new(),
                closed_overflow: Vec::new(),
                cohorts: Vec::new(),
                sources: Vec::new(),
                direct: Vec::new(),
                between: WeeksBetween::default(),
                outs: Vec::new(),
                ins: Vec::new(),
                kept: Vec::new(),
                booked,
                objectives: Vec::new(),
            },
            balance: Vec::new(),
            national_escort: Vec::new(),
            prison_escort: Vec::new(),
            pools: BTreeMap::new(),
            home_gain: Vec::new(),
            k2_gain: Vec::new(),
            distance: Vec::new(),
        };
        b.occupancy();
        b.escorts();
        b.f.between = WeeksBetween::new(
            b.balance.clone(),
            b.national_escort.clone(),
            b.prison_escort.clone(),
        );
        let decant_rows = b.decants();
        b.resettlement(&decant_rows);
        b.closures();
        b.arrivals();
        b.keep_previous();
        b.f.objectives = b.objectives();
        let position = |name| {
            b.f.objectives
                .iter()
                .position(|o| o.name == name)
                .expect("every move objective")
        };
        let positions = [
            position(HOME),
            position(MOVES),
            position(K2),
            position(DISTANCE),
        ];
        b.f.between.set_objectives(positions);
        debug_assert_eq!(
            b.f.keys.counts(),
            (b.f.lp.row_count(), b.f.lp.column_count())
        );
        b.f
    }

    /// The generated columns a solve let in (`generated`, in order), added to the program,
    /// its objectives and its direct moves under the numbers the solution gives them.
    pub fn adopt(&mut self, generated: &[usize]) {
        let first = self.lp.column_count();
        self.lp
            .adopt(&mut self.objectives, &self.between, generated);
        for (k, &v) in generated.iter().enumerate() {
            let (cohort, to, week) = self.between.describe(v);
            self.keys.adopted(self.generated_key(v));
            self.direct.push(DirectColumn {
                cohort,
                to,
                week,
                column: first + k,
            });
        }
    }

    /// `basis` (a similar model's, by meaning) in this model's numbers, the generated
    /// columns it names among them; none when it names too few of this model's rows to be
    /// a start ([`MOST_ROWS_NEW`]).
    pub fn start_from(&self, basis: &KeyedBasis) -> Option<Basis> {
        let (rows, named) = self.keys.rows_named(basis);
        if (rows - named) as f64 > MOST_ROWS_NEW * rows as f64 {
            return None;
        }
        let generated = self.between.columns().map(|v| (v, self.generated_key(v)));
        Some(self.keys.number(basis, generated))
    }

    /// The key of generated column `v`: the move it describes.
    fn generated_key(&self, v: usize) -> Key {
        let (cohort, to, week) = self.between.describe(v);
        move_key(self.cohorts[cohort].key, to, week)
    }

    /// The model with every generated column held (to write it out whole).
    pub fn with_every_column(mut self) -> Formulation {
        let every: Vec<usize> = self.between.columns().collect();
        self.adopt(&every);
        self
    }
}

impl Builder<'_> {
    /// When a prison closes, first the people left in closed prisons (only the escort
    /// limits or a lack of any prison to go to can keep them there); then (a) overflow, (b)
    /// home releases and on-track credits, (b′) with last week's plan its later moves kept,
    /// (c) moves, (d) K2 person-weeks, (e) distance.
    ///
    /// The weights of the blended start: each objective ten times the next, distance per km
    /// a thousandth of a move (an escort is at most a few hundred km). Measured on the
    /// national plan (BENCHMARKS.md): with these, every stage is proven from the blend's
    /// vertex in a few primal simplex steps.
    fn objectives(&mut self) -> Vec<Objective> {
        let f = &self.f;
        let moves = f
            .direct
            .iter()
            .map(|d| d.column)
            .chain(f.outs.iter().map(|o| o.column))
            .map(|c| (c, 1.0))
            .collect();
        let closure = Objective {
            name: CLOSED,
            direction: Direction::Minimise,
            costs: f.closed_overflow.iter().map(|&c| (c, 1.0)).collect(),
            weight: 1e3,
        };
        let closures = (!f.closed_overflow.is_empty()).then_some(closure);
        closures
            .into_iter()
            .chain([
                Objective {
                    name: "overflow",
                    direction: Direction::Minimise,
                    costs: f.overflow.iter().map(|&c| (c, 1.0)).collect(),
                    weight: 1e2,
                },
                Objective {
                    name: HOME,
                    direction: Direction::Maximise,
                    costs: std::mem::take(&mut self.home_gain),
                    weight: 1e1,
                },
            ])
            .chain((!f.kept.is_empty()).then(|| Objective {
                name: KEPT,
                direction: Direction::Maximise,
                costs: f.kept.iter().map(|k| (k.column, 1.0)).collect(),
                weight: 3.0,
            }))
            .chain([
                Objective {
                    name: MOVES,
                    direction: Direction::Minimise,
                    costs: moves,
                    weight: 1.0,
                },
                Objective {
                    name: K2,
                    direction: Direction::Maximise,
                    costs: std::mem::take(&mut self.k2_gain),
                    weight: 1e-1,
                },
                Objective {
                    name: DISTANCE,
                    direction: Direction::Minimise,
                    costs: std::mem::take(&mut self.distance),
                    weight: 1e-3,
                },
            ])
            .collect()
    }
}

impl Formulation {
    /// The move columns of every cohort, source and pool that one of `columns` belongs to:
    /// the people a repair may move instead, when freeing the fractional columns alone does
    /// not reach the LP's values.
    pub fn around(&self, wanted: &BTreeSet<usize>) -> BTreeSet<usize> {
        let cohorts: BTreeSet<usize> = self
            .direct
            .iter()
            .filter(|d| wanted.contains(&d.column))
            .map(|d| d.cohort)
            .collect();
        let outs = self.outs.iter().filter(|o| wanted.contains(&o.column));
        let (sources, mut pools): (BTreeSet<usize>, BTreeSet<PoolKey>) =
            outs.map(|o| (o.source, o.pool)).unzip();
        pools.extend(
            self.ins
                .iter()
                .filter(|i| wanted.contains(&i.column))
                .map(|i| i.pool),
        );
        let direct = self.direct.iter().filter(|d| cohorts.contains(&d.cohort));
        let outs = self
            .outs
            .iter()
            .filter(|o| sources.contains(&o.source) || pools.contains(&o.pool));
        let ins = self.ins.iter().filter(|i| pools.contains(&i.pool));
        direct
            .map(|d| d.column)
            .chain(outs.map(|o| o.column))
            .chain(ins.map(|i| i.column))
            .collect()
    }

    /// The occupancy columns (`n` and `over`) of every prison that none of `columns` moves
    /// anyone into or out of: with only those moves free, they cannot change.
    pub fn occupancy_beyond(&self, columns: &BTreeSet<usize>) -> Vec<usize> {
        let direct = self.direct.iter().filter(|d| columns.contains(&d.column));
        let outs = self.outs.iter().filter(|o| columns.contains(&o.column));
        let ins = self.ins.iter().filter(|i| columns.contains(&i.column));
        let touched: BTreeSet<usize> = direct
            .flat_map(|d| [self.cohorts[d.cohort].prison, d.to])
            .chain(outs.map(|o| self.sources[o.source].prison))
            .chain(ins.map(|i| i.to))
            .collect();
        let weeks = self.capacity_rows.first().map_or(0, Vec::len);
        (0..self.capacity_rows.len())
            .filter(|i| !touched.contains(i))
            .flat_map(|i| i * weeks..(i + 1) * weeks)
            .flat_map(|k| [self.change[k], self.overflow[k]])
            .collect()
    }

    /// The columns that count people moved; the rest follow from them.
    pub fn move_columns(&self) -> Vec<usize> {
        let direct = self.direct.iter().map(|c| c.column);
        let outs = self.outs.iter().map(|c| c.column);
        let ins = self.ins.iter().map(|c| c.column);
        direct.chain(outs).chain(ins).collect()
    }
}

impl<'a> Builder<'a> {
    /// Adds a cohort of `members` (sorted canonically) in `prison`.
    fn cohort(
        &mut self,
        key: Key,
        prison: usize,
        mut members: Vec<usize>,
        forced_by: Option<u32>,
    ) -> usize {
        let instance = self.instance;
        members.sort_by_key(|&m| instance.member_key(m));
        let size = members.iter().map(|&m| instance.movers[m].count).sum();
        self.f.cohorts.push(Cohort {
            prison,
            members,
            size,
            forced_by,
            key,
        });
        self.f.cohorts.len() - 1
    }

    /// What every move of cohort `c` shares.
    fn mobile(&self, c: usize) -> Mobile<'a> {
        let instance = self.instance;
        let cohort = &self.f.cohorts[c];
        let representative = &instance.movers[cohort.members[0]];
        Mobile {
            prison: cohort.prison,
            size: cohort.size,
            representative,
            until: representative.gone_from(instance.options.horizon),
            stay: value_of_staying(instance, representative),
        }
    }

    /// Columns moving cohort `c` at `week` to each home resettlement prison that may hold
    /// them, with the rows they share (`shared`, the first the cohort's limit); reserve
    /// columns unless `core`.
    fn direct_columns(&mut self, c: usize, week: u32, shared: &[(usize, f64)], core: bool) {
        let instance = self.instance;
        let horizon = instance.options.horizon;
        let mobile = self.mobile(c);
        let (prison, representative) = (mobile.prison, mobile.representative);
        for to in 0..instance.prisons().len() {
            if to == prison
                || !instance.may_receive(to, representative, week)
                || !instance.is_home(to, representative)
            {
                continue;
            }
            let mut entries = vec![
                (self.balance[to][week as usize], -1.0),
                (self.balance[prison][week as usize], 1.0),
            ];
            if mobile.until < horizon {
                entries.push((self.balance[to][mobile.until as usize], 1.0));
                entries.push((self.balance[prison][mobile.until as usize], -1.0));
            }
            entries.extend_from_slice(shared);
            entries.extend(self.escort(prison, week));
            let key = move_key(self.f.cohorts[c].key, to, week);
            let column = self.move_column(key, core, f64::from(mobile.size), entries, shared[0].0);
            let (home, k2) = move_gains(instance, representative, to, week, mobile.stay);
            self.home_gain.push((column, home));
            self.k2_gain.push((column, k2));
            self.distance
                .push((column, distance_km(instance, prison, to)));
            self.f.direct.push(DirectColumn {
                cohort: c,
                to,
                week,
                column,
            });
        }
    }

    /// Cohort `c`'s moves in `weeks` (between its first and last) to each home resettlement
    /// prison that may hold them, as generated columns, but for the `held` weeks (held as
    /// columns: last week's plan moved someone then).
    fn weeks_between(
        &mut self,
        c: usize,
        weeks: std::ops::Range<u32>,
        shared: &[(usize, f64)],
        held: &BTreeSet<u32>,
    ) {
        let instance = self.instance;
        let horizon = instance.options.horizon;
        let mobile = self.mobile(c);
        let (prison, representative) = (mobile.prison, mobile.representative);
        for to in 0..instance.prisons().len() {
            if to == prison || !instance.is_home(to, representative) {
                continue;
            }
            let moves: Vec<WeekMove> = weeks
                .clone()
                .map(|week| WeekMove {
                    week,
                    gains: (!held.contains(&week)
                        && instance.may_receive(to, representative, week))
                    .then(|| move_gains(instance, representative, to, week, mobile.stay)),
                })
                .collect();
            if moves.iter().all(|m| m.gains.is_none()) {
                continue;
            }
            self.f.between.add_family(
                c,
                prison,
                to,
                mobile.size,
                (mobile.until < horizon).then_some(mobile.until),
                shared,
                distance_km(instance, prison, to),
                &moves,
            );
        }
    }

    /// A move column from 0 to `upper`: in the first LP when `core`, else a reserve column
    /// that enters only if its reduced cost says it could improve a stage, one of the
    /// alternatives that share row `alternatives` (the same people moved another week or
    /// elsewhere).
    fn move_column(
        &mut self,
        key: Key,
        core: bool,
        upper: f64,
        entries: Vec<(usize, f64)>,
        alternatives: usize,
    ) -> usize {
        let (lp, keys) = (&mut self.f.lp, &mut self.f.keys);
        if core {
            keys.column(lp, key, 0.0..=upper, entries)
        } else {
            keys.reserve_column(lp, key, upper, entries, alternatives)
        }
    }

    fn pool_row(&mut self, pool: PoolKey) -> usize {
        let (lp, keys) = (&mut self.f.lp, &mut self.f.keys);
        *self
            .pools
            .entry(pool)
            .or_insert_with(|| keys.row(lp, ("pool", pool), 0.0..=0.0))
    }

    fn escort(&self, from: usize, week: u32) -> Vec<(usize, f64)> {
        self.national_escort[week as usize]
            .iter()
            .chain(&self.prison_escort[from][week as usize])
            .map(|&row| (row, 1.0))
            .collect()
    }
}

/// What every move of a cohort shares: its prison and size, a member standing for all, the
/// week he is gone from the horizon, and (b) and (d) if he stays.
struct Mobile<'a> {
    prison: usize,
    size: u32,
    representative: &'a Mover,
    until: u32,
    stay: (f64, f64),
}

/// The stock row of `steps` that a move made at `week` (at or after the first step) leaves:
/// the last step begun by then.
fn row_in_force(steps: &[(u32, usize)], week: u32) -> usize {
    let begun = steps.partition_point(|&(from, _)| from <= week);
    steps[begun - 1].1
}

fn class(mover: &Mover) -> Class {
    (mover.estate, mover.category, mover.remand)
}

/// Whether a path earns (b): a home release in the horizon or an on-track credit after it.
fn credited(instance: &Instance, mover: &Mover, path: &Route) -> bool {
    let (horizon, window) = (instance.options.horizon, instance.options.window);
    mover.eligible
        && mover.release_week.is_some_and(|r| r < horizon + window)
        && released_home(instance, mover, path)
}

/// (b) and (d) of one member who stays where he is.
fn value_of_staying(instance: &Instance, mover: &Mover) -> (f64, f64) {
    let stay = Route::unmoved(mover, 1, instance.options.horizon);
    let home = f64::from(u8::from(credited(instance, mover, &stay)));
    let k2 = k2_weeks_until(instance, mover, &stay, instance.options.horizon);
    (home, k2)
}

/// The change to (b) and (d) of one member moved to `to` in `week`, from `stay`'s.
fn move_gains(
    instance: &Instance,
    mover: &Mover,
    to: usize,
    week: u32,
    stay: (f64, f64),
) -> (f64, f64) {
    let horizon = instance.options.horizon;
    let path = Route::unmoved(mover, 1, horizon).then(to, week);
    let home = f64::from(u8::from(credited(instance, mover, &path)));
    let k2 = k2_weeks_until(instance, mover, &path, horizon);
    (home - stay.0, k2 - stay.1)
}

/// One member's K2 person-weeks on `path` in weeks before `until` (those after are counted
/// nowhere: he has left for a pool).
fn k2_weeks_until(instance: &Instance, mover: &Mover, path: &Route, until: u32) -> f64 {
    let (Some(home), Some(release)) = (mover.home, mover.release_week) else {
        return 0.0;
    };
    if !mover.eligible {
        return 0.0;
    }
    let first_final = i64::from(release) - i64::from(instance.options.window) + 1;
    (0..until.min(instance.options.horizon))
        .filter(|&w| mover.present(w) && i64::from(w) >= first_final)
        .filter(|&w| instance.serves[path.location(mover.prison, w)][home])
        .count() as f64
}

/// Great-circle distance between two prisons in km; 0 when either has no coordinates. Distance
/// is the last objective ("least total distance moved (where coordinates exist)",
/// docs/planning-rules.md): a move of unknown length counts as free there and in `extract`'s
/// pairing, and every objective before it is settled without it.
pub fn distance_km(instance: &Instance, a: usize, b: usize) -> f64 {
    let prisons = instance.prisons();
    great_circle_km(&prisons[a], &prisons[b]).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::row_in_force;

    /// Steps begun in weeks 1, 4 and 9 (rows 10, 11, 12): a move in week 1–3 leaves the first
    /// step's stock, in 4–8 the second's, from 9 on the last's.
    #[test]
    fn a_move_leaves_the_stock_of_the_last_step_begun() {
        let steps = [(1, 10), (4, 11), (9, 12)];
        let rows: Vec<usize> = [1, 3, 4, 8, 9, 30]
            .iter()
            .map(|&week| row_in_force(&steps, week))
            .collect();
        assert_eq!(rows, [10, 10, 11, 11, 12, 12]);
    }
}
