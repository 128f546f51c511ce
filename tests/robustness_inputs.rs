//! Hostile and careless inputs (issue 11): every number an input file, a scenario file or an
//! option carries is checked against its documented range; a column named twice in a header
//! is an error; booked moves that break the rules on moves (docs/planning-rules.md §5 rules 2
//! and 4, the escort limits among them) are errors; broken reference data are reported
//! alone, and repeated problems are capped.
//!
//! Every case runs the binary and checks the same four things: exit code 2, the place on
//! stderr (`file:line:column`, the scenario's edit and field, or the option's name), no
//! panic, and no `--out` written. The CSV cases break a copy of `tests/fixtures/tiny/`, whose
//! line 1 is the header and columns are numbered from 1; the scenario cases run on
//! `data/sample`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The plan start date the fixture is valid for (a Monday).
const START: &str = "2014-09-01";
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny");
const FILES: [&str; 7] = [
    "cpas.csv",
    "prisons.csv",
    "designations.csv",
    "published_population.csv",
    "population.csv",
    "receptions.csv",
    "booked.csv",
];

/// A temporary copy of the tiny fixture, broken by one test.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for file in FILES {
            fs::copy(Path::new(FIXTURE).join(file), dir.path().join(file)).expect("copy");
        }
        Workspace { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// The output folder, which no refused run may create.
    fn out(&self) -> PathBuf {
        self.path("out")
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.path(file)).expect("read a fixture file")
    }

    fn write(&self, file: &str, text: &str) {
        fs::write(self.path(file), text).expect("write a fixture file");
    }

    /// The 1-based number of `column` in the header of `file`.
    fn column(&self, file: &str, column: &str) -> usize {
        let text = self.read(file);
        let header = text.lines().next().expect("a header");
        1 + header
            .split(',')
            .position(|name| name == column)
            .unwrap_or_else(|| panic!("{file} has no column '{column}'"))
    }

    /// Writes `value` into the cell at `line` (1-based) and `column` (the fixture has no
    /// quoted fields); returns where a diagnostic about it starts.
    fn set(&self, file: &str, line: usize, column: &str, value: &str) -> String {
        let number = self.column(file, column);
        let text = self.read(file);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut fields: Vec<&str> = lines[line - 1].split(',').collect();
        fields[number - 1] = value;
        lines[line - 1] = fields.join(",");
        self.write(file, &(lines.join("\n") + "\n"));
        self.location(file, line, column) + &format!("value {value:?}: ")
    }

    /// `FILE:LINE:COLUMN: error: column 'NAME', `
    fn location(&self, file: &str, line: usize, column: &str) -> String {
        format!(
            "{}:{line}:{}: error: column '{column}', ",
            self.path(file).display(),
            self.column(file, column)
        )
    }

    /// `resettle plan` on every file of the workspace into `out`, with `options`.
    fn plan(&self, options: &[&str]) -> Run {
        let mut cmd = resettle();
        cmd.arg("plan")
            .arg("--data")
            .arg(self.dir.path())
            .arg("--population")
            .arg(self.path("population.csv"))
            .arg("--receptions")
            .arg(self.path("receptions.csv"))
            .arg("--booked")
            .arg(self.path("booked.csv"))
            .args(["--start", START, "--quiet"])
            .args(options)
            .arg("--out")
            .arg(self.out());
        Run::of(cmd, self.out())
    }
}

fn resettle() -> Command {
    Command::cargo_bin("resettle").expect("the resettle binary")
}

/// What one run of the binary did.
struct Run {
    code: Option<i32>,
    stderr: String,
    out: PathBuf,
}

