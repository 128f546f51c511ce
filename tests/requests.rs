//! The transfer requests of `resettle plan`, through the binary on the sample: `requests.csv`
//! and `allocations.json` hold the moves of one week, the requests week, but those of category
//! A prisoners; `moves.csv` keeps the whole horizon; a requests week in which the plan may move
//! no one is refused, and nothing is written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::csv_records;

/// The sample with a category A prisoner (A1017AA, at IWI) booked to move to WCI in week 1:
/// IWI and WCI hold category A here.
fn sample_with_category_a(dir: &Path) -> PathBuf {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let data = dir.join("data");
    fs::create_dir(&data).unwrap();
    for entry in fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    let edit = |file: &str, from: &str, to: &str| {
        let path = data.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "prisons.csv",
        "IWI,Isle of Wight,hampshire_iow,cat_b_trainer,adult_male,B;C,",
        "IWI,Isle of Wight,hampshire_iow,cat_b_trainer,adult_male,A;B;C,",
    );
    edit(
        "prisons.csv",
        "WCI,Winchester,hampshire_iow,local,adult_male,B;C,",
        "WCI,Winchester,hampshire_iow,local,adult_male,A;B;C,",
    );
    edit(
        "population.csv",
        "A1017AA,IWI,dorset_devon_cornwall,adult_male,B,",
        "A1017AA,IWI,dorset_devon_cornwall,adult_male,A,",
    );
    fs::write(
        data.join("booked.csv"),
        "prisoner_id,to,week\nA1017AA,WCI,1\n",
    )
    .unwrap();
    data
}

/// Runs `resettle plan` on `data` (made by [`sample_with_category_a`]) into `out`, with
/// `options`.
fn plan(data: &Path, out: &Path, options: &[&str]) -> std::process::Output {
    Command::cargo_bin("resettle")
        .unwrap()
        .args(["plan", "--quiet", "--start", "2014-09-01", "--data"])
        .arg(data)
        .arg("--population")
        .arg(data.join("population.csv"))
        .arg("--receptions")
        .arg(data.join("receptions.csv"))
        .arg("--booked")
        .arg(data.join("booked.csv"))
        .args(options)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

type Record = BTreeMap<String, String>;

/// `allocations.json`'s requests as (from, to, date, prisoner_category, estate,
/// sentence_length) with their `moves_count`.
fn allocations(out: &Path) -> BTreeMap<[String; 6], u64> {
    let document: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("allocations.json")).unwrap()).unwrap();
    let word = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_string();
    let mut requests = BTreeMap::new();
    for a in document["data"].as_array().unwrap() {
        let (at, rel) = (&a["attributes"], &a["relationships"]);
        let key = [
            word(&rel["from_location"]["data"]["id"]),
            word(&rel["to_location"]["data"]["id"]),
            word(&at["date"]),
            word(&at["prisoner_category"]),
            word(&at["estate"]),
            word(&at["sentence_length"]),
        ];
        let count = at["moves_count"].as_u64().unwrap();
        assert!(requests.insert(key, count).is_none(), "one request per key");
    }
    requests
}

/// `requests.csv`'s rows grouped as `allocations.json` groups them, the categories in the
/// words of a request: `b`, `c`, `d` for men, `open` or `closed` for women.
fn grouped(requests: &[Record]) -> BTreeMap<[String; 6], u64> {
    let mut groups = BTreeMap::new();
    for r in requests {
        let female = r["estate"].ends_with("female");
        let category = match (female, r["category"].as_str()) {
            (true, "D") => "open".to_string(),
            (true, _) => "closed".to_string(),
            (false, category) => category.to_lowercase(),
        };
        let key = [
            r["from"].clone(),
            r["to"].clone(),
            r["date"].clone(),
            category,
            r["estate"].clone(),
            r["sentence_length"].clone(),
        ];
        *groups.entry(key).or_default() += 1;
    }
    groups
}

