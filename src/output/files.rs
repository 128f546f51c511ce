//! Writing outputs so that no failure, and no kill at any moment, leaves a half-written one.
//!
//! - A folder (`plan`, `generate`, `scenarios run`) is one set. [`OutputDir::claim`] checks
//!   the target and locks it against other runs before any work is done;
//!   [`OutputFiles::commit`] writes the whole set into a hidden folder beside the target and
//!   swaps the two in one step (`renameat2(RENAME_EXCHANGE)` on Linux), then removes the old
//!   set. The target holds the old set or the new one, never a mix. A kill can leave only a
//!   hidden sibling, `.NAME.resettle-new` or `.NAME.resettle-old`, which the next run into that
//!   target removes; the lock, on `.NAME.resettle-lock`, dies with the process.
//! - A folder is replaced only when it is missing, empty or holds the [`MARKER`] file that every
//!   folder resettle writes holds: never a folder of the user's own files.
//! - A single file (`report --out`) is written to a temporary file beside it and renamed into
//!   place; a symbolic link is followed (the link is kept), and a FIFO or device is written
//!   through, never replaced.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The file, in every folder resettle writes, that lets the next run replace the folder.
pub const MARKER: &str = ".resettle-output";

const MARKER_TEXT: &[u8] =
    b"This folder was written by resettle. The next run into it replaces it whole.\n";

/// Files to be written into one folder, all or none.
#[derive(Debug, Default)]
pub struct OutputFiles {
    files: Vec<(String, Vec<u8>)>,
}

/// A failure to write an output.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Why an output target cannot be used, found before any work is done.
#[derive(Debug, thiserror::Error)]
#[error("--out {}: {reason}", path.display())]
pub struct TargetError {
    /// The target as given.
    pub path: PathBuf,
    pub reason: String,
}

impl OutputFiles {
    /// Adds a file named `name` (relative to the output folder) with `bytes`.
    pub fn add(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.files.push((name.into(), bytes));
    }

    /// Adds every file of `files` inside the sub-folder `folder`.
    pub fn add_folder(&mut self, folder: &str, files: OutputFiles) {
        for (name, bytes) in files.files {
            self.add(format!("{folder}/{name}"), bytes);
        }
    }

    /// The bytes of the file `name`, if it was added.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(file, _)| file == name)
            .map(|(_, bytes)| bytes.as_slice())
    }

    /// Replaces the folder `dir` with these files (and the [`MARKER`]) and those staged before
    /// ([`OutputDir::stage`]): all are written into the hidden folder beside it, which is then
    /// swapped in and the old folder removed. On failure the target is as it was and nothing
    /// is left beside it.
    pub fn commit(self, mut dir: OutputDir) -> Result<(), WriteError> {
        let files = self.files.iter().map(|(n, b)| (n.as_str(), b.as_slice()));
        for (name, bytes) in files.chain([(MARKER, MARKER_TEXT)]) {
            dir.write_staged(name, bytes)?;
        }
        let fail = |source| WriteError {
            path: dir.target.clone(),
            source,
        };
        swap(&dir.staging, &dir.aside, &dir.target).map_err(fail)?;
        dir.made.keep();
        // The hidden folder now holds the previous output, if there was one.
        match fs::remove_dir_all(&dir.staging) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(WriteError {
                path: dir.staging.clone(),
                source: io::Error::new(e.kind(), format!("the previous output is left there: {e}")),
            }),
            _ => Ok(()),
        }
    }
}

/// Writes `bytes` into a new file at `path`, on disk when this returns.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// An output folder claimed for one run by [`OutputDir::claim`]: checked, locked against other
/// runs into it, and with an empty hidden folder beside it to build the new set in. Dropped
/// without a commit, it leaves the target as it was and removes what it made.
#[derive(Debug)]
pub struct OutputDir {
    /// The folder written: the one given, or the folder a symbolic link there points to.
    target: PathBuf,
    /// `.NAME.resettle-new` beside the target: the new set, then the old one on its way out.
    staging: PathBuf,
    /// `.NAME.resettle-old` beside the target: the old set, where the filesystem cannot swap.
    aside: PathBuf,
    _lock: Lock,
    made: MadeFolders,
}

