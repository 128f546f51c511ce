//! The national instance of BENCHMARKS.md: `generate --seed 7 --scale 1.0 --start 2014-09-01
//! --weeks 52`, planned over 26 weeks — build the model and solve it, beside the greedy plan
//! as the baseline measured in the same run.
//!
//! Run with `cargo bench --bench plan` from the repository root.

use std::path::Path;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use resettle::baseline::greedy;
use resettle::calendar::Calendar;
use resettle::generate::{generate, GenerateOptions};
use resettle::instance::{Instance, PlanOptions};
use resettle::optimise::optimise;
use resettle::solver::SolverOptions;
use resettle::validate::{load_inputs, InputPaths};

fn national_instance() -> Instance {
    let calendar = Calendar::new(NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()).unwrap();
    let paths = InputPaths {
        data: Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
        ..InputPaths::default()
    };
    let (mut inputs, diagnostics) = load_inputs(&paths, None);
    assert!(!diagnostics.has_errors(), "the national data set is valid");
    let options = GenerateOptions {
        seed: 7,
        scale: 1.0,
        calendar,
        weeks: 52,
    };
    let synthetic = generate(&inputs.data, &options).expect("generates");
    inputs.prisoners = synthetic.prisoners;
    inputs.receptions = synthetic.receptions;
    Instance::new(inputs, PlanOptions::new(calendar)).expect("valid options")
}

fn national(c: &mut Criterion) {
    let instance = national_instance();
    let mut group = c.benchmark_group("national");
    group.sample_size(10);
    group.bench_function("greedy", |b| b.iter(|| greedy(&instance)));
    group.bench_function("optimise", |b| {
        b.iter(|| optimise(&instance, SolverOptions::default()).expect("solves"))
    });
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
