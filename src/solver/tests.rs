use super::faces::WARM_START_MOST;
use super::*;

/// min u, then min x + 2y, s.t. u + x + y ≥ 4, u ≥ 0, x in [0, 2], y in [0, 3]: the first
/// stage needs x + y = 4 (u = 0), and the cheaper x takes all it can: x = 2, y = 2, value 6.
/// The blend reaches it whether its interior point holds the boxed x and y or the dual
/// simplex adds them to its vertex (where u = 4).
#[test]
fn the_boxed_columns_left_to_the_dual_simplex_change_no_result() {
    let mut lp = LinearProgram::default();
    let demand = lp.add_row(4.0..=f64::INFINITY);
    let u = lp.add_column(0.0..=f64::INFINITY, vec![(demand, 1.0)]);
    let x = lp.add_column(0.0..=2.0, vec![(demand, 1.0)]);
    let y = lp.add_column(0.0..=3.0, vec![(demand, 1.0)]);
    let objectives = [
        objective("u", Direction::Minimise, vec![(u, 1.0)], 1e2),
        objective("x + 2y", Direction::Minimise, vec![(x, 1.0), (y, 2.0)], 1.0),
    ];
    for boxed_by_dual_simplex in [true, false] {
        let options = SolverOptions {
            boxed_by_dual_simplex,
            ..SolverOptions::default()
        };
        let mut heard = Vec::new();
        let solution = lp
            .solve_in_order(&objectives, false, options, &mut |m| {
                heard.push(m.to_string())
            })
            .unwrap();
        let split = heard
            .iter()
            .any(|m| m.contains("without the boxed columns"));
        assert_eq!(split, boxed_by_dual_simplex);
        let values: Vec<f64> = solution.stages.iter().map(|s| s.value).collect();
        assert_eq!(values, [0.0, 6.0], "{boxed_by_dual_simplex}");
        for (j, value) in [(u, 0.0), (x, 2.0), (y, 2.0)] {
            assert!((solution.columns[j] - value).abs() < 1e-9);
        }
    }
}

/// A cohort of 3 (`x1 + x2 ≤ 3`) may move to prison 1, which has 2 places, or to prison 2,
/// which has 5 (`x − o ≤ places`, `o` the overflow): min o1 + o2, then max 2 x1 + x2. Moving
/// all three to prison 1 would overflow it, so x1 = 2, x2 = 1 (value 5). Without the boxed
/// columns the blend's vertex has every slack basic and every dual 0; the crash makes x1 (the
/// most attractive, reduced cost −2) basic in place of the cohort's slack, the row's dual −2,
/// and leaves x2 at 0 (reduced cost −1 + 2 = 1): dual feasible, though prison 1 overflows by 1
/// there, which the dual simplex then settles.
#[test]
fn the_crash_moves_each_cohort_once_to_its_best_and_the_dual_simplex_settles_the_rest() {
    let mut lp = LinearProgram::default();
    let cohort = lp.add_row(f64::NEG_INFINITY..=3.0);
    let first = lp.add_row(f64::NEG_INFINITY..=2.0);
    let second = lp.add_row(f64::NEG_INFINITY..=5.0);
    let o1 = lp.add_column(0.0..=f64::INFINITY, vec![(first, -1.0)]);
    let o2 = lp.add_column(0.0..=f64::INFINITY, vec![(second, -1.0)]);
    let x1 = lp.add_column(0.0..=3.0, vec![(cohort, 1.0), (first, 1.0)]);
    let x2 = lp.add_column(0.0..=3.0, vec![(cohort, 1.0), (second, 1.0)]);
    let at = Basis {
        columns: vec![Some(Status::Lower), Some(Status::Lower), None, None],
        rows: vec![Status::Basic; 3],
        generated: Vec::new(),
    };
    let blend = [100.0, 100.0, -2.0, -1.0];
    let crashed = lp.crash(&at, &[0.0; 3], &blend, &[o1, o2], &[x1, x2]);
    assert_eq!(crashed.rows, [Status::Upper, Status::Basic, Status::Basic]);
    assert_eq!(crashed.columns[x1], Some(Status::Basic));
    assert_eq!(crashed.columns[x2], Some(Status::Lower));
    assert_eq!(crashed.columns[o1], Some(Status::Lower));

    let objectives = [
        objective(
            "overflow",
            Direction::Minimise,
            vec![(o1, 1.0), (o2, 1.0)],
            1e2,
        ),
        objective("gain", Direction::Maximise, vec![(x1, 2.0), (x2, 1.0)], 1.0),
    ];
    let mut heard = Vec::new();
    let solution = lp
        .solve_in_order(&objectives, false, SolverOptions::default(), &mut |m| {
            heard.push(m.to_string())
        })
        .unwrap();
    assert!(heard
        .iter()
        .any(|m| m.contains("without the boxed columns")));
    let values: Vec<f64> = solution.stages.iter().map(|s| s.value).collect();
    assert_eq!(values, [0.0, 5.0]);
    for (j, value) in [(o1, 0.0), (o2, 0.0), (x1, 2.0), (x2, 1.0)] {
        assert!((solution.columns[j] - value).abs() < 1e-9);
    }
}

