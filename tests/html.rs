//! `resettle report` on the sample plan: the figures in the HTML equal those of the plan's
//! files, the page is self-contained and names nobody, problems in the plan folder are named
//! with exit code 2 — and, in headless Chromium, the page renders every section and chart
//! without a script or console error.
//!
//! The browser test needs Debian's `chromium` (installed by `make prereqs`); without it the
//! test fails, saying so, rather than being skipped.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::OnceLock;

use assert_cmd::Command;
use common::csv_records;

fn resettle() -> Command {
    let mut command = Command::cargo_bin("resettle").unwrap();
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// The sample data planned once for this test binary, and its report: (folder, report).
fn sample() -> &'static (PathBuf, PathBuf) {
    static SAMPLE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-sample");
        let _ = fs::remove_dir_all(&dir);
        let plan = dir.join("plan");
        resettle()
            .args(["plan", "--data", "data/sample"])
            .args(["--population", "data/sample/population.csv"])
            .args(["--receptions", "data/sample/receptions.csv"])
            .args(["--start", "2014-09-01", "--quiet", "--out"])
            .arg(&plan)
            .assert()
            .success();
        let report = dir.join("report.html");
        resettle()
            .arg("report")
            .arg("--plan")
            .arg(&plan)
            .arg("--out")
            .arg(&report)
            .assert()
            .success();
        (plan, report)
    })
}

fn html() -> String {
    fs::read_to_string(&sample().1).unwrap()
}

/// The text of the element carrying `data-figure="key"`.
fn figure(html: &str, key: &str) -> String {
    let marker = format!("data-figure=\"{key}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no figure {key} in the report"))
        + marker.len();
    let end = start + html[start..].find('<').unwrap();
    html[start..end].to_string()
}

/// A count as shown (with thousands separators), as a number.
fn count(text: &str) -> u64 {
    text.replace(',', "").parse().unwrap()
}

fn percent(share: &serde_json::Value) -> String {
    match share.as_f64() {
        Some(share) => format!("{:.1}%", share * 100.0),
        None => "–".to_string(),
    }
}

