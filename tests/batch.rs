//! `mint --batch` and `verify --batch`: order, correctness checked by PyJWT, failures named by
//! line, atomic `--output`, streaming, and both signing backends. No timings are asserted.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{ALGORITHMS, TestEnv, python};
use serde_json::Value;

/// `count` distinct matching objects, one per line, in several modes.
fn matching_lines(count: usize) -> String {
    (1..=count)
        .map(|n| match n % 3 {
            0 => format!(r#"{{"db_id":{n},"email":"user{n}@example.com","matching":"email"}}"#),
            1 => format!(r#"{{"db_id":{n},"matching":"phone","phone":"+7900{n:07}"}}"#),
            _ => format!(
                r#"{{"db_id":{n},"field_name":"CRM_ID","field_value":{n},"matching":"custom"}}"#
            ),
        })
        .map(|line| line + "\n")
        .collect()
}

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).expect("three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

fn batch_mint(env: &TestEnv, key: &std::path::Path, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = env.acjwt();
    cmd.args(["mint", "--key"])
        .arg(key)
        .args(["--iss", "BatchApp", "--rtoken", "rt-batch"])
        .args(extra);
    cmd
}

/// PyJWT verifies every `step`-th token of `tokens` (and the last), with the platform's
/// claims; prints how many it checked.
fn pyjwt_verify_sample(
    env: &TestEnv,
    public: &std::path::Path,
    alg: &str,
    tokens: &str,
    step: usize,
) {
    env.write("tokens.txt", tokens);
    let script = r#"
import sys, jwt
public, alg, step = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3])
tokens = open("tokens.txt").read().split()
sample = tokens[::step] + [tokens[-1]]
for token in sample:
    claims = jwt.decode(token, public, algorithms=[alg], options={"require": ["exp"]})
    assert claims["iss"] == "BatchApp" and isinstance(claims["matching"], str), claims
print(len(sample))
"#;
    let checked = env.run_ok(
        python(),
        &[
            "-c",
            script,
            public.to_str().unwrap(),
            alg,
            &step.to_string(),
        ],
    );
    assert!(checked.trim().parse::<usize>().unwrap() > 1, "{checked}");
}

