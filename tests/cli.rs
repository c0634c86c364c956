//! The acjwt command line, one `mod` per user story. Every test runs the real binary in a
//! fresh folder with a clean environment and no terminal.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{ALGORITHMS, EXAMPLE_MATCHING, TestEnv};
use predicates::prelude::*;
use serde_json::{Value, json};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The JSON of a token's header or payload part.
fn part(token: &str, index: usize) -> Value {
    let bytes = URL_SAFE_NO_PAD
        .decode(token.split('.').nth(index).unwrap())
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "stdout is not JSON ({err}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Signs arbitrary header and payload JSON with acjwt's own library, to make tokens the
/// command would never mint.
fn forge(key_pem: &str, header: &Value, payload: &Value) -> String {
    let file = acjwt::keys::load_key_file(key_pem.as_bytes()).unwrap();
    let key = file.signing_key("test").unwrap();
    acjwt::hazmat::sign_unchecked(
        &header.to_string(),
        payload.to_string().as_bytes(),
        |input| key.sign(input),
    )
    .unwrap()
}

mod keygen {
    use super::*;

    #[test]
    fn default_pair_is_the_platform_recipe() {
        let env = TestEnv::new();
        env.acjwt()
            .arg("keygen")
            .assert()
            .success()
            .stdout("")
            .stderr(predicate::str::contains("private.ec.key"))
            .stderr(predicate::str::contains("-----BEGIN PUBLIC KEY-----"))
            .stderr(predicate::str::contains("ES384"));
        let private = env.read("private.ec.key");
        assert!(
            private.starts_with("-----BEGIN EC PRIVATE KEY-----\n"),
            "{private}"
        );
        assert!(
            env.read("public.pem")
                .starts_with("-----BEGIN PUBLIC KEY-----\n")
        );
        let mode = |name| {
            std::fs::metadata(env.path(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("private.ec.key"), 0o600);
        assert_eq!(mode("public.pem"), 0o644);
        let file = acjwt::keys::load_key_file(private.as_bytes()).unwrap();
        assert_eq!(file.describe(), "a SEC1 P-384 private key");
    }

    #[test]
    fn every_algorithm_makes_a_matching_pair() {
        let env = TestEnv::new();
        for alg in ALGORITHMS {
            let (private, public) = env.keygen(alg, alg);
            let private = acjwt::keys::load_key_file(&std::fs::read(private).unwrap()).unwrap();
            let public = acjwt::keys::load_key_file(&std::fs::read(public).unwrap()).unwrap();
            let key = private.signing_key("test").unwrap();
            assert_eq!(key.algorithm().name(), alg);
            assert_eq!(public.verification_key(None).unwrap(), key.public_key());
        }
    }

    #[test]
    fn rsa_defaults_and_limits() {
        let env = TestEnv::new();
        env.acjwt()
            .args(["keygen", "--alg", "RS256", "--bits", "2048", "--json"])
            .assert()
            .success();
        assert!(
            env.read("private.rsa.key")
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        env.acjwt()
            .args([
                "keygen",
                "--alg",
                "RS256",
                "--bits",
                "1024",
                "--out-dir",
                "small",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--bits"));
    }

    #[test]
    fn never_overwrites_without_force() {
        let env = TestEnv::new();
        env.acjwt().arg("keygen").assert().success();
        let before = env.read("private.ec.key");
        env.acjwt()
            .arg("keygen")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("already exist"))
            .stderr(predicate::str::contains("hint: pass --force"));
        assert_eq!(env.read("private.ec.key"), before);
        env.acjwt().args(["keygen", "--force"]).assert().success();
        assert_ne!(env.read("private.ec.key"), before);
    }

    #[test]
    fn one_path_for_both_keys_is_refused() {
        let env = TestEnv::new();
        env.acjwt()
            .args([
                "keygen",
                "--private",
                "k.pem",
                "--public",
                "k.pem",
                "--force",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "k.pem and k.pem are one file; each key file needs its own",
            ));
        assert!(!env.path("k.pem").exists());
    }

    #[test]
    fn pkcs8_and_json_summary() {
        let env = TestEnv::new();
        let output = env
            .acjwt()
            .args([
                "keygen",
                "--alg",
                "ES256",
                "--pkcs8",
                "--out-dir",
                ".",
                "--json",
            ])
            .output()
            .unwrap();
        assert!(output.status.success());
        let summary = stdout_json(&output);
        assert_eq!(summary["alg"], "ES256");
        assert_eq!(summary["key_type"], "EC");
        assert_eq!(summary["curve"], "P-256");
        assert_eq!(summary["rsa_bits"], serde_json::Value::Null);
        assert_eq!(
            summary["public_pem"].as_str().unwrap(),
            env.read("public.pem")
        );
        assert!(
            env.read("private.ec.key")
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
    }

    #[test]
    fn out_dir_is_created_and_an_impossible_one_named() {
        let env = TestEnv::new();
        env.acjwt()
            .args(["keygen", "--out-dir", "keys/prod"])
            .assert()
            .success();
        assert!(env.path("keys/prod/private.ec.key").exists());
        env.write("file.txt", "not a folder");
        env.acjwt()
            .args(["keygen", "--out-dir", "file.txt/keys"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("file.txt/keys"));
        env.acjwt()
            .args(["keygen", "--private", "missing/private.ec.key"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "error: cannot write missing/private.ec.key (folder missing): No such file or directory (os error 2)\n",
            ));
        assert!(!env.path("public.pem").exists());
    }
}

mod matching {
    use super::*;

    #[test]
    fn docs_example_is_reproduced_exactly() {
        TestEnv::new()
            .acjwt()
            .args([
                "matching",
                "build",
                "--mode",
                "email_profile",
                "--db-id",
                "2",
            ])
            .args(["--email", "registered_db@localhost"])
            .assert()
            .success()
            .stdout(format!("{EXAMPLE_MATCHING}\n"));
    }

    #[test]
    fn every_mode_names_its_missing_flags() {
        let cases = [
            ("email", "--email"),
            ("email_profile", "--email"),
            ("email_sub", "--email"),
            ("phone", "--phone"),
            ("phone_sub", "--phone"),
            ("profile_id", "--profile-id"),
            ("push_sub", "--provider, --subscription-id"),
            ("custom", "--field-name, --field-value"),
            ("custom_sub", "--field-name, --field-value"),
            ("email_phone", "--email or --phone"),
            ("email_phone_sub", "--email or --phone"),
        ];
        let env = TestEnv::new();
        for (mode, flags) in cases {
            env.acjwt()
                .args(["matching", "build", "--mode", mode, "--db-id", "1"])
                .assert()
                .code(2)
                .stderr(predicate::str::contains(format!(
                    "missing matching flags: {flags}"
                )));
        }
    }

    #[test]
    fn identifiers_stay_strings_unless_asked() {
        let env = TestEnv::new();
        let build = |extra: &[&str]| {
            let output = env
                .acjwt()
                .args([
                    "matching",
                    "build",
                    "--mode",
                    "custom",
                    "--db-id",
                    "7",
                    "--field-name",
                    "CRM_ID",
                ])
                .args(extra)
                .output()
                .unwrap();
            assert!(output.status.success(), "{output:?}");
            stdout_json(&output)
        };
        assert_eq!(
            build(&["--field-value", "00042"])["field_value"],
            json!("00042")
        );
        assert_eq!(
            build(&["--field-value-int", "42"])["field_value"],
            json!(42)
        );
        let output = env
            .acjwt()
            .args([
                "matching",
                "build",
                "--mode",
                "phone",
                "--db-id",
                "1",
                "--phone",
                "+79000000000",
            ])
            .output()
            .unwrap();
        assert_eq!(stdout_json(&output)["phone"], json!("+79000000000"));
    }

    #[test]
    fn bad_values_are_usage_errors() {
        let env = TestEnv::new();
        env.acjwt()
            .args([
                "matching", "build", "--mode", "email", "--db-id", "1", "--email", "nope",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("does not look like an email"));
        env.acjwt()
            .args(["matching", "build", "--mode", "mail", "--db-id", "1"])
            .assert()
            .code(2);
        env.acjwt()
            .args([
                "matching", "build", "--mode", "email", "--db-id", "two", "--email", "a@b",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--db-id"));
    }

    #[test]
    fn db_id_fits_the_android_int() {
        let env = TestEnv::new();
        let build = |id: &str| {
            let mut cmd = env.acjwt();
            cmd.args([
                "matching", "build", "--mode", "email", "--email", "a@b", "--db-id", id,
            ]);
            cmd.assert()
        };
        build("2147483647").success();
        build("2147483648")
            .code(2)
            .stderr(predicate::str::contains("--db-id"));
        build("0").code(2);
    }

    #[test]
    fn unused_identifiers_are_warned_about() {
        TestEnv::new()
            .acjwt()
            .args([
                "matching", "build", "--mode", "email", "--db-id", "1", "--email", "a@b",
            ])
            .args(["--phone", "+1555"])
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "warning: phone is not used by mode email, which matches on email",
            ));
    }

    #[test]
    fn modes_lists_all_eleven() {
        let output = TestEnv::new()
            .acjwt()
            .args(["matching", "modes"])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(text.lines().count(), 11);
        assert!(text.contains("push_sub         needs provider and subscription_id"));
    }
}

mod mint {
    use super::*;

    #[test]
    fn prints_only_the_token_with_the_exact_payload() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES384", "k");
        let output = env
            .acjwt()
            .args(["mint", "--key"])
            .arg(&key)
            .args([
                "--iss",
                "MyApp",
                "--rtoken",
                "rt",
                "--mode",
                "email_profile",
            ])
            .args([
                "--db-id",
                "2",
                "--email",
                "registered_db@localhost",
                "--exp",
                "4102444800",
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let token = String::from_utf8(output.stdout).unwrap();
        assert!(token.ends_with('\n'));
        let token = token.trim_end();
        assert_eq!(token.split('.').count(), 3);
        let header = URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap();
        assert_eq!(header, br#"{"alg":"ES384","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap();
        assert_eq!(
            String::from_utf8(payload).unwrap(),
            r#"{"iss":"MyApp","exp":4102444800,"rtoken":"rt","matching":"{\"db_id\":2,\"email\":\"registered_db@localhost\",\"matching\":\"email_profile\"}"}"#
        );
    }

    #[test]
    fn header_alg_follows_the_key() {
        let env = TestEnv::new();
        for alg in ALGORITHMS {
            let (key, _) = env.keygen(alg, alg);
            let token = env.mint(&key, &["--kid", "key-1"]);
            assert_eq!(
                part(&token, 0),
                json!({"alg": alg, "typ": "JWT", "kid": "key-1"})
            );
        }
    }

    #[test]
    fn reads_the_environment_and_rtoken_file() {
        let env = TestEnv::new();
        let (key, public) = env.keygen("ES256", "k");
        env.write("rtoken.txt", "rt-from-file\n");
        let output = env
            .acjwt()
            .env("ACJWT_KEY", &key)
            .env("ACJWT_ISS", "EnvApp")
            .env("ACJWT_RTOKEN", "rt-from-env")
            .args(["mint", "--matching", EXAMPLE_MATCHING])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let token = String::from_utf8(output.stdout).unwrap();
        let claims = part(token.trim(), 1);
        assert_eq!(claims["iss"], "EnvApp");
        assert_eq!(claims["rtoken"], "rt-from-env");

        // The file overrides ACJWT_RTOKEN (--rtoken with it is an error: tests/input_rules.rs).
        let output = env
            .acjwt()
            .env("ACJWT_RTOKEN", "rt-from-env")
            .args(["mint", "--key"])
            .arg(&key)
            .args(["--iss", "A", "--rtoken-file", "rtoken.txt"])
            .args(["--matching", EXAMPLE_MATCHING])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let token = String::from_utf8(output.stdout).unwrap().trim().to_string();
        assert_eq!(part(&token, 1)["rtoken"], "rt-from-file");
        env.acjwt()
            .args(["verify", "--key"])
            .arg(&public)
            .arg(&token)
            .assert()
            .success();
    }

    #[test]
    fn ttl_and_exp_set_the_expiry() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let before = now();
        let default = part(&env.mint(&key, &[]), 1)["exp"].as_i64().unwrap();
        assert!(
            (before + 3600..=now() + 3600).contains(&default),
            "{default}"
        );
        let short = part(&env.mint(&key, &["--ttl", "15m"]), 1)["exp"]
            .as_i64()
            .unwrap();
        assert!((before + 900..=now() + 900).contains(&short), "{short}");
        let fixed = part(&env.mint(&key, &["--exp", "2099-01-01T00:00:00Z"]), 1)["exp"].clone();
        assert_eq!(fixed, json!(4_070_908_800i64));
        let relative = part(&env.mint(&key, &["--exp", "+2h"]), 1)["exp"]
            .as_i64()
            .unwrap();
        assert!((before + 7200..=now() + 7200).contains(&relative));
    }

    #[test]
    fn refuses_expired_and_oversized_tokens() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let mint = |extra: &[&str]| {
            let mut cmd = env.acjwt();
            cmd.args(["mint", "--key"])
                .arg(&key)
                .args(["--rtoken", "rt"]);
            cmd.args(["--matching", EXAMPLE_MATCHING]).args(extra);
            cmd.assert()
        };
        mint(&["--iss", "A", "--exp", "1000"])
            .code(2)
            .stderr(predicate::str::contains("is not in the future"));
        mint(&["--iss", "A", "--ttl", "soon"])
            .code(2)
            .stderr(predicate::str::contains("--ttl"));
        let huge = "A".repeat(16 * 1024);
        mint(&["--iss", &huge])
            .code(2)
            .stderr(predicate::str::contains("16384 bytes or more"));
    }

    #[test]
    fn names_every_missing_value_at_once() {
        TestEnv::new()
            .acjwt()
            .arg("mint")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "error: missing --key (or ACJWT_KEY), --iss (or ACJWT_ISS), --rtoken-file or --rtoken (or ACJWT_RTOKEN)",
            ));
    }

    #[test]
    fn names_missing_matching_flags_with_the_rest() {
        TestEnv::new()
            .acjwt()
            .args(["mint", "--mode", "push_sub"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "(or ACJWT_RTOKEN), --db-id, --provider, --subscription-id\n",
            ));
    }

    #[test]
    fn wrong_key_kinds_are_explained() {
        let env = TestEnv::new();
        let (private, public) = env.keygen("ES256", "k");
        let mint = |key: &std::path::Path, extra: &[&str]| {
            let mut cmd = env.acjwt();
            cmd.args(["mint", "--key"])
                .arg(key)
                .args(["--iss", "A", "--rtoken", "rt"]);
            cmd.args(["--matching", EXAMPLE_MATCHING]).args(extra);
            cmd.assert()
        };
        mint(&public, &[]).code(2).stderr(predicate::str::contains(
            "this is a SPKI P-256 public key; mint needs a private key",
        ));
        mint(&private, &["--alg", "ES384"])
            .code(2)
            .stderr(predicate::str::contains("this is a SEC1 P-256 private key"))
            .stderr(predicate::str::contains(
                "hint: use --alg ES256 or generate a P-384 key with acjwt keygen --alg ES384",
            ));
        let junk = env.write("junk.key", "hello");
        mint(&junk, &[])
            .code(2)
            .stderr(predicate::str::contains("junk.key (--key)"));
        mint(&env.path("absent.key"), &[])
            .code(2)
            .stderr(predicate::str::contains("cannot read key file"));
    }

    #[test]
    fn bad_matching_json_is_a_usage_error() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let mut cmd = env.acjwt();
        cmd.args(["mint", "--key"])
            .arg(&key)
            .args(["--iss", "A", "--rtoken", "rt"]);
        cmd.args([
            "--matching",
            r#"{"db_id":"2","matching":"email","email":"a@b"}"#,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--matching: db_id must be an integer from 1 to 2147483647",
        ));
    }

    #[test]
    fn json_output_describes_the_token() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES512", "k");
        let output = env
            .acjwt()
            .args(["mint", "--json", "--key"])
            .arg(&key)
            .args([
                "--iss",
                "A",
                "--rtoken",
                "secret-rt",
                "--matching",
                EXAMPLE_MATCHING,
            ])
            .args(["--exp", "4102444800"])
            .output()
            .unwrap();
        let doc = stdout_json(&output);
        assert_eq!(doc["alg"], "ES512");
        assert_eq!(doc["exp"], 4_102_444_800i64);
        assert_eq!(doc["expires_at"], "2100-01-01T00:00:00Z");
        assert_eq!(doc["matching"]["db_id"], 2);
        assert_eq!(part(doc["token"].as_str().unwrap(), 1)["iss"], "A");
    }
}

mod decode {
    use super::*;

    #[test]
    fn shows_sections_with_matching_unpacked() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES384", "k");
        let token = env.mint(&key, &["--exp", "4102444800"]);
        env.acjwt()
            .args(["decode", &token, "--at", "2099-12-31T23:01:00Z"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Header\n  alg  ES384\n  typ  JWT\n"))
            .stdout(predicate::str::contains(
                "  exp       4102444800  2100-01-01T00:00:00Z (expires in 59m)",
            ))
            .stdout(predicate::str::contains("Matching\n  db_id     2\n  email     registered_db@localhost\n  matching  email_profile\n"))
            .stdout(predicate::str::contains("\x1b[").not());
    }

    #[test]
    fn json_has_header_claims_and_matching() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let token = env.mint(&key, &["--exp", "4102444800"]);
        let output = env
            .acjwt()
            .args(["decode", "--json", "--at", "2099-12-31T23:00:30Z", &token])
            .output()
            .unwrap();
        let doc = stdout_json(&output);
        assert_eq!(doc["header"]["alg"], "ES256");
        assert_eq!(doc["claims"]["matching"], EXAMPLE_MATCHING);
        assert_eq!(doc["matching"]["email"], "registered_db@localhost");
        assert_eq!(doc["warnings"], json!([]));
        assert_eq!(doc["times"]["exp"]["relative"], "in 59m 30s");
        assert_eq!(doc["times"]["exp"]["utc"], "2100-01-01T00:00:00Z");
    }

    #[test]
    fn reads_stdin_and_tolerates_bearer() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let token = env.mint(&key, &[]);
        for input in [format!("{token}\n"), format!("Bearer {token}\r\n")] {
            env.acjwt()
                .arg("decode")
                .write_stdin(input.clone())
                .assert()
                .success()
                .stdout(predicate::str::contains("TestApp"));
            env.acjwt()
                .args(["decode", "-"])
                .write_stdin(input)
                .assert()
                .success();
        }
    }

    #[test]
    fn warns_about_platform_problems() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let pem = env.read("k.key");
        let token = forge(
            &pem,
            &json!({"alg": "ES256", "typ": "JWT"}),
            &json!({"iss": "A", "exp": 1000, "matching": {"db_id": 2, "matching": "email", "email": "a@b"}}),
        );
        let output = env
            .acjwt()
            .args(["decode", "--json", &token])
            .output()
            .unwrap();
        assert!(output.status.success());
        let doc = stdout_json(&output);
        let codes: Vec<&str> = doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["expired", "claim_missing", "matching_is_object"]);
        assert_eq!(doc["matching"]["email"], "a@b");
        drop(key);
    }

    #[test]
    fn escape_sequences_in_a_token_are_not_replayed() {
        let env = TestEnv::new();
        env.keygen("ES256", "k");
        let hostile = "A\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[2K\rOK";
        let token = forge(
            &env.read("k.key"),
            &json!({"alg": "ES256", "typ": "JWT"}),
            &json!({"iss": hostile, "exp": 4_102_444_800i64, "x\u{1b}[2K": 1}),
        );
        let output = env
            .acjwt()
            .args(["decode", "--color", "always", &token])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains(r"A\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2K\rOK"),
            "{text}"
        );
        assert!(!text.contains("\u{1b}]52") && !text.contains("\u{1b}[2K") && !text.contains('\r'));
    }

    #[test]
    fn relative_times_may_start_with_a_minus() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let token = env.mint(&key, &[]);
        env.acjwt()
            .args(["decode", "--at", "-1h", &token])
            .assert()
            .success()
            // 2h, or a little less if the clock ticked between mint and decode.
            .stdout(predicate::str::is_match(r"\(expires in (2h|1h 59m( \d+s)?)\)").unwrap());
    }

    #[test]
    fn malformed_tokens_exit_1() {
        let env = TestEnv::new();
        env.acjwt()
            .args(["decode", "not-a-token"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("error: token has 1 part(s)"));
        env.acjwt()
            .args(["decode", "e30.!!!.sig"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("payload is not valid base64url"));
    }

    #[test]
    fn colour_only_when_asked_or_on_a_terminal() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let token = env.mint(&key, &[]);
        env.acjwt()
            .args(["decode", "--color", "always", &token])
            .assert()
            .success()
            .stdout(predicate::str::contains("\x1b["));
        env.acjwt()
            .args(["decode", "--color", "always", &token])
            .env("NO_COLOR", "1")
            .assert()
            .stdout(predicate::str::contains("\x1b["));
        env.acjwt()
            .args(["decode", &token])
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .assert()
            .stdout(predicate::str::contains("\x1b[").not());
        env.acjwt()
            .args(["decode", "--color", "never", &token])
            .env("CLICOLOR_FORCE", "1")
            .assert()
            .stdout(predicate::str::contains("\x1b[").not());
    }
}

