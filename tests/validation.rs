//! Error paths of `resettle validate` and `resettle generate`: every rule the loaders check is
//! reported at the file, line and column of the cell that breaks it, with exit code 2, and
//! nothing is written on bad input.
//!
//! Each test copies the hand-made valid data set `tests/fixtures/tiny/` into a temporary
//! folder, breaks one thing and runs the binary. In the fixture, line 1 of every file is the
//! header, so the first data row is line 2; columns are numbered from 1.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The plan start date the fixture is valid for (a Monday).
const START: &str = "2014-09-01";

const CPAS: &str = "cpas.csv";
const PRISONS: &str = "prisons.csv";
const DESIGNATIONS: &str = "designations.csv";
const PUBLISHED: &str = "published_population.csv";
const POPULATION: &str = "population.csv";
const RECEPTIONS: &str = "receptions.csv";
const BOOKED: &str = "booked.csv";

/// Every file of the fixture: the reference data and the three planning inputs.
const FIXTURE_FILES: [&str; 7] = [
    CPAS,
    PRISONS,
    DESIGNATIONS,
    PUBLISHED,
    POPULATION,
    RECEPTIONS,
    BOOKED,
];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny")
}

/// A temporary copy of the tiny fixture that one test may break.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for file in FIXTURE_FILES {
            fs::copy(fixture_dir().join(file), dir.path().join(file)).expect("copy the fixture");
        }
        Workspace { dir }
    }

    /// The data folder (it also holds the population, receptions and booked moves).
    fn data(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.path(file)).expect("read a fixture file")
    }

    fn write(&self, file: &str, text: &str) {
        fs::write(self.path(file), text).expect("write a fixture file");
    }

    fn remove(&self, file: &str) {
        fs::remove_file(self.path(file)).expect("remove a fixture file");
    }

    /// Rewrites the fields of line `line` (1-based; 1 is the header). The fixture has no
    /// quoted fields, so a line is its fields joined by commas.
    fn edit_line(&self, file: &str, line: usize, edit: impl FnOnce(&mut Vec<String>)) {
        let text = self.read(file);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let target = lines
            .get_mut(line - 1)
            .unwrap_or_else(|| panic!("{file} has no line {line}"));
        let mut fields: Vec<String> = target.split(',').map(str::to_string).collect();
        edit(&mut fields);
        *target = fields.join(",");
        self.write(file, &(lines.join("\n") + "\n"));
    }

    /// The 1-based number of `column` in the header of `file`.
    fn column_number(&self, file: &str, column: &str) -> usize {
        let text = self.read(file);
        let header = text.lines().next().expect("a header");
        1 + header
            .split(',')
            .position(|name| name == column)
            .unwrap_or_else(|| panic!("{file} has no column '{column}'"))
    }

    /// Writes `value` into the cell at `line` and `column`; returns the column's number.
    fn set_cell(&self, file: &str, line: usize, column: &str, value: &str) -> usize {
        let number = self.column_number(file, column);
        self.edit_line(file, line, |fields| fields[number - 1] = value.to_string());
        number
    }

    /// `resettle validate` on every file of the workspace, with the start date.
    fn validate(&self) -> Run {
        validate_all(self.data(), START)
    }

    /// `resettle generate` calibrated on the workspace's data, written to `out`.
    fn generate(&self, start: &str, out: &Path) -> Run {
        let mut cmd = resettle();
        cmd.arg("generate")
            .arg("--data")
            .arg(self.data())
            .args([
                "--seed", "1", "--scale", "1", "--start", start, "--weeks", "4",
            ])
            .arg("--out")
            .arg(out);
        Run::of(cmd)
    }

    /// Where a diagnostic about `file` starts: `FILE:LINE:COLUMN: SEVERITY: column 'NAME'`.
    fn location(&self, file: &str, line: usize, column: &str, severity: &str) -> String {
        format!(
            "{}:{line}:{}: {severity}: column '{column}', ",
            self.path(file).display(),
            self.column_number(file, column)
        )
    }
}

fn resettle() -> Command {
    Command::cargo_bin("resettle").expect("the resettle binary")
}

