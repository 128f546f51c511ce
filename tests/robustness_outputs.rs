//! Outputs, exit codes and pseudonyms against a hostile or careless user (issue 11): a plan
//! folder is replaced whole, and never one of the user's own; a folder in use is refused; the
//! target is checked before any work; `report --out` writes through a FIFO and keeps a
//! symbolic link; a closed stderr changes no exit code; pseudonyms need a secret key; and text
//! a spreadsheet would run as a formula is neutralised in the CSV outputs.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use resettle::domain::PrisonerId;
use resettle::output::{pseudonym, PseudonymKey};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

fn resettle() -> Command {
    Command::new(env!("CARGO_BIN_EXE_resettle"))
}

/// `resettle plan` on the sample's data and receptions with `population`, into `out`.
fn plan(population: &Path, out: &Path, options: &[&str]) -> Command {
    let dir = sample();
    let mut command = resettle();
    command
        .args(["plan", "--start", "2014-09-01", "--data"])
        .arg(&dir)
        .arg("--population")
        .arg(population)
        .arg("--receptions")
        .arg(dir.join("receptions.csv"))
        .args(options)
        .arg("--out")
        .arg(out);
    command
}

fn population() -> PathBuf {
    sample().join("population.csv")
}

fn run(command: &mut Command) -> Output {
    command.stdin(Stdio::null()).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A message that shows the inputs were loaded: the work had begun.
const LOADED: &str = "loaded ";

#[test]
fn a_plan_folder_is_replaced_whole_and_leftovers_of_a_killed_run_are_removed() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let output = run(&mut plan(&population(), &out, &["--quiet"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let first = names(&out);
    assert!(first.contains(&"moves.csv".to_string()), "{first:?}");
    // A file of an older plan, and what a run killed while writing leaves beside the target.
    fs::write(out.join("old_plan_only.csv"), b"A0000AA\n").unwrap();
    for leftover in [".out.resettle-new", ".out.resettle-old"] {
        fs::create_dir(temp.path().join(leftover)).unwrap();
        fs::write(temp.path().join(leftover).join("moves.csv"), b"A0000AA\n").unwrap();
    }
    let output = run(&mut plan(&population(), &out, &["--quiet"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(names(&out), first, "the old plan's files are gone");
    assert_eq!(names(temp.path()), ["out"], "nothing is left beside it");
}

/// Every file of a folder and its sub-folders, by path, with its bytes.
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path).unwrap();
                found.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    found
}

#[test]
fn a_run_killed_while_writing_leaves_the_old_plan_or_the_new_one() {
    let temp = tempfile::tempdir().unwrap();
    let (out, reference) = (temp.path().join("out"), temp.path().join("reference"));
    for (folder, options) in [
        (&out, ["--quiet", "--horizon=20"]),
        (&reference, ["--quiet", "--horizon=26"]),
    ] {
        let output = run(&mut plan(&population(), folder, &options));
        assert_eq!(output.status.code(), Some(0), "{output:?}");
    }
    let (old, new) = (contents(&out), contents(&reference));
    assert_ne!(old, new);
    // Killed once the plan is solved, while its files are being written.
    let mut child = plan(&population(), &out, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines {
        if line.unwrap().contains("optimal plan:") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = contents(&out);
    assert!(left == old || left == new, "a mix: {:?}", left.keys());
    let output = run(&mut plan(&population(), &out, &["--quiet"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(contents(&out), new);
    assert_eq!(names(temp.path()), ["out", "reference"]);
}

#[test]
fn a_folder_of_the_users_own_files_is_refused_before_any_work() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("mine");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.txt"), b"my notes").unwrap();
    let output = run(&mut plan(&population(), &out, &[]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("resettle did not write"), "{message}");
    assert!(
        !message.contains(LOADED),
        "refused before loading: {message}"
    );
    assert_eq!(names(&out), ["notes.txt"]);
    assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"my notes");
    assert_eq!(names(temp.path()), ["mine"]);
}

#[test]
fn a_folder_holding_an_input_is_refused_before_any_work() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("generated");
    fs::create_dir(&out).unwrap();
    fs::write(out.join(resettle::output::MARKER), b"").unwrap();
    let input = out.join("population.csv");
    fs::copy(population(), &input).unwrap();
    let output = run(&mut plan(&input, &out, &[]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("holds the input"), "{message}");
    assert!(
        !message.contains(LOADED),
        "refused before loading: {message}"
    );
    assert_eq!(fs::read(&input).unwrap(), fs::read(population()).unwrap());
}

#[test]
fn a_second_run_into_a_folder_in_use_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    // The folder as a first run left it, and that run's lock, still held.
    fs::create_dir(&out).unwrap();
    fs::write(out.join(resettle::output::MARKER), b"").unwrap();
    fs::write(out.join("moves.csv"), b"first run\n").unwrap();
    let lock = File::create(temp.path().join(".out.resettle-lock")).unwrap();
    lock.lock().unwrap();
    let output = run(&mut plan(&population(), &out, &[]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("another run of resettle"), "{message}");
    assert!(
        !message.contains(LOADED),
        "refused before loading: {message}"
    );
    assert_eq!(fs::read(out.join("moves.csv")).unwrap(), b"first run\n");
    drop(lock);
}

#[test]
fn an_out_that_cannot_be_a_folder_is_refused_before_any_work() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("plan.txt");
    fs::write(&file, b"mine").unwrap();
    for (out, expected) in [
        (file.clone(), "is a file, not a folder"),
        (file.join("out"), "cannot make the folder"),
    ] {
        let output = run(&mut plan(&population(), &out, &[]));
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let message = stderr(&output);
        assert!(message.contains(expected), "{message}");
        assert!(
            !message.contains(LOADED),
            "refused before loading: {message}"
        );
    }
    assert_eq!(fs::read(&file).unwrap(), b"mine");
    assert_eq!(names(temp.path()), ["plan.txt"]);
}

#[test]
fn a_scenario_named_like_a_comparison_file_is_refused_before_solving() {
    let temp = tempfile::tempdir().unwrap();
    let data = sample();
    let scenario = temp.path().join("comparison.csv.toml");
    fs::write(
        &scenario,
        format!(
            "description = \"named like an output file\"\n\n[base]\ndata = {:?}\n\
             population = {:?}\nreceptions = {:?}\nstart = 2014-09-01\n",
            data,
            data.join("population.csv"),
            data.join("receptions.csv")
        ),
    )
    .unwrap();
    let out = temp.path().join("out");
    let output = run(resettle()
        .args(["scenarios", "run", "--out"])
        .arg(&out)
        .arg(&scenario));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let message = stderr(&output);
    assert!(
        message.contains("scenario name 'comparison.csv' (the file's stem) cannot name a folder"),
        "{message}"
    );
    assert!(
        !message.contains("planning"),
        "refused before solving: {message}"
    );
    assert!(!out.exists());
}

#[test]
fn report_writes_through_a_fifo_and_keeps_a_symbolic_link() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("plan");
    let output = run(&mut plan(&population(), &folder, &["--quiet"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report = |out: &Path| {
        run(resettle()
            .arg("report")
            .arg("--plan")
            .arg(&folder)
            .arg("--out")
            .arg(out))
    };

    let regular = temp.path().join("report.html");
    let output = report(&regular);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let expected = fs::read(&regular).unwrap();

    // A symbolic link to a file: the file is replaced, the link kept.
    let real = temp.path().join("real.html");
    fs::write(&real, b"old").unwrap();
    let link = temp.path().join("link.html");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = report(&link);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read(&real).unwrap(), expected);

    // A FIFO: written through, still a FIFO. Opened for reading and writing here, it has a
    // reader from the start, so that nothing blocks whatever the program does.
    let fifo = temp.path().join("report.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut end = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .unwrap();
    let length = expected.len();
    let reader = std::thread::spawn(move || {
        let mut bytes = vec![0; length];
        end.read_exact(&mut bytes).unwrap();
        bytes
    });
    let output = report(&fifo);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
    assert_eq!(reader.join().unwrap(), expected);

    // A folder is refused.
    let output = report(temp.path());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        stderr(&output).contains("is a folder, not a file"),
        "{output:?}"
    );
}

/// A pipe whose reader is already gone: every write to it fails with a broken pipe.
fn broken_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Stdio::from(writer)
}

#[test]
fn a_closed_stderr_changes_no_exit_code_and_a_closed_stdout_ends_after_the_outputs() {
    let temp = tempfile::tempdir().unwrap();
    let bad = temp.path().join("population.csv");
    let good = fs::read_to_string(population()).unwrap();
    fs::write(&bad, good.replacen(",2014-", ",2014-13-", 1)).unwrap();
    let out = temp.path().join("bad");
    let status = plan(&bad, &out, &[])
        .stdout(Stdio::null())
        .stderr(broken_pipe())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2), "bad input with stderr gone");
    assert!(!out.exists());

    for (name, stdout, stderr) in [
        ("stderr gone", Stdio::null(), broken_pipe()),
        ("stdout gone", broken_pipe(), Stdio::null()),
    ] {
        let out = temp.path().join(name.replace(' ', "_"));
        let status = plan(&population(), &out, &[])
            .stdout(stdout)
            .stderr(stderr)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0), "{name}");
        assert!(
            out.join("moves.csv").is_file(),
            "{name}: the plan is written"
        );
    }
}

/// The pseudonym the tool wrote before keys (an unkeyed FNV-1a hash folded to 32 bits).
fn unkeyed_pseudonym(id: &str) -> String {
    let hash = b"resettle pseudonym v1\0"
        .iter()
        .chain(id.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    format!("P{:08X}", (hash >> 32) ^ (hash & 0xffff_ffff))
}

/// The non-empty values of one column of a CSV file (a reception cohort in `unplaced.csv` has
/// no prisoner id).
fn column(path: &Path, name: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let index = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == name)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[index].to_string())
        .filter(|value| !value.is_empty())
        .collect()
}

#[test]
fn pseudonyms_need_a_secret_key_and_change_with_it() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let output = run(&mut plan(&population(), &out, &["--pseudonymise"]));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let message = stderr(&output);
    assert!(message.contains("--pseudonym-key-file"), "{message}");
    assert!(message.contains("head -c 32 /dev/urandom"), "{message}");
    assert!(
        !message.contains(LOADED),
        "refused before loading: {message}"
    );
    let short = temp.path().join("short.key");
    fs::write(&short, b"secret").unwrap();
    let key_option = |key: &Path| {
        [
            "--pseudonymise",
            "--pseudonym-key-file",
            key.to_str().unwrap(),
        ]
        .map(String::from)
    };
    let output = run(plan(&population(), &out, &[]).args(key_option(&short)));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("at least 16 bytes"), "{output:?}");
    assert!(!out.exists());

    let ids: Vec<String> = column(&population(), "prisoner_id");
    let mut written = Vec::new();
    for (name, secret) in [("a", [7_u8; 32]), ("b", [8_u8; 32])] {
        let key = temp.path().join(format!("{name}.key"));
        fs::write(&key, secret).unwrap();
        let out = temp.path().join(name);
        let output = run(plan(&population(), &out, &["--quiet"]).args(key_option(&key)));
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let mut seen = BTreeSet::new();
        for file in ["moves.csv", "unplaced.csv"] {
            seen.extend(column(&out.join(file), "prisoner_id"));
        }
        assert!(!seen.is_empty());
        let secret = PseudonymKey::new(secret.to_vec()).unwrap();
        let expected: BTreeSet<String> = ids
            .iter()
            .map(|id| pseudonym(&secret, &PrisonerId::from(id.as_str())))
            .collect();
        for p in &seen {
            assert!(
                p.len() == 17
                    && p.starts_with('P')
                    && p[1..].bytes().all(|b| b.is_ascii_hexdigit()),
                "{p}"
            );
            assert!(
                expected.contains(p),
                "{p} is the HMAC of an id under the key"
            );
        }
        written.push(seen);
    }
    assert!(
        written[0].is_disjoint(&written[1]),
        "another key, other pseudonyms"
    );
    let unkeyed: BTreeSet<String> = ids.iter().map(|id| unkeyed_pseudonym(id)).collect();
    let plain: BTreeSet<String> = ids.into_iter().collect();
    for seen in &written {
        assert!(seen.is_disjoint(&unkeyed), "not the unkeyed hash");
        assert!(seen.is_disjoint(&plain), "no id shown");
    }
}

