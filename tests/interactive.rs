//! Prompts in a real pseudo-terminal, and proof that without one acjwt never waits.

use crate::common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{EXAMPLE_MATCHING, TestEnv};
use predicates::prelude::*;
use rexpect::session::{PtySession, spawn_with_options};

const DOWN: &str = "\x1b[B";

/// acjwt in a pty, in the test's folder, with CI unset so prompts are allowed.
fn spawn(env: &TestEnv, args: &[&str]) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_acjwt"));
    command
        .args(args)
        .current_dir(env.dir.path())
        .env_remove("CI")
        .env_remove("ACJWT_KEY")
        .env_remove("ACJWT_ISS")
        .env_remove("ACJWT_RTOKEN")
        .env("TERM", "xterm");
    let options = rexpect::reader::Options::new()
        .timeout_ms(Some(20_000))
        .strip_ansi_escape_codes(true);
    spawn_with_options(command, options).expect("spawn acjwt in a pty")
}

#[test]
fn interactive_mint_makes_a_valid_token_and_echoes_the_command() {
    let env = TestEnv::new();
    env.acjwt().arg("keygen").assert().success();
    let mut session = spawn(&env, &["mint"]);
    session.exp_string("Private key file").unwrap();
    session.send_line("public.pem").unwrap();
    session.exp_string("mint needs a private key").unwrap();
    session.exp_string("Private key file").unwrap();
    session.send_line("").unwrap(); // accepts the default, private.ec.key
    session.exp_string("iss").unwrap();
    session.send_line("MyApp").unwrap();
    session.exp_string("rtoken").unwrap();
    session.send_line("very-secret-rt").unwrap();
    session.exp_string("Matching mode").unwrap();
    session.send(DOWN).unwrap(); // email -> email_profile
    session.send_line("").unwrap();
    session.exp_string("db_id").unwrap();
    session.send_line("two").unwrap();
    session.exp_string("a positive integer").unwrap();
    session.send_line("2").unwrap();
    session.exp_string("email").unwrap();
    session.send_line("not-an-email").unwrap();
    session.exp_string("does not look like an email").unwrap();
    session.send_line("registered_db@localhost").unwrap();
    let (_, token) = session
        .exp_regex(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
        .unwrap();
    let rest = session.exp_eof().unwrap();
    assert!(
        rest.contains(
            "The same token from a script (with the role token exported as ACJWT_RTOKEN):"
        ),
        "{rest}"
    );
    // Issue 11 item 9: the role token is never put on a command line, not even as "$VAR".
    assert!(
        rest.contains("acjwt mint --key private.ec.key --iss MyApp --mode email_profile --db-id 2 --email registered_db@localhost --ttl 1h"),
        "{rest}"
    );
    assert!(!rest.contains("--rtoken"), "{rest}");
    assert!(
        !rest.contains("very-secret-rt"),
        "the secret was echoed: {rest}"
    );

    let output = env
        .acjwt()
        .args(["verify", "--json", "--key", "public.pem", &token])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let decoded = env
        .acjwt()
        .args(["decode", "--json", &token])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(doc["claims"]["rtoken"], "very-secret-rt");
    assert_eq!(doc["claims"]["matching"], EXAMPLE_MATCHING);
}

#[test]
fn matching_build_prompts_only_for_what_is_missing() {
    let env = TestEnv::new();
    let mut session = spawn(&env, &["matching", "build", "--mode", "push_sub"]);
    session.exp_string("db_id").unwrap();
    session.send_line("5").unwrap();
    session.exp_string("provider").unwrap();
    session.send_line("android-firebase").unwrap();
    session.exp_string("subscription_id").unwrap();
    session.send_line("device-token").unwrap();
    session
        .exp_string(r#"{"db_id":5,"matching":"push_sub","provider":"android-firebase","subscription_id":"device-token"}"#)
        .unwrap();
    session.exp_eof().unwrap();
}

#[test]
fn email_phone_asks_which_identifier() {
    let env = TestEnv::new();
    let mut session = spawn(
        &env,
        &["matching", "build", "--mode", "email_phone", "--db-id", "3"],
    );
    session.exp_string("matches on").unwrap();
    session.send(DOWN).unwrap(); // email -> phone
    session.send_line("").unwrap();
    session.exp_string("phone").unwrap();
    session.send_line("+79000000000").unwrap();
    session
        .exp_string(r#"{"db_id":3,"matching":"email_phone","phone":"+79000000000"}"#)
        .unwrap();
    session.exp_eof().unwrap();
}

#[test]
fn keygen_asks_before_overwriting() {
    let env = TestEnv::new();
    env.acjwt().arg("keygen").assert().success();
    let before = env.read("private.ec.key");
    let mut session = spawn(&env, &["keygen", "--alg", "ES384"]);
    session.exp_string("Replace").unwrap();
    session.send_line("n").unwrap();
    session.exp_string("Nothing written.").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(env.read("private.ec.key"), before);

    let mut session = spawn(&env, &["keygen", "--alg", "ES384"]);
    session.exp_string("Replace").unwrap();
    session.send_line("y").unwrap();
    session.exp_string("Wrote").unwrap();
    session.exp_eof().unwrap();
    assert_ne!(env.read("private.ec.key"), before);
}

#[test]
fn keygen_offers_the_algorithm_with_es384_first() {
    let env = TestEnv::new();
    let mut session = spawn(&env, &["keygen"]);
    session.exp_string("Algorithm").unwrap();
    session.send(DOWN).unwrap(); // ES384 -> ES256
    session.send_line("").unwrap();
    session.exp_string("Wrote ES256").unwrap();
    session.exp_eof().unwrap();
}

#[test]
fn no_input_in_a_terminal_fails_instead_of_asking() {
    let env = TestEnv::new();
    let mut session = spawn(&env, &["mint", "--no-input"]);
    session.exp_string("error: missing --key").unwrap();
    session.exp_eof().unwrap();
}

/// Without a terminal nothing may wait on stdin. The pipe stays open (its writer is held), so
/// a command that read stdin would block until the deadline instead of seeing end-of-file.
#[test]
fn no_terminal_never_waits() {
    let env = TestEnv::new();
    let runs: [&[&str]; 3] = [
        &["mint"],
        &["matching", "build"],
        &["keygen", "--out-dir", "k"],
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_acjwt"))
            .args(args)
            .current_dir(env.dir.path())
            .env("CI", "true")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let _held_open = child.stdin.take();
        let status = common::wait_or_fail(
            &mut child,
            30,
            &format!("acjwt {args:?} without a terminal"),
        );
        assert!(matches!(status.code(), Some(0 | 2)), "{args:?}: {status}");
    }
    // With CI set even a terminal-less run of keygen must not ask about overwriting.
    env.acjwt()
        .args(["keygen", "--out-dir", "k"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exist"));
}

#[test]
fn mint_asks_for_the_passphrase_of_an_encrypted_key() {
    let env = TestEnv::new();
    env.run_ok(
        common::openssl(),
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-aes256",
            "-pass",
            "pass:typed-secret",
            "-out",
            "enc.key",
        ],
    );
    env.run_ok(
        common::openssl(),
        &[
            "pkey",
            "-in",
            "enc.key",
            "-passin",
            "pass:typed-secret",
            "-pubout",
            "-out",
            "enc.pub",
        ],
    );
    let mut session = spawn(
        &env,
        &[
            "mint",
            "--key",
            "enc.key",
            "--iss",
            "App",
            "--rtoken",
            "rt",
            "--matching",
            EXAMPLE_MATCHING,
        ],
    );
    session.exp_string("Passphrase for enc.key").unwrap();
    session.send_line("typed-secret").unwrap();
    let (_, token) = session
        .exp_regex(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
        .unwrap();
    let rest = session.exp_eof().unwrap();
    assert!(
        !rest.contains("typed-secret"),
        "the passphrase is not echoed: {rest}"
    );
    env.acjwt()
        .args(["verify", "--key", "enc.pub", &token])
        .assert()
        .success();
}

#[test]
fn key_convert_never_prints_a_private_key_to_the_terminal() {
    let env = TestEnv::new();
    env.acjwt().arg("keygen").assert().success();
    let mut session = spawn(&env, &["key", "convert", "private.ec.key", "--to", "pkcs8"]);
    session
        .exp_string("refusing to print a private key to the terminal")
        .unwrap();
    let rest = session.exp_eof().unwrap();
    assert!(!rest.contains("BEGIN PRIVATE KEY"), "{rest}");
}