/// `resettle validate --data DIR --start START` with the population, receptions and booked
/// moves found in DIR.
fn validate_all(dir: &Path, start: &str) -> Run {
    let mut cmd = resettle();
    cmd.arg("validate")
        .arg("--data")
        .arg(dir)
        .arg("--population")
        .arg(dir.join(POPULATION))
        .arg("--receptions")
        .arg(dir.join(RECEPTIONS))
        .arg("--booked")
        .arg(dir.join(BOOKED))
        .args(["--start", start]);
    Run::of(cmd)
}

/// What one run of the binary did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(mut cmd: Command) -> Self {
        let output = cmd.output().expect("run resettle");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn exit_code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(expected),
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts exactly one diagnostic that starts with `prefix` and says `rule`.
    fn reports(&self, prefix: &str, rule: &str) -> &Self {
        let found = self
            .stderr
            .lines()
            .filter(|l| l.starts_with(prefix) && l.contains(rule))
            .count();
        assert_eq!(
            found, 1,
            "expected one line starting {prefix:?} saying {rule:?}\nstderr:\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that stderr contains `text` somewhere.
    fn mentions(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr does not mention {text:?}\nstderr:\n{}",
            self.stderr
        );
        self
    }

    /// Asserts exactly `count` error diagnostics and the closing count line.
    fn errors(&self, count: usize) -> &Self {
        let listed = self
            .stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .count();
        assert_eq!(listed, count, "error lines\nstderr:\n{}", self.stderr);
        let last = self.stderr.lines().last().unwrap_or_default();
        assert_eq!(
            last,
            format!("resettle: the input has {count} error(s); nothing was written"),
            "final line\nstderr:\n{}",
            self.stderr
        );
        self
    }

    /// Asserts a clean run: no error on stderr and the closing line of the summary.
    fn succeeds_with_warnings(&self, warnings: usize) -> &Self {
        self.exit_code(0);
        assert!(
            !self.stderr.contains("error:"),
            "unexpected error\nstderr:\n{}",
            self.stderr
        );
        assert!(
            self.stdout
                .ends_with(&format!("\nno errors, {warnings} warning(s)\n")),
            "summary\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// Breaks one cell of the fixture and checks that `validate` refuses the input with an error
/// at exactly that cell, quoting its value and saying `rule`. The caller checks how many
/// errors there are in all.
fn refuses(file: &str, line: usize, column: &str, value: &str, rule: &str) -> Run {
    let ws = Workspace::new();
    ws.set_cell(file, line, column, value);
    let run = ws.validate();
    let prefix = ws.location(file, line, column, "error") + &format!("value {value:?}: ");
    run.exit_code(2).reports(&prefix, rule);
    run
}

/// Breaks one cell and checks that `validate` accepts the input with one warning at
/// `reported_column` of the same line, saying `rule`.
fn warns(file: &str, line: usize, column: &str, value: &str, reported_column: &str, rule: &str) {
    let ws = Workspace::new();
    ws.set_cell(file, line, column, value);
    let run = ws.validate();
    run.succeeds_with_warnings(1)
        .reports(&ws.location(file, line, reported_column, "warning"), rule);
}

// The valid fixture.

#[test]
fn tiny_fixture_is_valid_and_summarised() {
    let run = validate_all(&fixture_dir(), START);
    run.succeeds_with_warnings(0);
    for line in [
        "estate:      6 prisons (5 in use), 2600 places (operational capacity), published population 2480",
        "population:  12 prisoners: 7 determinate, 2 indeterminate, 3 remand; 1 liable to removal, 1 with no known home CPA",
        "receptions:  8 prisoners over 4 weeks",
    ] {
        assert!(run.stdout.contains(line), "missing {line:?}\n{}", run.stdout);
    }
}

// Unknown prisons and CPAs.

#[test]
fn population_prison_must_be_known() {
    refuses(POPULATION, 5, "prison", "XYZ", "unknown prison").errors(1);
}

#[test]
fn reception_prison_must_be_known() {
    refuses(RECEPTIONS, 4, "prison", "XYZ", "unknown prison").errors(1);
}

#[test]
fn booked_move_destination_must_be_known() {
    refuses(BOOKED, 3, "to", "XYZ", "unknown prison").errors(1);
}

#[test]
fn booked_move_to_a_prison_not_in_use_is_refused() {
    refuses(BOOKED, 3, "to", "OLD", "one no one is moved to").errors(1);
}

#[test]
fn population_home_cpa_must_be_known() {
    refuses(POPULATION, 5, "home_cpa", "nowhere", "unknown CPA").errors(1);
}

#[test]
fn reception_home_cpa_must_be_known() {
    refuses(RECEPTIONS, 2, "home_cpa", "nowhere", "unknown CPA").errors(1);
}

#[test]
fn prison_cpa_must_be_known() {
    refuses(PRISONS, 7, "cpa", "nowhere", "unknown CPA").errors(1);
}

#[test]
fn neighbour_must_be_a_known_cpa() {
    refuses(
        CPAS,
        2,
        "neighbours",
        "central;nowhere",
        "unknown CPA 'nowhere'",
    )
    .errors(1);
}

#[test]
fn neighbours_must_be_symmetric() {
    // north now lists south, but south (line 4) does not list north.
    refuses(
        CPAS,
        2,
        "neighbours",
        "central;south",
        "neighbours must be symmetric: 'south' (line 4) does not list 'north'",
    )
    .errors(1);
}

#[test]
fn designation_to_an_unknown_cpa_is_refused() {
    refuses(
        DESIGNATIONS,
        7,
        "cpa",
        "nowhere",
        "designation to an unknown CPA",
    )
    .errors(1);
}

#[test]
fn designation_of_an_unknown_prison_is_refused() {
    refuses(DESIGNATIONS, 7, "prison", "XYZ", "unknown prison").errors(1);
}

#[test]
fn published_population_prison_must_be_known() {
    refuses(PUBLISHED, 6, "prison", "XYZ", "unknown prison").errors(1);
}

// Duplicates, each naming the line of the first.

#[test]
fn duplicate_prisoner_id_names_both_lines() {
    refuses(
        POPULATION,
        6,
        "prisoner_id",
        "P002",
        "duplicate prisoner id: first on line 3",
    )
    .errors(1);
}

#[test]
fn duplicate_prison_code_names_both_lines() {
    refuses(
        PRISONS,
        7,
        "code",
        "NLO",
        "duplicate prison code: first defined on line 2",
    )
    .errors(1);
}

#[test]
fn duplicate_cpa_number_names_both_lines() {
    refuses(
        CPAS,
        4,
        "number",
        "2",
        "duplicate CPA number: also on line 3",
    )
    .errors(1);
}

#[test]
fn duplicate_designation_names_both_lines() {
    refuses(
        DESIGNATIONS,
        7,
        "cpa",
        "central",
        "duplicate designation: first on line 6",
    )
    .errors(1);
}

#[test]
fn second_booked_move_for_a_prisoner_names_both_lines() {
    refuses(
        BOOKED,
        3,
        "prisoner_id",
        "P002",
        "a prisoner has at most one booked move: also on line 2",
    )
    .errors(1);
}

// Dates.

#[test]
fn malformed_dates_are_refused() {
    for (column, value) in [
        ("custody_start", "2014-13-01"),
        ("arrived", "01/09/2014"),
        ("release_date", "2015-02-30"),
        ("release_date", "2015-3-2"),
    ] {
        refuses(POPULATION, 5, column, value, "a date is written YYYY-MM-DD").errors(1);
    }
}

#[test]
fn release_before_custody_start_is_refused() {
    // A release before custody start (2013-11-04) is also before the start date: two errors,
    // both at the broken cell.
    refuses(
        POPULATION,
        5,
        "release_date",
        "2013-10-01",
        "release before custody start (2013-11-04)",
    )
    .mentions(": error: column 'release_date', value \"2013-10-01\": release before the start date")
    .errors(2);
}

#[test]
fn arrival_before_custody_start_is_refused() {
    refuses(
        POPULATION,
        5,
        "arrived",
        "2013-10-01",
        "arrival before custody start (2013-11-04)",
    )
    .errors(1);
}

#[test]
fn release_before_the_start_date_is_refused() {
    // P007 is released on the start date itself; a day earlier he is no longer held.
    refuses(
        POPULATION,
        8,
        "release_date",
        "2014-08-31",
        "release before the start date 2014-09-01",
    )
    .errors(1);
}

#[test]
fn arrival_after_the_start_date_is_refused() {
    refuses(
        POPULATION,
        5,
        "arrived",
        "2014-09-02",
        "arrives after the start date 2014-09-01",
    )
    .errors(1);
}

#[test]
fn custody_start_after_the_start_date_is_refused() {
    // P003 arrived on the start date, which is now before his custody start: a second error.
    refuses(
        POPULATION,
        4,
        "custody_start",
        "2014-09-08",
        "custody starts after the start date 2014-09-01",
    )
    .mentions("arrival before custody start (2014-09-08)")
    .errors(2);
}

#[test]
fn determinate_sentence_needs_a_release_date() {
    refuses(
        POPULATION,
        5,
        "release_date",
        "",
        "a determinate sentence needs a release date",
    )
    .errors(1);
}

#[test]
fn remand_prisoner_has_no_release_date() {
    refuses(
        POPULATION,
        2,
        "release_date",
        "2014-12-01",
        "must be empty for a remand prisoner",
    )
    .errors(1);
}

#[test]
fn indeterminate_prisoner_has_no_release_date() {
    refuses(
        POPULATION,
        12,
        "release_date",
        "2030-01-07",
        "only determinate sentences have a release date",
    )
    .errors(1);
}

// Words from closed lists, numbers and flags.

#[test]
fn population_category_must_be_known() {
    refuses(POPULATION, 5, "category", "E", "unknown category").errors(1);
}

#[test]
fn population_estate_must_be_known() {
    refuses(POPULATION, 5, "estate", "adult", "unknown estate").errors(1);
}

#[test]
fn sentence_must_be_known() {
    refuses(POPULATION, 5, "sentence", "life", "unknown sentence").errors(1);
}

#[test]
fn flags_are_true_or_false() {
    refuses(
        POPULATION,
        5,
        "do_not_move",
        "yes",
        "expected true or false",
    )
    .errors(1);
}

#[test]
fn every_prisoner_needs_an_id() {
    refuses(
        POPULATION,
        5,
        "prisoner_id",
        "",
        "every prisoner needs an id",
    )
    .errors(1);
}

#[test]
fn prison_estates_and_categories_must_be_known() {
    refuses(PRISONS, 7, "estates", "martian", "unknown value 'martian'").errors(1);
    refuses(PRISONS, 7, "categories", "E", "unknown value 'E'").errors(1);
}

#[test]
fn prison_code_is_three_capital_letters() {
    refuses(PRISONS, 7, "code", "Old", "three capital letters").errors(1);
}

#[test]
fn prison_function_must_be_known() {
    refuses(PRISONS, 7, "function", "closed", "unknown function").errors(1);
}

#[test]
fn negative_capacity_is_refused() {
    refuses(
        PRISONS,
        7,
        "operational_capacity",
        "-5",
        "capacity must be a whole number of places, 0 or more",
    )
    .errors(1);
}

#[test]
fn latitude_must_be_in_range() {
    refuses(PRISONS, 7, "lat", "95", "latitude is a number of degrees").errors(1);
}

#[test]
fn designation_source_must_be_known() {
    refuses(DESIGNATIONS, 7, "source", "guess", "unknown source").errors(1);
}

#[test]
fn published_population_is_not_negative() {
    refuses(
        PUBLISHED,
        6,
        "population",
        "-3",
        "a population is a whole number, 0 or more",
    )
    .errors(1);
}

#[test]
fn reception_count_is_at_least_one() {
    refuses(
        RECEPTIONS,
        2,
        "count",
        "0",
        "a count is a whole number, 1 or more",
    )
    .errors(1);
}

#[test]
fn reception_release_week_is_not_before_its_week() {
    // Line 6 arrives in week 3.
    refuses(
        RECEPTIONS,
        6,
        "release_week",
        "2",
        "release before custody start (week 3)",
    )
    .errors(1);
}

#[test]
fn reception_week_is_not_negative() {
    refuses(
        RECEPTIONS,
        2,
        "week",
        "-1",
        "a week is a whole number, 0 or more",
    )
    .errors(1);
}

#[test]
fn booked_prisoner_must_be_in_the_population() {
    refuses(
        BOOKED,
        3,
        "prisoner_id",
        "P999",
        "no such prisoner in the population file",
    )
    .errors(1);
}

#[test]
fn booked_move_to_where_he_is_held_is_refused() {
    // P002 is held at NLO.
    refuses(BOOKED, 2, "to", "NLO", "the prisoner is already held there").errors(1);
}

// Rows, headers and files.

#[test]
fn row_with_the_wrong_number_of_fields_is_reported_at_its_line() {
    // The header has 11 fields; line 5 gets one too many, then one too few.
    for count in [12, 10] {
        let ws = Workspace::new();
        ws.edit_line(POPULATION, 5, |fields| {
            fields.resize(count, "extra".to_string())
        });
        let prefix = format!("{}:5: error: ", ws.path(POPULATION).display());
        let rule = format!("the row has {count} fields where the header has 11");
        ws.validate().exit_code(2).reports(&prefix, &rule).errors(1);
    }
}

#[test]
fn header_missing_a_column_is_reported_at_line_1() {
    let ws = Workspace::new();
    ws.edit_line(RECEPTIONS, 1, |fields| {
        fields.retain(|name| name != "count");
    });
    let prefix = format!("{}:1: error: ", ws.path(RECEPTIONS).display());
    ws.validate()
        .exit_code(2)
        .reports(&prefix, "the header lacks column(s) 'count'")
        .errors(1);
}

#[test]
fn missing_file_is_reported_by_name() {
    for file in [DESIGNATIONS, RECEPTIONS, BOOKED] {
        let ws = Workspace::new();
        ws.remove(file);
        let prefix = format!("{}: error: ", ws.path(file).display());
        ws.validate()
            .exit_code(2)
            .reports(&prefix, "cannot be read")
            .errors(1);
    }
}

#[test]
fn missing_data_folder_reports_each_reference_file() {
    let ws = Workspace::new();
    let missing = ws.path("no_such_folder");
    let mut cmd = resettle();
    cmd.arg("validate").arg("--data").arg(&missing);
    let run = Run::of(cmd);
    run.exit_code(2);
    for file in [CPAS, PRISONS, DESIGNATIONS] {
        let prefix = format!("{}: error: ", missing.join(file).display());
        run.reports(&prefix, "cannot be read");
    }
    run.errors(3);
}

#[test]
fn every_error_in_a_file_is_reported_in_one_run() {
    let ws = Workspace::new();
    let breaks = [
        (2, "prison", "XYZ", "unknown prison"),
        (5, "estate", "adult", "unknown estate"),
        (
            9,
            "release_date",
            "2014-13-01",
            "a date is written YYYY-MM-DD",
        ),
    ];
    for (line, column, value, _) in breaks {
        ws.set_cell(POPULATION, line, column, value);
    }
    let run = ws.validate();
    run.exit_code(2);
    for (line, column, value, rule) in breaks {
        let prefix = ws.location(POPULATION, line, column, "error") + &format!("value {value:?}: ");
        run.reports(&prefix, rule);
    }
    run.errors(3);
}

// Line numbers are the lines of the file as an editor shows them.

#[test]
fn line_numbers_count_the_lines_inside_a_quoted_field() {
    // A name spread over lines 6 and 7: OLD's row is line 8.
    let ws = Workspace::new();
    let prisons = ws
        .read(PRISONS)
        .replace("HSE,Highmoor,", "HSE,\"High\nmoor\",");
    ws.write(PRISONS, &prisons);
    ws.set_cell(PRISONS, 8, "cpa", "nowhere");
    let prefix = ws.location(PRISONS, 8, "cpa", "error");
    ws.validate()
        .exit_code(2)
        .reports(&prefix, "unknown CPA")
        .errors(1);
}

#[test]

fn line_numbers_count_blank_lines() {
    // A blank line 5 pushes P004 to line 6.
    let ws = Workspace::new();
    ws.set_cell(POPULATION, 5, "prison", "XYZ");
    let mut lines: Vec<String> = ws.read(POPULATION).lines().map(str::to_string).collect();
    lines.insert(4, String::new());
    ws.write(POPULATION, &(lines.join("\n") + "\n"));
    let prefix = ws.location(POPULATION, 6, "prison", "error");
    ws.validate()
        .exit_code(2)
        .reports(&prefix, "unknown prison")
        .errors(1);
}

#[test]

fn line_numbers_are_right_in_a_file_with_crlf_line_endings() {
    let ws = Workspace::new();
    ws.set_cell(POPULATION, 5, "prison", "XYZ");
    let crlf = ws.read(POPULATION).replace('\n', "\r\n");
    ws.write(POPULATION, &crlf);
    let prefix = ws.location(POPULATION, 5, "prison", "error");
    ws.validate()
        .exit_code(2)
        .reports(&prefix, "unknown prison")
        .errors(1);
}

#[test]
fn byte_order_mark_before_the_header_is_accepted() {
    let ws = Workspace::new();
    let with_bom = format!("\u{feff}{}", ws.read(POPULATION));
    ws.write(POPULATION, &with_bom);
    ws.validate().succeeds_with_warnings(0);
}

// Warnings: reported, but the input is usable.

#[test]
fn prisoner_held_where_his_category_is_not_held_is_a_warning() {
    // CTR holds category C only.
    warns(
        POPULATION,
        5,
        "category",
        "D",
        "prison",
        "Centreham does not hold adult_male category D",
    );
}

#[test]
fn prisoner_held_where_his_estate_is_not_held_is_a_warning() {
    // CTR holds adult males only.
    warns(
        POPULATION,
        5,
        "estate",
        "young_offender_male",
        "prison",
        "Centreham does not hold young_offender_male category C",
    );
}

#[test]
fn reception_where_its_estate_is_not_held_is_a_warning() {
    // WLO holds women only.
    warns(
        RECEPTIONS,
        4,
        "estate",
        "adult_male",
        "prison",
        "Westgate does not hold adult_male category C",
    );
}

#[test]
fn booked_move_to_a_prison_not_holding_him_is_a_warning() {
    // P006 is category C; SOP holds category D only.
    warns(
        BOOKED,
        3,
        "to",
        "SOP",
        "to",
        "Southfield Open does not hold the prisoner's estate and category",
    );
}

// Cascades: one broken cell, one error.

#[test]

fn duplicate_prisoner_row_still_has_its_other_cells_checked() {
    let ws = Workspace::new();
    ws.set_cell(POPULATION, 6, "prisoner_id", "P002");
    ws.set_cell(POPULATION, 6, "prison", "XYZ");
    let run = ws.validate();
    run.exit_code(2)
        .reports(
            &ws.location(POPULATION, 6, "prisoner_id", "error"),
            "duplicate prisoner id",
        )
        .reports(
            &ws.location(POPULATION, 6, "prison", "error"),
            "unknown prison",
        )
        .errors(2);
}

#[test]

fn booked_move_for_a_prisoner_on_a_broken_row_is_not_called_unknown() {
    // P002 (line 3) has a booked move on line 2 of booked.csv.
    refuses(
        POPULATION,
        3,
        "do_not_move",
        "yes",
        "expected true or false",
    )
    .errors(1);
}

// Options.

#[test]
fn start_date_must_be_a_monday() {
    // 2014-09-03 is a Wednesday.
    validate_all(&fixture_dir(), "2014-09-03")
        .exit_code(2)
        .mentions("start on a Monday")
        .mentions("try 2014-09-01");
}

#[test]
fn start_date_must_be_written_yyyy_mm_dd() {
    validate_all(&fixture_dir(), "01/09/2014")
        .exit_code(2)
        .mentions("YYYY-MM-DD");
}

// Nothing written on bad input.

/// Every file under `dir` with its bytes, sorted by path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("list a folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            files.extend(snapshot(&path));
        } else {
            let bytes = fs::read(&path).expect("read a file");
            files.push((path, bytes));
        }
    }
    files.sort();
    files
}

/// The tiny data set with a negative capacity on OLD's row.
fn bad_data() -> Workspace {
    let ws = Workspace::new();
    ws.set_cell(PRISONS, 7, "operational_capacity", "-5");
    ws
}

#[test]
fn generate_on_bad_data_creates_no_output_folder() {
    let ws = bad_data();
    let out = ws.path("out");
    ws.generate(START, &out)
        .exit_code(2)
        .mentions("capacity must be a whole number")
        .errors(1);
    assert!(!out.exists(), "{} was created", out.display());
}

#[test]
fn generate_on_bad_data_leaves_an_existing_output_folder_unchanged() {
    let ws = bad_data();
    let out = ws.path("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join(resettle::output::MARKER), "").unwrap();
    fs::write(out.join(POPULATION), "an earlier run's population\n").unwrap();
    let before = snapshot(&out);
    ws.generate(START, &out).exit_code(2).errors(1);
    assert_eq!(snapshot(&out), before);
}

#[test]
fn generate_refuses_a_start_date_that_is_not_a_monday() {
    let ws = Workspace::new();
    let out = ws.path("out");
    ws.generate("2014-09-02", &out)
        .exit_code(2)
        .mentions("start on a Monday");
    assert!(!out.exists(), "{} was created", out.display());
}
