//! The plan history: the same suite on SQLite and on a real PostgreSQL server that the tests
//! start themselves (`server.rs`). A run is written whole or not at all — a write that fails
//! midway is rolled back, and a writer killed (SIGKILL) at any moment leaves the whole run or
//! nothing; `plan --db` records what its files say and changes none of them; `history` lists
//! runs without personal data; `diff` compares two runs' moves; a bad `--db` or a schema newer
//! than the binary exits 2 with a clear message; `roll --db --run` records the run's week 0
//! carried out and its requests filled, once, and refuses a run it cannot roll.

mod server;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use resettle::error::HistoryError;
use resettle::history::{
    InputFile, PlannedMove, Request, RequestKey, RequestStatus, Run, RunHeader, RunKpis, Store,
    Target,
};
use resettle::problem::kpi::Tally;
use sha2::{Digest, Sha256};

/// A history for one test: an SQLite file in a temporary folder, or a new database on the
/// tests' PostgreSQL server.
struct Db {
    url: String,
    dir: Option<tempfile::TempDir>,
}

fn sqlite() -> Db {
    let dir = tempfile::tempdir().unwrap();
    Db {
        url: dir.path().join("history.db").display().to_string(),
        dir: Some(dir),
    }
}

fn postgres() -> Db {
    Db {
        url: server::database(),
        dir: None,
    }
}

/// Each test below, once on SQLite (`sqlite::NAME`) and once on PostgreSQL (`postgres::NAME`).
macro_rules! on_both_back_ends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $test() { super::$test(&super::sqlite()); })*
        }
        mod postgres {
            $(#[test] fn $test() { super::$test(&super::postgres()); })*
        }
    };
}

on_both_back_ends!(
    a_recorded_run_reads_back_whole,
    a_write_that_fails_midway_leaves_the_history_as_it_was,
    a_writer_killed_at_any_moment_leaves_the_whole_run_or_nothing,
    reading_commands_never_create_a_history,
    a_schema_newer_than_the_binary_is_refused_and_left_alone,
    plan_records_what_its_files_say_and_writes_the_same_files,
    plan_records_the_booked_moves_it_kept,
    diff_sorts_moves_into_kept_moved_dropped_and_new,
    roll_records_week_0_carried_out_and_the_requests_filled_once,
);

fn target(db: &Db) -> Target {
    db.url.parse().unwrap()
}

fn open(db: &Db) -> Store {
    Store::open(&target(db), true).unwrap()
}

/// A statement run on the database directly, beside the store.
fn execute(db: &Db, sql: &str) {
    if db.dir.is_some() {
        rusqlite::Connection::open(&db.url)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    } else {
        let mut client = ::postgres::Client::connect(&db.url, ::postgres::NoTls).unwrap();
        client.batch_execute(sql).unwrap();
    }
}