mod verify {
    use super::*;

    fn verify_json(env: &TestEnv, args: &[&str], token: &str) -> (i32, Value) {
        let output = env
            .acjwt()
            .arg("verify")
            .args(args)
            .args(["--json", token])
            .output()
            .unwrap();
        (output.status.code().unwrap(), stdout_json(&output))
    }

    fn codes(doc: &Value) -> Vec<String> {
        doc["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn accepts_a_good_token_with_public_or_private_key() {
        let env = TestEnv::new();
        for alg in ALGORITHMS {
            let (private, public) = env.keygen(alg, alg);
            let token = env.mint(&private, &["--exp", "4102444800"]);
            for key in [&public, &private] {
                env.acjwt()
                    .args(["verify", "--at", "2099-12-31T23:01:00Z", "--key"])
                    .arg(key)
                    .arg(&token)
                    .assert()
                    .success()
                    .stdout(predicate::str::starts_with(format!(
                        "valid: {alg} token from \"TestApp\", expires in 59m"
                    )));
            }
        }
    }

    #[test]
    fn json_shape_and_redacted_rtoken() {
        let env = TestEnv::new();
        let (private, public) = env.keygen("ES384", "k");
        let token = env.mint(&private, &["--kid", "k1"]);
        let (code, doc) = verify_json(&env, &["--key", public.to_str().unwrap()], &token);
        assert_eq!(code, 0);
        assert_eq!(doc["valid"], true);
        assert_eq!(doc["alg"], "ES384");
        assert_eq!(doc["kid"], "k1");
        assert_eq!(doc["failures"], json!([]));
        assert_eq!(doc["claims"]["rtoken"], "<redacted, 13 chars>");
        assert!(
            !String::from_utf8(
                env.acjwt()
                    .args(["verify", "--json", "--key"])
                    .arg(&public)
                    .arg(&token)
                    .output()
                    .unwrap()
                    .stdout
            )
            .unwrap()
            .contains("rt-secret-123")
        );
    }

    #[test]
    fn wrong_key_fails_the_signature() {
        let env = TestEnv::new();
        let (private, _) = env.keygen("ES384", "a");
        let (_, other) = env.keygen("ES384", "b");
        let token = env.mint(&private, &[]);
        let (code, doc) = verify_json(&env, &["--key", other.to_str().unwrap()], &token);
        assert_eq!(code, 1);
        assert_eq!(codes(&doc), ["bad_signature"]);
        env.acjwt()
            .args(["verify", "--key"])
            .arg(&other)
            .arg(&token)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("invalid: 1 check failed"))
            .stdout(predicate::str::contains(
                "✗ bad_signature: signature does not verify",
            ));
    }

