# Set-up and the two everyday jobs. Each target first runs tools/prereqs.sh, which installs
# with apt-get what a Debian machine lacks, checked by what the build really uses: HiGHS is
# built from source by highs-sys and needs C and C++ compilers, cmake and a libclang that
# bindgen can load; the report's browser test needs Debian's chromium; the plan history's tests
# start a PostgreSQL server of their own (Debian's postgresql).
.PHONY: prereqs demo scenarios test bench

CARGO ?= cargo
DEMO_OUT ?= out/demo
SCENARIOS_OUT ?= out/scenarios

prereqs:
	@bash tools/prereqs.sh

RESETTLE = ./target/release/resettle

## The main job on the embedded data set: check the national reference data, generate the
## national synthetic population of August 2014, plan the next 26 weeks (status quo, greedy
## and optimal plans) and write the HTML report of the plan.
demo: prereqs
	$(CARGO) build --release
	$(RESETTLE) validate --data data
	$(RESETTLE) generate --data data --seed 7 --scale 1.0 --start 2014-09-01 --weeks 52 --out $(DEMO_OUT)
	$(RESETTLE) validate --data data --population $(DEMO_OUT)/population.csv \
	  --receptions $(DEMO_OUT)/receptions.csv --start 2014-09-01
	$(RESETTLE) plan --data data --population $(DEMO_OUT)/population.csv \
	  --receptions $(DEMO_OUT)/receptions.csv --start 2014-09-01 --confirm-marginal 5 \
	  --out $(DEMO_OUT)/plan
	$(RESETTLE) report --plan $(DEMO_OUT)/plan --out $(DEMO_OUT)/report.html
	@echo "report: $(DEMO_OUT)/report.html"

## The estate planner's shipped scenarios on the national instance, compared side by side,
## and the report with its comparison page.
scenarios: prereqs
	$(CARGO) build --release
	$(RESETTLE) scenarios run scenarios/*.toml --out $(SCENARIOS_OUT)
	$(RESETTLE) report --plan $(SCENARIOS_OUT)/baseline --scenarios $(SCENARIOS_OUT) \
	  --out $(SCENARIOS_OUT)/report.html
	@echo "report: $(SCENARIOS_OUT)/report.html"

## The whole test suite, with the formatting and lint checks. Release profile throughout, so
## HiGHS (C++) is built once and shared with `make demo`.
test: prereqs
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --all-targets -- -D warnings
	$(CARGO) test --release --lib --bins --tests

bench: prereqs
	$(CARGO) bench

