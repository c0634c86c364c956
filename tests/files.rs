//! What `acjwt keygen` promises about the files it writes, checked through the binary:
//! modes regardless of umask, no temporary files left, never writing through a symlink,
//! `--force` replacing the link and not its target, never a private key without its public
//! half, and exit 2 naming the path when the folder cannot take the files.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use common::TestEnv;

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `acjwt keygen ARGS` under `umask MASK`, via sh so the mask applies to acjwt itself.
fn keygen_with_umask(env: &TestEnv, mask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {mask} && exec \"$0\" keygen \"$@\""))
        .arg(env!("CARGO_BIN_EXE_acjwt"))
        .args(args)
        .current_dir(env.dir.path())
        .env("CI", "true")
        .output()
        .unwrap()
}

fn expect_failure(output: &Output, path: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(path),
        "the error should name {path}: {stderr}"
    );
}

#[test]
fn modes_do_not_depend_on_the_umask() {
    for mask in ["000", "022", "077"] {
        let env = TestEnv::new();
        let output = keygen_with_umask(&env, mask, &["--alg", "ES256"]);
        assert!(output.status.success(), "{output:?}");
        assert_eq!(mode(&env.path("private.ec.key")), 0o600, "umask {mask}");
        assert_eq!(mode(&env.path("public.pem")), 0o644, "umask {mask}");
        // Only the two files: no temporary or backup file is left behind.
        assert_eq!(entries(env.dir.path()), ["private.ec.key", "public.pem"]);
    }
}

#[test]
fn existing_files_are_kept_without_force_and_replaced_with_it() {
    let env = TestEnv::new();
    env.write("private.ec.key", "old private");
    env.write("public.pem", "old public");
    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256"])
        .output()
        .unwrap();
    expect_failure(&output, "private.ec.key");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--force"));
    assert_eq!(env.read("private.ec.key"), "old private");
    assert_eq!(env.read("public.pem"), "old public");

    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256", "--force"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(env.read("private.ec.key").contains("BEGIN EC PRIVATE KEY"));
    assert!(env.read("public.pem").contains("BEGIN PUBLIC KEY"));
    assert_eq!(mode(&env.path("private.ec.key")), 0o600);
    assert_eq!(entries(env.dir.path()), ["private.ec.key", "public.pem"]);
}