#[test]
fn the_figures_in_the_report_equal_those_in_kpis_json() {
    let (plan, _) = sample();
    let html = html();
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(plan.join("kpis.json")).unwrap()).unwrap();
    for name in ["status_quo", "greedy", "optimal"] {
        let k = &kpis[name];
        let f = |field: &str| figure(&html, &format!("{name}.{field}"));
        assert_eq!(
            f("k1_within_reach_adult_male.share"),
            percent(&k["k1_within_reach_adult_male"]["share"]),
            "{name} headline"
        );
        assert_eq!(
            f("k1_within_reach.share"),
            percent(&k["k1_within_reach"]["share"])
        );
        for field in ["home", "eligible"] {
            assert_eq!(
                count(&f(&format!("k1_within_reach.{field}"))),
                k["k1_within_reach"][field].as_u64().unwrap()
            );
        }
        assert_eq!(count(&f("on_track")), k["on_track"].as_u64().unwrap());
        assert_eq!(
            count(&f("home_plus_on_track")),
            k["home_plus_on_track"].as_u64().unwrap()
        );
        for estate in k["by_estate"].as_array().unwrap() {
            let e = |field: &str| {
                figure(
                    &html,
                    &format!(
                        "estate.{}.{name}.{field}",
                        estate["estate"].as_str().unwrap()
                    ),
                )
            };
            assert_eq!(
                e("k1_within_reach.share"),
                percent(&estate["k1_within_reach"]["share"])
            );
            assert_eq!(e("k1.share"), percent(&estate["k1"]["share"]));
            assert_eq!(e("k2.share"), percent(&estate["k2"]["share"]));
        }
        assert_eq!(count(&f("k1.home")), k["k1"]["home"].as_u64().unwrap());
        assert_eq!(
            count(&f("k1.eligible")),
            k["k1"]["eligible"].as_u64().unwrap()
        );
        assert_eq!(f("k1.share"), percent(&k["k1"]["share"]), "{name} K1");
        assert_eq!(
            f("k1_adult_male.share"),
            percent(&k["k1_adult_male"]["share"])
        );
        assert_eq!(f("k2.share"), percent(&k["k2"]["share"]), "{name} K2");
        assert_eq!(count(&f("moves")), k["moves"].as_u64().unwrap());
        assert_eq!(
            count(&f("overflow_person_weeks")),
            k["overflow_person_weeks"].as_u64().unwrap()
        );
    }
    let optimal = &kpis["optimal"];
    assert_eq!(
        figure(&html, "card.optimal.k1_within_reach_adult_male.share"),
        percent(&optimal["k1_within_reach_adult_male"]["share"])
    );
    assert_eq!(
        figure(&html, "card.optimal.k1_within_reach.share"),
        percent(&optimal["k1_within_reach"]["share"])
    );
    assert_eq!(
        count(&figure(&html, "card.optimal.on_track")),
        optimal["on_track"].as_u64().unwrap()
    );
    assert_eq!(
        figure(&html, "card.optimal.k1.share"),
        percent(&optimal["k1"]["share"])
    );
    assert_eq!(
        figure(&html, "card.optimal.k2.share"),
        percent(&optimal["k2"]["share"])
    );
    assert_eq!(
        count(&figure(&html, "card.optimal.moves")),
        optimal["moves"].as_u64().unwrap()
    );
    assert_eq!(
        count(&figure(&html, "bound.home_plus_on_track")),
        kpis["bound"]["home_plus_on_track"].as_u64().unwrap()
    );
    assert_eq!(
        count(&figure(&html, "juvenile.releases")),
        kpis["juvenile_estate"]["releases_in_horizon"]
            .as_u64()
            .unwrap()
    );
    // The run's parameters, as kpis.json holds them.
    let parameters = &kpis["parameters"];
    let parameter = |key: &str| figure(&html, &format!("parameter.{key}"));
    assert_eq!(parameter("start"), "2014-09-01");
    for key in [
        "horizon",
        "window",
        "first_movable_week",
        "within_reach_from_week",
    ] {
        assert_eq!(parameter(key), parameters[key].to_string(), "{key}");
    }
    assert_eq!(parameter("max_moves_per_week"), "none");
    assert_eq!(parameter("time_limit_seconds"), "none");
    // The report's text is HTML: its apostrophes are escaped.
    assert_eq!(
        parameter("integrality").replace("&#39;", "'"),
        kpis["model"]["solved"].as_str().unwrap()
    );
    assert!(!html.contains("TIME LIMIT"), "solved to optimality");
    // The moves chart counts every person the optimal plan moves.
    assert_eq!(
        count(&figure(&html, "moves.total")),
        optimal["moves"].as_u64().unwrap()
    );
}

