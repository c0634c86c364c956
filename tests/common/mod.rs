//! Shared test helpers: a fresh folder per test, the acjwt binary with a clean environment,
//! and the peer programs that scripts/provision-peers.sh installs.
#![allow(dead_code, reason = "each test binary uses a different part")]

pub mod server;

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

/// The openssl `genpkey` options that make a key for a JOSE algorithm (RSA at 2048 bits, the
/// platform's minimum, to keep the suite quick).
pub fn openssl_genpkey_args(alg: &str) -> &'static [&'static str] {
    match alg {
        "ES256" => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "ES384" => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        "ES512" => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        "RS256" => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        other => panic!("no openssl key for {other}"),
    }
}

/// The curve name `openssl ecparam -name` takes; `None` for RS256.
pub fn openssl_curve(alg: &str) -> Option<&'static str> {
    match alg {
        "ES256" => Some("prime256v1"),
        "ES384" => Some("secp384r1"),
        "ES512" => Some("secp521r1"),
        _ => None,
    }
}

impl TestEnv {
    /// An independent key pair from `openssl genpkey` (PKCS#8) and `openssl pkey -pubout`
    /// (SPKI): `<prefix>.p8.pem` and `<prefix>.spki.pem`.
    pub fn openssl_keypair(&self, alg: &str, prefix: &str) -> (PathBuf, PathBuf) {
        let private = format!("{prefix}.p8.pem");
        let public = format!("{prefix}.spki.pem");
        let mut args = vec!["genpkey"];
        args.extend(openssl_genpkey_args(alg));
        args.extend(["-out", &private]);
        self.run_ok(openssl(), &args);
        self.run_ok(
            openssl(),
            &["pkey", "-in", &private, "-pubout", "-out", &public],
        );
        (self.path(&private), self.path(&public))
    }

    /// `acjwt verify --json --key KEY EXTRA… TOKEN`: the exit code and the parsed report.
    pub fn verify_report(
        &self,
        key: &Path,
        token: &str,
        extra: &[&str],
    ) -> (i32, serde_json::Value) {
        let output = self
            .acjwt()
            .args(["verify", "--json", "--key"])
            .arg(key)
            .args(extra)
            .arg(token)
            .output()
            .expect("run acjwt verify");
        let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
            panic!(
                "acjwt verify printed no JSON report ({err}); stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code().expect("exit code"), report)
    }
}

/// The failure codes of a `verify --json` report, in order.
pub fn failure_codes(report: &serde_json::Value) -> Vec<String> {
    report["failures"]
        .as_array()
        .expect("failures array")
        .iter()
        .map(|failure| failure["code"].as_str().expect("code").to_string())
        .collect()
}

/// A fixed-size r||s pair as an ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }`, the form
/// OpenSSL and Java produce natively and JWS forbids.
pub fn der_from_raw(raw: &[u8]) -> Vec<u8> {
    fn integer(bytes: &[u8]) -> Vec<u8> {
        let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
        let mut value = if trimmed.first().is_some_and(|b| b & 0x80 != 0) {
            vec![0]
        } else {
            Vec::new()
        };
        value.extend(if trimmed.is_empty() { vec![0] } else { trimmed });
        let mut out = vec![0x02];
        out.extend(der_len(value.len()));
        out.extend(value);
        out
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let body = [integer(r), integer(s)].concat();
    let mut out = vec![0x30];
    out.extend(der_len(body.len()));
    out.extend(body);
    out
}

fn der_len(len: usize) -> Vec<u8> {
    match len {
        0..=0x7f => vec![len as u8],
        0x80..=0xff => vec![0x81, len as u8],
        _ => vec![0x82, (len >> 8) as u8, len as u8],
    }
}

/// A peer script from tests/peer-scripts/.
pub fn peer_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peer-scripts")
        .join(name)
}

/// The node binary; the test fails when it is not on PATH.
pub fn node() -> &'static str {
    let found = StdCommand::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "node is not on PATH: run scripts/provision-peers.sh");
    "node"
}

/// The entry point of the provisioned jose package.
pub fn jose_index() -> PathBuf {
    require(
        node_modules().join("jose/dist/webapi/index.js"),
        "node jose",
    )
}

/// What a program printed and whether it succeeded, for checks where failure is an answer.
pub struct Outcome {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl TestEnv {
    /// Runs a program in this folder without judging its exit status.
    pub fn run(&self, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Outcome {
        let output = StdCommand::new(program.as_ref())
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|err| panic!("cannot run {:?}: {err}", program.as_ref()));
        Outcome {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// tests/peer-scripts/pyjwt_peer.py with `args`, in PyJWT's venv.
    pub fn pyjwt(&self, args: &[&str]) -> Outcome {
        let script = peer_script("pyjwt_peer.py");
        let mut all = vec![script.to_str().expect("UTF-8 path")];
        all.extend(args);
        self.run(python(), &all)
    }

    /// tests/peer-scripts/jose_peer.mjs with `args`, against the provisioned jose.
    pub fn jose(&self, args: &[&str]) -> Outcome {
        let script = peer_script("jose_peer.mjs");
        let index = jose_index();
        let mut all = vec![
            script.to_str().expect("UTF-8 path"),
            index.to_str().expect("UTF-8 path"),
        ];
        all.extend(args);
        self.run(node(), &all)
    }
}

/// Signs any header and payload with acjwt's library, whatever the header says: the way the
/// tests forge tokens no honest signer would make.
pub fn forge(
    header: &serde_json::Value,
    claims: &serde_json::Value,
    key: &acjwt::keys::PrivateKey,
) -> String {
    acjwt::hazmat::sign_unchecked(
        &header.to_string(),
        claims.to_string().as_bytes(),
        |input| key.sign(input),
    )
    .expect("signing with a loaded key")
}

/// Waits for `child` to exit; kills it and fails the test if it is still running after
/// `seconds` (a command that waited on an open stdin, say).
pub fn wait_or_fail(
    child: &mut std::process::Child,
    seconds: u64,
    what: &str,
) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what}: still running after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