    #[test]
    fn times_use_leeway_and_at() {
        let env = TestEnv::new();
        let (private, public) = env.keygen("ES256", "k");
        let key = public.to_str().unwrap();
        let token = env.mint(&private, &["--exp", "2000000000"]);
        assert_eq!(
            verify_json(&env, &["--key", key, "--at", "1999999999"], &token).0,
            0
        );
        let (code, doc) = verify_json(&env, &["--key", key, "--at", "2000000010"], &token);
        assert_eq!((code, codes(&doc)), (1, vec!["expired".to_string()]));
        let lenient = ["--key", key, "--at", "2000000010", "--leeway", "30s"];
        assert_eq!(verify_json(&env, &lenient, &token).0, 0);
        env.acjwt()
            .args(["verify", "--key", key, "--leeway", "soon", &token])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--leeway"));
    }

    #[test]
    fn lists_every_failure_and_generic_skips_altcraft_rules() {
        let env = TestEnv::new();
        let (private, public) = env.keygen("ES256", "k");
        let key = public.to_str().unwrap();
        let token = forge(
            &env.read("k.key"),
            &json!({"alg": "ES256"}),
            &json!({"exp": 1000, "iss": "", "matching": r#"{"db_id":2,"matching":"phone"}"#}),
        );
        let (code, doc) = verify_json(&env, &["--key", key], &token);
        assert_eq!(code, 1);
        assert_eq!(
            codes(&doc),
            [
                "expired",
                "claim_empty",
                "claim_missing",
                "matching_invalid"
            ]
        );
        let (_, doc) = verify_json(&env, &["--key", key, "--generic"], &token);
        assert_eq!(codes(&doc), ["expired"]);
        drop(private);
    }

    #[test]
    fn jwks_chooses_by_kid() {
        let env = TestEnv::new();
        let (a, a_pub) = env.keygen("ES256", "a");
        let (_, b_pub) = env.keygen("ES384", "b");
        let jwk = |path: &std::path::Path, kid: &str| {
            let file = acjwt::keys::load_key_file(&std::fs::read(path).unwrap()).unwrap();
            let mut jwk = acjwt::keys::Jwk::from_public(&file.verification_key(None).unwrap());
            jwk.kid = Some(kid.into());
            serde_json::to_value(jwk).unwrap()
        };
        let jwks = env.write(
            "jwks.json",
            json!({"keys": [jwk(&a_pub, "a"), jwk(&b_pub, "b")]}).to_string(),
        );
        let jwks = jwks.to_str().unwrap();
        let token = env.mint(&a, &["--kid", "a"]);
        assert_eq!(verify_json(&env, &["--key", jwks], &token).0, 0);
        let token = env.mint(&a, &["--kid", "zzz"]);
        let (code, doc) = verify_json(&env, &["--key", jwks], &token);
        assert_eq!((code, codes(&doc)), (1, vec!["kid_not_found".to_string()]));
    }

    #[test]
    fn input_problems_are_exit_2_token_problems_exit_1() {
        let env = TestEnv::new();
        let (_, public) = env.keygen("ES256", "k");
        env.acjwt()
            .args(["verify", "--key", "missing.pem", "a.b.c"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "cannot read key file missing.pem (--key)",
            ));
        env.acjwt()
            .args(["verify", "--key"])
            .arg(&public)
            .arg("garbage")
            .assert()
            .code(1)
            .stdout(predicate::str::contains("malformed"));
        env.acjwt()
            .args(["verify", "a.b.c"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "missing --key (or ACJWT_VERIFY_KEY)",
            ));
    }
}

mod header {
    use super::*;

    #[test]
    fn prints_the_sdk_authorization_values() {
        let env = TestEnv::new();
        env.acjwt()
            .args(["header", "--rtoken", "abc"])
            .assert()
            .success()
            .stdout("Bearer rtoken@abc\n");
        let (key, _) = env.keygen("ES256", "k");
        let token = env.mint(&key, &[]);
        env.acjwt()
            .arg("header")
            .write_stdin(format!("Bearer {token}\n"))
            .assert()
            .success()
            .stdout(format!("Bearer {token}\n"));
        env.acjwt().args(["header", "nonsense"]).assert().code(1);
        for bad in ["", "two words", "line\nbreak"] {
            env.acjwt()
                .args(["header", "--rtoken", bad])
                .assert()
                .code(2);
        }
    }
}

mod errors {
    use super::*;

    #[test]
    fn one_line_without_backtrace() {
        let output = TestEnv::new()
            .acjwt()
            .env("RUST_BACKTRACE", "full")
            .args(["verify", "--key", "nope.pem", "a.b.c"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: "));
        assert!(!stderr.contains("backtrace"));
    }

    #[test]
    fn broken_pipe_is_not_an_error() {
        // The reading end is closed before acjwt starts, so its first write gets EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_acjwt"))
            .args(["completions", "bash"])
            .stdout(writer)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

mod stdin {
    use super::*;

    #[test]
    fn only_one_input_may_come_from_stdin() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let token = env.mint(&key, &[]);
        // Refused before anything is read: the key would otherwise swallow the token.
        env.acjwt()
            .args(["verify", "--key", "-"])
            .write_stdin(env.read("k.pub.pem"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "the token and --key cannot both read stdin",
            ));
        env.acjwt()
            .args(["mint", "--key", "-", "--rtoken-file", "-", "--iss", "A"])
            .args(["--matching", EXAMPLE_MATCHING])
            .write_stdin(env.read("k.key"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("stdin is already read for --key"));
        // One reader is fine.
        env.acjwt()
            .args(["verify", "--key", "-", &token])
            .write_stdin(env.read("k.pub.pem"))
            .assert()
            .success();
    }

    #[test]
    fn whatever_stdin_holds_is_judged_as_a_token() {
        let env = TestEnv::new();
        let (_, public) = env.keygen("ES256", "k");
        let cases: [(&[u8], &str); 3] = [
            (b"\xff\xfe.\x00.x", "malformed"),
            (b"", "malformed"),
            (&[b'a'; 200 * 1024], "malformed"),
        ];
        for (input, code) in cases {
            let output = env
                .acjwt()
                .args(["verify", "--json", "--key"])
                .arg(&public)
                .write_stdin(input)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{output:?}");
            assert_eq!(stdout_json(&output)["failures"][0]["code"], code);
        }
    }

    #[test]
    fn a_numeric_rtoken_is_redacted_too() {
        let env = TestEnv::new();
        let (_, public) = env.keygen("ES256", "k");
        let token = forge(
            &env.read("k.key"),
            &json!({"alg": "ES256"}),
            &json!({"iss": "A", "exp": 4_102_444_800i64, "rtoken": 987_654_321_987i64, "matching": EXAMPLE_MATCHING}),
        );
        let output = env
            .acjwt()
            .args(["verify", "--json", "--key"])
            .arg(&public)
            .arg(&token)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.contains("987654321987"), "{text}");
        assert_eq!(stdout_json(&output)["claims"]["rtoken"], "<redacted>");
        let human = env
            .acjwt()
            .args(["verify", "--key"])
            .arg(&public)
            .arg(&token)
            .output()
            .unwrap();
        assert!(!String::from_utf8_lossy(&human.stdout).contains("987654321987"));
    }
}

mod batch_guards {
    use super::*;

    #[test]
    fn output_never_replaces_an_input_and_threads_are_bounded() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        env.write("in.jsonl", format!("{EXAMPLE_MATCHING}\n"));
        let before = env.read("k.key");
        let mint = |extra: &[&str]| {
            let mut cmd = env.acjwt();
            cmd.args(["mint", "--key"]).arg(&key);
            cmd.args(["--iss", "A", "--rtoken", "rt", "--batch", "in.jsonl"])
                .args(extra);
            cmd.assert()
        };
        mint(&["--output", "k.key"])
            .code(2)
            .stderr(predicate::str::contains("--output k.key is the --key file"));
        mint(&["-o", "in.jsonl"])
            .code(2)
            .stderr(predicate::str::contains("is the --batch file"));
        assert_eq!(env.read("k.key"), before);
        mint(&["--threads", "100000"]).code(2);
        mint(&["--threads", "0"]).code(2);
        mint(&["--output", "no/such/dir/out.txt"]).code(2).stderr(predicate::str::contains(
            "error: cannot write --output no/such/dir/out.txt (folder no/such/dir): No such file or directory (os error 2)\n",
        ));
    }

    #[test]
    fn a_bad_line_is_reported_while_stdin_stays_open() {
        let env = TestEnv::new();
        let (key, _) = env.keygen("ES256", "k");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_acjwt"))
            .args(["mint", "--key"])
            .arg(&key)
            .args(["--iss", "A", "--rtoken", "rt", "--batch", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, format!("{EXAMPLE_MATCHING}\nbad\n").as_bytes())
            .unwrap();
        // stdin stays open; acjwt must still stop and report line 2.
        let status = common::wait_or_fail(&mut child, 30, "mint --batch with a bad line");
        drop(stdin);
        assert_eq!(status.code(), Some(2));
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(stderr.contains("stdin: line 2:"), "{stderr}");
    }
}

mod encrypted_keys {
    use super::*;

    /// An encrypted key whose PBKDF2 round count was raised to 8,388,607 after encryption: a
    /// hostile file that would cost seconds to minutes of CPU before the passphrase is checked.
    #[test]
    fn costly_key_derivation_is_refused_at_once() {
        let env = TestEnv::new();
        env.run_ok(
            common::openssl(),
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                "plain.pem",
            ],
        );
        env.run_ok(
            common::openssl(),
            &[
                "pkcs8",
                "-topk8",
                "-in",
                "plain.pem",
                "-v2",
                "aes-256-cbc",
                "-iter",
                "65536",
                "-passout",
                "pass:pw",
                "-outform",
                "DER",
                "-out",
                "enc.der",
            ],
        );
        let mut der = std::fs::read(env.path("enc.der")).unwrap();
        // INTEGER 65536 (02 03 01 00 00) -> 8388607 (02 03 7f ff ff).
        let at = der
            .windows(5)
            .position(|w| w == [2, 3, 1, 0, 0])
            .expect("iteration count");
        der[at + 2..at + 5].copy_from_slice(&[0x7f, 0xff, 0xff]);
        std::fs::write(env.path("slow.der"), &der).unwrap();
        env.acjwt()
            .env("ACJWT_KEY_PASSPHRASE", "pw")
            .args(["mint", "--key", "slow.der", "--iss", "A", "--rtoken", "rt"])
            .args(["--matching", EXAMPLE_MATCHING])
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "PBKDF2 with 8388607 rounds is over the bound of 2000000",
            ));
        // The honest file still opens.
        env.acjwt()
            .env("ACJWT_KEY_PASSPHRASE", "pw")
            .args(["mint", "--key", "enc.der", "--iss", "A", "--rtoken", "rt"])
            .args(["--matching", EXAMPLE_MATCHING])
            .assert()
            .success();
    }
}

mod kid_sidecar {
    use super::*;

    #[test]
    fn a_new_key_never_inherits_an_old_kid() {
        let env = TestEnv::new();
        env.acjwt()
            .args(["keygen", "--kid", "old-kid"])
            .assert()
            .success();
        assert_eq!(env.read("private.ec.key.kid"), "old-kid\n");
        env.acjwt()
            .args(["keygen", "--force", "--public", "other.pem"])
            .assert()
            .success();
        assert!(!env.path("private.ec.key.kid").exists());
        let token = env.mint(&env.path("private.ec.key"), &[]);
        assert_eq!(part(&token, 0).get("kid"), None);

        env.acjwt()
            .args(["keygen", "--kid", "old-kid", "--force"])
            .assert()
            .success();
        std::fs::remove_file(env.path("private.ec.key")).unwrap();
        std::fs::remove_file(env.path("public.pem")).unwrap();
        env.acjwt()
            .arg("keygen")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "private.ec.key.kid already exists",
            ));
    }
}