#[test]
fn the_tables_equal_the_plans_csv_files() {
    let (plan, _) = sample();
    let html = html();
    let mut cpas = 0;
    for r in csv_records(&plan.join("kpis_by_cpa.csv")) {
        let share = |column: &str| match r[column].as_str() {
            "" => "–".to_string(),
            text => format!("{:.1}%", text.parse::<f64>().unwrap() * 100.0),
        };
        let key = |field: &str| format!("cpa.{}.{}.{field}", r["cpa"], r["plan"]);
        assert_eq!(figure(&html, &key("k1_share")), share("k1_share"));
        assert_eq!(
            figure(&html, &key("k1_within_reach_share")),
            share("k1_within_reach_share")
        );
        if r["plan"] != "greedy" {
            assert_eq!(figure(&html, &key("k2_share")), share("k2_share"));
        }
        cpas += 1;
    }
    assert_eq!(cpas, 4 * 3, "four CPAs, three plans");
    let mut weeks = 0;
    for r in csv_records(&plan.join("kpis_by_week.csv")) {
        let share = |column: &str| match r[column].as_str() {
            "" => "–".to_string(),
            text => format!("{:.1}%", text.parse::<f64>().unwrap() * 100.0),
        };
        for column in ["k1_share", "k2_share"] {
            let key = format!("week.{}.{}.{column}", r["week"], r["plan"]);
            assert_eq!(figure(&html, &key), share(column), "{key}");
        }
        weeks += 1;
    }
    assert_eq!(weeks, 26 * 3, "26 weeks, three plans");
    // People not released home: prisoners and members of cohorts.
    let unplaced = csv_records(&plan.join("unplaced.csv"));
    let people = |reason: Option<&str>| -> u64 {
        unplaced
            .iter()
            .filter(|r| reason.is_none_or(|reason| r["reason"] == reason))
            .map(|r| r["count"].parse::<u64>().unwrap())
            .sum()
    };
    assert!(
        unplaced.iter().any(|r| !r["cohort"].is_empty()),
        "cohorts are listed"
    );
    assert_eq!(count(&figure(&html, "unplaced.total")), people(None));
    let kpis: serde_json::Value =
        serde_json::from_slice(&fs::read(plan.join("kpis.json")).unwrap()).unwrap();
    let k1 = &kpis["optimal"]["k1"];
    assert_eq!(
        people(None),
        k1["eligible"].as_u64().unwrap() - k1["home"].as_u64().unwrap()
    );
    let prisons_full = people(Some("prisons_full"));
    if prisons_full > 0 {
        assert_eq!(count(&figure(&html, "unplaced.prisons_full")), prisons_full);
    }
    let mut workload: BTreeMap<String, u64> = BTreeMap::new();
    for r in csv_records(&plan.join("workload.csv")) {
        *workload.entry(r["prison"].clone()).or_default() +=
            r["final_weeks"].parse::<u64>().unwrap();
    }
    assert!(workload.len() >= 10);
    for (code, total) in workload {
        let key = format!("workload.{code}.final_weeks");
        assert_eq!(count(&figure(&html, &key)), total, "{code}");
    }
    let mut overflow: BTreeMap<String, u64> = BTreeMap::new();
    for r in csv_records(&plan.join("occupancy.csv")) {
        let (held, capacity): (u64, u64) = (
            r["occupancy"].parse().unwrap(),
            r["capacity"].parse().unwrap(),
        );
        *overflow.entry(r["prison"].clone()).or_default() += held.saturating_sub(capacity);
    }
    assert_eq!(
        overflow.values().sum::<u64>(),
        kpis["optimal"]["overflow_person_weeks"].as_u64().unwrap()
    );
    for (code, person_weeks) in overflow {
        let key = format!("overflow.{code}");
        assert_eq!(count(&figure(&html, &key)), person_weeks, "{code}");
    }
}

/// The `data-chart` of every chart of the plan report.
const CHARTS: [&str; 9] = [
    "summary",
    "k1-by-week",
    "k2-by-week",
    "k1-by-estate",
    "k1-by-cpa",
    "occupancy",
    "moves",
    "workload",
    "unplaced",
];
const SECTIONS: [&str; 10] = [
    "summary",
    "parameters",
    "by-week",
    "by-estate",
    "k1-by-cpa",
    "occupancy",
    "moves",
    "workload",
    "crc",
    "unplaced",
];

#[test]
fn every_section_and_chart_is_in_the_page() {
    let html = html();
    for section in SECTIONS {
        assert!(
            html.contains(&format!("<section id=\"{section}\"")),
            "{section}"
        );
    }
    for chart in CHARTS {
        let marker = format!("data-chart=\"{chart}\"");
        let at = html
            .find(&marker)
            .unwrap_or_else(|| panic!("no chart {chart}"));
        let svg = &html[at..at + html[at..].find("</svg>").unwrap()];
        assert!(svg.contains("<rect"), "chart {chart} draws something");
    }
    assert_eq!(html.matches("<table class=\"sortable\"").count(), 10);
    assert!(!html.contains("id=\"scenarios\""));
}

