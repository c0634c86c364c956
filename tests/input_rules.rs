//! One rule per kind of input, whichever command reads it: role tokens, key ids, JWK members,
//! duplicate JSON members, key files with several keys, costly encrypted keys and batch-only
//! flags (issue 11, items 4 and 10 to 16, and part of 19).

use crate::common;

use std::path::Path;

use common::{EXAMPLE_MATCHING, TestEnv, failure_codes, forge, openssl};
use serde_json::{Value, json};

/// Runs acjwt and returns (exit code, stdout, stderr).
fn run(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let output = env.acjwt().args(args).output().expect("run acjwt");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// `acjwt decode --json TOKEN`.
fn decoded(env: &TestEnv, token: &str) -> Value {
    let (code, stdout, stderr) = run(env, &["decode", "--json", token]);
    assert_eq!(code, 0, "decode failed: {stderr}");
    serde_json::from_str(&stdout).expect("decode --json prints JSON")
}

fn mint_args<'a>(key: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "mint",
        "--key",
        key,
        "--iss",
        "App",
        "--matching",
        EXAMPLE_MATCHING,
    ];
    args.extend(extra);
    args
}

fn the_key(env: &TestEnv) -> acjwt::keys::PrivateKey {
    let bytes = std::fs::read(env.path("k.key")).unwrap();
    acjwt::keys::load_key_file(&bytes)
        .unwrap()
        .signing_key("test")
        .unwrap()
        .clone()
}

fn good_claims() -> Value {
    json!({
        "iss": "App",
        "exp": 4_000_000_000i64,
        "rtoken": "rt",
        "matching": EXAMPLE_MATCHING,
    })
}

// ---- item 14: one rtoken rule ----

#[test]
fn a_bom_and_the_final_newline_of_an_rtoken_file_are_dropped() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    env.write("rt.txt", "\u{feff} rt-from-file\r\n");
    let (code, token, stderr) = run(
        &env,
        &mint_args(path_str(&key), &["--rtoken-file", "rt.txt"]),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        decoded(&env, token.trim())["claims"]["rtoken"],
        "rt-from-file"
    );
}

#[test]
fn an_rtoken_of_several_lines_or_words_is_refused_everywhere_without_showing_it() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    let key = path_str(&key);
    env.write("two-lines.txt", "secretpart1\nsecretpart2\n");
    env.write("blank-line.txt", "secretpart1\n\n");
    for file in ["two-lines.txt", "blank-line.txt"] {
        let (code, stdout, stderr) = run(&env, &mint_args(key, &["--rtoken-file", file]));
        assert_eq!(code, 2, "{file}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("the rtoken has 2 lines"), "{stderr}");
        assert!(
            stderr.contains(&format!("--rtoken-file {file}")),
            "{stderr}"
        );
        assert!(!stderr.contains("secretpart"), "{stderr}");
    }
    // mint and header apply the same rule, from the flag, the environment or stdin.
    for rtoken in [
        "secret part",
        "secret\npart",
        "secret\tpart",
        "secret\u{200b}part",
    ] {
        let (mint, _, mint_err) = run(&env, &mint_args(key, &["--rtoken", rtoken]));
        let (header, _, header_err) = run(&env, &["header", "--rtoken", rtoken]);
        let from_env = env
            .acjwt()
            .args(mint_args(key, &[]))
            .env("ACJWT_RTOKEN", rtoken)
            .output()
            .unwrap();
        assert_eq!(
            (mint, header),
            (2, 2),
            "{rtoken:?}: {mint_err} {header_err}"
        );
        assert_eq!(from_env.status.code(), Some(2));
        let env_err = String::from_utf8_lossy(&from_env.stderr).into_owned();
        for stderr in [&mint_err, &header_err, &env_err] {
            assert!(stderr.contains("the rtoken has"), "{rtoken:?}: {stderr}");
            assert!(!stderr.contains("secret"), "{rtoken:?}: {stderr}");
        }
    }
    let piped = env
        .acjwt()
        .args(mint_args(key, &["--rtoken-file", "-"]))
        .write_stdin("secret part\n")
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("secret"));
    // And what passes is the same for both.
    let (code, stdout, _) = run(&env, &["header", "--rtoken", "rt-1"]);
    assert_eq!((code, stdout.as_str()), (0, "Bearer rtoken@rt-1\n"));
}