/// The texts `sql` selects (one TEXT column), in order.
fn texts(db: &Db, sql: &str) -> Vec<String> {
    if db.dir.is_some() {
        let connection = rusqlite::Connection::open(&db.url).unwrap();
        let mut statement = connection.prepare(sql).unwrap();
        let rows = statement.query_map([], |row| row.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    } else {
        let mut client = ::postgres::Client::connect(&db.url, ::postgres::NoTls).unwrap();
        let rows = client.query(sql, &[]).unwrap();
        rows.iter().map(|row| row.get(0)).collect()
    }
}

/// The number `sql` selects (one BIGINT).
fn number(db: &Db, sql: &str) -> i64 {
    if db.dir.is_some() {
        let connection = rusqlite::Connection::open(&db.url).unwrap();
        connection.query_row(sql, [], |row| row.get(0)).unwrap()
    } else {
        let mut client = ::postgres::Client::connect(&db.url, ::postgres::NoTls).unwrap();
        client.query_one(sql, &[]).unwrap().get(0)
    }
}

/// A run of `moves` planned moves and `requests` transfer requests, made up.
fn made_up_run(moves: usize, requests: usize) -> Run {
    let date = |week: usize| {
        let day = chrono::NaiveDate::from_ymd_opt(2014, 9, 1).unwrap();
        (day + chrono::Duration::weeks(week as i64)).to_string()
    };
    Run {
        header: RunHeader {
            started_at: "2026-01-05T09:00:00Z".into(),
            user: "tester".into(),
            command: "plan".into(),
            inputs: vec![InputFile {
                role: "population".into(),
                path: "population.csv".into(),
                sha256: "ab".repeat(32),
            }],
            plan_start: "2014-09-01".into(),
            horizon: 26,
            kpis: RunKpis {
                k1_reach_adult_male: Tally {
                    home: 539,
                    eligible: 612,
                },
                k1: Tally {
                    home: 955,
                    eligible: 1320,
                },
                k2: Tally {
                    home: 9000,
                    eligible: 11000,
                },
                on_track: 540,
                home_plus_on_track: 1495,
                moves: moves as u64,
                overflow_person_weeks: 2683,
            },
            status: "lp_vertex".into(),
        },
        options: r#"{"pseudonymise":false}"#.into(),
        timings: r#"{"total":1.5}"#.into(),
        planned: (0..moves)
            .map(|i| PlannedMove {
                prisoner: format!("A{i:06}"),
                from: "NLO".into(),
                to: "CTR".into(),
                week: (1 + i % 25) as u32,
                date: date(1 + i % 25),
                reason: "resettle".into(),
            })
            .collect(),
        requests: (0..requests)
            .map(|i| Request {
                key: RequestKey {
                    from: "NLO".into(),
                    to: "CTR".into(),
                    date: date(1 + i % 25),
                    estate: "adult_male".into(),
                    category: (i % 2 == 0).then(|| "c".into()),
                    sentence_length: Some("long".into()),
                },
                moves_count: 1 + i as u64,
                status: RequestStatus::Unfilled,
            })
            .collect(),
        booked: vec![],
    }
}

fn a_recorded_run_reads_back_whole(db: &Db) {
    let (first, second) = (made_up_run(50, 5), made_up_run(3, 0));
    let mut store = open(db);
    assert_eq!(store.record(&first).unwrap(), 1);
    assert_eq!(store.record(&second).unwrap(), 2);
    // Opened again: the schema is already there and the runs are kept.
    let mut store = open(db);
    assert_eq!(store.run(1).unwrap(), first);
    assert_eq!(store.run(2).unwrap(), second);
    let headers: Vec<(i64, RunHeader)> = store.runs().unwrap();
    assert_eq!(headers, vec![(1, first.header), (2, second.header)]);
    // Each recorded run has its line in the audit.
    assert_eq!(
        number(db, "SELECT COUNT(*) FROM audit WHERE run_id IS NOT NULL"),
        2
    );
}

fn a_write_that_fails_midway_leaves_the_history_as_it_was(db: &Db) {
    let mut store = open(db);
    store.record(&made_up_run(20, 2)).unwrap();
    // The runs row and 30,000 planned moves are written before the last request breaks a
    // constraint (moves_count > 0).
    let mut broken = made_up_run(30_000, 3);
    broken.requests.last_mut().unwrap().moves_count = 0;
    let error = store.record(&broken).unwrap_err();
    assert!(matches!(error, HistoryError::Database { .. }), "{error}");
    let message = error.to_string();
    // The ids themselves (A000000…): "A0" alone also turns up in a random server path.
    let named = broken
        .planned
        .iter()
        .find(|m| message.contains(&m.prisoner));
    assert!(named.is_none(), "a prisoner id in: {message}");
    assert_eq!(store.runs().unwrap().len(), 1);
    assert!(matches!(
        store.run(2),
        Err(HistoryError::NoRun { run: 2, .. })
    ));
    assert_eq!(number(db, "SELECT COUNT(*) FROM planned_moves"), 20);
    assert_eq!(number(db, "SELECT COUNT(*) FROM requests"), 2);
    assert_eq!(number(db, "SELECT COUNT(*) FROM audit"), 1);
    // The same store writes the next run whole, under the id the broken one did not take.
    let next = made_up_run(7, 1);
    assert_eq!(store.record(&next).unwrap(), 2);
    assert_eq!(store.run(2).unwrap(), next);
}

/// The planned moves of the large run that [`child_writes_a_large_run`] writes.
const LARGE_RUN: usize = 60_000;

/// Run only by [`a_writer_killed_at_any_moment_leaves_the_whole_run_or_nothing`], in a child
/// process: writes a large run into RESETTLE_TEST_KILL_DB, saying "writing" just before and
/// "written" just after.
#[test]
#[ignore = "a child process of the kill tests"]
fn child_writes_a_large_run() {
    let Ok(url) = std::env::var("RESETTLE_TEST_KILL_DB") else {
        return;
    };
    let run = made_up_run(LARGE_RUN, 1_000);
    let mut store = Store::open(&url.parse().unwrap(), true).unwrap();
    println!("writing");
    store.record(&run).unwrap();
    println!("written");
}

/// Starts [`child_writes_a_large_run`] and waits until it says "writing"; with `kill_after`,
/// kills it (SIGKILL) that long after, else lets it finish. Returns how long it wrote.
fn write_large_run(db: &Db, kill_after: Option<Duration>) -> Duration {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_writes_a_large_run",
            "--ignored",
            "--nocapture",
        ])
        .env("RESETTLE_TEST_KILL_DB", &db.url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(
        lines
            .by_ref()
            .map_while(Result::ok)
            .any(|line| line == "writing"),
        "the child never began writing"
    );
    let began = Instant::now();
    match kill_after {
        Some(delay) => {
            std::thread::sleep(delay);
            child.kill().unwrap();
            child.wait().unwrap();
        }
        None => {
            let rest: Vec<String> = lines.map_while(Result::ok).collect();
            assert!(rest.iter().any(|line| line == "written"), "{rest:?}");
            assert!(child.wait().unwrap().success());
        }
    }
    began.elapsed()
}