#[test]
fn tokens_keep_input_order_and_verify_in_pyjwt() {
    let env = TestEnv::new();
    let (key, public) = env.keygen("ES384", "k");
    let input = matching_lines(500);
    env.write("in.jsonl", &input);
    let output = batch_mint(&env, &key, &["--batch", "in.jsonl", "--threads", "3"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tokens = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = tokens.lines().collect();
    assert_eq!(lines.len(), 500);
    for (token, matching) in lines.iter().zip(input.lines()) {
        let claims = payload(token);
        assert_eq!(claims["matching"].as_str(), Some(matching));
        assert_eq!(claims["iss"], "BatchApp");
    }
    pyjwt_verify_sample(&env, &public, "ES384", &tokens, 37);
}

#[test]
fn every_backend_signs_what_every_backend_and_pyjwt_verify() {
    let backends: &[&str] = if cfg!(feature = "aws-lc") {
        &["rustcrypto", "aws-lc"]
    } else {
        &["rustcrypto"]
    };
    let env = TestEnv::new();
    env.write("in.jsonl", matching_lines(12));
    for alg in ALGORITHMS {
        let (key, public) = env.keygen(alg, alg);
        for signing in backends {
            let output = batch_mint(&env, &key, &["--batch", "in.jsonl", "--backend", signing])
                .output()
                .unwrap();
            assert!(output.status.success(), "{alg} {signing}: {output:?}");
            let tokens = String::from_utf8(output.stdout).unwrap();
            env.write("minted.txt", &tokens);
            for verifying in backends {
                env.acjwt()
                    .args([
                        "verify",
                        "--batch",
                        "minted.txt",
                        "--backend",
                        verifying,
                        "--key",
                    ])
                    .arg(&public)
                    .assert()
                    .success();
            }
            pyjwt_verify_sample(&env, &public, alg, &tokens, 5);
        }
    }
}

#[test]
fn a_missing_backend_is_a_usage_error() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES256", "k");
    let result = env
        .acjwt()
        .args(["mint", "--key"])
        .arg(&key)
        .args([
            "--iss",
            "A",
            "--rtoken",
            "r",
            "--matching",
            common::EXAMPLE_MATCHING,
        ])
        .args(["--backend", "aws-lc"])
        .assert();
    if cfg!(feature = "aws-lc") {
        result.success();
    } else {
        result
            .code(2)
            .stderr(predicates::str::contains("not in this build"));
    }
}

#[test]
fn jsonl_gives_line_token_and_matching() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES256", "k");
    let input = matching_lines(20);
    let output = batch_mint(&env, &key, &["--batch", "-", "--batch-format", "jsonl"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for (n, (record, matching)) in stdout.lines().zip(input.lines()).enumerate() {
        let record: Value = serde_json::from_str(record).unwrap();
        assert_eq!(record["line"], n + 1);
        let expected: Value = serde_json::from_str(matching).unwrap();
        assert_eq!(record["matching"], expected);
        let token = record["token"].as_str().unwrap();
        assert_eq!(payload(token)["matching"].as_str(), Some(matching));
    }
    assert_eq!(stdout.lines().count(), 20);
}

#[test]
fn a_bad_line_fails_with_its_number_and_leaves_output_untouched() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    let mut input = matching_lines(300);
    input.push_str("{\"db_id\":7,\"matching\":\"email\"}\n");
    input.push_str(&matching_lines(300));
    env.write("in.jsonl", &input);
    env.write("tokens.txt", "previous contents\n");
    batch_mint(
        &env,
        &key,
        &["--batch", "in.jsonl", "--output", "tokens.txt"],
    )
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "line 301: mode email needs email",
    ))
    .stdout("");
    assert_eq!(env.read("tokens.txt"), "previous contents\n");
    batch_mint(&env, &key, &["--batch", "in.jsonl", "--output", "new.txt"])
        .assert()
        .code(2);
    assert!(!env.path("new.txt").exists());
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".acjwt"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn output_file_is_written_whole_and_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES512", "k");
    env.write("in.jsonl", matching_lines(50));
    batch_mint(&env, &key, &["--batch", "in.jsonl", "-o", "tokens.txt"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(env.read("tokens.txt").lines().count(), 50);
    let mode = std::fs::metadata(env.path("tokens.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn bad_input_lines_are_named() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES256", "k");
    let long = format!(
        "{}\n{{\"x\":\"{}\"}}\n",
        matching_lines(1).trim(),
        "a".repeat(20_000)
    );
    batch_mint(&env, &key, &["--batch", "-"])
        .write_stdin(long)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 2 is longer than"));
    batch_mint(&env, &key, &["--batch", "-"])
        .write_stdin(&b"\xff\n"[..])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 1 is not UTF-8"));
    batch_mint(&env, &key, &["--batch", "-"])
        .write_stdin("{\"db_id\":1,\"email\":\"a@b\",\"matching\":\"email\"}\n\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "line 2: matching is not valid JSON",
        ));
}

#[test]
fn batch_needs_its_values_from_flags() {
    let env = TestEnv::new();
    env.acjwt()
        .args(["mint", "--batch", "-", "--iss", "A"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--key"));
    let (key, _) = env.keygen("ES256", "k");
    batch_mint(
        &env,
        &key,
        &["--batch", "-", "--matching", common::EXAMPLE_MATCHING],
    )
    .assert()
    .code(2);
    batch_mint(&env, &key, &["--batch", "-", "--ttl", "0s"])
        .write_stdin(matching_lines(2))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not in the future"));
}

#[test]
fn verify_batch_reports_each_line_and_fails_if_any_is_invalid() {
    let env = TestEnv::new();
    let (key, public) = env.keygen("ES384", "k");
    env.write("in.jsonl", matching_lines(4));
    let output = batch_mint(&env, &key, &["--batch", "in.jsonl"])
        .output()
        .unwrap();
    let tokens: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut tampered = tokens[1].clone();
    tampered.replace_range(tampered.len() - 4.., "AAAA");
    let input = format!(
        "{}\nBearer {}\n{tampered}\nnot-a-token\n",
        tokens[0], tokens[2]
    );
    env.write("mixed.txt", &input);
    env.acjwt()
        .args(["verify", "--batch", "mixed.txt", "--key"])
        .arg(&public)
        .assert()
        .code(1)
        .stdout(predicates::str::contains("line 1: valid"))
        .stdout(predicates::str::contains("line 2: valid"))
        .stdout(predicates::str::contains("line 3: invalid"))
        .stdout(predicates::str::contains("line 4: invalid"))
        .stdout(predicates::str::contains("bad_signature"));
    let output = env
        .acjwt()
        .args(["verify", "--batch", "-", "--json", "--key"])
        .arg(&public)
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let records: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let valid: Vec<(u64, bool)> = records
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["valid"].as_bool().unwrap()))
        .collect();
    assert_eq!(valid, [(1, true), (2, true), (3, false), (4, false)]);
    assert_eq!(records[2]["failures"][0]["code"], "bad_signature");
    // All valid: exit 0.
    env.write("good.txt", tokens.join("\n"));
    env.acjwt()
        .args(["verify", "--batch", "good.txt", "--key"])
        .arg(&public)
        .assert()
        .success();
}

/// Output appears while the input is still open: a producer that writes one line and waits
/// gets its token back.
#[test]
fn output_starts_before_input_ends() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES256", "k");
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_acjwt"))
        .current_dir(env.dir.path())
        .env("CI", "true")
        .args(["mint", "--key"])
        .arg(&key)
        .args(["--iss", "A", "--rtoken", "r", "--batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(matching_lines(1).as_bytes()).unwrap();
    stdin.flush().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    // Generous: this bounds a hang, it does not measure speed.
    let first = rx.recv_timeout(Duration::from_secs(60));
    drop(stdin);
    let status = child.wait().unwrap();
    let first = first.expect("no token while the input was still open");
    assert_eq!(first.matches('.').count(), 2, "{first}");
    assert!(status.success());
}

#[test]
fn a_large_stream_keeps_order() {
    let env = TestEnv::new();
    let (key, public) = env.keygen("ES256", "k");
    let input = matching_lines(5_000);
    let output = batch_mint(&env, &key, &["--batch", "-", "--batch-format", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<u64> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, (1..=5_000).collect::<Vec<u64>>());
    let tokens: String = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["token"]
                .as_str()
                .unwrap()
                .to_string()
                + "\n"
        })
        .collect();
    env.write("tokens.txt", &tokens);
    env.acjwt()
        .args(["verify", "--batch", "tokens.txt", "--key"])
        .arg(&public)
        .assert()
        .success();
}