#[test]
fn rtoken_and_rtoken_file_together_are_a_usage_error() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    env.write("rt.txt", "rt-file\n");
    let (code, stdout, stderr) = run(
        &env,
        &mint_args(
            path_str(&key),
            &["--rtoken", "rt-flag", "--rtoken-file", "rt.txt"],
        ),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--rtoken and --rtoken-file both give the role token"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("rt-flag") && !stderr.contains("rt-file"),
        "{stderr}"
    );
    // The environment is a default: an explicit --rtoken-file overrides it.
    let output = env
        .acjwt()
        .args(mint_args(path_str(&key), &["--rtoken-file", "rt.txt"]))
        .env("ACJWT_RTOKEN", "rt-env")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let token = String::from_utf8(output.stdout).unwrap();
    assert_eq!(decoded(&env, token.trim())["claims"]["rtoken"], "rt-file");
}

// ---- item 10: one kid rule ----

#[test]
fn keygen_and_mint_refuse_the_same_kids() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    for kid in ["", " x ", "x ", "a\nb"] {
        let (keygen, _, keygen_err) = run(
            &env,
            &["keygen", "--out-dir", "new", "--kid", kid, "--jwks"],
        );
        let (mint, _, mint_err) = run(
            &env,
            &mint_args(path_str(&key), &["--rtoken", "rt", "--kid", kid]),
        );
        assert_eq!((keygen, mint), (2, 2), "{kid:?}: {keygen_err} / {mint_err}");
        assert!(!env.path("new/jwks.json").exists());
    }
    // A kid with inner spaces is a kid; what keygen records is what mint writes.
    let (code, _, stderr) = run(
        &env,
        &["keygen", "--out-dir", "new", "--kid", "key 2026", "--jwks"],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, token, stderr) = run(&env, &mint_args("new/private.ec.key", &["--rtoken", "rt"]));
    assert_eq!(code, 0, "{stderr}");
    let (code, report) = env.verify_report(&env.path("new/jwks.json"), token.trim(), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["kid"], "key 2026");
}