fn a_writer_killed_at_any_moment_leaves_the_whole_run_or_nothing(db: &Db) {
    let mut store = open(db);
    store.record(&made_up_run(10, 1)).unwrap();
    drop(store);
    // One whole write first, to time it; then kills spread over that time.
    let took = write_large_run(db, None);
    let mut whole = 2; // the runs present, each whole
    let mut nothing = 0; // kills that left nothing behind
    for share in [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.5] {
        write_large_run(db, Some(took.mul_f64(share)));
        let mut store = open(db);
        let runs = store.runs().unwrap();
        match runs.len() - whole {
            0 => nothing += 1,
            1 => whole += 1,
            more => panic!("{more} runs from one writer"),
        }
        let ids: Vec<i64> = runs.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, (1..=whole as i64).collect::<Vec<_>>());
        for id in 2..=whole as i64 {
            let run = store.run(id).unwrap();
            assert_eq!((run.planned.len(), run.requests.len()), (LARGE_RUN, 1_000));
        }
        let rows = number(db, "SELECT COUNT(*) FROM planned_moves");
        assert_eq!(rows as usize, 10 + (whole - 1) * LARGE_RUN);
        assert_eq!(number(db, "SELECT COUNT(*) FROM audit") as usize, whole);
    }
    assert!(
        nothing >= 3,
        "only {nothing} kill(s) landed before the commit"
    );
}

fn resettle() -> Command {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
}

fn run(command: &mut Command) -> Output {
    command.env_remove("RESETTLE_DB").output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn reading_commands_never_create_a_history(db: &Db) {
    let error = Store::open(&target(db), false).err().unwrap();
    assert!(matches!(error, HistoryError::NoHistory { .. }), "{error}");
    for args in [&["history"][..], &["diff", "1", "2"]] {
        let output = run(resettle().args(args).args(["--db", &db.url]));
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("no history there"),
            "{}",
            stderr(&output)
        );
    }
    if db.dir.is_some() {
        assert!(!Path::new(&db.url).exists());
    } else {
        let tables = "SELECT COUNT(*) FROM information_schema.tables \
                      WHERE table_schema = current_schema()";
        assert_eq!(number(db, tables), 0);
    }
}

