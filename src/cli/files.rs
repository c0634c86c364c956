//! Every file acjwt writes, under one of two policies (the README's "Files acjwt writes").
//!
//! | at the path            | key material (`write_keys`)        | other output (`OutputFile`, `write_outputs`) |
//! |------------------------|------------------------------------|----------------------------------------------|
//! | a symlink              | the link is replaced, its target never touched | followed to its target, as `>` would |
//! | a device, FIFO, socket | refused                            | written to directly                          |
//! | a regular file         | replaced only with `--force`       | replaced                                     |
//! | a folder               | refused                            | refused                                      |
//!
//! Why they differ: a key file replaced by mistake is a secret lost for good, and a planted
//! symlink must never steer a private key into a file another user reads. Output is the
//! product of a command a script reruns (CI mints the same batch every run), so it replaces
//! what it wrote last time, and `--output /dev/stdout` must work as a redirect does.
//!
//! Regular files are never written in place: the bytes go to a temporary file in the final
//! folder (created 0600 or 0644, whatever the umask), are synced, and renamed over the path, so
//! a reader sees the old file or the whole new one. Temporary files hold keys or tokens, so
//! they are registered with a signal thread that removes them on SIGINT, SIGTERM and SIGHUP
//! before the process dies; a set of files is renamed into place with that thread held off,
//! so a signal never lands between the private and the public half of a pair. Key pairs are
//! written under an advisory lock on their folders, so two `keygen --force` runs into one
//! folder never mix their halves.

use std::ffi::OsString;
use std::fs::{self, DirBuilder, File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt as _, FileTypeExt as _, MetadataExt as _, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

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

/// Creates a folder for key files, and any missing parents, 0700 whatever the umask: another
/// local user must not be able to swap `public.pem` before it is uploaded.
pub fn create_key_dir(dir: &Path) -> Result<()> {
    let missing: Vec<&Path> = dir
        .ancestors()
        .take_while(|ancestor| {
            !ancestor.as_os_str().is_empty() && ancestor.symlink_metadata().is_err()
        })
        .collect();
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    // A umask such as 0277 narrows 0700 to 0500, and keygen could not write into its own folder.
    for created in missing {
        fs::set_permissions(created, Permissions::from_mode(0o700))
            .with_context(|| format!("cannot set the mode of {}", created.display()))?;
    }
    Ok(())
}

/// Creates a folder for non-secret output (completions, man pages), 0755 at most.
pub fn create_output_dir(dir: &Path) -> Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))
}

