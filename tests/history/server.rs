//! A real PostgreSQL server for the tests: made with `initdb` in a temporary folder and
//! started on a Unix socket there only (`-k DIR -c listen_addresses=''`), once per test
//! binary. PostgreSQL refuses to run as root: under root it runs as the `postgres` user of
//! Debian's package. A watchdog stops it and removes the folder when the tests end, however
//! they end. Without PostgreSQL installed, every test that needs it fails and says to run
//! `make prereqs`.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The user the tests connect as (trust authentication on the socket).
const USER: &str = "resettle";

struct Server {
    socket_dir: PathBuf,
    databases: AtomicU32,
}

/// The URL of a new, empty database on the tests' server (started on first use).
pub fn database() -> String {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    let server = match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(message) => panic!("{message}"),
    };
    let name = format!("t{}", server.databases.fetch_add(1, Ordering::SeqCst));
    let mut admin = postgres::Client::connect(&server.url("postgres"), postgres::NoTls)
        .expect("connecting to the tests' server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("creating a database");
    server.url(&name)
}

impl Server {
    fn url(&self, database: &str) -> String {
        let socket = self.socket_dir.display().to_string().replace('/', "%2F");
        format!("postgresql://{USER}@{socket}/{database}")
    }
}

/// The folder of PostgreSQL's server programs: `pg_config --bindir`, else the newest
/// `/usr/lib/postgresql/*/bin` that has `initdb`.
fn bindir() -> Result<PathBuf, String> {
    let configured = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    let mut found: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .collect();
    found.sort_by_key(|dir| {
        let version = dir
            .parent()
            .and_then(|v| v.file_name())
            .map(|v| v.to_string_lossy().into_owned());
        version.and_then(|v| v.parse::<u32>().ok())
    });
    configured
        .into_iter()
        .chain(found.into_iter().rev())
        .find(|dir| runs(Command::new(dir.join("initdb")).arg("--version")))
        .ok_or_else(|| {
            "PostgreSQL is not installed (no initdb that runs under `pg_config --bindir` or \
             /usr/lib/postgresql/*/bin), and the history's tests need a real server: run \
             `make prereqs`"
                .to_string()
        })
}

fn runs(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The user and group the server runs as: the `postgres` user under root, else ours.
fn server_user() -> Result<Option<(u32, u32)>, String> {
    if fs::metadata("/proc/self").map_err(|e| e.to_string())?.uid() != 0 {
        return Ok(None);
    }
    let id =
        |flag: &str| -> Result<u32, String> {
            let out = Command::new("id")
                .args([flag, "postgres"])
                .output()
                .map_err(|e| e.to_string())?;
            String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|_| {
            "the tests run as root and PostgreSQL refuses to: they run it as the `postgres` \
             user, which does not exist: run `make prereqs` (Debian's postgresql package \
             makes it)"
                .to_string()
        })
        };
    Ok(Some((id("-u")?, id("-g")?)))
}

/// A command that runs as `user` when given.
fn as_user(program: &Path, user: Option<(u32, u32)>) -> Command {
    let mut command = Command::new(program);
    if let Some((uid, gid)) = user {
        command.uid(uid).gid(gid);
    }
    command
}

fn start() -> Result<Server, String> {
    let bin = bindir()?;
    let user = server_user()?;
    let dir = tempfile::Builder::new()
        .prefix("resettle-pg")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let data = dir.join("data");
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).map_err(|e| e.to_string())?;
    }
    let init = as_user(&bin.join("initdb"), user)
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !init.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        ));
    }
    let log = fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(dir.join("server.log"), Some(uid), Some(gid))
            .map_err(|e| e.to_string())?;
    }
    let server = as_user(&bin.join("postgres"), user)
        .arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(&dir)
        .args(["-c", "listen_addresses=", "-c", "fsync=off"])
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("postgres: {e}"))?;
    // The watchdog: once this test process has ended, stop the server (fast shutdown) and
    // remove its folder.
    let script = format!(
        "while kill -0 {me} 2>/dev/null; do sleep 0.5; done; kill -INT {pg}; \
         while kill -0 {pg} 2>/dev/null; do sleep 0.1; done; rm -rf '{dir}'",
        me = std::process::id(),
        pg = server.id(),
        dir = dir.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("the server's watchdog: {e}"))?;
    let server = Server {
        socket_dir: dir.clone(),
        databases: AtomicU32::new(0),
    };
    let started = Instant::now();
    loop {
        match postgres::Client::connect(&server.url("postgres"), postgres::NoTls) {
            Ok(_) => return Ok(server),
            Err(e) if started.elapsed() > Duration::from_secs(60) => {
                let log = fs::read_to_string(dir.join("server.log")).unwrap_or_default();
                return Err(format!("the tests' PostgreSQL did not start: {e}\n{log}"));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}