/// max x + y s.t. x + y ≤ 3.5, x ≤ 2, y ≤ 2; then min x: the first stage's face fixes
/// x + y at 3.5 (its row has a dual), so the second gives x = 1.5, y = 2.
#[test]
fn later_objectives_keep_earlier_optima() {
    let (lp, x, y) = x_and_y_summing_to_at_most(3.5);
    let objectives = [
        Objective {
            name: "sum",
            direction: Direction::Maximise,
            costs: vec![(x, 1.0), (y, 1.0)],
            weight: 1.0,
        },
        Objective {
            name: "x",
            direction: Direction::Minimise,
            costs: vec![(x, 1.0)],
            weight: 1.0,
        },
    ];
    let solution = lp
        .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
        .unwrap();
    assert!((solution.stages[0].value - 3.5).abs() < 1e-9);
    assert!((solution.columns[x] - 1.5).abs() < 1e-9);
    assert!((solution.columns[y] - 2.0).abs() < 1e-6);
    // As integers the sum can only reach 3.
    let integral = lp
        .solve_in_order(&objectives, true, SolverOptions::default(), &mut |_| {})
        .unwrap();
    assert!((integral.stages[0].value - 3.0).abs() < 1e-9);
    assert!((integral.columns[x] - 1.0).abs() < 1e-9);
}

/// max x + y, then min x, s.t. x + y ≤ 3.5, x and y in [0, 2]: the optimum is x = 1.5,
/// y = 2. A blend weighted against the order (min 1000x − (x + y)/1000) has its vertex at
/// x = 0, y = 2, where the sum is only 2: the first stage goes on from there to 3.5, and
/// the result is the same whatever the weights.
#[test]
fn the_blended_start_never_changes_the_result() {
    let mut lp = LinearProgram::default();
    let sum = lp.add_row(f64::NEG_INFINITY..=3.5);
    let x = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    let y = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    for (first, second) in [(1.0, 1.0), (1e-3, 1e3), (1e3, 1e-3)] {
        let objectives = [
            Objective {
                name: "sum",
                direction: Direction::Maximise,
                costs: vec![(x, 1.0), (y, 1.0)],
                weight: first,
            },
            Objective {
                name: "x",
                direction: Direction::Minimise,
                costs: vec![(x, 1.0)],
                weight: second,
            },
        ];
        let solution = lp
            .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
            .unwrap();
        assert!(
            (solution.stages[0].value - 3.5).abs() < 1e-9,
            "{first}, {second}"
        );
        assert!(
            (solution.stages[1].value - 1.5).abs() < 1e-9,
            "{first}, {second}"
        );
        assert!(
            (solution.columns[y] - 2.0).abs() < 1e-9,
            "{first}, {second}"
        );
    }
}