/// Writes a set of key files as one unit (see the module docs): all of them or none, after
/// checking that no two of them are one file, under a lock on their folders. `remove` names
/// files that must go once the new ones are in place (keygen's kid of an earlier key).
pub fn write_keys(outputs: &[Output<'_>], remove: &[PathBuf], force: bool) -> Result<()> {
    let mut identities = Vec::with_capacity(outputs.len());
    for output in outputs {
        let identity = Identity::of(&output.path)?;
        if let Some(earlier) = identities
            .iter()
            .position(|known: &Identity| *known == identity)
        {
            anyhow::bail!(UsageError::with_hint(
                format!(
                    "{} and {} are one file; each key file needs its own",
                    outputs[earlier].path.display(),
                    output.path.display()
                ),
                "give the private and the public key different names"
            ));
        }
        identities.push(identity);
        refuse_special(&output.path)?;
    }
    let _locks = lock_folders(&identities)?;
    if !force {
        let existing: Vec<String> = outputs
            .iter()
            .filter(|o| o.path.symlink_metadata().is_ok())
            .map(|o| o.path.display().to_string())
            .collect();
        if !existing.is_empty() {
            anyhow::bail!(UsageError::with_hint(
                format!(
                    "{} already {}",
                    existing.join(" and "),
                    if existing.len() == 1 {
                        "exists"
                    } else {
                        "exist"
                    }
                ),
                "pass --force to replace it, or choose another path"
            ));
        }
    }
    // Stage every file first: most failures (read-only folder, full disk) surface here,
    // before anything is in place.
    let staged = outputs
        .iter()
        .map(|output| {
            let mode = if output.private { 0o600 } else { 0o644 };
            stage(&output.path, output.contents, mode)
        })
        .collect::<Result<Vec<Temp>>>()?;
    // With --force the files being replaced are kept as hard links until every new file is in
    // place, so a failure part-way (the public key's path is a folder, say) puts the old pair
    // back instead of leaving the new private key, or no private key, beside the old public key.
    let mut backups: Vec<Option<Temp>> = Vec::new();
    if force {
        for output in outputs {
            backups.push(backup(&output.path)?);
        }
    }
    let mut pending = pending();
    for (replaced, (temp, output)) in staged.into_iter().zip(outputs).enumerate() {
        if let Err(err) = temp.persist(&output.path, force, &mut pending) {
            let kept = undo(outputs, &mut backups, replaced, &mut pending);
            let mut message = format!("cannot write {}", output.path.display());
            if !kept.is_empty() {
                let kept: Vec<String> = kept.iter().map(|p| p.display().to_string()).collect();
                message.push_str(&format!(
                    " (the replaced files could not be put back; their old versions are kept as {})",
                    kept.join(" and ")
                ));
            }
            return Err(err).context(message);
        }
    }
    for path in remove {
        // A path that is one of the outputs was just written: it is not stale.
        if Identity::of(path).is_ok_and(|id| identities.contains(&id)) {
            continue;
        }
        match fs::remove_file(path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => {
                return Err(err).with_context(|| {
                    format!("wrote the new files but cannot remove {}", path.display())
                });
            }
            _ => {}
        }
    }
    drop(pending);
    // The new files are in place: the copies of the old ones go (removed on drop).
    drop(backups);
    Ok(())
}

/// Puts things back after the first `replaced` outputs were renamed into place and the next
/// one failed: replaced files get their old version back (or go, if they are new); the copies
/// kept of files never replaced are dropped with `backups`, since the originals are still there.
/// Returns the copies that could not be put back, which are kept (one may be the only copy of
/// the old private key).
fn undo(
    outputs: &[Output<'_>],
    backups: &mut [Option<Temp>],
    replaced: usize,
    pending: &mut Vec<PathBuf>,
) -> Vec<PathBuf> {
    let mut kept = Vec::new();
    for (index, output) in outputs.iter().enumerate().take(replaced) {
        match backups.get_mut(index).and_then(Option::take) {
            Some(backup) => {
                let path = backup.path.clone();
                if let Err(failed) = backup.persist_or_keep(&output.path, pending) {
                    drop(failed);
                    kept.push(path);
                }
            }
            None => drop(fs::remove_file(&output.path)),
        }
    }
    kept
}

/// A hard link to whatever is at `path` (a symlink itself, not its target: `link(2)` does not
/// follow), or `None` when nothing is there.
fn backup(path: &Path) -> Result<Option<Temp>> {
    let Ok(metadata) = path.symlink_metadata() else {
        return Ok(None);
    };
    if metadata.is_dir() {
        return Ok(None);
    }
    Temp::link(path).map(Some).with_context(|| {
        format!(
            "cannot keep a copy of {} while replacing it",
            path.display()
        )
    })
}

/// Key files go only to regular files (or over a symlink): a device, FIFO or socket at the
/// path would be replaced by a file (`/dev/null` as root) or, followed, leak the key.
fn refuse_special(path: &Path) -> Result<()> {
    let Ok(metadata) = path.symlink_metadata() else {
        return Ok(());
    };
    let what = match metadata.file_type() {
        kind if kind.is_dir() => "a folder",
        kind if kind.is_block_device() || kind.is_char_device() => "a device",
        kind if kind.is_fifo() => "a FIFO",
        kind if kind.is_socket() => "a socket",
        // A link the system keeps (`/dev/stdout -> /proc/self/fd/1`), or one that leads to
        // this process's own descriptors: "replace the link" would replace the system's link
        // (as root) or hand the key to whatever stdout is.
        kind if kind.is_symlink() && system_link(path) => "a link to a device or a descriptor",
        _ => return Ok(()),
    };
    Err(UsageError::with_hint(
        format!(
            "{} is {what}; key files are written only as regular files",
            path.display()
        ),
        "choose a file path for the key",
    )
    .into())
}

/// Whether the link at `path` lives in, or points into, `/dev` or `/proc`, or leads to this
/// process's stdout or stderr.
fn system_link(path: &Path) -> bool {
    let under_system = |p: &Path| p.starts_with("/dev") || p.starts_with("/proc");
    let folder = fs::canonicalize(parent(path)).unwrap_or_default();
    let target = fs::read_link(path).unwrap_or_default();
    under_system(&folder) || under_system(&target) || own_stream(path).is_some()
}

/// Where a file lives, as the kernel sees it: its folder's device and inode, and its name.
/// Two spellings of one path (`./x.pem` and `x.pem`, an absolute and a relative path, a path
/// through a symlinked folder) have one identity.
#[derive(Debug)]
struct Identity {
    dev: u64,
    ino: u64,
    name: OsString,
    /// The folder as given, to open for the lock.
    dir: PathBuf,
}

impl PartialEq for Identity {
    fn eq(&self, other: &Identity) -> bool {
        (self.dev, self.ino, &self.name) == (other.dev, other.ino, &other.name)
    }
}

impl Identity {
    fn of(path: &Path) -> Result<Identity> {
        let name = match path.file_name() {
            Some(name) => name.to_os_string(),
            None => anyhow::bail!(UsageError::new(format!(
                "{} is not a file name",
                path.display()
            ))),
        };
        let dir = parent(path);
        let metadata = fs::metadata(dir).with_context(|| {
            format!("cannot write {} (folder {})", path.display(), dir.display())
        })?;
        Ok(Identity {
            dev: metadata.dev(),
            ino: metadata.ino(),
            name,
            dir: dir.to_path_buf(),
        })
    }
}

/// Takes an exclusive advisory lock (`flock`) on each distinct folder, in one order so that
/// two runs never wait on each other; a second run waits for the first. The locks go when the
/// returned handles are dropped.
fn lock_folders(identities: &[Identity]) -> Result<Vec<File>> {
    let mut folders: Vec<&Identity> = identities.iter().collect();
    folders.sort_by_key(|id| (id.dev, id.ino));
    folders.dedup_by_key(|id| (id.dev, id.ino));
    folders
        .into_iter()
        .map(|id| {
            let named = || format!("cannot lock the key folder {}", id.dir.display());
            let folder = File::open(&id.dir).with_context(named)?;
            check_folder(&folder, &id.dir)?;
            folder.lock().with_context(named)?;
            Ok(folder)
        })
        .collect()
}

/// Key files must not go where another local user can swap them (a `public.pem` replaced
/// before it is uploaded lets that user mint tokens the platform accepts): a folder others may
/// write to is refused, unless it is sticky (`/tmp`), where they cannot rename our files; one
/// owned by another user gets a warning.
fn check_folder(folder: &File, dir: &Path) -> Result<()> {
    let metadata = folder
        .metadata()
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    let mode = metadata.mode();
    if mode & 0o022 != 0 && mode & 0o1000 == 0 {
        anyhow::bail!(UsageError::with_hint(
            format!(
                "the folder {} is writable by other users (mode {:o}), who could swap the key files",
                dir.display(),
                mode & 0o7777
            ),
            format!(
                "chmod go-w {}, or choose a folder only you can write",
                dir.display()
            )
        ));
    }
    let me = rustix::process::geteuid().as_raw();
    if metadata.uid() != me && metadata.uid() != 0 {
        super::output::warn(&format!(
            "the folder {} belongs to another user (uid {}), who can replace the key files",
            dir.display(),
            metadata.uid()
        ));
    }
    Ok(())
}

/// The folder a file is created in.
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn stage(path: &Path, contents: &[u8], mode: u32) -> Result<Temp> {
    let dir = parent(path);
    let mut temp = Temp::create_in(dir, mode)
        .with_context(|| format!("cannot write {} (folder {})", path.display(), dir.display()))?;
    temp.write_all(contents)
        .and_then(|()| temp.sync())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(temp)
}

/// An output file that is not key material (`mint --batch --output`), written by the output
/// policy: a regular file is replaced atomically when [`OutputFile::finish`] is called and
/// left as it was otherwise; a device, FIFO or socket (through a symlink too) is written to.
pub struct OutputFile {
    sink: Sink,
    /// `--output PATH`, for messages.
    label: String,
}

enum Sink {
    /// The temporary file and the path it replaces (symlinks resolved).
    Replace(Temp, PathBuf),
    /// A device, a FIFO, or this process's own stdout or stderr.
    Direct(File),
}

impl OutputFile {
    /// Opens `path` for output; a new or replaced regular file gets `mode`. Errors, here and
    /// from writing, name the path as `flag PATH`.
    pub fn create(path: &Path, mode: u32, flag: &str) -> Result<OutputFile> {
        let label = format!("{flag} {}", path.display());
        let sink = match resolve_output(path)? {
            Target::Regular(target) => {
                let dir = parent(&target);
                let temp = Temp::create_in(dir, mode)
                    .with_context(|| format!("cannot write {label} (folder {})", dir.display()))?;
                Sink::Replace(temp, target)
            }
            Target::Special => Sink::Direct(
                fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("cannot write {label}"))?,
            ),
            Target::Stream(stream) => Sink::Direct(stream),
        };
        Ok(OutputFile { sink, label })
    }

    /// Syncs and renames the file into place (or flushes a device).
    pub fn finish(self) -> io::Result<()> {
        let label = self.label;
        match self.sink {
            Sink::Replace(mut temp, target) => temp
                .flush()
                .and_then(|()| temp.sync())
                .and_then(|()| temp.persist(&target, true, &mut pending())),
            Sink::Direct(mut file) => file.flush(),
        }
        .map_err(|err| labelled(&label, err))
    }
}

/// An I/O error that names the output it happened on, keeping its kind (a closed pipe stays
/// recognisable as one).
fn labelled(label: &str, err: io::Error) -> io::Error {
    io::Error::new(err.kind(), format!("{label}: {err}"))
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Replace(temp, _) => temp.write(buf),
            Sink::Direct(file) => file.write(buf),
        }
        .map_err(|err| labelled(&self.label, err))
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Replace(temp, _) => temp.flush(),
            Sink::Direct(file) => file.flush(),
        }
        .map_err(|err| labelled(&self.label, err))
    }
}