/// A plan made under a time limit that ran out is marked at the top of the page and among
/// the parameters.
#[test]
fn a_plan_cut_short_by_the_time_limit_is_marked() {
    let plan = broken_plan(|dir| {
        let path = dir.join("kpis.json");
        let mut kpis: serde_json::Value =
            serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        kpis["parameters"]["time_limit_seconds"] = serde_json::json!(30.0);
        kpis["model"]["integrality"] = serde_json::json!("time_limit");
        kpis["model"]["time_limit_reached"] = serde_json::json!(true);
        kpis["model"]["solved"] = serde_json::json!(
            "TIME LIMIT in the 'moves' stage: the best whole-number plan found by then, not proven optimal"
        );
        fs::write(&path, serde_json::to_vec_pretty(&kpis).unwrap()).unwrap();
    });
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.html");
    resettle()
        .arg("report")
        .arg("--plan")
        .arg(plan.path())
        .arg("--out")
        .arg(&report)
        .assert()
        .success();
    let html = fs::read_to_string(&report).unwrap();
    let banner = figure(&html, "time-limit");
    assert!(
        banner.starts_with("TIME LIMIT in the &#39;moves&#39; stage")
            && banner.contains("not proven optimal"),
        "{banner}"
    );
    let header = html.find("</header>").unwrap();
    assert!(
        html.find("data-figure=\"time-limit\"").unwrap()
            < html[header..].find("id=\"summary\"").unwrap() + header
    );
    assert_eq!(figure(&html, "parameter.time_limit_seconds"), "30");
    assert!(figure(&html, "parameter.integrality").starts_with("TIME LIMIT"));
}

#[test]
fn the_page_is_self_contained_and_names_nobody() {
    let html = html();
    for forbidden in ["http:", "https:", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(forbidden), "the page refers to {forbidden}");
    }
    for link in html
        .match_indices("href=\"")
        .map(|(i, _)| &html[i + 6..i + 7])
    {
        assert_eq!(link, "#", "only links inside the page");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let population = csv_records(&root.join("data/sample/population.csv"));
    assert!(population.len() > 2000);
    for prisoner in population {
        assert!(
            !html.contains(prisoner["prisoner_id"].as_str()),
            "a prisoner id is in the report"
        );
    }
}

#[test]
fn two_reports_of_one_plan_are_identical() {
    let (plan, report) = sample();
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.html");
    resettle()
        .arg("report")
        .arg("--plan")
        .arg(plan)
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(fs::read(report).unwrap(), fs::read(&again).unwrap());
}

/// A copy of the sample plan folder, changed by `change`.
fn broken_plan(change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(&sample().0).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    change(dir.path());
    dir
}