/// min 3x + y + 2z s.t. x + y ≥ 2, x + z ≥ 1, all in [0, 5], y and z reserve columns: the
/// LP without them has x = 2 (cost 6); y prices in (reduced cost 1 − 3 < 0), then z; the
/// optimum over every column is x = 1, y = 1, z = 0 (cost 4: with x = 0, z = 1 and y = 2
/// it would be 4 too, so only the value is asserted). Then max −y (fewest y) holds it.
#[test]
fn reserve_columns_enter_when_their_reduced_cost_improves_a_stage() {
    let mut lp = LinearProgram::default();
    let a = lp.add_row(2.0..=f64::INFINITY);
    let b = lp.add_row(1.0..=f64::INFINITY);
    let x = lp.add_column(0.0..=5.0, vec![(a, 1.0), (b, 1.0)]);
    let y = lp.add_reserve_column(5.0, vec![(a, 1.0)], a);
    let z = lp.add_reserve_column(5.0, vec![(b, 1.0)], b);
    let objectives = [
        Objective {
            name: "cost",
            direction: Direction::Minimise,
            costs: vec![(x, 3.0), (y, 1.0), (z, 2.0)],
            weight: 1.0,
        },
        Objective {
            name: "fewest y",
            direction: Direction::Maximise,
            costs: vec![(y, -1.0)],
            weight: 1.0,
        },
    ];
    let solution = lp
        .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
        .unwrap();
    assert!((solution.stages[0].value - 4.0).abs() < 1e-6);
    assert!(solution.active[y], "y must have entered");
    // Fewest y at cost 4: x = 1, y = 1 (x = 0 needs y = 2).
    assert!(
        (solution.columns[y] - 1.0).abs() < 1e-4,
        "{:?}",
        solution.columns
    );
}

/// min 3x + y + 2(z₁ + … + z_W) s.t. x + y + Σ z ≥ 3, x and the z in [0, 5], y in [0, 1],
/// with W = `WARM_START_MOST` and y and the z reserve alternatives of that row. Without
/// them x = 3 (cost 9, dual 3): all W + 1 price in (reduced costs −2 and −1), too many at
/// once, so only y, the best, enters; then x = 2, y = 1 (cost 7, dual still 3) and the W
/// z's enter. The optimum over every column: y = 1, Σ z = 2, x = 0, cost 5.
#[test]
fn when_too_many_columns_price_in_the_best_of_each_row_of_alternatives_enters_first() {
    let mut lp = LinearProgram::default();
    let a = lp.add_row(3.0..=f64::INFINITY);
    let x = lp.add_column(0.0..=5.0, vec![(a, 1.0)]);
    let y = lp.add_reserve_column(1.0, vec![(a, 1.0)], a);
    let z: Vec<usize> = (0..WARM_START_MOST)
        .map(|_| lp.add_reserve_column(5.0, vec![(a, 1.0)], a))
        .collect();
    let costs = [(x, 3.0), (y, 1.0)]
        .into_iter()
        .chain(z.iter().map(|&z| (z, 2.0)))
        .collect();
    let objectives = [Objective {
        name: "cost",
        direction: Direction::Minimise,
        costs,
        weight: 1.0,
    }];
    let mut rounds = Vec::new();
    let solution = lp
        .solve_in_order(&objectives, false, SolverOptions::default(), &mut |line| {
            if line.contains("priced in") {
                rounds.push(line.to_owned());
            }
        })
        .unwrap();
    assert_eq!(
        rounds,
        [
            "stage 1/1 'cost': 1 reserve column(s) priced in".to_owned(),
            format!("stage 1/1 'cost': {WARM_START_MOST} reserve column(s) priced in"),
        ],
        "y first, then the z"
    );
    assert!((solution.stages[0].value - 5.0).abs() < 1e-6);
    assert!((solution.columns[y] - 1.0).abs() < 1e-6);
    let in_z: f64 = z.iter().map(|&z| solution.columns[z]).sum();
    assert!((in_z - 2.0).abs() < 1e-6, "{in_z}");
    assert!(solution.columns[x].abs() < 1e-6);
}