fn a_schema_newer_than_the_binary_is_refused_and_left_alone(db: &Db) {
    open(db).record(&made_up_run(3, 1)).unwrap();
    execute(
        db,
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) \
         VALUES (2, 'from_the_future', '2030-01-01T00:00:00Z', '1')",
    );
    for create in [false, true] {
        match Store::open(&target(db), create) {
            Err(HistoryError::SchemaNewer { found, known, .. }) => {
                assert_eq!((found, known), (2, 1))
            }
            other => panic!("not refused: {:?}", other.err()),
        }
    }
    let output = run(resettle().args(["history", "--db", &db.url]));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("newer than this resettle"),
        "{}",
        stderr(&output)
    );
    // plan stops before any work: nothing written, nothing recorded.
    let out = tempfile::tempdir().unwrap();
    let plan_out = out.path().join("plan");
    let output = run(&mut plan(&sample(), &plan_out, &["--db", &db.url]));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!plan_out.exists());
    assert_eq!(number(db, "SELECT COUNT(*) FROM runs"), 1);
    assert_eq!(
        number(
            db,
            "SELECT CAST(MAX(version) AS BIGINT) FROM refinery_schema_history"
        ),
        2
    );
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

fn tiny() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny")
}

/// `resettle plan` on the data set `dir` (its population and receptions) into `out`.
fn plan(dir: &Path, out: &Path, options: &[&str]) -> Command {
    let mut command = resettle();
    command
        .args(["plan", "--start", "2014-09-01", "--data"])
        .arg(dir)
        .arg("--population")
        .arg(dir.join("population.csv"))
        .arg("--receptions")
        .arg(dir.join("receptions.csv"))
        .args(options)
        .arg("--out")
        .arg(out);
    command
}

/// The rows of a CSV file, by column name.
fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    csv::Reader::from_path(path)
        .unwrap()
        .deserialize()
        .map(Result::unwrap)
        .collect()
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, fs::read(entry.path()).unwrap())
        })
        .collect()
}