impl Run {
    fn of(mut cmd: Command, out: PathBuf) -> Self {
        let output = cmd.output().expect("run resettle");
        Run {
            code: output.status.code(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out,
        }
    }

    /// Exit code 2, a line of stderr containing `place` and `rule`, no panic and nothing
    /// written.
    fn refused(&self, place: &str, rule: &str) -> &Self {
        assert_eq!(self.code, Some(2), "exit code\nstderr:\n{}", self.stderr);
        assert!(
            self.stderr
                .lines()
                .any(|l| l.contains(place) && l.contains(rule)),
            "no line with {place:?} and {rule:?}\nstderr:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(!self.out.exists(), "{} was written", self.out.display());
        self
    }

    /// The lines of stderr that report an error.
    fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .collect()
    }
}

// Numbers out of range, in the CSV files.

#[test]
fn reception_numbers_out_of_range_are_refused_at_their_cell() {
    for (column, value, rule) in [
        ("count", "4294967295", "at most 100000"),
        ("count", "100001", "at most 100000"),
        ("week", "100000000", "at most 520"),
        ("week", "521", "at most 520"),
        ("release_week", "5201", "at most 5200"),
    ] {
        let ws = Workspace::new();
        let place = ws.set("receptions.csv", 2, column, value);
        ws.plan(&[]).refused(&place, rule);
    }
}

#[test]
fn receptions_beyond_ten_million_in_all_are_refused_at_the_row_that_passes_it() {
    let ws = Workspace::new();
    let mut text = ws.read("receptions.csv");
    for _ in 0..101 {
        text.push_str("0,NLO,north,adult_male,C,10,100000\n");
    }
    ws.write("receptions.csv", &text);
    // Lines 2–6 hold 8 receptions: line 106, the 100th row of 100,000, passes 10,000,000.
    ws.plan(&[]).refused(
        &ws.location("receptions.csv", 106, "count"),
        "at most 10000000 receptions in all",
    );
}

#[test]
fn population_dates_outside_the_years_1900_to_2200_are_refused_at_their_cell() {
    for (column, value) in [
        ("release_date", "9999-12-31"),
        ("release_date", "2201-01-01"),
        ("custody_start", "1899-12-31"),
    ] {
        let ws = Workspace::new();
        // P002, a determinate prisoner, on line 3.
        let place = ws.set("population.csv", 3, column, value);
        ws.plan(&[]).refused(&place, "in the years 1900 to 2200");
    }
}

#[test]
fn reference_numbers_out_of_range_are_refused_at_their_cell() {
    for (file, line, column) in [
        ("prisons.csv", 3, "operational_capacity"),
        ("prisons.csv", 3, "cna"),
        ("published_population.csv", 3, "population"),
    ] {
        for value in ["4294967295", "100001"] {
            let ws = Workspace::new();
            let place = ws.set(file, line, column, value);
            ws.plan(&[]).refused(&place, "at most 100000");
        }
    }
}

#[test]
fn booked_week_out_of_range_is_refused_at_its_cell() {
    let ws = Workspace::new();
    let place = ws.set("booked.csv", 3, "week", "100000000");
    ws.plan(&[]).refused(&place, "at most 520");
}

// Numbers out of range, in the options.

#[test]
fn plan_options_out_of_range_are_refused_by_name() {
    for (option, value) in [
        ("--first-movable-week", "4294967295"),
        ("--first-movable-week", "27"), // after the horizon of 26 weeks
        ("--requests-week", "4294967295"),
        ("--mip-gap", "-1"),
        ("--mip-gap", "1.5"),
        ("--mip-gap", "NaN"),
        ("--headroom", "100"),
        ("--headroom", "-1"),
        ("--headroom", "inf"),
        ("--horizon", "261"),
        ("--window", "53"),
        ("--max-moves-per-week", "100001"),
        ("--max-moves-per-prison-week", "4294967295"),
    ] {
        let ws = Workspace::new();
        ws.plan(&[&format!("{option}={value}")])
            .refused(option, value);
    }
}

#[test]
fn generate_options_out_of_range_are_refused_by_name() {
    for (option, value) in [
        ("--weeks", "4294967295"),
        ("--weeks", "521"),
        ("--scale", "11"),
        ("--scale", "0"),
        ("--scale", "NaN"),
        ("--start", "2101-01-03"),
        ("--start", "1949-12-26"),
    ] {
        let ws = Workspace::new();
        let mut cmd = resettle();
        cmd.arg("generate")
            .arg("--data")
            .arg(ws.dir.path())
            .args(["--seed", "18446744073709551615"]);
        if option != "--start" {
            cmd.args(["--start", START]);
        }
        cmd.arg(format!("{option}={value}"))
            .arg("--out")
            .arg(ws.out());
        Run::of(cmd, ws.out()).refused(option, value);
    }
}

// Numbers out of range, in scenario files.

/// `resettle scenarios run` on one scenario file with `base` (lines added to the `[base]`
/// table of the sample) and `edits`.
fn scenario(base: &str, edits: &str) -> (TempDir, Run, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("bad.toml");
    let text = format!(
        "[base]\ndata = \"{SAMPLE}\"\npopulation = \"{SAMPLE}/population.csv\"\n\
         receptions = \"{SAMPLE}/receptions.csv\"\nstart = 2014-09-01\n{base}\n{edits}"
    );
    fs::write(&file, text).expect("write a scenario");
    let out = dir.path().join("out");
    let mut cmd = resettle();
    cmd.args(["scenarios", "run", "--quiet", "--out"])
        .arg(&out)
        .arg(&file);
    (dir, Run::of(cmd, out), file)
}

#[test]
fn scenario_numbers_out_of_range_are_refused_naming_the_edit_and_the_field() {
    let open = "[[edit]]\nkind = \"open\"\nprison = { code = \"NEW\", name = \"New\", \
                cpa = \"wales\", function = \"cat_c_trainer\", estates = [\"adult_male\"], \
                categories = [\"C\"], operational_capacity = 100001 }";
    for (base, edit, expected) in [
        (
            "",
            "[[edit]]\nkind = \"capacity\"\nprison = \"CWI\"\nchange = 9223372036854775807",
            "edit #1 (capacity): change = 9223372036854775807",
        ),
        (
            "",
            "[[edit]]\nkind = \"capacity\"\nprison = \"CWI\"\nchange = -9223372036854775808",
            "edit #1 (capacity): change = -9223372036854775808",
        ),
        (
            "",
            "[[edit]]\nkind = \"capacity\"\nprison = \"CWI\"\nset = 100001",
            "edit #1 (capacity): set = 100001",
        ),
        (
            "",
            "[[edit]]\nkind = \"capacity\"\nprison = \"CWI\"\nchange = 100000",
            "edit #1 (capacity): change = 100000: the capacity of 'CWI' would be",
        ),
        (
            "",
            open,
            "edit #1 (open): prison.operational_capacity = 100001",
        ),
        (
            "",
            "[[edit]]\nkind = \"surge\"\nreceptions_factor = 10.5",
            "edit #1 (surge): receptions_factor = 10.5",
        ),
        (
            "",
            "[[edit]]\nkind = \"surge\"\nadd_prisoners = 4294967295",
            "edit #1 (surge): add_prisoners = 4294967295",
        ),
        (
            "",
            "[[edit]]\nkind = \"policy\"\nmax_moves_per_week = 100001",
            "edit #1 (policy): max_moves_per_week = 100001",
        ),
        ("mip_gap = -1.0", "", "base.mip_gap = -1"),
        (
            "first_movable_week = 4294967295",
            "",
            "base.first_movable_week = 4294967295",
        ),
        (
            "max_moves_per_prison_week = 4294967295",
            "",
            "base.max_moves_per_prison_week = 4294967295",
        ),
    ] {
        let (_dir, run, file) = scenario(base, edit);
        run.refused(&format!("{}: {expected}", file.display()), "");
    }
}

#[test]
fn scenario_generate_options_out_of_range_are_refused_naming_the_field() {
    for (generate, expected) in [
        (
            "weeks = 4294967295",
            "weeks of receptions must be at most 520",
        ),
        (
            "scale = 10.5",
            "the scale must be a number greater than 0, at most 10",
        ),
    ] {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("bad.toml");
        let text = format!(
            "[base]\ndata = \"{SAMPLE}\"\nstart = 2014-09-01\n\
             generate = {{ seed = 1, {generate} }}\n"
        );
        fs::write(&file, text).expect("write a scenario");
        let out = dir.path().join("out");
        let mut cmd = resettle();
        cmd.args(["scenarios", "run", "--quiet", "--out"])
            .arg(&out)
            .arg(&file);
        Run::of(cmd, out).refused(&format!("{}: base.generate: ", file.display()), expected);
    }
}

#[test]
fn scenario_dates_outside_the_years_1900_to_2200_are_refused_at_their_line() {
    let (_dir, run, file) = scenario(
        "",
        "[[edit]]\nkind = \"close\"\nprison = \"UKI\"\nfrom = 2201-01-05",
    );
    run.refused(
        &format!("{}: edit #1: line 7", file.display()),
        "2201-01-05 is not in the years 1900 to 2200",
    );
}

// A column named twice.

#[test]
fn a_column_named_twice_is_refused_in_every_csv_input() {
    for file in FILES {
        let ws = Workspace::new();
        let text = ws.read(file);
        let mut lines = text.lines();
        let header = lines.next().expect("a header");
        let first = header
            .split(',')
            .next()
            .expect("a first column")
            .to_string();
        let count = header.split(',').count();
        // The population's second `prison` column puts everyone in CTR (the case).
        let (name, value) = if file == "population.csv" {
            ("prison".to_string(), Some("CTR"))
        } else {
            (first, None)
        };
        let mut out = format!("{header},{name}\n");
        for line in lines {
            let copy = value.unwrap_or_else(|| line.split(',').next().unwrap_or(""));
            out.push_str(&format!("{line},{copy}\n"));
        }
        ws.write(file, &out);
        let place = format!(
            "{}:1:{}: error: column '{name}', value \"{name}\": ",
            ws.path(file).display(),
            count + 1
        );
        let also = ws.column(file, &name);
        ws.plan(&[]).refused(
            &place,
            &format!("appears twice in the header (also column {also})"),
        );
    }
}

// Booked moves that break the rules on moves.

#[test]
fn booked_moves_breaking_the_rules_on_moves_are_refused_at_their_cell() {
    // P008 is do-not-move, P001 on remand, P002 released in week 15 (2014-12-15).
    for (id, to, week, column, rule) in [
        (
            "P008",
            "NLO",
            "2",
            "prisoner_id",
            "the prisoner is do-not-move",
        ),
        (
            "P001",
            "HSE",
            "2",
            "prisoner_id",
            "the prisoner is on remand",
        ),
        (
            "P002",
            "CTR",
            "15",
            "week",
            "the prisoner is released in week 15",
        ),
        (
            "P002",
            "CTR",
            "40",
            "week",
            "the prisoner is released in week 15",
        ),
    ] {
        let ws = Workspace::new();
        ws.write(
            "booked.csv",
            &format!("prisoner_id,to,week\n{id},{to},{week}\n"),
        );
        let value = match column {
            "week" => week,
            _ => id,
        };
        let place = ws.location("booked.csv", 2, column) + &format!("value {value:?}: ");
        ws.plan(&[]).refused(&place, rule);
    }
}

#[test]
fn booked_move_into_a_prison_without_places_is_refused_at_its_cell() {
    // Line 2 books P002 into CTR.
    let ws = Workspace::new();
    ws.set("prisons.csv", 3, "operational_capacity", "0");
    ws.plan(&[]).refused(
        &(ws.location("booked.csv", 2, "to") + "value \"CTR\": "),
        "Centreham has no places (operational capacity 0)",
    );
}

#[test]
fn booked_moves_beyond_an_escort_limit_are_refused_at_their_line() {
    // Line 2 books P002 out of Northtown (NLO) for week 0, line 3 P006 out of CTR for week 2.
    for (option, rule) in [
        (
            "--max-moves-per-week",
            "move 1 booked for week 0 (2014-09-01): over the escort limit of 0 a week, which \
             counts booked moves",
        ),
        (
            "--max-moves-per-prison-week",
            "move 1 booked out of Northtown for week 0 (2014-09-01): over the escort limit of 0 \
             a week out of a prison",
        ),
    ] {
        let ws = Workspace::new();
        let run = ws.plan(&[option, "0"]);
        run.refused(
            &(ws.location("booked.csv", 2, "week") + "value \"0\": "),
            rule,
        );
        assert_eq!(run.error_lines().len(), 2, "{}", run.stderr);
    }
    // Two moves booked for week 1 out of two prisons: one too many at 1 a week nationally,
    // none at 1 a week out of each prison.
    let ws = Workspace::new();
    ws.write(
        "booked.csv",
        "prisoner_id,to,week\nP002,CTR,1\nP004,NLO,1\n",
    );
    let run = ws.plan(&["--max-moves-per-week", "1"]);
    run.refused(
        &(ws.location("booked.csv", 3, "week") + "value \"1\": "),
        "move 2 booked for week 1 (2014-09-08): over the escort limit of 1 a week",
    );
    assert_eq!(run.error_lines().len(), 1, "{}", run.stderr);
    let run = ws.plan(&["--max-moves-per-prison-week", "1"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

/// A scenario on the sample with one booked move of A0355AA (held at Channings Wood) into
/// Usk (UKI) in week 2, and the escort limit `limit` (e.g. `max_moves_per_week = 0`) in its
/// base or, with `policy`, in a policy edit.
fn escort_limit_with_booked_move(dir: &Path, limit: &str, policy: bool) -> PathBuf {
    fs::write(
        dir.join("booked.csv"),
        "prisoner_id,to,week\nA0355AA,UKI,2\n",
    )
    .expect("write booked moves");
    let (base, edit) = if policy {
        (
            String::new(),
            format!("[[edit]]\nkind = \"policy\"\n{limit}\n"),
        )
    } else {
        (format!("{limit}\n"), String::new())
    };
    let file = dir.join("limits.toml");
    let text = format!(
        "[base]\ndata = \"{SAMPLE}\"\npopulation = \"{SAMPLE}/population.csv\"\n\
         booked = \"booked.csv\"\nstart = 2014-09-01\n{base}\n{edit}"
    );
    fs::write(&file, text).expect("write a scenario");
    file
}

#[test]
fn booked_moves_beyond_a_scenario_escort_limit_are_refused_at_their_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (limit, rule) in [
        (
            "max_moves_per_week = 0",
            "over the escort limit of 0 a week",
        ),
        (
            "max_moves_per_prison_week = 0",
            "move 1 booked out of Channings Wood for week 2",
        ),
    ] {
        for policy in [false, true] {
            let file = escort_limit_with_booked_move(dir.path(), limit, policy);
            let out = dir.path().join("out");
            let mut cmd = resettle();
            cmd.args(["scenarios", "run", "--quiet", "--out"])
                .arg(&out)
                .arg(&file);
            let place = format!(
                "{}:2:3: error: column 'week', value \"2\": ",
                dir.path().join("booked.csv").display()
            );
            Run::of(cmd, out).refused(&place, rule);
        }
    }
    // Within the limit it is a move like any other.
    let file = escort_limit_with_booked_move(dir.path(), "max_moves_per_week = 1", true);
    let scenario = resettle::scenario::Scenario::read(&file).expect("reads");
    assert!(resettle::scenario::build(&scenario).is_ok());
}

/// A scenario closing Usk (UKI) from week 4, with one booked move of A0355AA (held at
/// Channings Wood, released in week 32) into Usk in `week`.
fn closure_with_booked_move(dir: &Path, week: u32) -> PathBuf {
    fs::write(
        dir.join("booked.csv"),
        format!("prisoner_id,to,week\nA0355AA,UKI,{week}\n"),
    )
    .expect("write booked moves");
    let file = dir.join("close.toml");
    let text = format!(
        "[base]\ndata = \"{SAMPLE}\"\npopulation = \"{SAMPLE}/population.csv\"\n\
         booked = \"booked.csv\"\nstart = 2014-09-01\n\n\
         [[edit]]\nkind = \"close\"\nprison = \"UKI\"\nfrom = 2014-09-29\n"
    );
    fs::write(&file, text).expect("write a scenario");
    file
}

#[test]
fn booked_move_into_a_prison_a_scenario_closes_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for week in [4, 25] {
        let file = closure_with_booked_move(dir.path(), week);
        let out = dir.path().join("out");
        let mut cmd = resettle();
        cmd.args(["scenarios", "run", "--quiet", "--out"])
            .arg(&out)
            .arg(&file);
        let place = format!(
            "{}:2:2: error: column 'to', value \"UKI\": ",
            dir.path().join("booked.csv").display()
        );
        Run::of(cmd, out).refused(&place, &format!("no usable places in week {week}"));
    }
    // Before the closure it is a move like any other.
    let file = closure_with_booked_move(dir.path(), 3);
    let scenario = resettle::scenario::Scenario::read(&file).expect("reads");
    assert!(resettle::scenario::build(&scenario).is_ok());
}

// Cascades.

#[test]
fn reference_data_that_cannot_be_loaded_are_reported_alone() {
    let ws = Workspace::new();
    let mut cmd = resettle();
    cmd.arg("plan")
        .arg("--data")
        .arg(ws.path("no_such_folder"))
        .arg("--population")
        .arg(ws.path("population.csv"))
        .arg("--receptions")
        .arg(ws.path("receptions.csv"))
        .arg("--booked")
        .arg(ws.path("booked.csv"))
        .args(["--start", START, "--quiet", "--out"])
        .arg(ws.out());
    let run = Run::of(cmd, ws.out());
    run.refused("no_such_folder/cpas.csv: error: ", "cannot be read");
    assert_eq!(run.error_lines().len(), 3, "{}", run.stderr);
}

#[test]
fn repeated_problems_of_one_rule_are_capped_then_counted() {
    let ws = Workspace::new();
    let mut text = ws.read("population.csv");
    for i in 0..30 {
        text.push_str(&format!(
            "X{i:03},XYZ,north,adult_male,C,indeterminate,2009-03-02,2012-07-16,,false,false\n"
        ));
    }
    ws.write("population.csv", &text);
    let run = ws.plan(&[]);
    // The extra rows are lines 14 to 43: the first 20 are printed, then the count.
    run.refused(
        &(ws.location("population.csv", 33, "prison") + "value \"XYZ\": "),
        "unknown prison",
    );
    assert_eq!(run.error_lines().len(), 20, "{}", run.stderr);
    let population = ws.path("population.csv");
    let more = format!(
        "{}: ... and 10 more error(s) like this one",
        population.display()
    );
    assert!(run.stderr.lines().any(|l| l == more), "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("resettle: the input has 30 error(s); nothing was written\n"),
        "{}",
        run.stderr
    );
}