/// min x + 2y s.t. x + y ≥ 1 over [0, 5], y a reserve column; then max y. Stage 1 gives
/// x = 1 (value 1) and prices y out (reduced cost 2 − 1 = 1): every optimum has y = 0.
/// Stage 2 would gain by y entering (x = 0, y = 1 keeps the row) but that costs stage 1 a
/// unit: y stays out and the first value stays 1.
#[test]
fn a_column_priced_out_of_a_face_never_enters_later() {
    let mut lp = LinearProgram::default();
    let a = lp.add_row(1.0..=f64::INFINITY);
    let x = lp.add_column(0.0..=5.0, vec![(a, 1.0)]);
    let y = lp.add_reserve_column(5.0, vec![(a, 1.0)], a);
    let first = Objective {
        name: "cost",
        direction: Direction::Minimise,
        costs: vec![(x, 1.0), (y, 2.0)],
        weight: 1.0,
    };
    let objectives = [
        first.clone(),
        Objective {
            name: "most y",
            direction: Direction::Maximise,
            costs: vec![(y, 1.0)],
            weight: 1.0,
        },
    ];
    let solution = lp
        .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
        .unwrap();
    assert!(!solution.active[y], "y was priced out of stage 1's face");
    assert!(solution.columns[y].abs() < 1e-9);
    let cost = LinearProgram::objective_value(&first, &solution.columns);
    assert!((cost - 1.0).abs() < 1e-9, "stage 1 kept: {cost}");
}

/// x + y + z = 2.5 over [0, 2] each is fractional wherever the LP ends; fixing the
/// whole-valued columns leaves the fractional one free, and the MIP over it reaches
/// the best whole sum the fixed columns allow.
#[test]
fn fixing_whole_frees_only_the_fractional_columns() {
    let mut lp = LinearProgram::default();
    let sum = lp.add_row(f64::NEG_INFINITY..=2.5);
    let x = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    let y = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    let z = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    let mut fixed = lp.fixing(&[Some(1.0), Some(0.0), None], &[]);
    assert_eq!(fixed.program.column_count(), 1);
    assert_eq!(fixed.program.columns[0].bounds, 0.0..=2.0);
    // Only columns given a value are fixed.
    assert_eq!(
        lp.fixing(&[Some(1.0), None, None], &[])
            .program
            .column_count(),
        2
    );
    let most = Objective {
        name: "sum",
        direction: Direction::Maximise,
        costs: vec![(x, 1.0), (y, 1.0), (z, 1.0)],
        weight: 1.0,
    };
    let most = fixed.whole_objective(&most);
    let solved = fixed
        .program
        .solve_in_order(&[most], true, SolverOptions::default(), &mut |_| {})
        .unwrap();
    assert!((solved.stages[0].value - 2.0).abs() < 1e-9);
    let repaired = fixed.expand(solved);
    assert_eq!((repaired.columns[x], repaired.columns[y]), (1.0, 0.0));
    assert!((repaired.columns[z] - 1.0).abs() < 1e-9);
}

