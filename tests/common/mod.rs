//! Shared test helpers: a fresh folder per test, the acjwt binary with a clean environment,
//! and the peer programs that scripts/provision-peers.sh installs.
#![allow(dead_code, reason = "each test binary uses a different part")]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary working folder and the `acjwt` binary run inside it.
pub struct TestEnv {
    pub dir: TempDir,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// `acjwt` in this folder, with no ACJWT_* variables, no colour and no terminal.
    pub fn acjwt(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_acjwt"));
        cmd.current_dir(self.dir.path());
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("ACJWT_") {
                cmd.env_remove(name);
            }
        }
        cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        cmd.env("CI", "true");
        cmd
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read test file")
    }

    /// `acjwt keygen --alg ALG` into `<prefix>.key` / `<prefix>.pub.pem`; returns both paths.
    pub fn keygen(&self, alg: &str, prefix: &str) -> (PathBuf, PathBuf) {
        let private = format!("{prefix}.key");
        let public = format!("{prefix}.pub.pem");
        let mut args = vec![
            "keygen",
            "--alg",
            alg,
            "--private",
            &private,
            "--public",
            &public,
        ];
        if alg == "RS256" {
            args.extend(["--bits", "2048"]);
        }
        self.acjwt().args(&args).assert().success();
        (self.path(&private), self.path(&public))
    }

    /// Mints a token with the docs' example claims.
    pub fn mint(&self, key: &Path, extra: &[&str]) -> String {
        let output = self
            .acjwt()
            .args(["mint", "--key"])
            .arg(key)
            .args(["--iss", "TestApp", "--rtoken", "rt-secret-123"])
            .args(["--matching", EXAMPLE_MATCHING])
            .args(extra)
            .output()
            .expect("run acjwt mint");
        assert!(
            output.status.success(),
            "acjwt mint failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .expect("utf-8")
            .trim()
            .to_string()
    }

    /// Runs a program in this folder and returns stdout, failing the test with everything it
    /// printed if it does not succeed.
    pub fn run_ok(&self, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> String {
        let output = StdCommand::new(program.as_ref())
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|err| panic!("cannot run {:?}: {err}", program.as_ref()));
        assert!(
            output.status.success(),
            "{:?} {args:?} failed ({}):\nstdout: {}\nstderr: {}",
            program.as_ref(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

/// The matching object from the platform docs.
pub const EXAMPLE_MATCHING: &str =
    r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#;

/// The algorithms the platform accepts.
pub const ALGORITHMS: [&str; 4] = ["ES384", "ES256", "ES512", "RS256"];

/// Where scripts/provision-peers.sh put the peers.
pub fn peers_dir() -> PathBuf {
    std::env::var_os("ACJWT_PEERS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/peers"))
}

fn require(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{what} is missing at {}: run scripts/provision-peers.sh (scripts/test.sh does)",
        path.display()
    );
    path
}

/// The venv python that has PyJWT and cryptography.
pub fn python() -> PathBuf {
    require(peers_dir().join("venv/bin/python"), "PyJWT's python")
}

/// The node_modules folder that has jose.
pub fn node_modules() -> PathBuf {
    require(peers_dir().join("node/node_modules"), "node jose").to_path_buf()
}

/// The openssl CLI; the test fails when it is not on PATH.
pub fn openssl() -> &'static str {
    let found = StdCommand::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "the openssl CLI is not on PATH");
    "openssl"
}