mod verify_batch {
    use super::*;

    #[test]
    fn a_line_that_is_not_text_is_one_invalid_token() {
        let env = TestEnv::new();
        let (key, public) = env.keygen("ES256", "k");
        let token = env.mint(&key, &[]);
        let mut input = format!("{token}\n").into_bytes();
        input.extend_from_slice(b"a\xffb\n");
        input.extend_from_slice(format!("{token}\n").as_bytes());
        let output = env
            .acjwt()
            .args(["verify", "--json", "--key"])
            .arg(&public)
            .args(["--batch", "-"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let lines: Vec<Value> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let valid: Vec<bool> = lines
            .iter()
            .map(|l| l["valid"].as_bool().unwrap())
            .collect();
        assert_eq!(valid, [true, false, true]);
        assert_eq!(lines[1]["failures"][0]["code"], "malformed");
        env.acjwt()
            .args(["verify", "--key", "-", "--batch", "-"])
            .write_stdin(env.read("k.pub.pem"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "--batch and --key cannot both read stdin",
            ));
        // The token on stdin and the key too: named, for verify and explain alike (the key
        // may come from ACJWT_VERIFY_KEY=-).
        for command in ["verify", "explain"] {
            env.acjwt()
                .args([command, "--key", "-"])
                .write_stdin(env.read("k.pub.pem"))
                .assert()
                .code(2)
                .stderr(predicate::str::contains(
                    "the token and --key cannot both read stdin",
                ));
            env.acjwt()
                .arg(command)
                .env("ACJWT_VERIFY_KEY", "-")
                .write_stdin(env.read("k.pub.pem"))
                .assert()
                .code(2)
                .stderr(predicate::str::contains(
                    "the token and --key cannot both read stdin",
                ));
        }
    }
}

mod recorded_kid {
    use super::*;

    #[test]
    fn a_jwks_made_from_the_key_names_the_recorded_kid() {
        let env = TestEnv::new();
        env.acjwt()
            .args(["keygen", "--kid", "k-2026"])
            .assert()
            .success();
        let output = env
            .acjwt()
            .args(["key", "public", "private.ec.key", "--jwks"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        env.write("set.json", &output.stdout);
        assert_eq!(stdout_json(&output)["keys"][0]["kid"], "k-2026");
        let token = env.mint(&env.path("private.ec.key"), &[]);
        assert_eq!(part(&token, 0)["kid"], "k-2026");
        env.acjwt()
            .args(["verify", "--key", "set.json", &token])
            .assert()
            .success();
        env.acjwt()
            .args([
                "key",
                "convert",
                "private.ec.key",
                "--to",
                "jwk",
                "--out",
                "pub.jwk",
            ])
            .assert()
            .success();
        assert!(
            env.read("pub.jwk").contains("\"kid\": \"k-2026\""),
            "{}",
            env.read("pub.jwk")
        );
    }
}