/// Rows x + y + z ≤ 2.5 and x − w ≥ 1 with x = 1 and y = 0 fixed: what is left is z ≤ 1.5
/// and −w ≥ 0 (both rows keep a free column); a held objective and the reported one count
/// the fixed part; the whole-number optimum of max x + y + z over what is left is z = 1,
/// w = 0, and `expand` puts x and y back.
#[test]
fn fixing_substitutes_the_fixed_columns_out() {
    let mut lp = LinearProgram::default();
    let sum = lp.add_row(f64::NEG_INFINITY..=2.5);
    let gap = lp.add_row(1.0..=f64::INFINITY);
    let only_fixed = lp.add_row(0.0..=1.0);
    let x = lp.add_column(0.0..=2.0, vec![(sum, 1.0), (gap, 1.0), (only_fixed, 1.0)]);
    let y = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    let z = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    let w = lp.add_column(0.0..=5.0, vec![(gap, -1.0)]);
    let mut fixed = lp.fixing(&[Some(1.0), Some(0.0), None, None], &[]);
    // The row of fixed columns only is met, so it goes.
    assert_eq!(fixed.program.row_count(), 2);
    assert_eq!(fixed.program.column_count(), 2);
    let total = Objective {
        name: "total",
        direction: Direction::Maximise,
        costs: vec![(x, 1.0), (y, 1.0), (z, 1.0)],
        weight: 1.0,
    };
    // Held at its LP value 2.5: at least 2 as a whole number, so z ≥ 1.
    fixed.hold_whole(&total, 2.5);
    let least_w = Objective {
        name: "w",
        direction: Direction::Minimise,
        costs: vec![(w, 1.0)],
        weight: 1.0,
    };
    let last = fixed.whole_objective(&total);
    let solved = fixed
        .program
        .solve_in_order(&[last], true, SolverOptions::default(), &mut |_| {})
        .unwrap();
    assert!(
        (solved.stages[0].value - 2.0).abs() < 1e-9,
        "the whole value"
    );
    let whole = fixed.expand(solved);
    assert_eq!(whole.columns.len(), 4);
    assert_eq!((whole.columns[x], whole.columns[y]), (1.0, 0.0));
    assert!((whole.columns[z] - 1.0).abs() < 1e-9);
    assert!(LinearProgram::objective_value(&least_w, &whole.columns).abs() < 1e-9);
    // Fixed columns that break a row leave it, empty, to make the program infeasible.
    let broken = lp.fixing(&[Some(2.0), Some(1.0), None, None], &[]);
    assert_eq!(broken.program.row_count(), 3);
    let total = Objective {
        costs: vec![(0, 1.0)],
        ..total
    };
    assert!(broken
        .program
        .solve_in_order(&[total], true, SolverOptions::default(), &mut |_| {})
        .is_err());
}

/// Reserve columns described by a generator: `(upper, entries, costs by objective,
/// alternatives)`, or `None` for a number that is no column.
type Described = Option<(f64, Vec<(usize, f64)>, Vec<(usize, f64)>, usize)>;

struct Listed(Vec<Described>);

impl Generator for Listed {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn column(
        &self,
        v: usize,
        entries: &mut Vec<(usize, f64)>,
        costs: &mut Vec<(usize, f64)>,
    ) -> Option<(f64, usize)> {
        let (upper, own, own_costs, alternatives) = self.0[v].as_ref()?;
        entries.extend_from_slice(own);
        costs.extend_from_slice(own_costs);
        Some((*upper, *alternatives))
    }

    fn costs_in(&self, k: usize) -> bool {
        self.0
            .iter()
            .flatten()
            .any(|(_, _, costs, _)| costs.iter().any(|&(o, c)| o == k && c != 0.0))
    }
}

