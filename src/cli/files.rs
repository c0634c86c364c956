//! Writing key files safely.
//!
//! Each file is written to a temporary file in the destination folder (created 0600 for
//! private keys, whatever the umask), synced, and renamed into place, so a reader never sees a
//! half-written key. Without `force` the final rename refuses to replace anything, atomically;
//! with `force` it replaces the path itself, never the target of a symlink there. A pair is
//! written as a unit: if the second file fails, the first one written is removed again, and
//! with `force` the files it replaced are put back, so the old pair survives a failed run.

use std::fs::Permissions;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use tempfile::NamedTempFile;

use super::UsageError;

/// One file to write.
pub struct Output<'a> {
    pub path: PathBuf,
    pub contents: &'a [u8],
    /// Private keys are 0600; public keys 0644.
    pub private: bool,
}

/// Writes all `outputs` or none of them (see the module docs).
pub fn write_all(outputs: &[Output<'_>], force: bool) -> Result<()> {
    for (index, output) in outputs.iter().enumerate() {
        if outputs[..index]
            .iter()
            .any(|earlier| earlier.path == output.path)
        {
            anyhow::bail!(UsageError::new(format!(
                "two files would be written to {}; give each its own name",
                output.path.display()
            )));
        }
    }
    if !force {
        let existing: Vec<String> = outputs
            .iter()
            .filter(|o| o.path.symlink_metadata().is_ok())
            .map(|o| o.path.display().to_string())
            .collect();
        if !existing.is_empty() {
            anyhow::bail!(UsageError::with_hint(
                format!("{} already exists", existing.join(" and ")),
                "pass --force to replace it, or choose another --out-dir"
            ));
        }
    }
    // Stage every file first: most failures (missing folder, read-only folder, full disk)
    // surface here, before anything is in place.
    let staged = outputs
        .iter()
        .map(stage)
        .collect::<Result<Vec<NamedTempFile>>>()?;
    // With --force the files being replaced are kept as hard links until every new file is in
    // place, so a failure part-way (the public key's path is a folder, say) puts the old pair
    // back instead of leaving the new private key, or no private key, beside the old public key.
    let mut backups: Vec<Option<PathBuf>> = Vec::new();
    if force {
        for output in outputs {
            match backup(output) {
                Ok(link) => backups.push(link),
                Err(err) => {
                    for link in backups.into_iter().flatten() {
                        let _ = std::fs::remove_file(link);
                    }
                    return Err(err);
                }
            }
        }
    }
    for (replaced, (temp, output)) in staged.into_iter().zip(outputs).enumerate() {
        let persisted = if force {
            temp.persist(&output.path).map(drop)
        } else {
            temp.persist_noclobber(&output.path).map(drop)
        };
        if let Err(err) = persisted {
            undo(outputs, &backups, replaced);
            return Err(without_temp_path(err.error))
                .with_context(|| format!("cannot write {}", output.path.display()));
        }
    }
    for backup in backups.into_iter().flatten() {
        let _ = std::fs::remove_file(backup);
    }
    Ok(())
}

/// Puts things back after the first `replaced` outputs were renamed into place and the next
/// one failed: replaced files get their old version back (or go, if they are new), and the
/// copies kept of files never replaced are dropped, since the originals are still there.
fn undo(outputs: &[Output<'_>], backups: &[Option<PathBuf>], replaced: usize) {
    for (index, output) in outputs.iter().enumerate() {
        match (
            index < replaced,
            backups.get(index).and_then(Option::as_ref),
        ) {
            (true, Some(backup)) => drop(std::fs::rename(backup, &output.path)),
            (true, None) => drop(std::fs::remove_file(&output.path)),
            (false, Some(backup)) => drop(std::fs::remove_file(backup)),
            (false, None) => {}
        }
    }
}

/// A hard link to whatever is at `output.path` (a symlink itself, not its target: `link(2)`
/// does not follow), or `None` when nothing is there. Folders cannot be linked; they are left
/// alone, and the rename onto them fails later.
fn backup(output: &Output<'_>) -> Result<Option<PathBuf>> {
    let Ok(metadata) = output.path.symlink_metadata() else {
        return Ok(None);
    };
    if metadata.is_dir() {
        return Ok(None);
    }
    let dir = match output.path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // A fresh unique name: tempfile picks it and removes its own file; linking can then only
    // fail if another process takes the name in between, which is reported, not overwritten.
    let name = tempfile::Builder::new()
        .prefix(".acjwt-old-")
        .tempfile_in(dir)
        .and_then(|temp| {
            let path = temp.path().to_path_buf();
            temp.close().map(|()| path)
        })
        .with_context(|| format!("cannot write {}", output.path.display()))?;
    std::fs::hard_link(&output.path, &name).with_context(|| {
        format!(
            "cannot keep a copy of {} while replacing it",
            output.path.display()
        )
    })?;
    Ok(Some(name))
}

fn stage(output: &Output<'_>) -> Result<NamedTempFile> {
    let dir = match output.path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mode = if output.private { 0o600 } else { 0o644 };
    let mut temp = tempfile::Builder::new()
        .prefix(".acjwt-")
        .permissions(Permissions::from_mode(mode))
        .tempfile_in(dir)
        .map_err(without_temp_path)
        .with_context(|| {
            format!(
                "cannot write {} (folder {})",
                output.path.display(),
                dir.display()
            )
        })?;
    // The umask may have narrowed the mode at creation; a public key should still be readable.
    temp.as_file()
        .set_permissions(Permissions::from_mode(mode))
        .and_then(|()| temp.write_all(output.contents))
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", output.path.display()))?;
    Ok(temp)
}

/// tempfile's errors end in `at path "<random temporary name>"`, which means nothing to the
/// user and hides the reason; keep only the operating system's message.
/// Whether two paths name one existing file (the same device and inode), through links too.
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

pub(super) fn without_temp_path(err: std::io::Error) -> std::io::Error {
    let text = err.to_string();
    match text.split_once(" at path ") {
        Some((reason, _)) => std::io::Error::new(err.kind(), reason.to_string()),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: PathBuf, private: bool) -> Output<'static> {
        Output {
            path,
            contents: b"key",
            private,
        }
    }

    #[test]
    fn writes_with_modes_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private.key");
        let public = dir.path().join("public.pem");
        write_all(
            &[output(private.clone(), true), output(public.clone(), false)],
            false,
        )
        .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&private), 0o600);
        assert_eq!(mode(&public), 0o644);
        let err = write_all(&[output(private.clone(), true)], false).unwrap_err();
        assert!(err.to_string().contains("already exists"));
        write_all(&[output(private, true)], true).unwrap();
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn force_replaces_a_symlink_not_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, "precious").unwrap();
        let link = dir.path().join("private.key");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(write_all(&[output(link.clone(), true)], false).is_err());
        write_all(&[output(link.clone(), true)], true).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
        assert!(!link.symlink_metadata().unwrap().file_type().is_symlink());
    }

    #[test]
    fn a_failed_second_file_removes_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private.key");
        let public = dir.path().join("missing-folder").join("public.pem");
        assert!(
            write_all(
                &[output(private.clone(), true), output(public, false)],
                false
            )
            .is_err()
        );
        assert!(!private.exists());
    }

    #[test]
    fn a_failed_forced_pair_puts_the_old_pair_back() {
        // Regression: with force, a public path that cannot be replaced (a folder) used to
        // leave the old public key and *no* private key: the old one had been replaced, and
        // the new one was then removed.
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private.key");
        let public = dir.path().join("public.pem");
        std::fs::write(&private, "old private").unwrap();
        std::fs::create_dir(&public).unwrap();
        std::fs::write(public.join("inside"), "x").unwrap();
        let err = write_all(
            &[output(private.clone(), true), output(public.clone(), false)],
            true,
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("public.pem"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&private).unwrap(), "old private");
        // Nothing but the two original entries remains: no temporary files, no backups.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_failure_leaves_no_copy_of_files_never_replaced() {
        // The third output exists and is kept as a backup link; the second (a folder) fails
        // first, so the third is never replaced and its backup must go, not linger.
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private.key");
        let public = dir.path().join("public.pem");
        let extra = dir.path().join("jwks.json");
        std::fs::write(&private, "old private").unwrap();
        std::fs::create_dir(&public).unwrap();
        std::fs::write(&extra, "old jwks").unwrap();
        let outputs = [
            output(private.clone(), true),
            output(public.clone(), false),
            output(extra.clone(), false),
        ];
        assert!(write_all(&outputs, true).is_err());
        assert_eq!(std::fs::read_to_string(&private).unwrap(), "old private");
        assert_eq!(std::fs::read_to_string(&extra).unwrap(), "old jwks");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }
}