/// Runs the report on `plan`; expects exit code 2, nothing written, and returns stderr.
fn fails(plan: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.html");
    let assert = resettle()
        .arg("report")
        .arg("--plan")
        .arg(plan)
        .arg("--out")
        .arg(&report)
        .assert()
        .code(2);
    assert!(!report.exists(), "nothing is written");
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn a_missing_file_is_named_and_exits_with_code_2() {
    let plan = broken_plan(|dir| fs::remove_file(dir.join("workload.csv")).unwrap());
    let stderr = fails(plan.path());
    assert!(
        stderr.contains("workload.csv: error: cannot be read"),
        "{stderr}"
    );
    assert!(
        stderr.contains("resettle plan"),
        "says what writes it: {stderr}"
    );
    let stderr = fails(&plan.path().join("nowhere"));
    assert!(stderr.contains("is not a folder"), "{stderr}");
}

#[test]
fn a_bad_file_is_named_with_its_line_and_column() {
    let plan = broken_plan(|dir| {
        fs::write(dir.join("kpis.json"), "{\"optimal\": 1}").unwrap();
        let occupancy = fs::read_to_string(dir.join("occupancy.csv")).unwrap();
        let mut lines: Vec<String> = occupancy.lines().map(str::to_string).collect();
        lines[3] = lines[3].replacen(",2014-09-15,", ",2014-09-15,many,", 1);
        let broken: Vec<String> = lines
            .into_iter()
            .map(|l| {
                let fields: Vec<&str> = l.split(',').collect();
                fields[..5.min(fields.len())].join(",")
            })
            .collect();
        fs::write(dir.join("occupancy.csv"), broken.join("\n") + "\n").unwrap();
        let cpa = fs::read_to_string(dir.join("kpis_by_cpa.csv")).unwrap();
        fs::write(dir.join("kpis_by_cpa.csv"), cpa.replace("k2_share", "k2")).unwrap();
    });
    let stderr = fails(plan.path());
    assert!(stderr.contains("kpis.json"), "{stderr}");
    assert!(
        stderr.contains("occupancy.csv:4:4: error: column 'occupancy', value \"many\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("kpis_by_cpa.csv: error: lacks the column(s) k2_share"),
        "{stderr}"
    );
}

/// A comparison in the shape `resettle scenarios run` writes (national columns, then per
/// CPA), for two scenarios.
fn comparison() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut header = [
        "scenario",
        "k1_within_reach_adult_male_optimal",
        "k1_within_reach_adult_male_greedy",
        "within_reach_releases",
        "k1_within_reach_optimal",
        "eligible_releases",
        "k1_home_optimal",
        "k1_optimal",
        "k1_adult_male_optimal",
        "k1_greedy",
        "k2_optimal",
        "on_track_optimal",
        "moves_optimal",
        "places_short",
        "gap",
    ]
    .join(",");
    let mut base =
        "baseline,0.9400,0.8540,426,0.8920,936,652,0.6966,0.7261,0.6613,0.7100,335,358,40,0.000000"
            .to_string();
    let mut closure =
        "close_cwi,0.8100,0.7000,426,0.7900,936,600,0.6410,0.6650,0.6000,0.6500,300,410,90,0.000000"
            .to_string();
    for cpa in [
        "wales",
        "bristol_glos_somerset_wilts",
        "dorset_devon_cornwall",
        "hampshire_iow",
    ] {
        header.push_str(&format!(
            ",k1_within_reach_optimal_{cpa},k1_optimal_{cpa},k1_greedy_{cpa},places_short_{cpa},places_short_{cpa}_C"
        ));
        base.push_str(",0.9500,0.9088,0.9027,1,1");
        closure.push_str(",0.7500,0.7000,0.6900,20,12");
    }
    fs::write(
        dir.path().join("comparison.csv"),
        format!("{header}\n{base}\n{closure}\n"),
    )
    .unwrap();
    dir
}

fn scenario_report(scenarios: &Path) -> PathBuf {
    let report = scenarios.join("report.html");
    resettle()
        .arg("report")
        .arg("--plan")
        .arg(&sample().0)
        .arg("--scenarios")
        .arg(scenarios)
        .arg("--out")
        .arg(&report)
        .assert()
        .success();
    report
}

#[test]
fn the_scenario_page_compares_the_scenarios() {
    let scenarios = comparison();
    let html = fs::read_to_string(scenario_report(scenarios.path())).unwrap();
    assert!(html.contains("<section id=\"scenarios\""));
    let at = html.find("data-chart=\"scenarios\"").unwrap();
    let chart = &html[at..at + html[at..].find("</svg>").unwrap()];
    // The three columns of K1 within reach (adult male optimal and greedy, all estates
    // optimal) × two scenarios: the headline, not K1 over the horizon.
    assert_eq!(chart.matches("<rect").count(), 6, "{chart}");
    assert!(chart.contains("data-value=\"0.81\""));
    assert!(!chart.contains("data-value=\"0.641\""));
    assert!(html.contains("<td class=\"text\">close_cwi</td>"));
    // Per-CPA columns are in the per-CPA table, not the national one.
    let national = &html[html.find("id=\"table-scenarios\"").unwrap()..];
    let national = &national[..national.find("</table>").unwrap()];
    assert!(!national.contains("k1_optimal_wales"));
    assert!(national.contains(">places_short<"));
    let by_cpa = &html[html.find("id=\"table-scenarios-cpa\"").unwrap()..];
    assert!(html.contains("<h3>Optimal K1 within reach by CPA and scenario</h3>"));
    assert!(by_cpa.contains("<td class=\"text\">Wales</td><td>95.0%</td><td>75.0%</td>"));
    // Missing comparison: named, exit code 2.
    let empty = tempfile::tempdir().unwrap();
    let assert = resettle()
        .arg("report")
        .arg("--plan")
        .arg(&sample().0)
        .arg("--scenarios")
        .arg(empty.path())
        .arg("--out")
        .arg(empty.path().join("r.html"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("comparison.csv: error: cannot be read"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------
// In a real browser.

/// Debian's Chromium; the test fails (it is not skipped) when it is missing.
fn chromium() -> PathBuf {
    let candidates = ["chromium", "chromium-browser"];
    for name in candidates {
        if let Ok(output) = Process::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
        {
            let path = String::from_utf8_lossy(&output.stdout).trim().to_string();
            if output.status.success() && !path.is_empty() {
                return PathBuf::from(path);
            }
        }
    }
    panic!(
        "Chromium is not installed, so the report cannot be tested in a browser: run \
         `make prereqs` (it installs Debian's `chromium`), then run the tests again"
    );
}

/// What headless Chromium made of a page: the DOM after the load event, and its log.
struct Rendered {
    dom: String,
    log: String,
}

fn render(page: &Path) -> Rendered {
    let profile = tempfile::tempdir().unwrap();
    let output = Process::new(chromium())
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Rendered {
        dom: String::from_utf8(output.stdout).unwrap(),
        log: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Checks a page rendered with its scripts run, no error and every chart drawn.
fn check_rendered(rendered: &Rendered, charts: &[&str]) {
    let dom = &rendered.dom;
    assert!(
        dom.contains("data-rendered=\"yes\""),
        "the page's scripts ran to the load event"
    );
    assert!(
        dom.contains("data-errors=\"[]\""),
        "no script or console error: {}",
        &dom[..dom.find("<head>").unwrap_or(dom.len().min(2000))]
    );
    let console: Vec<&str> = rendered
        .log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(dom.contains(&format!("data-charts=\"{}\"", charts.len())));
    for chart in charts {
        let marker = format!("data-chart=\"{chart}\"");
        let at = dom
            .find(&marker)
            .unwrap_or_else(|| panic!("no chart {chart} in the rendered page"));
        let svg = &dom[at..at + dom[at..].find("</svg>").unwrap()];
        assert!(svg.contains("<rect"), "chart {chart} is drawn");
    }
    // The sorting script made every table's headings focusable.
    assert!(dom.contains("aria-sort=\"none\""));
}

#[test]
fn the_report_renders_in_chromium_without_errors_and_shows_every_chart() {
    let rendered = render(&sample().1);
    check_rendered(&rendered, &CHARTS);
    for section in SECTIONS {
        assert!(rendered.dom.contains(&format!("<section id=\"{section}\"")));
    }
    // Screenshot: the page paints.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("report.png");
    let profile = tempfile::tempdir().unwrap();
    let status = Process::new(chromium())
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--hide-scrollbars",
            "--window-size=1200,1500",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", sample().1.display()))
        .output()
        .expect("chromium runs");
    assert!(status.status.success());
    let bytes = fs::read(&png).expect("a screenshot");
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000);
}

#[test]
fn the_scenario_report_renders_in_chromium() {
    let scenarios = comparison();
    let rendered = render(&scenario_report(scenarios.path()));
    let mut charts = CHARTS.to_vec();
    charts.push("scenarios");
    check_rendered(&rendered, &charts);
}

#[test]
fn a_script_error_or_a_resource_from_elsewhere_would_be_caught() {
    // The trap itself: a page of the report with a failing script shows the error.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    let html = html().replace(
        "</body>",
        "<img alt=\"\" src=\"https://example.com/x.png\">\
         <script>console.error('boom'); undefinedFunction();</script></body>",
    );
    fs::write(&page, html).unwrap();
    let rendered = render(&page);
    assert!(!rendered.dom.contains("data-errors=\"[]\""));
    assert!(rendered.dom.contains("boom"));
    assert!(rendered.dom.contains("undefinedFunction"));
    // A resource from elsewhere is blocked by the page's policy, and reported.
    assert!(rendered.dom.contains("blocked https://example.com/x.png"));
    assert!(rendered.log.contains("Content Security Policy"));
}