#[test]
fn never_writes_through_a_symlink() {
    let env = TestEnv::new();
    let outside = TestEnv::new();
    let target = outside.write("precious", "precious data");
    std::os::unix::fs::symlink(&target, env.path("private.ec.key")).unwrap();
    // A dangling link is refused too: following it would create a file elsewhere.
    let nowhere = outside.path("created-through-link");
    std::os::unix::fs::symlink(&nowhere, env.path("public.pem")).unwrap();

    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256"])
        .output()
        .unwrap();
    expect_failure(&output, "already exist");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious data");
    assert!(!nowhere.exists());

    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256", "--force"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // The links were replaced by regular files; their targets were not touched.
    for name in ["private.ec.key", "public.pem"] {
        let meta = std::fs::symlink_metadata(env.path(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is still a link");
    }
    assert_eq!(mode(&env.path("private.ec.key")), 0o600);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious data");
    assert_eq!(mode(&target), 0o644, "the target's mode changed");
    assert!(!nowhere.exists());
}

#[test]
fn a_failed_public_key_leaves_no_private_key() {
    let env = TestEnv::new();
    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256", "--public", "missing/public.pem"])
        .output()
        .unwrap();
    expect_failure(&output, "missing/public.pem");
    assert!(
        entries(env.dir.path()).is_empty(),
        "{:?}",
        entries(env.dir.path())
    );
}

#[test]
fn a_failed_forced_run_keeps_the_old_pair() {
    // The public path is a folder: the rename of the public key fails after the private key
    // was renamed into place. The old private key must come back.
    let env = TestEnv::new();
    env.write("private.ec.key", "old private");
    std::fs::create_dir(env.path("public.pem")).unwrap();
    env.write("public.pem/keep", "x");
    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256", "--force"])
        .output()
        .unwrap();
    expect_failure(&output, "public.pem");
    assert_eq!(env.read("private.ec.key"), "old private");
    assert_eq!(entries(env.dir.path()), ["private.ec.key", "public.pem"]);
}

#[test]
fn impossible_folders_exit_2_naming_the_path() {
    let env = TestEnv::new();
    env.write("a-file", "not a folder");
    // A missing --out-dir is created; one that runs through a file cannot be.
    for dir in ["a-file", "a-file/sub"] {
        let output = env
            .acjwt()
            .args(["keygen", "--alg", "ES256", "--out-dir", dir])
            .output()
            .unwrap();
        expect_failure(&output, dir);
    }
    assert_eq!(entries(env.dir.path()), ["a-file"]);
}

#[test]
fn a_read_only_folder_exits_2_naming_the_path() {
    let env = TestEnv::new();
    let locked = env.path("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores folder modes; then a folder no one may write (sysfs) stands in for it.
    let dir = if std::fs::write(locked.join("probe"), "").is_ok() {
        std::fs::remove_file(locked.join("probe")).unwrap();
        Path::new("/sys/kernel").to_path_buf()
    } else {
        locked.clone()
    };
    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256", "--out-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    expect_failure(&output, &dir.join("private.ec.key").display().to_string());
    assert!(!dir.join("private.ec.key").exists());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `acjwt ARGS` through `sh -c SCRIPT`, for redirections, umasks and limits the test harness
/// cannot set itself; `$0` is the binary.
fn sh(env: &TestEnv, script: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_acjwt"))
        .args(args)
        .current_dir(env.dir.path())
        .env("CI", "true")
        .env("ACJWT_RTOKEN", "rt-secret-123")
        .output()
        .unwrap()
}

fn batch_env() -> TestEnv {
    let env = TestEnv::new();
    env.keygen("ES256", "k");
    env.write(
        "in.jsonl",
        format!(
            "{}\n{}\n",
            crate::common::EXAMPLE_MATCHING,
            crate::common::EXAMPLE_MATCHING
        ),
    );
    env
}

fn mint_batch_to(env: &TestEnv, output: &Path) -> Output {
    env.acjwt()
        .args([
            "mint",
            "--key",
            "k.key",
            "--iss",
            "App",
            "--rtoken",
            "rt-secret-123",
        ])
        .args(["--batch", "in.jsonl", "--output"])
        .arg(output)
        .output()
        .unwrap()
}

fn token_lines(text: &str) -> usize {
    text.lines()
        .filter(|line| line.split('.').count() == 3)
        .count()
}

/// Issue 11, item 1: `--output` follows a symlink to its target, as `>` does, instead of
/// replacing the link; a dangling link creates its target.
#[test]
fn r11_1_batch_output_follows_symlinks() {
    let env = batch_env();
    env.write("real.txt", "old tokens\n");
    std::os::unix::fs::symlink("real.txt", env.path("link.txt")).unwrap();
    let output = mint_batch_to(&env, &env.path("link.txt"));
    assert!(output.status.success(), "{output:?}");
    assert!(
        env.path("link.txt")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(token_lines(&env.read("real.txt")), 2);
    assert_eq!(mode(&env.path("real.txt")), 0o600);

    std::os::unix::fs::symlink("sub/new.txt", env.path("dangling")).unwrap();
    std::fs::create_dir(env.path("sub")).unwrap();
    let output = mint_batch_to(&env, &env.path("dangling"));
    assert!(output.status.success(), "{output:?}");
    assert!(
        env.path("dangling")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(token_lines(&env.read("sub/new.txt")), 2);
    // A regular file is replaced without --force: CI scripts rerun batches.
    let output = mint_batch_to(&env, &env.path("real.txt"));
    assert!(output.status.success(), "{output:?}");
    assert_eq!(token_lines(&env.read("real.txt")), 2);
    assert!(
        !entries(env.dir.path())
            .iter()
            .any(|name| name.starts_with(".acjwt"))
    );
}

/// Issue 11, item 1: a device or FIFO is written to, never replaced by a file. (`/dev/null`
/// itself is reached through a link here, so a regression replaces the link, not the device.)
#[test]
fn r11_1_batch_output_writes_to_devices_and_fifos() {
    let env = batch_env();
    std::os::unix::fs::symlink("/dev/null", env.path("null")).unwrap();
    let output = mint_batch_to(&env, &env.path("null"));
    assert!(output.status.success(), "{output:?}");
    assert!(
        env.path("null")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        !entries(env.dir.path())
            .iter()
            .any(|name| name.starts_with(".acjwt"))
    );

    let fifo = env.path("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let output = mint_batch_to(&env, &fifo);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(token_lines(&reader.join().unwrap()), 2);
    use std::os::unix::fs::FileTypeExt as _;
    assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());

    // /dev/stdout -> /proc/self/fd/1: the tokens reach stdout.
    let output = mint_batch_to(&env, Path::new("/dev/stdout"));
    assert!(output.status.success(), "{output:?}");
    assert_eq!(token_lines(&String::from_utf8_lossy(&output.stdout)), 2);
}

/// Issue 11, item 1: key files never go onto a device, FIFO or socket, --force or not.
#[test]
fn r11_1_keys_are_never_written_onto_a_fifo() {
    let env = TestEnv::new();
    let made = Command::new("mkfifo")
        .arg(env.path("fifo"))
        .status()
        .unwrap();
    assert!(made.success());
    for force in [false, true] {
        let mut cmd = env.acjwt();
        cmd.args(["keygen", "--alg", "ES256", "--private", "fifo"]);
        if force {
            cmd.arg("--force");
        }
        let output = cmd.output().unwrap();
        expect_failure(&output, "fifo");
        use std::os::unix::fs::FileTypeExt as _;
        assert!(
            env.path("fifo")
                .symlink_metadata()
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    assert_eq!(entries(env.dir.path()), ["fifo"]);
}

/// Review of issue 11: a key never replaces a link to a device or to acjwt's own stdout,
/// `--force` or not (as root, `--private /dev/stdout --force` replaced the system's link).
#[test]
fn r11_1_keys_never_replace_a_link_to_a_descriptor() {
    let env = TestEnv::new();
    std::os::unix::fs::symlink("/proc/self/fd/1", env.path("out")).unwrap();
    std::os::unix::fs::symlink("/dev/null", env.path("null")).unwrap();
    for (name, args) in [
        (
            "out",
            &["keygen", "--alg", "ES256", "--private", "out", "--force"][..],
        ),
        (
            "null",
            &["keygen", "--alg", "ES256", "--public", "null", "--force"][..],
        ),
    ] {
        let output = env.acjwt().args(args).output().unwrap();
        expect_failure(&output, "a link to a device or a descriptor");
        assert!(
            env.path(name)
                .symlink_metadata()
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    assert_eq!(entries(env.dir.path()), ["null", "out"]);
}

/// Issue 11, item 2: two spellings of one path are one file, found before anything is written.
#[test]
fn r11_2_keygen_refuses_two_names_for_one_file() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path("real")).unwrap();
    std::os::unix::fs::symlink("real", env.path("alias")).unwrap();
    let absolute = env.path("x.pem").display().to_string();
    let cases: &[&[&str]] = &[
        &["--private", "./x.pem", "--public", "x.pem"],
        &["--private", &absolute, "--public", "x.pem"],
        &["--private", "real/x.pem", "--public", "alias/x.pem"],
        &["--public", "jwks.json", "--jwks"],
        &["--public", "private.ec.key.kid", "--kid", "auto"],
    ];
    for args in cases {
        let output = env
            .acjwt()
            .args(["keygen", "--alg", "ES256", "--force"])
            .args(*args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("are one file"), "{args:?}: {stderr}");
        assert_eq!(entries(env.dir.path()), ["alias", "real"], "{args:?}");
        assert!(entries(&env.path("real")).is_empty(), "{args:?}");
    }
}

/// Issue 11, item 3: concurrent `keygen --force` runs into one folder never mix their halves.
#[test]
fn r11_3_concurrent_keygen_runs_leave_a_matching_pair() {
    let env = TestEnv::new();
    for round in 0..40 {
        let mut children: Vec<_> = (0..2)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_acjwt"))
                    .current_dir(env.dir.path())
                    .env("CI", "true")
                    .args(["keygen", "--alg", "ES256", "--force"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in &mut children {
            let status = crate::common::wait_or_fail(child, 30, "keygen");
            assert!(status.success(), "round {round}");
        }
        let derived = env.run_ok(
            env!("CARGO_BIN_EXE_acjwt"),
            &["key", "public", "private.ec.key"],
        );
        assert_eq!(
            derived,
            env.read("public.pem"),
            "round {round}: the pair is mixed"
        );
    }
    assert_eq!(entries(env.dir.path()), ["private.ec.key", "public.pem"]);
}

/// Issue 11, item 7: a signal during `mint --batch --output` leaves the old file and no
/// temporary file of tokens behind.
#[test]
fn r11_7_signals_remove_the_batch_temporary_file() {
    use std::io::Write as _;
    for signal in ["INT", "TERM", "HUP"] {
        let env = batch_env();
        env.write("out.txt", "old\n");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_acjwt"))
            .current_dir(env.dir.path())
            .env("CI", "true")
            .args([
                "mint",
                "--key",
                "k.key",
                "--iss",
                "App",
                "--rtoken",
                "rt-secret-123",
            ])
            .args(["--batch", "-", "--output", "out.txt"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{}", crate::common::EXAMPLE_MATCHING).unwrap();
        // The batch holds its temporary file while stdin stays open.
        wait_for_temporary_file(env.dir.path());
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = crate::common::wait_or_fail(&mut child, 30, "mint --batch");
        drop(stdin);
        use std::os::unix::process::ExitStatusExt as _;
        assert!(status.signal().is_some(), "{signal}: {status:?}");
        assert_eq!(env.read("out.txt"), "old\n", "{signal}");
        assert_eq!(
            entries(env.dir.path()),
            ["in.jsonl", "k.key", "k.pub.pem", "out.txt"],
            "{signal}"
        );
    }
}

/// Issue 11, item 8: completions and man pages are generated in memory and written as a set:
/// a write that fails part-way (here a file-size limit, as a full disk would) exits 2 naming
/// the path, without a panic, and leaves no truncated or empty file.
#[test]
fn r11_8_docs_on_a_full_disk_write_nothing() {
    for command in ["completions", "man"] {
        let env = TestEnv::new();
        std::fs::create_dir(env.path("out")).unwrap();
        let output = sh(
            &env,
            "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"",
            &[command, "--dir", "out"],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(stderr.contains("out/"), "{command}: {stderr}");
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
        assert!(
            entries(&env.path("out")).is_empty(),
            "{command}: {:?}",
            entries(&env.path("out"))
        );
    }
}

/// Issue 11, item 17: key folders are created 0700 whatever the umask.
#[test]
fn r11_17_key_folders_are_private() {
    let env = TestEnv::new();
    let output = keygen_with_umask(&env, "000", &["--alg", "ES256", "--out-dir", "new/dir"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(mode(&env.path("new")), 0o700);
    assert_eq!(mode(&env.path("new/dir")), 0o700);
}

/// Issue 11, item 18: a closed stdout or a full disk is exit 2; a closed pipe stays quiet.
#[test]
fn r11_18_stdout_failures_are_errors() {
    let env = batch_env();
    let token = env.mint(&env.path("k.key"), &[]);
    let mint = [
        "mint",
        "--key",
        "k.key",
        "--iss",
        "App",
        "--matching",
        crate::common::EXAMPLE_MATCHING,
    ];
    for (script, args) in [
        ("exec \"$0\" \"$@\" >&-", &["decode", token.as_str()][..]),
        ("exec \"$0\" \"$@\" >&-", &mint[..]),
        ("exec \"$0\" \"$@\" >/dev/full", &mint[..]),
        (
            "exec \"$0\" \"$@\" >&-",
            &[
                "mint", "--key", "k.key", "--iss", "App", "--batch", "in.jsonl",
            ][..],
        ),
    ] {
        let output = sh(&env, script, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{script} {args:?}: {stderr}");
        assert!(stderr.contains("stdout"), "{stderr}");
    }
    // `> /dev/null` is not a closed stdout.
    let output = sh(&env, "exec \"$0\" \"$@\" >/dev/null", &mint);
    assert!(output.status.success(), "{output:?}");
    let output = sh(
        &env,
        "\"$0\" \"$@\" | head -c 10 >/dev/null",
        &[
            "mint", "--key", "k.key", "--iss", "App", "--batch", "in.jsonl",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // keygen --json with the keys written but the summary lost says so.
    let output = sh(
        &env,
        "exec \"$0\" \"$@\" >/dev/full",
        &["keygen", "--alg", "ES256", "--json"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("wrote private.ec.key and public.pem"),
        "{stderr}"
    );
    assert!(env.read("private.ec.key").contains("PRIVATE KEY"));
}

/// Issue 11, item 9: keygen's closing hint does not invite the role token onto a command line.
#[test]
fn r11_9_keygen_hint_keeps_the_rtoken_out_of_history() {
    let env = TestEnv::new();
    let output = env
        .acjwt()
        .args(["keygen", "--alg", "ES256"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("ACJWT_RTOKEN=<"), "{stderr}");
    assert!(stderr.contains("--rtoken-file"), "{stderr}");
}

/// Review of issue 11: `--output /dev/stdout` writes to the caller's stdout as a redirect
/// does: lines before and after survive, `>>` appends, a closed reader is a quiet exit 0.
#[test]
fn r11_1_output_to_dev_stdout_is_the_callers_stdout() {
    let env = batch_env();
    let script = "(echo before; \"$0\" \"$@\"; echo after) > log.txt";
    let args = [
        "mint", "--key", "k.key", "--iss", "App", "--batch", "in.jsonl",
    ];
    let with_output = |path: &'static str| {
        let mut all = args.to_vec();
        all.extend(["--output", path]);
        all
    };
    let output = sh(&env, script, &with_output("/dev/stdout"));
    assert!(output.status.success(), "{output:?}");
    let log = env.read("log.txt");
    assert!(
        log.starts_with("before\n") && log.ends_with("after\n"),
        "{log}"
    );
    assert_eq!(token_lines(&log), 2);

    env.write("app.log", "old line\n");
    let output = sh(
        &env,
        "\"$0\" \"$@\" >> app.log",
        &with_output("/dev/stdout"),
    );
    assert!(output.status.success(), "{output:?}");
    let log = env.read("app.log");
    assert!(log.starts_with("old line\n"), "{log}");
    assert_eq!(token_lines(&log), 2);

    let output = sh(
        &env,
        "\"$0\" \"$@\" 2>> err.log",
        &with_output("/dev/stderr"),
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(token_lines(&env.read("err.log")), 2);

    let many: String = (0..5000)
        .map(|_| format!("{}\n", crate::common::EXAMPLE_MATCHING))
        .collect();
    env.write("many.jsonl", many);
    let output = sh(
        &env,
        "\"$0\" \"$@\" | head -c 10 >/dev/null",
        &[
            "mint",
            "--key",
            "k.key",
            "--iss",
            "App",
            "--batch",
            "many.jsonl",
            "--output",
            "/dev/stdout",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Review of issue 11: `--output` never replaces any file the run reads: the key through
/// stdin, the rtoken file, the key's kid file.
#[test]
fn r11_1_output_never_replaces_a_secret_input() {
    let env = batch_env();
    let key = env.read("k.key");
    env.write("rt.txt", "rt-secret-123\n");
    let mint = |extra: &[&str]| {
        let mut cmd = env.acjwt();
        cmd.args(["mint", "--iss", "App", "--batch", "in.jsonl"])
            .args(extra);
        cmd.output().unwrap()
    };
    // stdin redirected from the key file itself, as `< k.key` does (not a pipe of its bytes).
    let output = sh(
        &env,
        "exec \"$0\" \"$@\" < k.key",
        &[
            "mint", "--iss", "App", "--batch", "in.jsonl", "--key", "-", "--output", "k.key",
        ],
    );
    expect_failure(&output, "stdin, which --key - reads");
    let output = mint(&[
        "--key",
        "k.key",
        "--rtoken-file",
        "rt.txt",
        "--output",
        "rt.txt",
    ]);
    expect_failure(&output, "is the --rtoken-file file");
    env.write("k.key.kid", "k1\n");
    let output = mint(&["--key", "k.key", "--rtoken", "rt", "--output", "k.key.kid"]);
    expect_failure(&output, "the kid file of --key");
    assert_eq!(env.read("k.key"), key);
    assert_eq!(env.read("rt.txt"), "rt-secret-123\n");
    assert_eq!(env.read("k.key.kid"), "k1\n");
}

/// Review of issue 11: a path keygen writes is never the stale kid file it then removes.
#[test]
fn r11_2_keygen_never_removes_a_file_it_wrote() {
    let env = TestEnv::new();
    env.acjwt()
        .args(["keygen", "--alg", "ES256", "--kid", "auto"])
        .assert()
        .success();
    let output = env
        .acjwt()
        .args([
            "keygen",
            "--alg",
            "ES256",
            "--force",
            "--public",
            "private.ec.key.kid",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(env.read("private.ec.key.kid").contains("BEGIN PUBLIC KEY"));
}

/// Review of issue 11: completions through a link into another folder are staged beside the
/// target, so the rename never crosses file systems.
#[test]
fn r11_8_docs_follow_links_into_other_folders() {
    let env = TestEnv::new();
    let elsewhere = tempfile::tempdir_in(if Path::new("/dev/shm").is_dir() {
        "/dev/shm"
    } else {
        "/tmp"
    })
    .unwrap();
    std::fs::create_dir(env.path("comp")).unwrap();
    let target = elsewhere.path().join("zsh");
    std::fs::write(&target, "old").unwrap();
    std::os::unix::fs::symlink(&target, env.path("comp/_acjwt")).unwrap();
    let output = env
        .acjwt()
        .args(["completions", "--dir", "comp"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(std::fs::read_to_string(&target).unwrap().contains("acjwt"));
    assert!(
        env.path("comp/_acjwt")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
}

/// Review of issue 11: stdout on `/dev/null` opened read-write (Python's subprocess.DEVNULL)
/// is not a closed stdout.
#[test]
fn r11_18_read_write_dev_null_is_not_closed() {
    let env = batch_env();
    let output = sh(
        &env,
        "exec \"$0\" \"$@\" 1<>/dev/null",
        &[
            "mint",
            "--key",
            "k.key",
            "--iss",
            "App",
            "--matching",
            crate::common::EXAMPLE_MATCHING,
        ],
    );
    assert!(output.status.success(), "{output:?}");
}

/// Review of issue 11: a signal the caller ignores (`nohup`) stays ignored during a batch.
#[test]
fn r11_7_ignored_signals_stay_ignored() {
    use std::io::Write as _;
    let env = batch_env();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("trap '' HUP; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_acjwt"))
        .args(["mint", "--key", "k.key", "--iss", "App", "--rtoken", "rt"])
        .args(["--batch", "-", "--output", "out.txt"])
        .current_dir(env.dir.path())
        .env("CI", "true")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", crate::common::EXAMPLE_MATCHING).unwrap();
    // The batch holds its temporary file while stdin stays open.
    wait_for_temporary_file(env.dir.path());
    let sent = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    std::thread::sleep(std::time::Duration::from_millis(200));
    writeln!(stdin, "{}", crate::common::EXAMPLE_MATCHING).unwrap();
    drop(stdin);
    let status = crate::common::wait_or_fail(&mut child, 30, "mint --batch under nohup");
    assert!(status.success(), "{status:?}");
    assert_eq!(token_lines(&env.read("out.txt")), 2);
}

/// Review of issue 11: keys never go into a folder other users may write to, unless it is
/// sticky; a umask that narrows 0700 does not lock keygen out of its own folder.
#[test]
fn r11_17_key_folders_others_can_write_are_refused() {
    let env = TestEnv::new();
    for (mode, ok) in [
        (0o777, false),
        (0o775, false),
        (0o1777, true),
        (0o755, true),
    ] {
        let dir = env.path(&format!("d{mode:o}"));
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
        let output = env
            .acjwt()
            .args(["keygen", "--alg", "ES256", "--out-dir"])
            .arg(&dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.success(), ok, "mode {mode:o}: {stderr}");
        if !ok {
            assert!(stderr.contains("writable by other users"), "{stderr}");
            assert!(entries(&dir).is_empty());
        }
    }
    let output = keygen_with_umask(
        &env,
        "0277",
        &["--alg", "ES256", "--out-dir", "narrow/keys"],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(mode(&env.path("narrow/keys")), 0o700);
}

/// Review of issue 11: a write that fails part-way names `--output`, never the temporary file.
#[test]
fn r11_1_output_write_errors_name_the_path() {
    let env = batch_env();
    let many: String = (0..200)
        .map(|_| format!("{}\n", crate::common::EXAMPLE_MATCHING))
        .collect();
    env.write("many.jsonl", many);
    let output = sh(
        &env,
        "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"",
        &[
            "mint",
            "--key",
            "k.key",
            "--iss",
            "App",
            "--batch",
            "many.jsonl",
            "--output",
            "out.txt",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--output out.txt"), "{stderr}");
    assert!(!stderr.contains(".acjwt-"), "{stderr}");
    assert!(
        !entries(env.dir.path())
            .iter()
            .any(|name| name.starts_with(".acjwt") || name == "out.txt")
    );
}

/// Waits until a `.acjwt-*` temporary file exists in `dir` (a batch writing to `--output`
/// while its stdin stays open); fails the test after 30 s.
fn wait_for_temporary_file(dir: &Path) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !entries(dir).iter().any(|name| name.starts_with(".acjwt")) {
        assert!(
            std::time::Instant::now() < deadline,
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
