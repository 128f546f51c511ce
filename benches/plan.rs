//! The national instance of BENCHMARKS.md: `generate --seed 7 --scale 1.0 --start 2014-09-01
//! --weeks 52`, planned over 26 weeks — build the model and solve it, beside the greedy plan
//! as the baseline measured in the same run; and the scaling series, the same at `--scale`
//! 0.25, 0.5 and 2.
//!
//! Run with `cargo bench --bench plan` from the repository root (`-- scaling` for the series
//! alone).

use std::path::Path;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use resettle::domain::calendar::Calendar;
use resettle::generate::{generate, GenerateOptions};
use resettle::input::validate::{load_inputs, InputPaths};
use resettle::planners::baseline::greedy;
use resettle::planners::optimal::optimise;
use resettle::problem::instance::{Instance, PlanOptions};
use resettle::solver::SolverOptions;

/// The binary's allocator (`src/main.rs`), so that the figures are the binary's.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn national_instance() -> Instance {
    instance_at(1.0)
}

/// The national reference data with a population generated at `scale`.
fn instance_at(scale: f64) -> Instance {
    let calendar = Calendar::new(NaiveDate::from_ymd_opt(2014, 9, 1).unwrap()).unwrap();
    let paths = InputPaths {
        data: Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
        ..InputPaths::default()
    };
    let (mut inputs, diagnostics) = load_inputs(&paths, None);
    assert!(!diagnostics.has_errors(), "the national data set is valid");
    let options = GenerateOptions {
        seed: 7,
        scale,
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

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    for scale in [0.25, 0.5, 2.0] {
        let instance = instance_at(scale);
        group.bench_function(format!("optimise at scale {scale}"), |b| {
            b.iter(|| optimise(&instance, SolverOptions::default()).expect("solves"))
        });
    }
    group.finish();
}

criterion_group!(benches, national, scaling);
criterion_main!(benches);