#[test]
fn a_kid_file_is_held_to_the_kid_rule_not_trimmed() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    env.write("k.key.kid", " x \n");
    let (code, stdout, stderr) = run(&env, &mint_args(path_str(&key), &["--rtoken", "rt"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("k.key.kid must hold one kid"), "{stderr}");
    assert!(stderr.contains("whitespace"), "{stderr}");
    env.write("k.key.kid", "x\n");
    let (code, token, stderr) = run(&env, &mint_args(path_str(&key), &["--rtoken", "rt"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(decoded(&env, token.trim())["header"]["kid"], "x");
}

// ---- item 11: kid and JWK semantics ----

/// The public JWK of `k.pub.pem` with `members` set.
fn public_jwk(env: &TestEnv, members: Value) -> Value {
    let (code, stdout, stderr) = run(env, &["key", "public", "--jwk", "k.pub.pem"]);
    assert_eq!(code, 0, "{stderr}");
    let mut jwk: Value = serde_json::from_str(&stdout).unwrap();
    for (name, value) in members.as_object().unwrap() {
        jwk[name] = value.clone();
    }
    jwk
}

#[test]
fn a_jwk_with_a_kid_chooses_as_a_one_key_jwks_does() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    let jwk = public_jwk(&env, json!({"kid": "k1"}));
    env.write("k1.jwk", jwk.to_string());
    env.write("k1.jwks", json!({"keys": [jwk]}).to_string());
    let mint = |kid: Option<&str>| {
        let mut extra = vec!["--rtoken", "rt"];
        if let Some(kid) = kid {
            extra.extend(["--kid", kid]);
        }
        let (code, token, stderr) = run(&env, &mint_args(path_str(&key), &extra));
        assert_eq!(code, 0, "{stderr}");
        token.trim().to_string()
    };
    for file in ["k1.jwk", "k1.jwks"] {
        let path = env.path(file);
        let (code, report) = env.verify_report(&path, &mint(Some("k2")), &[]);
        assert_eq!(
            (code, failure_codes(&report)),
            (1, vec!["kid_not_found".to_string()])
        );
        assert_eq!(
            env.verify_report(&path, &mint(Some("k1")), &[]).0,
            0,
            "{file}"
        );
        assert_eq!(env.verify_report(&path, &mint(None), &[]).0, 0, "{file}");
    }
    // A key with no kid of its own takes any kid.
    let (code, _) = env.verify_report(&env.path("k.pub.pem"), &mint(Some("k2")), &[]);
    assert_eq!(code, 0);
}

#[test]
fn a_kid_that_is_not_a_string_is_an_error_not_an_absence() {
    let env = TestEnv::new();
    let (_, public) = env.keygen("ES384", "k");
    let jwk = public_jwk(&env, json!({"kid": "k1"}));
    env.write("one.jwks", json!({"keys": [jwk]}).to_string());
    let token = forge(
        &json!({"alg": "ES384", "typ": "JWT", "kid": 5}),
        &good_claims(),
        &the_key(&env),
    );
    for key in [env.path("one.jwks"), public] {
        let (code, report) = env.verify_report(&key, &token, &[]);
        assert_eq!(code, 1, "{report}");
        assert_eq!(failure_codes(&report), ["kid_invalid"]);
    }
    let (code, stdout, stderr) = run(&env, &["explain", "--json", token.as_str()]);
    assert_eq!(code, 1, "{stderr}");
    let explain: Value = serde_json::from_str(&stdout).unwrap();
    let kid = explain["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "kid")
        .unwrap();
    assert_eq!(kid["status"], "fail", "{kid}");
    assert_eq!(kid["message"], "header kid is a number, not a string");
    env.write(
        "numeric-kid.jwk",
        public_jwk(&env, json!({"kid": 5})).to_string(),
    );
    let (code, _, stderr) = run(
        &env,
        &["verify", "--key", "numeric-kid.jwk", token.as_str()],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("\"kid\" must be a string, found a number"),
        "{stderr}"
    );
}

#[test]
fn jwks_not_for_signatures_with_this_algorithm_are_refused() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    let (code, token, stderr) = run(
        &env,
        &mint_args(path_str(&key), &["--rtoken", "rt", "--kid", "k1"]),
    );
    assert_eq!(code, 0, "{stderr}");
    let token = token.trim();
    for (members, expected) in [
        (json!({"use": "enc"}), "its \"use\" is enc"),
        (
            json!({"key_ops": ["encrypt"]}),
            "its \"key_ops\" do not include \"verify\"",
        ),
        (
            json!({"alg": "ES256"}),
            "its \"alg\" is ES256, but this P-384 key is for ES384",
        ),
        (json!({"alg": "RSA-OAEP"}), "its \"alg\" is RSA-OAEP"),
    ] {
        env.write("bad.jwk", public_jwk(&env, members.clone()).to_string());
        let (code, _, stderr) = run(&env, &["verify", "--key", "bad.jwk", token]);
        assert_eq!(code, 2, "{members}: {stderr}");
        assert!(
            stderr.contains("the JWK is not for ES384 signatures"),
            "{stderr}"
        );
        assert!(stderr.contains(expected), "{members}: {stderr}");
    }
    // In a set, such a key is skipped: only a token that picks it fails.
    let mut enc = public_jwk(&env, json!({"use": "enc", "kid": "enc1"}));
    enc["kid"] = "enc1".into();
    let good = public_jwk(&env, json!({"kid": "k1", "key_ops": ["verify"]}));
    env.write("set.jwks", json!({"keys": [enc, good]}).to_string());
    assert_eq!(env.verify_report(&env.path("set.jwks"), token, &[]).0, 0);
    let forged = forge(
        &json!({"alg": "ES384", "kid": "enc1"}),
        &good_claims(),
        &the_key(&env),
    );
    let (code, report) = env.verify_report(&env.path("set.jwks"), &forged, &[]);
    assert_eq!(
        (code, failure_codes(&report)),
        (1, vec!["key_unsupported".to_string()])
    );
    // A private JWK must allow "sign" to mint.
    let (code, private, stderr) = run(
        &env,
        &["key", "convert", path_str(&key), "--to", "jwk", "--private"],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut private: Value = serde_json::from_str(&private).unwrap();
    private["key_ops"] = json!(["verify"]);
    env.write("verify-only.jwk", private.to_string());
    let (code, _, stderr) = run(&env, &mint_args("verify-only.jwk", &["--rtoken", "rt"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("do not include \"sign\""), "{stderr}");
}

// ---- item 16: nothing from a private key in an error ----

#[test]
fn a_private_jwk_member_of_the_wrong_type_is_named_not_quoted() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("RS256", "k");
    let (code, stdout, stderr) = run(
        &env,
        &["key", "convert", path_str(&key), "--to", "jwk", "--private"],
    );
    assert_eq!(code, 0, "{stderr}");
    let jwk: Value = serde_json::from_str(&stdout).unwrap();
    for member in ["p", "q", "d", "dp", "dq", "qi", "n"] {
        let number = r#"1.4246419534523880e+308"#;
        let text = jwk.to_string().replacen(
            &format!("\"{member}\":\"{}\"", jwk[member].as_str().unwrap()),
            &format!("\"{member}\":{number}"),
            1,
        );
        assert!(text.contains(number), "{member}");
        env.write("bad.jwk", &text);
        let (code, _, stderr) = run(&env, &["key", "inspect", "bad.jwk"]);
        assert_eq!(code, 2, "{member}: {stderr}");
        assert!(
            stderr.contains(&format!("\"{member}\" must be a string, found a number")),
            "{member}: {stderr}"
        );
        assert!(
            !stderr.contains("14246") && !stderr.contains("1.42"),
            "{stderr}"
        );
        // In a set, too.
        env.write("bad.jwks", format!(r#"{{"keys":[{text}]}}"#));
        let (code, _, stderr) = run(&env, &["key", "inspect", "bad.jwks"]);
        assert_eq!(code, 2, "{member}: {stderr}");
        assert!(
            !stderr.contains("14246") && !stderr.contains("1.42"),
            "{stderr}"
        );
    }
}

// ---- item 15: duplicate JSON members ----

#[test]
fn mint_refuses_a_matching_object_with_a_member_twice() {
    let env = TestEnv::new();
    let (key, _) = env.keygen("ES384", "k");
    let twice = r#"{"db_id":2,"email":"first@example.com","email":"second@example.com","matching":"email"}"#;
    let (code, stdout, stderr) = run(
        &env,
        &[
            "mint",
            "--key",
            path_str(&key),
            "--iss",
            "App",
            "--rtoken",
            "rt",
            "--matching",
            twice,
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("the member \"email\" more than once"),
        "{stderr}"
    );
    // A batch line is checked as --matching is.
    env.write("in.jsonl", format!("{EXAMPLE_MATCHING}\n{twice}\n"));
    let (code, _, stderr) = run(
        &env,
        &[
            "mint",
            "--key",
            path_str(&key),
            "--iss",
            "App",
            "--rtoken",
            "rt",
            "--batch",
            "in.jsonl",
        ],
    );
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("\"email\" more than once"), "{stderr}");
}

#[test]
fn verify_fails_a_token_with_a_member_twice_and_decode_and_explain_say_so() {
    let env = TestEnv::new();
    let (_, public) = env.keygen("ES384", "k");
    let key = the_key(&env);
    let claims = good_claims().to_string();
    let sign = |header: &str, payload: &str| {
        acjwt::hazmat::sign_unchecked(header, payload.as_bytes(), |input| key.sign(input)).unwrap()
    };
    let matching_twice = claims.replace(
        r#"\"email\":\"registered_db@localhost\""#,
        r#"\"email\":\"other@example.com\",\"email\":\"registered_db@localhost\""#,
    );
    assert_ne!(matching_twice, claims);
    let cases = [
        (
            sign(r#"{"alg":"none","alg":"ES384"}"#, &claims),
            "header",
            "alg",
        ),
        (
            sign(
                r#"{"alg":"ES384"}"#,
                &claims.replace(r#""exp":4000000000"#, r#""exp":1,"exp":4000000000"#),
            ),
            "payload",
            "exp",
        ),
        (
            sign(r#"{"alg":"ES384"}"#, &matching_twice),
            "matching",
            "email",
        ),
    ];
    for (token, part, name) in &cases {
        let (code, report) = env.verify_report(&public, token, &[]);
        assert_eq!(code, 1, "{part}: {report}");
        assert_eq!(failure_codes(&report), ["duplicate_member"], "{part}");
        let message = report["failures"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(part) && message.contains(&format!("{name:?}")),
            "{message}"
        );

        let decode = decoded(&env, token);
        let codes: Vec<&str> = decode["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"duplicate_member"), "{part}: {decode}");

        let (code, stdout, stderr) = run(&env, &["explain", "--json", token]);
        assert_eq!(code, 1, "{part}: {stderr}");
        let explain: Value = serde_json::from_str(&stdout).unwrap();
        let failed: Vec<&str> = explain["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "fail")
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert!(failed.contains(&"duplicate_member"), "{part}: {explain}");
    }
}

// ---- item 12: one key per file ----

#[test]
fn a_pem_file_with_several_keys_is_refused_by_every_command() {
    let env = TestEnv::new();
    let (key, public) = env.keygen("ES384", "k");
    env.run_ok(openssl(), &["genrsa", "-out", "weak.pem", "1024"]);
    let good = std::fs::read_to_string(&key).unwrap();
    let weak = env.read("weak.pem");
    env.write("good-then-weak.pem", format!("{good}{weak}"));
    env.write(
        "two-public.pem",
        format!(
            "{}{}",
            std::fs::read_to_string(&public).unwrap(),
            env.read("k.pub.pem")
        ),
    );
    let token = {
        let (code, token, stderr) = run(&env, &mint_args(path_str(&key), &["--rtoken", "rt"]));
        assert_eq!(code, 0, "{stderr}");
        token.trim().to_string()
    };
    for (file, labels) in [
        ("good-then-weak.pem", "EC PRIVATE KEY, PRIVATE KEY"),
        ("two-public.pem", "PUBLIC KEY, PUBLIC KEY"),
    ] {
        let runs = [
            run(&env, &["key", "inspect", file]),
            run(&env, &["key", "inspect", "--json", file]),
            run(&env, &mint_args(file, &["--rtoken", "rt"])),
            run(&env, &["verify", "--key", file, token.as_str()]),
        ];
        for (code, stdout, stderr) in runs {
            assert_eq!(code, 2, "{file}: {stdout} {stderr}");
            assert!(!stdout.contains("accepted"), "{stdout}");
            assert!(
                stderr.contains(&format!("key file {file}"))
                    && stderr.contains(&format!("the file holds 2 PEM blocks ({labels})")),
                "{file}: {stderr}"
            );
        }
    }
    // openssl ecparam -genkey's EC PARAMETERS block before the key is not a second key.
    env.run_ok(
        openssl(),
        &[
            "ecparam",
            "-name",
            "secp384r1",
            "-genkey",
            "-out",
            "with-params.pem",
        ],
    );
    let (code, _, stderr) = run(&env, &["key", "inspect", "with-params.pem"]);
    assert_eq!(code, 0, "{stderr}");
}

// ---- item 19 (part): explicit EC parameters ----

#[test]
fn an_ec_key_with_explicit_parameters_is_named_with_the_conversion() {
    let env = TestEnv::new();
    env.run_ok(
        openssl(),
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-param_enc",
            "explicit",
            "-genkey",
            "-out",
            "explicit.pem",
        ],
    );
    env.run_ok(
        openssl(),
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "explicit.pem",
            "-out",
            "explicit.p8",
        ],
    );
    env.run_ok(
        openssl(),
        &[
            "ec",
            "-in",
            "explicit.pem",
            "-pubout",
            "-out",
            "explicit.pub",
        ],
    );
    env.run_ok(
        openssl(),
        &[
            "ec",
            "-in",
            "explicit.pem",
            "-outform",
            "DER",
            "-out",
            "explicit.der",
        ],
    );
    for file in [
        "explicit.pem",
        "explicit.p8",
        "explicit.pub",
        "explicit.der",
    ] {
        let (code, _, stderr) = run(&env, &["key", "inspect", file]);
        assert_eq!(code, 2, "{file}: {stderr}");
        assert!(
            stderr.contains("explicit curve parameters instead of a named curve"),
            "{file}: {stderr}"
        );
        assert!(
            stderr.contains("openssl ec -param_enc named_curve"),
            "{stderr}"
        );
        assert!(!stderr.contains("ASN.1"), "{stderr}");
    }
    // The conversion the message names works.
    env.run_ok(
        openssl(),
        &[
            "ec",
            "-in",
            "explicit.pem",
            "-param_enc",
            "named_curve",
            "-out",
            "named.pem",
        ],
    );
    let (code, stdout, stderr) = run(&env, &["key", "inspect", "named.pem"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("P-256"), "{stdout}");
}

// ---- item 4: scrypt bounds ----

/// An openssl scrypt key (N = 2^16, r = 2, p = 1) with its parameters patched in place to
/// `n` (an INTEGER of 3 bytes), `r` and `p` (one byte each). The ciphertext no longer opens,
/// which does not matter: the bounds must refuse it before any derivation.
fn scrypt_key(env: &TestEnv, name: &str, n: [u8; 3], r: u8, p: u8) {
    if !env.path("scrypt.der").exists() {
        env.keygen("ES384", "plain");
        env.run_ok(
            openssl(),
            &[
                "pkcs8",
                "-topk8",
                "-in",
                "plain.key",
                "-scrypt",
                "-scrypt_N",
                "65536",
                "-scrypt_r",
                "2",
                "-scrypt_p",
                "1",
                "-passout",
                "pass:pw",
                "-outform",
                "DER",
                "-out",
                "scrypt.der",
            ],
        );
    }
    let mut der = std::fs::read(env.path("scrypt.der")).unwrap();
    // INTEGER 65536, INTEGER 2, INTEGER 1: the ScryptParams after the salt.
    let params = [2, 3, 1, 0, 0, 2, 1, 2, 2, 1, 1];
    let at = der
        .windows(params.len())
        .position(|w| w == params)
        .expect("scrypt parameters");
    der[at + 2..at + 5].copy_from_slice(&n);
    der[at + 7] = r;
    der[at + 10] = p;
    std::fs::write(env.path(name), der).unwrap();
}

#[test]
fn scrypt_memory_and_work_are_bounded_before_any_derivation() {
    let env = TestEnv::new();
    scrypt_key(&env, "memory.der", [0x10, 0, 0], 64, 1); // N = 2^20, r = 64: 8 GiB
    scrypt_key(&env, "work.der", [1, 0, 0], 8, 32); // N = 2^16, r = 8, p = 32: 2^24 mixes
    for (file, expected) in [
        (
            "memory.der",
            "scrypt N = 1048576 with r = 64 needs 8 GiB of memory (128·N·r), over the 1 GiB bound",
        ),
        (
            "work.der",
            "scrypt N = 65536, r = 8, p = 32 asks for N·r·p = 16777216 block mixes, over the bound of 2^23",
        ),
    ] {
        let started = std::time::Instant::now();
        let output = env
            .acjwt()
            .env("ACJWT_KEY_PASSPHRASE", "pw")
            .args(mint_args(file, &["--rtoken", "rt"]))
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert!(
            started.elapsed().as_secs() < 10,
            "{file}: the derivation ran"
        );
    }
    // The honest openssl key (N = 2^16, r = 2) still opens.
    let output = env
        .acjwt()
        .env("ACJWT_KEY_PASSPHRASE", "pw")
        .args(mint_args("scrypt.der", &["--rtoken", "rt"]))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn scrypt_memory_that_cannot_be_allocated_is_an_error_not_an_abort() {
    let env = TestEnv::new();
    // N = 2^20, r = 8: exactly the 1 GiB bound, allowed; under a 768 MiB address-space limit
    // it cannot be allocated, and Rust's `vec!` would abort (exit 134) if it were tried.
    scrypt_key(&env, "gib.der", [0x10, 0, 0], 8, 1);
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 786432 && exec '{}' key inspect gib.der",
            env!("CARGO_BIN_EXE_acjwt")
        ))
        .current_dir(env.dir.path())
        .env("ACJWT_KEY_PASSPHRASE", "pw")
        .env("CI", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "scrypt N = 1048576 with r = 8 needs 1 GiB of memory, which cannot be allocated here"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("memory allocation"), "{stderr}");
}

// ---- item 13: batch-only flags ----

#[test]
fn batch_only_flags_without_batch_are_usage_errors() {
    let env = TestEnv::new();
    let (key, public) = env.keygen("ES384", "k");
    let key = path_str(&key);
    for (flag, value) in [
        ("--output", "out.txt"),
        ("-o", "out.txt"),
        ("--batch-format", "jsonl"),
        ("--batch-format", "tokens"),
        ("--threads", "2"),
    ] {
        let (code, stdout, stderr) = run(&env, &mint_args(key, &["--rtoken", "rt", flag, value]));
        assert_eq!(code, 2, "{flag}: {stderr}");
        assert!(stdout.is_empty(), "{flag}: {stdout}");
        let named = if flag == "-o" { "--output" } else { flag };
        assert!(
            stderr.contains(&format!("{named} applies only to mint --batch")),
            "{flag}: {stderr}"
        );
        assert!(!env.path("out.txt").exists());
    }
    let token = env.mint(Path::new(key), &[]);
    let (code, _, stderr) = run(
        &env,
        &[
            "verify",
            "--key",
            path_str(&public),
            "--threads",
            "2",
            token.as_str(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--threads applies only to verify --batch"),
        "{stderr}"
    );
    // With --batch they work as before.
    env.write("in.jsonl", format!("{EXAMPLE_MATCHING}\n"));
    let (code, _, stderr) = run(
        &env,
        &[
            "mint",
            "--key",
            key,
            "--iss",
            "App",
            "--rtoken",
            "rt",
            "--batch",
            "in.jsonl",
            "--batch-format",
            "jsonl",
            "--threads",
            "2",
            "-o",
            "out.txt",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let line: Value = serde_json::from_str(env.read("out.txt").trim()).unwrap();
    assert_eq!(line["line"], 1);
}