impl OutputDir {
    /// Claims the folder `target` for this run, before any work is done. Refuses, with the
    /// reason, a target that is a file, a folder holding files resettle did not write, a
    /// folder another run is writing into, or one beside which nothing can be written.
    /// Missing parent folders are made (and removed again if nothing is written); what an
    /// interrupted run into the same target left beside it is removed.
    pub fn claim(target: &Path) -> Result<OutputDir, TargetError> {
        let refuse = |reason: String| TargetError {
            path: target.to_path_buf(),
            reason,
        };
        let real = follow_link(target).map_err(refuse)?;
        let (parent, name) = split(&real).ok_or_else(|| refuse("does not name a folder".into()))?;
        let made = MadeFolders::make(&parent)
            .map_err(|e| refuse(format!("cannot make the folder {}: {e}", parent.display())))?;
        let cannot_write =
            |e: io::Error| refuse(format!("cannot write into {}: {e}", parent.display()));
        let lock_path = parent.join(sibling(&name, "lock"));
        let lock = match Lock::take(lock_path.clone()) {
            Ok(Some(lock)) => lock,
            Ok(None) => {
                return Err(refuse(format!(
                    "another run of resettle is writing into it ({} is locked): let it \
                     finish first",
                    lock_path.display()
                )))
            }
            Err(e) => return Err(cannot_write(e)),
        };
        let dir = OutputDir {
            staging: parent.join(sibling(&name, "new")),
            aside: parent.join(sibling(&name, "old")),
            target: real,
            _lock: lock,
            made,
        };
        replaceable(&dir.target).map_err(refuse)?;
        // This target's lock is held: whatever is at these names was left by a run that died.
        for leftover in [&dir.staging, &dir.aside] {
            remove_any(leftover).map_err(|e| {
                refuse(format!(
                    "cannot remove {}, left by an interrupted run: {e}",
                    leftover.display()
                ))
            })?;
        }
        fs::create_dir(&dir.staging).map_err(cannot_write)?;
        Ok(dir)
    }

    /// Refuses the target when one of `inputs` is inside it: replacing the folder would
    /// delete that input.
    pub fn refuse_inputs_inside<'a>(
        &self,
        inputs: impl IntoIterator<Item = &'a Path>,
    ) -> Result<(), TargetError> {
        let Ok(target) = fs::canonicalize(&self.target) else {
            return Ok(()); // not there yet: it holds nothing
        };
        match inputs
            .into_iter()
            .find(|input| fs::canonicalize(input).is_ok_and(|real| real.starts_with(&target)))
        {
            Some(input) => Err(TargetError {
                path: self.target.clone(),
                reason: format!(
                    "holds the input {}, which replacing the folder would delete: write \
                     elsewhere",
                    input.display()
                ),
            }),
            None => Ok(()),
        }
    }
}

impl OutputDir {
    /// Writes `files` into the sub-folder `folder` of the new set now, so that they need not
    /// be held until [`OutputFiles::commit`]; they appear in the target only with the rest.
    pub fn stage(&self, folder: &str, files: OutputFiles) -> Result<(), WriteError> {
        for (name, bytes) in &files.files {
            self.write_staged(&format!("{folder}/{name}"), bytes)?;
        }
        Ok(())
    }

    /// Writes the file `name` (relative to the target) into the hidden folder of the new set.
    fn write_staged(&self, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let fail = |source| WriteError {
            path: self.target.join(name),
            source,
        };
        let path = self.staging.join(name);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(fail)?;
        }
        write_new(&path, bytes).map_err(fail)
    }
}

impl Drop for OutputDir {
    /// Removes the hidden folder (the new set when the commit did not happen); the fields
    /// then release the lock and remove the parent folders made, in that order.
    fn drop(&mut self) {
        let _ = remove_any(&self.staging);
    }
}

/// `.NAME.resettle-KIND`, the name of a sibling of the target `NAME`.
fn sibling(name: &OsStr, kind: &str) -> OsString {
    let mut sibling = OsString::from(".");
    sibling.push(name);
    sibling.push(format!(".resettle-{kind}"));
    sibling
}

/// The parent folder (`.` for a bare name) and the name of `path`; none for `/`, `.` or `..`.
fn split(path: &Path) -> Option<(PathBuf, OsString)> {
    let name = path.file_name()?.to_os_string();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some((parent.to_path_buf(), name))
}

/// `path` itself, or what a symbolic link at `path` points to.
fn follow_link(path: &Path) -> Result<PathBuf, String> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)
            .map_err(|e| format!("is a symbolic link that cannot be followed: {e}")),
        _ => Ok(path.to_path_buf()),
    }
}

