//! Writing outputs so that a failed run leaves nothing half-finished: every file is written
//! to a temporary file beside its destination, and only when all are written are they
//! renamed into place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    pub source: std::io::Error,
}

impl OutputFiles {
    /// Adds a file named `name` (relative to the output folder) with `bytes`.
    pub fn add(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.files.push((name.into(), bytes));
    }

    /// The files to be written, in the order added.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(name, _)| name.as_str())
    }

    /// Writes every file into `dir` (created if missing): first all to temporary files, then
    /// renamed into place. On failure the temporary files are removed and nothing is renamed.
    pub fn commit(self, dir: &Path) -> Result<(), WriteError> {
        let fail = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError { path, source }
        };
        fs::create_dir_all(dir).map_err(fail(dir))?;
        let mut staged = Vec::with_capacity(self.files.len());
        for (name, bytes) in &self.files {
            let target = dir.join(name);
            let parent = target.parent().unwrap_or(dir);
            fs::create_dir_all(parent).map_err(fail(parent))?;
            let mut builder = tempfile::Builder::new();
            builder.prefix(".resettle-").suffix(".tmp");
            // The mode of any file the user writes, 0o666 less the umask (a temporary file is
            // private by default).
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            let mut temp = builder.tempfile_in(parent).map_err(fail(&target))?;
            temp.write_all(bytes).map_err(fail(&target))?;
            temp.as_file().sync_all().map_err(fail(&target))?;
            staged.push((temp, target));
        }
        for (temp, target) in staged {
            temp.persist(&target).map_err(|e| WriteError {
                path: target.clone(),
                source: e.error,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_writes_every_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut files = OutputFiles::default();
        files.add("a.csv", b"x\n".to_vec());
        files.add("sub/b.json", b"{}".to_vec());
        files.commit(&out).unwrap();
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"x\n");
        assert_eq!(fs::read(out.join("sub/b.json")).unwrap(), b"{}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
            let ordinary = dir.path().join("ordinary");
            fs::write(&ordinary, b"").unwrap();
            assert_eq!(mode(&out.join("a.csv")), mode(&ordinary));
        }
        let names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_folder_that_cannot_be_made_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, b"not a folder").unwrap();
        let mut files = OutputFiles::default();
        files.add("a.csv", b"x\n".to_vec());
        let err = files.commit(&blocker.join("out")).unwrap_err();
        assert!(err.to_string().contains("cannot write"), "{err}");
    }
}