#[test]
fn formula_like_ids_are_neutralised_in_the_csv_outputs() {
    let temp = tempfile::tempdir().unwrap();
    let mut reader = csv::Reader::from_path(population()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let index = headers.iter().position(|h| h == "prisoner_id").unwrap();
    let hostile = temp.path().join("population.csv");
    let mut writer = csv::Writer::from_path(&hostile).unwrap();
    writer.write_record(&headers).unwrap();
    for (n, record) in reader.records().enumerate() {
        // (A leading tab or carriage return is trimmed when the population is read.)
        let id = match n % 4 {
            0 => format!("=HYPERLINK(\"http://x.invalid/{n}\")"),
            1 => format!("+A{n}"),
            2 => format!("-A{n}"),
            _ => format!("@A{n}"),
        };
        let record: Vec<String> = record
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if i == index {
                    id.clone()
                } else {
                    cell.to_string()
                }
            })
            .collect();
        writer.write_record(&record).unwrap();
    }
    writer.flush().unwrap();
    let out = temp.path().join("out");
    let output = run(&mut plan(&hostile, &out, &["--quiet"]));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let originals: BTreeSet<String> = column(&hostile, "prisoner_id").into_iter().collect();
    for file in ["moves.csv", "unplaced.csv"] {
        let ids = column(&out.join(file), "prisoner_id");
        assert!(!ids.is_empty(), "{file}");
        for id in ids {
            let original = id
                .strip_prefix('\'')
                .unwrap_or_else(|| panic!("{file}: {id:?}"));
            assert!(originals.contains(original), "{file}: {id:?}");
        }
    }
}