/// The LP of `reserve_columns_enter_when_their_reduced_cost_improves_a_stage` with y and z
/// generated (and a number between them that is no column): the same optimum, cost 4 with
/// y = 1; y enters, numbered after x, and once adopted the program and its objectives give
/// the solution's values.
#[test]
fn generated_columns_enter_as_the_programs_own_and_are_adopted_under_the_same_numbers() {
    let mut lp = LinearProgram::default();
    let a = lp.add_row(2.0..=f64::INFINITY);
    let b = lp.add_row(1.0..=f64::INFINITY);
    let x = lp.add_column(0.0..=5.0, vec![(a, 1.0), (b, 1.0)]);
    let generator = Listed(vec![
        Some((5.0, vec![(a, 1.0)], vec![(0, 1.0), (1, -1.0)], a)),
        None,
        Some((5.0, vec![(b, 1.0)], vec![(0, 2.0)], b)),
    ]);
    let mut objectives = [
        Objective {
            name: "cost",
            direction: Direction::Minimise,
            costs: vec![(x, 3.0)],
            weight: 1.0,
        },
        Objective {
            name: "fewest y",
            direction: Direction::Maximise,
            costs: Vec::new(),
            weight: 1.0,
        },
    ];
    let solution = lp
        .solve_generating(
            &objectives,
            &generator,
            None,
            SolverOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    assert!((solution.stages[0].value - 4.0).abs() < 1e-6);
    assert_eq!(solution.generated.first(), Some(&0), "y enters first");
    let y = 1 + solution.generated.iter().position(|&v| v == 0).unwrap();
    assert!((solution.columns[y] - 1.0).abs() < 1e-4, "{solution:?}");
    lp.adopt(&mut objectives, &generator, &solution.generated);
    assert_eq!(lp.column_count(), solution.columns.len());
    for (objective, stage) in objectives.iter().zip(&solution.stages) {
        let value = LinearProgram::objective_value(objective, &solution.columns);
        assert!((value - stage.value).abs() < 1e-6, "{}", objective.name);
    }
}

/// min x + y s.t. x + y ≥ 1 over [0, 5], y generated; then max y, which only y costs (and
/// weighs nothing in the blend). The blend and stage 1 hold x = 1 (value 1; y's reduced cost
/// 0, neither in nor out); stage 2 is not skipped as costless: y enters and takes the unit,
/// x = 0 (value 1).
#[test]
fn a_stage_only_generated_columns_cost_is_solved() {
    let (x, solution) = x_or_generated_y(1.0, 0.0);
    assert_eq!(solution.generated, [0]);
    assert!((solution.stages[0].value - 1.0).abs() < 1e-6);
    assert!((solution.stages[1].value - 1.0).abs() < 1e-6);
    assert!((solution.columns[1] - 1.0).abs() < 1e-6);
    assert!(solution.columns[x].abs() < 1e-6);
}

/// min x + 2y s.t. x + y ≥ 1, y generated; then max y: as
/// `a_column_priced_out_of_a_face_never_enters_later`, y is priced out by stage 1 and never
/// enters.
#[test]
fn a_generated_column_priced_out_of_a_face_never_enters_later() {
    let (x, solution) = x_or_generated_y(2.0, 1.0);
    assert!(
        solution.generated.is_empty(),
        "y was priced out of stage 1's face"
    );
    assert!((solution.stages[0].value - 1.0).abs() < 1e-9);
    assert!((solution.columns[x] - 1.0).abs() < 1e-9);
}

/// Solves min x + `y_cost`·y s.t. x + y ≥ 1 over [0, 5], y generated, then max y (weighing
/// `weight` in the blend): x's number and the solution.
fn x_or_generated_y(y_cost: f64, weight: f64) -> (usize, Solution) {
    let mut lp = LinearProgram::default();
    let a = lp.add_row(1.0..=f64::INFINITY);
    let x = lp.add_column(0.0..=5.0, vec![(a, 1.0)]);
    let y = (5.0, vec![(a, 1.0)], vec![(0, y_cost), (1, 1.0)], a);
    let objectives = [
        Objective {
            name: "cost",
            direction: Direction::Minimise,
            costs: vec![(x, 1.0)],
            weight: 1.0,
        },
        Objective {
            name: "most y",
            direction: Direction::Maximise,
            costs: Vec::new(),
            weight,
        },
    ];
    let generated = Listed(vec![Some(y)]);
    let solution = lp
        .solve_generating(
            &objectives,
            &generated,
            None,
            SolverOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    (x, solution)
}

/// min 3x + 2y (+ z), then min x, s.t. x + y (+ z) ≥ 2, all in [0, 5]: the optimum is
/// y = 2 (cost 4), its basis y basic. Started from that basis:
/// - with a new column z of cost 1, the basis is still primal feasible (z at 0) and the
///   primal simplex goes on from it to z = 2 (cost 2);
/// - with y ≤ 1 instead, y = 2 is infeasible and the dual simplex goes on from it to
///   y = 1, x = 1 (cost 5).
#[test]
fn a_start_from_a_similar_basis_reaches_the_optimum_feasible_or_not() {
    let program = |z: bool, y_most: f64| {
        let mut lp = LinearProgram::default();
        let a = lp.add_row(2.0..=f64::INFINITY);
        let x = lp.add_column(0.0..=5.0, vec![(a, 1.0)]);
        let y = lp.add_column(0.0..=y_most, vec![(a, 1.0)]);
        let mut cost = vec![(x, 3.0), (y, 2.0)];
        if z {
            cost.push((lp.add_column(0.0..=5.0, vec![(a, 1.0)]), 1.0));
        }
        let objectives = [
            objective("cost", Direction::Minimise, cost, 10.0),
            objective("fewest x", Direction::Minimise, vec![(x, 1.0)], 1.0),
        ];
        (lp, objectives)
    };
    let solve = |(lp, objectives): (LinearProgram, [Objective; 2]), start: Option<&Basis>| {
        lp.solve_generating(
            &objectives,
            &Listed(Vec::new()),
            start,
            SolverOptions::default(),
            &mut |_| {},
        )
        .unwrap()
    };
    let base = solve(program(false, 5.0), None);
    assert!((base.stages[0].value - 4.0).abs() < 1e-9);
    let basis = base.blend_basis.expect("the blend's basis");
    let more = solve(program(true, 5.0), Some(&basis));
    assert!((more.stages[0].value - 2.0).abs() < 1e-9);
    assert!((more.columns[2] - 2.0).abs() < 1e-9);
    let fewer = solve(program(false, 1.0), Some(&basis));
    assert!((fewer.stages[0].value - 5.0).abs() < 1e-9);
    assert!((fewer.columns[0] - 1.0).abs() < 1e-9);
    assert!((fewer.columns[1] - 1.0).abs() < 1e-9);
}

/// max 2x + y s.t. x + y ≤ 3, x and y in [0, 2]; then min y: the first stage's optimum is
/// x = 2, y = 1 (dual 1 on the row), where x has reduced cost 2 − 1 = 1: every point that
/// reaches 5 has x = 2, which the faces report; y (reduced cost 0) stays free.
#[test]
fn the_faces_report_the_columns_they_fix() {
    let (lp, x, y) = x_and_y_summing_to_at_most(3.0);
    let objectives = [
        objective("value", Direction::Maximise, vec![(x, 2.0), (y, 1.0)], 10.0),
        objective("fewest y", Direction::Minimise, vec![(y, 1.0)], 1.0),
    ];
    let solution = lp
        .solve_in_order(&objectives, false, SolverOptions::default(), &mut |_| {})
        .unwrap();
    assert!((solution.stages[0].value - 5.0).abs() < 1e-9);
    assert_eq!(solution.on_faces.columns[x], Some(2.0));
    assert_eq!(solution.on_faces.columns[y], None);
}

fn objective(
    name: &'static str,
    direction: Direction,
    costs: Vec<(usize, f64)>,
    weight: f64,
) -> Objective {
    Objective {
        name,
        direction,
        costs,
        weight,
    }
}

/// x and y in [0, 2] with x + y ≤ `most`: the program, x and y.
fn x_and_y_summing_to_at_most(most: f64) -> (LinearProgram, usize, usize) {
    let mut lp = LinearProgram::default();
    let sum = lp.add_row(f64::NEG_INFINITY..=most);
    let x = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    let y = lp.add_column(0.0..=2.0, vec![(sum, 1.0)]);
    (lp, x, y)
}