fn sha256(path: &Path) -> String {
    Sha256::digest(fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn plan_records_what_its_files_say_and_writes_the_same_files(db: &Db) {
    let temp = tempfile::tempdir().unwrap();
    let (recorded, plain) = (temp.path().join("recorded"), temp.path().join("plain"));
    let output = run(&mut plan(&sample(), &recorded, &["--db", &db.url]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("recorded run 1 in "),
        "{}",
        stderr(&output)
    );
    let output = run(&mut plan(&sample(), &plain, &["--quiet"]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(files(&recorded), files(&plain), "--db changed the files");

    if db.dir.is_some() {
        let mode = fs::metadata(&db.url).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the history holds prisoner ids");
    }
    let run = open(db).run(1).unwrap();
    let moves = csv_rows(&recorded.join("moves.csv"));
    assert!(moves.len() > 100);
    let planned: Vec<PlannedMove> = moves
        .iter()
        .map(|row| PlannedMove {
            prisoner: row["prisoner_id"].clone(),
            from: row["from"].clone(),
            to: row["to"].clone(),
            week: row["week"].parse().unwrap(),
            date: row["date"].clone(),
            reason: row["reason"].clone(),
        })
        .collect();
    assert_eq!(run.planned, planned);
    // The requests recorded are those sent: the requests week's (requests.csv).
    let requested: u64 = run.requests.iter().map(|r| r.moves_count).sum();
    let sent = csv_rows(&recorded.join("requests.csv"));
    assert!(!sent.is_empty());
    assert_eq!(requested as usize, sent.len());
    assert!(run
        .requests
        .iter()
        .all(|r| r.status == RequestStatus::Unfilled));
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(recorded.join("kpis.json")).unwrap()).unwrap();
    let optimal = &kpis["optimal"];
    let header = &run.header;
    assert_eq!(header.kpis.moves, optimal["moves"].as_u64().unwrap());
    assert_eq!(header.kpis.k1.home, optimal["k1"]["home"].as_u64().unwrap());
    assert_eq!(
        header.kpis.k1_reach_adult_male.eligible,
        optimal["k1_within_reach_adult_male"]["eligible"]
            .as_u64()
            .unwrap()
    );
    assert_eq!(header.kpis.k2.home, optimal["k2"]["home"].as_u64().unwrap());
    let overflow = optimal["overflow_person_weeks"].as_u64().unwrap();
    assert_eq!(header.kpis.overflow_person_weeks, overflow);
    assert_eq!(
        header.status,
        kpis["model"]["integrality"].as_str().unwrap()
    );
    let options: serde_json::Value = serde_json::from_str(&run.options).unwrap();
    assert_eq!(options["parameters"], kpis["parameters"]);
    let timings: serde_json::Value = serde_json::from_str(&run.timings).unwrap();
    assert!(
        timings["stages"].as_array().unwrap().len() >= 5,
        "{timings}"
    );
    let inputs: BTreeMap<&str, &str> = header
        .inputs
        .iter()
        .map(|input| (input.role.as_str(), input.sha256.as_str()))
        .collect();
    for (role, file) in [
        ("population", "population.csv"),
        ("receptions", "receptions.csv"),
        ("cpas", "cpas.csv"),
        ("prisons", "prisons.csv"),
        ("designations", "designations.csv"),
        ("published_population", "published_population.csv"),
    ] {
        assert_eq!(inputs[role], sha256(&sample().join(file)), "{role}");
    }

    // `history` lists it, with no prisoner id nor any date of theirs.
    let output = run_history(db);
    let listed = stdout(&output);
    assert!(listed.contains(&format!("population:{}", &inputs["population"][..8])));
    assert!(listed.contains("plan") && listed.contains(&header.kpis.moves.to_string()));
    for row in &moves {
        assert!(!listed.contains(&row["prisoner_id"]), "{listed}");
        assert!(row["release_date"].is_empty() || !listed.contains(&row["release_date"]));
    }
}

fn run_history(db: &Db) -> Output {
    let output = run(resettle().args(["history", "--db", &db.url]));
    assert!(output.status.success(), "{}", stderr(&output));
    output
}

fn plan_records_the_booked_moves_it_kept(db: &Db) {
    let out = tempfile::tempdir().unwrap();
    let booked = tiny().join("booked.csv");
    let options = [
        "--quiet",
        "--db",
        &db.url,
        "--booked",
        booked.to_str().unwrap(),
    ];
    let output = run(&mut plan(&tiny(), &out.path().join("plan"), &options));
    assert!(output.status.success(), "{}", stderr(&output));
    let run = open(db).run(1).unwrap();
    let kept: Vec<(String, String)> = run
        .booked
        .iter()
        .map(|m| (m.prisoner.clone(), m.to.clone()))
        .collect();
    assert_eq!(
        kept,
        [("P002".into(), "CTR".into()), ("P006".into(), "NLO".into())]
    );
    assert!(run
        .header
        .inputs
        .iter()
        .any(|i| i.role == "booked" && i.sha256 == sha256(&booked)));
}

fn diff_sorts_moves_into_kept_moved_dropped_and_new(db: &Db) {
    let mv = |prisoner: &str, to: &str, week: u32| PlannedMove {
        prisoner: prisoner.into(),
        from: "NLO".into(),
        to: to.into(),
        week,
        date: format!("2014-09-{:02}", 1 + 7 * week),
        reason: "resettle".into(),
    };
    let mut before = made_up_run(0, 0);
    before.planned = vec![
        mv("P1", "CTR", 1),
        mv("P2", "CTR", 1),
        mv("P3", "CTR", 2),
        mv("P4", "SOP", 3),
    ];
    let mut after = made_up_run(0, 0);
    after.planned = vec![
        mv("P1", "CTR", 1),
        mv("P2", "CTR", 2),
        mv("P3", "SOP", 2),
        mv("P5", "CTR", 3),
    ];
    let mut store = open(db);
    store.record(&before).unwrap();
    store.record(&after).unwrap();
    let counts = "run 1 to run 2: 1 kept, 1 other_week, 1 other_prison, 1 dropped, 1 new";

    let out = tempfile::tempdir().unwrap();
    let csv_path = out.path().join("diff.csv");
    let output = run(resettle()
        .args(["diff", "1", "2", "--db", &db.url, "--out"])
        .arg(&csv_path));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), counts);
    let rows = csv_rows(&csv_path);
    let changes: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["change"].as_str(),
                r["prisoner_id"].as_str(),
                r["to_before"].as_str(),
                r["to_after"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("kept", "P1", "CTR", "CTR"),
            ("other_week", "P2", "CTR", "CTR"),
            ("other_prison", "P3", "CTR", "SOP"),
            ("dropped", "P4", "SOP", ""),
            ("new", "P5", "", "CTR"),
        ]
    );
    assert_eq!(
        (
            rows[1]["date_before"].as_str(),
            rows[1]["date_after"].as_str()
        ),
        ("2014-09-08", "2014-09-15")
    );

    // Without --out: the CSV on stdout, the counts on stderr.
    let output = run(resettle().args(["diff", "1", "2", "--db", &db.url]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output).trim(), counts);
    assert_eq!(stdout(&output).into_bytes(), fs::read(&csv_path).unwrap());
    // Each read of prisoner ids is in the audit.
    assert_eq!(
        number(db, "SELECT COUNT(*) FROM audit WHERE command = 'diff 1 2'"),
        2
    );
    // A run that is not there.
    let output = run(resettle().args(["diff", "1", "9", "--db", &db.url]));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no run 9"), "{}", stderr(&output));
}

/// A `--db` that cannot be used: exit 2, a message naming it (never its password), nothing
/// written.
#[test]
fn a_bad_db_exits_2_with_a_clear_message() {
    let temp = tempfile::tempdir().unwrap();
    let not_a_database = temp.path().join("notes.txt");
    fs::write(&not_a_database, "not a database, but mine\n").unwrap();
    let inside = temp.path().join("plan");
    fs::create_dir(&inside).unwrap();
    let cases: [(&str, &[&str], &str); 5] = [
        (
            "mysql://me@host/db",
            &["history"],
            "neither an SQLite file nor a PostgreSQL URL",
        ),
        (
            "postgres://me@host:port/db",
            &["history"],
            "not a PostgreSQL URL that can be read",
        ),
        (
            "postgres://me:s3cret@127.0.0.1:1/db",
            &["history"],
            "cannot connect",
        ),
        (
            not_a_database.to_str().unwrap(),
            &["diff", "1", "2"],
            "not an SQLite database",
        ),
        ("", &["history"], "is empty"),
    ];
    for (db, args, says) in cases {
        let output = run(resettle().args(args).args(["--db", db]));
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{db}: {message}");
        assert!(message.contains(says), "{db}: {message}");
        assert!(
            !message.contains("s3cret") && !message.contains("panicked"),
            "{message}"
        );
    }
    assert_eq!(
        fs::read_to_string(&not_a_database).unwrap(),
        "not a database, but mine\n"
    );
    for (db, says) in [
        (
            temp.path().join("missing/history.db"),
            "its folder does not exist",
        ),
        (inside.join("history.db"), "is inside --out"),
    ] {
        let output = run(&mut plan(&tiny(), &inside, &["--db", db.to_str().unwrap()]));
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert!(!db.exists());
    }
    assert_eq!(fs::read_dir(&inside).unwrap().count(), 0);
}

/// Booked moves of the sample (as in `tests/roll.rs`): one in week 0, one in week 1 (so in
/// the requests), one in week 3.
const BOOKED: &str = "prisoner_id,to,week\nA0000AA,CWI,0\nA0004AA,GMI,1\nA0005AA,CWI,3\n";

fn roll_records_week_0_carried_out_and_the_requests_filled_once(db: &Db) {
    let temp = tempfile::tempdir().unwrap();
    let booked = temp.path().join("booked.csv");
    fs::write(&booked, BOOKED).unwrap();
    let plan_dir = temp.path().join("plan");
    let booked_arg = [
        "--quiet",
        "--db",
        &db.url,
        "--booked",
        booked.to_str().unwrap(),
    ];
    let output = run(&mut plan(&sample(), &plan_dir, &booked_arg));
    assert!(output.status.success(), "{}", stderr(&output));
    let roll = |out: &str, run_id: &str| {
        run(resettle()
            .args(["roll", "--start", "2014-09-01", "--data"])
            .arg(sample())
            .arg("--population")
            .arg(sample().join("population.csv"))
            .arg("--receptions")
            .arg(sample().join("receptions.csv"))
            .arg("--booked")
            .arg(&booked)
            .arg("--plan")
            .arg(&plan_dir)
            .arg("--out")
            .arg(temp.path().join(out))
            .args(["--db", &db.url, "--run", run_id]))
    };
    let output = roll("next", "1");
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    let made: usize = said
        .lines()
        .find_map(|line| line.strip_prefix("moves made in week 0:"))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(!said.contains("A0000AA"), "{said}");

    // The carried-out moves are the week-0 moves roll made: the plan's of week 0.
    let carried = "SELECT prisoner || ',' || from_prison || ',' || to_prison || ',' || move_date \
                   FROM carried_out_moves WHERE run_id = 1 ORDER BY line";
    let mut week_0: Vec<String> = csv_rows(&plan_dir.join("moves.csv"))
        .iter()
        .filter(|m| m["week"] == "0")
        .map(|m| {
            format!(
                "{},{},{},{}",
                m["prisoner_id"], m["from"], m["to"], m["date"]
            )
        })
        .collect();
    week_0.sort();
    assert_eq!(made, 1);
    assert_eq!(texts(db, carried), week_0);
    assert!(week_0[0].starts_with("A0000AA,") && week_0[0].ends_with(",CWI,2014-09-01"));
    // Every week-1 move of the sample is bookable: every request is filled.
    let requests = open(db).run(1).unwrap().requests;
    assert!(!requests.is_empty());
    assert!(requests.iter().all(|r| r.status == RequestStatus::Filled));
    let rolls = "SELECT COUNT(*) FROM audit WHERE command = 'roll' AND run_id = 1";
    assert_eq!(number(db, rolls), 1);

    // A second roll of the run is refused and leaves the history as it was; so are a run
    // that is not there, a run of another start and one of another plan.
    let mut other_week = made_up_run(0, 0);
    other_week.header.plan_start = "2014-09-08".into();
    assert_eq!(open(db).record(&other_week).unwrap(), 2);
    assert_eq!(open(db).record(&made_up_run(3, 1)).unwrap(), 3);
    let audit = number(db, "SELECT COUNT(*) FROM audit");
    for (run_id, says) in [
        ("1", "run 1 was rolled already"),
        ("9", "no run 9"),
        (
            "2",
            "run 2 is the plan starting on 2014-09-08, not on --start 2014-09-01",
        ),
        (
            "3",
            "--run 3: its planned moves are not those of --plan's moves.csv",
        ),
    ] {
        let output = roll("again", run_id);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert!(!temp.path().join("again").exists());
        assert_eq!(texts(db, carried), week_0);
        assert_eq!(number(db, "SELECT COUNT(*) FROM carried_out_moves"), 1);
        assert_eq!(number(db, "SELECT COUNT(*) FROM audit"), audit);
        assert_eq!(open(db).run(1).unwrap().requests, requests);
    }
}