/// Writes non-secret files (completions, man pages, mode 0644) by the output policy, generated
/// beforehand: every regular file is staged before any is replaced, so a full disk leaves the
/// old set whole.
pub fn write_outputs(outputs: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let mut staged = Vec::new();
    let mut direct = Vec::new();
    for (path, contents) in outputs {
        match resolve_output(path)? {
            // Staged beside the target, not the link: a rename cannot cross file systems.
            Target::Regular(target) => {
                staged.push((stage(&target, contents, 0o644)?, target, path));
            }
            Target::Special => direct.push((
                fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                path,
                contents,
            )),
            Target::Stream(stream) => direct.push((stream, path, contents)),
        }
    }
    for (mut file, path, contents) in direct {
        file.write_all(contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut pending = pending();
    for (temp, target, path) in staged {
        temp.persist(&target, true, &mut pending)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// What an output path is, once symlinks are followed.
enum Target {
    /// A regular file, or nothing yet: written as this path, symlinks resolved.
    Regular(PathBuf),
    /// A device, FIFO or socket: opened and written to.
    Special,
    /// This process's own stdout or stderr (`/dev/stdout`, `/proc/self/fd/2`, or a link to
    /// one), as a duplicate of the descriptor: opening the path anew would start at offset 0
    /// without `O_APPEND`, and renaming over what it resolves to would delete the file the
    /// caller redirected into (`acjwt ... --output /dev/stdout >> build.log`).
    Stream(File),
}

fn resolve_output(path: &Path) -> Result<Target> {
    if let Some(stream) = own_stream(path) {
        return Ok(Target::Stream(stream.context("cannot write")?));
    }
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => Err(UsageError::with_hint(
            format!("{} is a folder", path.display()),
            "give a file path",
        )
        .into()),
        Ok(metadata) if metadata.is_file() => Ok(Target::Regular(
            fs::canonicalize(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        Ok(_) => Ok(Target::Special),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Target::Regular(
            dangling_target(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        Err(err) => Err(err).with_context(|| format!("cannot write {}", path.display())),
    }
}

/// A duplicate of stdout or stderr when `path`, or a link it leads through, names one.
fn own_stream(path: &Path) -> Option<io::Result<File>> {
    use std::os::fd::AsFd as _;
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let fd = match current.to_str() {
            Some("/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1") => 1,
            Some("/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2") => 2,
            _ => {
                let target = fs::read_link(&current).ok()?;
                current = parent(&current).join(target);
                continue;
            }
        };
        let stream = if fd == 1 {
            io::stdout().as_fd().try_clone_to_owned()
        } else {
            io::stderr().as_fd().try_clone_to_owned()
        };
        return Some(stream.map(File::from));
    }
    None
}

/// The file a chain of symlinks ending nowhere names, which a shell redirect would create.
fn dangling_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Linux's own limit on links followed in one lookup.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = parent(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Whether two paths name one existing file (the same device and inode), through links too.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// tempfile's errors end in `at path "<random temporary name>"`, which means nothing to the
/// user and hides the reason; keep only the operating system's message.
fn without_temp_path(err: io::Error) -> io::Error {
    let text = err.to_string();
    match text.split_once(" at path ") {
        Some((reason, _)) => io::Error::new(err.kind(), reason.to_string()),
        None => err,
    }
}

/// Temporary files that a signal must not leave behind (see the module docs).
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Starts, once per process, the thread that removes the pending files on a terminating
/// signal and then dies of the same signal, as the process would have without it. A signal the
/// process inherited as ignored (`nohup`, a background job of a script) stays ignored. SIGKILL
/// cannot be caught: it leaves the temporary file (mode 0600) behind.
fn watch_signals() {
    static WATCH: Once = Once::new();
    WATCH.call_once(|| {
        use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};
        let ignored = ignored_signals();
        let caught: Vec<i32> = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM]
            .into_iter()
            .filter(|&signal| ignored & (1 << (signal - 1)) == 0)
            .collect();
        // Without the thread (it cannot be set up) a signal leaves the temporary file behind,
        // as before; the write itself is unaffected.
        let Ok(mut signals) = signal_hook::iterator::Signals::new(caught) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the process is gone, so no rename starts after the removal.
                let pending = pending();
                for path in pending.iter() {
                    let _ = fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}

/// The signals this process ignores, as a mask (bit N-1 for signal N), from the kernel's
/// `SigIgn` line; none where /proc cannot be read.
fn ignored_signals() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("SigIgn:"))
                .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        })
        .unwrap_or(0)
}

/// A temporary file beside its final path, removed on drop or on a signal unless persisted.
struct Temp {
    file: Option<NamedTempFile>,
    path: PathBuf,
}

impl Temp {
    fn create_in(dir: &Path, mode: u32) -> io::Result<Temp> {
        watch_signals();
        let mut pending = pending();
        let file = tempfile::Builder::new()
            .prefix(".acjwt-")
            .permissions(Permissions::from_mode(mode))
            .tempfile_in(dir)
            .map_err(without_temp_path)?;
        // The umask may have narrowed the mode at creation; a public file should be readable.
        file.as_file()
            .set_permissions(Permissions::from_mode(mode))?;
        let path = file.path().to_path_buf();
        pending.push(path.clone());
        Ok(Temp {
            file: Some(file),
            path,
        })
    }

    /// A hard link to `path` under a fresh temporary name in its folder.
    fn link(path: &Path) -> io::Result<Temp> {
        watch_signals();
        let mut pending = pending();
        // tempfile picks a unique name and removes its own file; linking can then only fail if
        // another process takes the name in between, which is reported, not overwritten.
        let name = tempfile::Builder::new()
            .prefix(".acjwt-old-")
            .tempfile_in(parent(path))
            .and_then(|temp| {
                let name = temp.path().to_path_buf();
                temp.close().map(|()| name)
            })
            .map_err(without_temp_path)?;
        fs::hard_link(path, &name)?;
        pending.push(name.clone());
        Ok(Temp {
            file: None,
            path: name,
        })
    }

    fn sync(&self) -> io::Result<()> {
        match &self.file {
            Some(file) => file.as_file().sync_all(),
            None => Ok(()),
        }
    }

    /// Renames the file to `to` (replacing what is there only if `clobber`); `pending` is the
    /// held registry, so a signal waits until the rename is done.
    fn persist(mut self, to: &Path, clobber: bool, pending: &mut Vec<PathBuf>) -> io::Result<()> {
        let result = match self.file.take() {
            Some(file) => {
                let persisted = if clobber {
                    file.persist(to)
                } else {
                    file.persist_noclobber(to)
                };
                persisted.map(drop).map_err(|err| {
                    self.file = Some(err.file);
                    without_temp_path(err.error)
                })
            }
            // A backup link goes back only over the file that replaced it.
            None => fs::rename(&self.path, to),
        };
        if result.is_ok() {
            pending.retain(|path| *path != self.path);
            // Nothing is left at the temporary path for drop to remove.
            self.path = PathBuf::new();
        }
        result
    }
}

// Through the plain `File`: NamedTempFile's own `Write` adds the temporary path to errors.
impl Write for Temp {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(file) => file.as_file_mut().write(buf),
            None => Err(io::Error::other("a backup link is not written to")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.as_file_mut().flush(),
            None => Ok(()),
        }
    }
}

impl Temp {
    /// Like `persist` with clobbering; on failure the file is kept where it is (it may be the
    /// only copy of a replaced key) rather than removed on drop.
    fn persist_or_keep(self, to: &Path, pending: &mut Vec<PathBuf>) -> io::Result<()> {
        let path = self.path.clone();
        // Disarmed first: a failed rename hands the file back inside `self`, which is dropped
        // at the end of `persist`.
        let mut disarmed = self;
        let keep = std::mem::take(&mut disarmed.path);
        let file = disarmed.file.take();
        let result = match file {
            Some(file) => file.persist(to).map(drop).map_err(|err| {
                // Keep the file: forget NamedTempFile's removal.
                let _ = err.file.keep();
                without_temp_path(err.error)
            }),
            None => fs::rename(&keep, to),
        };
        pending.retain(|pending| *pending != path);
        result
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.path.as_os_str().is_empty() {
            return;
        }
        match self.file.take() {
            // NamedTempFile removes its file on drop.
            Some(file) => drop(file),
            None => drop(fs::remove_file(&self.path)),
        }
        // The registry may be held by this thread (a failed rename, being undone) or by the
        // signal thread; a stale entry only makes the signal thread try a missing file.
        if let Ok(mut pending) = PENDING.try_lock() {
            pending.retain(|path| *path != self.path);
        }
    }
}