/// Whether the folder `target` may be replaced: missing, empty, or written by resettle.
fn replaceable(target: &Path) -> Result<(), String> {
    let meta = match fs::symlink_metadata(target) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot be read: {e}")),
        Ok(meta) => meta,
    };
    if meta.is_file() {
        return Err("is a file, not a folder".into());
    }
    if !meta.is_dir() {
        return Err("is not a folder".into());
    }
    let empty = fs::read_dir(target)
        .map_err(|e| format!("cannot be read: {e}"))?
        .next()
        .is_none();
    let marked = fs::symlink_metadata(target.join(MARKER)).is_ok_and(|m| m.is_file());
    if empty || marked {
        Ok(())
    } else {
        Err(format!(
            "holds files that resettle did not write (it has no {MARKER} file), which \
             replacing it would delete: name a new or empty folder"
        ))
    }
}

/// Removes the file or folder at `path`, if there is one.
fn remove_any(path: &Path) -> io::Result<()> {
    let removed = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    };
    match removed {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Puts the folder `new` at `target`. Afterwards `new` holds what was at `target`, if anything.
/// Where the filesystem cannot exchange two folders in one step, [`swap_by_renames`].
fn swap(new: &Path, aside: &Path, target: &Path) -> io::Result<()> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == ErrorKind::NotFound => return fs::rename(new, target),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // Not supported by this kernel or filesystem.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    swap_by_renames(new, aside, target)
}

/// [`swap`] in two renames: `target` to `aside`, `new` to `target` (or `aside` back to
/// `target` if that fails), then `aside` to `new`.
fn swap_by_renames(new: &Path, aside: &Path, target: &Path) -> io::Result<()> {
    fs::rename(target, aside)?;
    if let Err(e) = fs::rename(new, target) {
        let _ = fs::rename(aside, target);
        return Err(e);
    }
    fs::rename(aside, new)
}

/// An advisory lock on a file beside the target, held for the whole run. The operating system
/// releases it when the process ends, however it ends, so a kill never leaves it held.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    /// Locks the file at `path` (made if missing); none when another process holds it.
    fn take(path: PathBuf) -> io::Result<Option<Lock>> {
        loop {
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(e),
            }
            // The run before may have removed the file as it ended, after we opened it: the
            // lock counts only on the file still at the path.
            if is_at(&file, &path)? {
                return Ok(Some(Lock { path, _file: file }));
            }
        }
    }
}

