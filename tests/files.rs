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
    expect_failure(&output, "already exists");
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