/// The invariant of the requests of `week` in the plan folder `out`: the requests' counts
/// add up to the moves of that week in `moves.csv` but category A's, which are the rows of
/// `requests.csv`, one per prisoner, by sending prison, destination and prisoner. Returns
/// the rows of `moves.csv`.
fn check_requests(out: &Path, week: &str) -> Vec<Record> {
    let moves = csv_records(&out.join("moves.csv"));
    let requests = csv_records(&out.join("requests.csv"));
    let allocations = allocations(out);
    let of_week: Vec<&Record> = moves.iter().filter(|m| m["week"] == week).collect();
    let requested: Vec<&Record> = of_week
        .iter()
        .copied()
        .filter(|m| m["category"] != "A")
        .collect();
    assert!(
        !requested.is_empty(),
        "the plan moves people in week {week}"
    );
    let sent: u64 = allocations.values().sum();
    assert_eq!(sent, requested.len() as u64, "week {week}");
    assert_eq!(requests.len(), requested.len(), "week {week}");
    assert_eq!(grouped(&requests), allocations, "week {week}");
    // Each request row is a move of moves.csv, column for column.
    let key = |r: &Record| (r["from"].clone(), r["to"].clone(), r["prisoner_id"].clone());
    let mut expected: Vec<&Record> = requested.clone();
    expected.sort_by_key(|m| key(m));
    for (request, moved) in requests.iter().zip(&expected) {
        for (column, value) in request {
            assert_eq!(value, &moved[column], "{column}: {request:?}");
        }
    }
    moves
}

#[test]
fn requests_are_the_first_movable_weeks_moves_but_category_a() {
    let temp = tempfile::tempdir().unwrap();
    let data = sample_with_category_a(temp.path());
    let out = temp.path().join("out");
    let output = plan(&data, &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let moves = check_requests(&out, "1");
    // The category A move is planned, in moves.csv, and never requested.
    let category_a: Vec<&Record> = moves.iter().filter(|m| m["category"] == "A").collect();
    assert_eq!(category_a.len(), 1, "{category_a:?}");
    assert_eq!(
        (
            category_a[0]["prisoner_id"].as_str(),
            category_a[0]["week"].as_str()
        ),
        ("A1017AA", "1")
    );
    let requests = fs::read_to_string(out.join("requests.csv")).unwrap();
    assert!(requests.starts_with(
        "from,to,date,week,prisoner_id,estate,category,sentence_length,home_cpa,release_date,\
         reason,why\n"
    ));
    assert!(!requests.contains("A1017AA"));
    // The rest of the plan, a forecast, stays in moves.csv.
    assert!(moves.iter().any(|m| m["week"] != "1"));
    assert!(moves.iter().all(|m| !m["estate"].is_empty()));
}

#[test]
fn a_chosen_requests_week_sends_that_weeks_moves_pseudonymised() {
    let temp = tempfile::tempdir().unwrap();
    let data = sample_with_category_a(temp.path());
    let key = temp.path().join("resettle.key");
    fs::write(&key, b"resettle test key 32 bytes long!").unwrap();
    let out = temp.path().join("out");
    let options = [
        "--requests-week",
        "5",
        "--pseudonymise",
        "--pseudonym-key-file",
    ];
    let output = plan(
        &data,
        &out,
        &[&options[..], &[key.to_str().unwrap()]].concat(),
    );
    assert!(output.status.success(), "{output:?}");
    check_requests(&out, "5");
    let requests = csv_records(&out.join("requests.csv"));
    assert!(requests
        .iter()
        .all(|r| r["week"] == "5" && r["date"] == "2014-10-06"));
    assert!(
        requests
            .iter()
            .all(|r| r["prisoner_id"].starts_with('P') && r["prisoner_id"].len() == 17),
        "pseudonyms, as in moves.csv"
    );
}

#[test]
fn a_requests_week_in_which_no_one_may_move_is_refused_and_nothing_written() {
    let temp = tempfile::tempdir().unwrap();
    let data = sample_with_category_a(temp.path());
    let out = temp.path().join("out");
    for (options, expected) in [
        (
            &["--requests-week", "0"][..],
            "--requests-week 0: not a week the plan may move someone in; choose one of weeks 1 \
             to 25",
        ),
        (
            &["--requests-week", "26"],
            "--requests-week 26: not a week the plan may move someone in; choose one of weeks 1 \
             to 25",
        ),
        (
            &["--requests-week", "3", "--first-movable-week", "4"],
            "choose one of weeks 4 to 25",
        ),
        (
            &[
                "--requests-week",
                "9",
                "--horizon",
                "8",
                "--first-movable-week",
                "8",
            ],
            "there is none (--first-movable-week 8 is the end of --horizon 8)",
        ),
    ] {
        let output = plan(&data, &out, options);
        assert_eq!(output.status.code(), Some(2), "{options:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{options:?}: {stderr}");
        assert!(!out.exists(), "{options:?}: nothing is written");
    }
}