impl Drop for Lock {
    /// Removes the file while still holding the lock; closing the file then releases it.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether `file` is the file at `path`.
#[cfg(unix)]
fn is_at(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let open = file.metadata()?;
    match fs::metadata(path) {
        Ok(at) => Ok(open.dev() == at.dev() && open.ino() == at.ino()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether `file` is the file at `path` (an open file cannot be removed here).
#[cfg(not(unix))]
fn is_at(_file: &File, _path: &Path) -> io::Result<bool> {
    Ok(true)
}

/// Folders a claim made (innermost first), removed again unless something is written.
#[derive(Debug, Default)]
struct MadeFolders(Vec<PathBuf>);

impl MadeFolders {
    /// Makes `folder` and its missing parents.
    fn make(folder: &Path) -> io::Result<MadeFolders> {
        let missing = folder
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && fs::symlink_metadata(a).is_err())
            .map(Path::to_path_buf)
            .collect();
        fs::create_dir_all(folder)?;
        Ok(MadeFolders(missing))
    }

    /// Keeps the folders: an output is in them.
    fn keep(&mut self) {
        self.0.clear();
    }
}

impl Drop for MadeFolders {
    fn drop(&mut self) {
        for folder in &self.0 {
            if fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
}

/// A single output file claimed for one run by [`OutputFile::claim`].
#[derive(Debug)]
pub struct OutputFile {
    /// The file written: the one given, or the file a symbolic link there points to.
    target: PathBuf,
    /// The temporary file beside the target that replaces it; none for a FIFO or device,
    /// which is written through.
    temp: Option<tempfile::NamedTempFile>,
    made: MadeFolders,
}

impl OutputFile {
    /// Claims the file `target` for this run, before any work is done. A regular file (or
    /// none yet) will be replaced by renaming a temporary file over it; a symbolic link is
    /// followed and kept; a FIFO or device (`/dev/stdout` too) is written through. Refuses a
    /// folder, a link to nothing, or a place where nothing can be written. Missing parent
    /// folders are made.
    pub fn claim(target: &Path) -> Result<OutputFile, TargetError> {
        let refuse = |reason: String| TargetError {
            path: target.to_path_buf(),
            reason,
        };
        let link = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
        let through = || OutputFile {
            target: target.to_path_buf(),
            temp: None,
            made: MadeFolders::default(),
        };
        let real = match fs::metadata(target) {
            Err(e) if e.kind() == ErrorKind::NotFound && link => {
                return Err(refuse("is a symbolic link to nothing".into()))
            }
            Err(e) if e.kind() == ErrorKind::NotFound => target.to_path_buf(),
            Err(e) => return Err(refuse(format!("cannot be read: {e}"))),
            Ok(meta) if meta.is_dir() => return Err(refuse("is a folder, not a file".into())),
            Ok(meta) if !meta.is_file() => return Ok(through()),
            // A link the system follows to a file that has no path (`/proc/self/fd/1` to a
            // removed file) is written through.
            Ok(_) if link => match fs::canonicalize(target) {
                Ok(real) => real,
                Err(_) => return Ok(through()),
            },
            Ok(_) => target.to_path_buf(),
        };
        let (parent, name) = split(&real).ok_or_else(|| refuse("does not name a file".into()))?;
        let made = MadeFolders::make(&parent)
            .map_err(|e| refuse(format!("cannot make the folder {}: {e}", parent.display())))?;
        let prefix = sibling(&name, "");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // The mode of any file the user writes, 0o666 less the umask (a temporary file is
        // private by default).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temp = builder
            .tempfile_in(&parent)
            .map_err(|e| refuse(format!("cannot write into {}: {e}", parent.display())))?;
        Ok(OutputFile {
            target: real,
            temp: Some(temp),
            made,
        })
    }

    /// Whether the file is written through (a FIFO or device) rather than replaced.
    pub fn is_written_through(&self) -> bool {
        self.temp.is_none()
    }

    /// Writes `bytes` into the file: renamed into place when complete, or written through.
    pub fn write(mut self, bytes: &[u8]) -> Result<(), WriteError> {
        let fail = |source| WriteError {
            path: self.target.clone(),
            source,
        };
        match self.temp.take() {
            Some(mut temp) => {
                temp.write_all(bytes).map_err(fail)?;
                temp.as_file().sync_all().map_err(fail)?;
                temp.persist(&self.target).map_err(|e| fail(e.error))?;
            }
            None => {
                let mut file = OpenOptions::new()
                    .write(true)
                    .open(&self.target)
                    .map_err(fail)?;
                if file.metadata().is_ok_and(|m| m.is_file()) {
                    file.set_len(0).map_err(fail)?;
                }
                file.write_all(bytes).map_err(fail)?;
                file.flush().map_err(fail)?;
            }
        }
        self.made.keep();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry of a folder, by name, with the bytes of the files.
    fn listing(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let bytes = e
                    .file_type()
                    .unwrap()
                    .is_file()
                    .then(|| fs::read(e.path()).unwrap());
                (e.file_name().to_string_lossy().into_owned(), bytes)
            })
            .collect();
        entries.sort();
        entries
    }

    fn commit(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), String> {
        let mut set = OutputFiles::default();
        for (name, bytes) in files {
            set.add(*name, bytes.to_vec());
        }
        let claimed = OutputDir::claim(dir).map_err(|e| e.to_string())?;
        set.commit(claimed).map_err(|e| e.to_string())
    }

    #[test]
    fn commit_writes_every_file_and_leaves_nothing_beside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        commit(&out, &[("a.csv", b"x\n"), ("sub/b.json", b"{}")]).unwrap();
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"x\n");
        assert_eq!(fs::read(out.join("sub/b.json")).unwrap(), b"{}");
        assert!(out.join(MARKER).is_file());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
            let ordinary = dir.path().join("ordinary");
            fs::write(&ordinary, b"").unwrap();
            assert_eq!(mode(&out.join("a.csv")), mode(&ordinary));
            fs::create_dir(dir.path().join("folder")).unwrap();
            assert_eq!(mode(&out), mode(&dir.path().join("folder")));
            fs::remove_file(ordinary).unwrap();
            fs::remove_dir(dir.path().join("folder")).unwrap();
        }
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["out"]);
    }

    #[test]
    fn a_second_commit_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        commit(&out, &[("a.csv", b"old"), ("stale.csv", b"old")]).unwrap();
        commit(&out, &[("a.csv", b"new")]).unwrap();
        assert_eq!(
            listing(&out),
            [
                (MARKER.to_string(), Some(MARKER_TEXT.to_vec())),
                ("a.csv".to_string(), Some(b"new".to_vec()))
            ]
        );
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["out"]);
    }

    #[test]
    fn staged_files_appear_only_with_the_commit_and_vanish_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        commit(&out, &[("old.csv", b"old")]).unwrap();
        let before = listing(&out);
        let staged = |claimed: &OutputDir| {
            let mut folder = OutputFiles::default();
            folder.add("a.csv", b"a".to_vec());
            claimed.stage("one", folder).unwrap();
        };
        // Staged, then dropped without a commit (a later scenario failed): nothing changes.
        let claimed = OutputDir::claim(&out).unwrap();
        staged(&claimed);
        assert_eq!(listing(&out), before);
        drop(claimed);
        assert_eq!(listing(&out), before);
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["out"]);
        // Staged, then committed with the rest: the new set, whole.
        let claimed = OutputDir::claim(&out).unwrap();
        staged(&claimed);
        let mut rest = OutputFiles::default();
        rest.add("b.csv", b"b".to_vec());
        rest.commit(claimed).unwrap();
        assert_eq!(fs::read(out.join("one/a.csv")).unwrap(), b"a");
        assert_eq!(fs::read(out.join("b.csv")).unwrap(), b"b");
        assert!(!out.join("old.csv").exists());
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["out"]);
    }

    #[test]
    fn a_failure_while_writing_leaves_the_old_folder_and_nothing_beside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        commit(&out, &[("a.csv", b"old"), ("b.csv", b"old")]).unwrap();
        let before = listing(&out);
        // The second file needs `a.csv` to be a folder: it cannot be written.
        let err = commit(&out, &[("a.csv", b"new"), ("a.csv/b.csv", b"new")]).unwrap_err();
        assert!(err.contains("cannot write"), "{err}");
        assert_eq!(listing(&out), before);
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["out"]);
    }

    #[test]
    fn without_an_exchange_two_renames_swap_and_a_failure_puts_the_old_folder_back() {
        let dir = tempfile::tempdir().unwrap();
        let (new, aside, target) = (
            dir.path().join("new"),
            dir.path().join("aside"),
            dir.path().join("target"),
        );
        for (folder, text) in [(&new, "new"), (&target, "old")] {
            fs::create_dir(folder).unwrap();
            fs::write(folder.join("a.csv"), text).unwrap();
        }
        swap_by_renames(&new, &aside, &target).unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"new");
        assert_eq!(fs::read(new.join("a.csv")).unwrap(), b"old");
        assert!(!aside.exists());
        // The new folder is gone: the second rename fails and the old folder is put back.
        fs::remove_dir_all(&new).unwrap();
        assert!(swap_by_renames(&new, &aside, &target).is_err());
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"new");
        assert!(!aside.exists());
    }

    #[test]
    fn a_folder_of_the_users_files_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mine");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), b"mine").unwrap();
        let err = commit(&out, &[("a.csv", b"x")]).unwrap_err();
        assert!(err.contains("resettle did not write"), "{err}");
        assert_eq!(
            listing(&out),
            [("notes.txt".to_string(), Some(b"mine".to_vec()))]
        );
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["mine"]);
    }

    #[test]
    fn a_file_is_refused_as_a_folder_and_a_failed_claim_removes_the_folders_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, b"not a folder").unwrap();
        let err = OutputDir::claim(&blocker).unwrap_err();
        assert!(err.to_string().contains("is a file, not a folder"), "{err}");
        let err = OutputDir::claim(&blocker.join("out")).unwrap_err();
        assert!(err.to_string().contains("cannot make the folder"), "{err}");
        let deep = dir.path().join("x/y/out");
        drop(OutputDir::claim(&deep).unwrap());
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["file"]);
    }

    #[test]
    fn a_claimed_folder_is_refused_to_a_second_claim_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = OutputDir::claim(&out).unwrap();
        let err = OutputDir::claim(&out).unwrap_err();
        assert!(err.to_string().contains("another run of resettle"), "{err}");
        drop(first);
        drop(OutputDir::claim(&out).unwrap());
        assert_eq!(listing(dir.path()), []);
    }

    #[test]
    fn leftovers_of_an_interrupted_run_are_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        for leftover in [".out.resettle-new", ".out.resettle-old"] {
            fs::create_dir(dir.path().join(leftover)).unwrap();
            fs::write(dir.path().join(leftover).join("moves.csv"), b"ids").unwrap();
        }
        fs::write(dir.path().join(".out.resettle-lock"), b"").unwrap();
        fs::create_dir(dir.path().join(".other.resettle-new")).unwrap();
        commit(&out, &[("a.csv", b"x")]).unwrap();
        let names: Vec<_> = listing(dir.path()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, [".other.resettle-new", "out"]);
    }
}
