//! What reaches a person's terminal: every string from a token or a key file escaped (issue 11
//! item 5), and the messages, shapes and flags a new user tripped on (issue 11 item 19).

use crate::common;

use std::process::{Command, Output};

use acjwt::jws::Algorithm;
use acjwt::keys::{Jwk, PrivateKey};
use common::{EXAMPLE_MATCHING, TestEnv, forge};
use serde_json::{Value, json};

/// A header member name that, printed raw, clears the screen and draws a passing check.
const FORGED_LINE: &str = "\u{1b}[2J\n  ✓ signature verifies";

/// Fails unless `text` is safe for a terminal: no control character but line breaks and the
/// SGR colour codes acjwt writes itself, no bidi or invisible format character, and no line
/// that a token drew.
fn assert_terminal_safe(text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Only ESC [ digits ; ... m, which sets colours and nothing else.
            assert_eq!(
                chars.next(),
                Some('['),
                "an escape that is not SGR in {text:?}"
            );
            let mut end = None;
            for next in chars.by_ref() {
                if !(next.is_ascii_digit() || next == ';') {
                    end = Some(next);
                    break;
                }
            }
            assert_eq!(end, Some('m'), "an escape that is not SGR in {text:?}");
            continue;
        }
        let dangerous = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{061c}' | '\u{feff}' | '\u{3164}');
        assert!(!dangerous, "raw {c:?} in {text:?}");
    }
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("✓ signature verifies"),
            "a forged line: {text}"
        );
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// An ES256 key, its public half written to `public.pem`.
fn signer(env: &TestEnv) -> PrivateKey {
    let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
    env.write("public.pem", key.public_key().to_spki_pem().unwrap());
    key
}

fn good_claims() -> Value {
    json!({
        "iss": "TestApp",
        "exp": 4_102_444_800i64,
        "rtoken": "rt-secret-123",
        "matching": EXAMPLE_MATCHING,
    })
}

/// A token signed by `key` with `header` and the good claims changed by `change`.
fn token(key: &PrivateKey, header: Value, change: impl FnOnce(&mut Value)) -> String {
    let mut claims = good_claims();
    change(&mut claims);
    forge(&header, &claims, key)
}

mod sanitizer {
    use super::*;

    #[test]
    fn explain_escapes_header_member_and_claim_names() {
        let env = TestEnv::new();
        let key = signer(&env);
        let mut header = json!({"alg": "ES256", "typ": "JWT"});
        header[FORGED_LINE] = json!(1);
        let text = token(&key, header, |claims| {
            claims["x\u{1b}]52;c;aGk=\u{7}"] = json!(1);
        });
        for color in ["never", "always"] {
            let output = env
                .acjwt()
                .args(["--color", color, "explain", &text])
                .output()
                .unwrap();
            let out = stdout(&output);
            assert_terminal_safe(&out);
            assert!(
                out.contains(
                    r"header members the platform does not use: \x1b[2J\n  ✓ signature verifies"
                ),
                "{out}"
            );
            assert!(
                out.contains(r"claims not used by the platform: x\x1b]52;c;aGk=\x07"),
                "{out}"
            );
        }
        // --json keeps the exact names: JSON escaping is its own protection.
        let output = env
            .acjwt()
            .args(["explain", "--json", &text])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        let members = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "header_members")
            .unwrap();
        assert!(
            members["message"].as_str().unwrap().ends_with(FORGED_LINE),
            "{members}"
        );
    }

    #[test]
    fn decode_escapes_bidi_controls_in_claims_and_matching() {
        let env = TestEnv::new();
        let key = signer(&env);
        let text = token(&key, json!({"alg": "ES256"}), |claims| {
            claims["iss"] = json!("Ap\u{202e}p");
            claims["matching"] =
                json!(r#"{"db_id":2,"email":"a\u202e@b","matching":"email","note\u2066":"x"}"#);
        });
        for color in ["never", "always"] {
            let output = env
                .acjwt()
                .args(["--color", color, "decode", &text])
                .output()
                .unwrap();
            assert!(output.status.success());
            let out = stdout(&output);
            assert_terminal_safe(&out);
            assert!(out.contains(r"Ap\u{202e}p"), "{out}");
            assert!(out.contains(r"a\u{202e}@b"), "{out}");
            assert!(out.contains(r"note\u{2066}"), "{out}");
        }
        let output = env
            .acjwt()
            .args(["decode", "--json", &text])
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(doc["claims"]["iss"], "Ap\u{202e}p");
        assert_eq!(doc["matching"]["email"], "a\u{202e}@b");
    }

    #[test]
    fn verify_reports_escape_the_token_single_and_batch() {
        let env = TestEnv::new();
        let key = signer(&env);
        // A Hangul filler draws nothing and Rust's {:?} leaves it alone: only the sanitizer
        // shows it.
        let text = token(&key, json!({"alg": "ES256"}), |claims| {
            claims["iss"] = json!("App\u{3164}");
        });
        let output = env
            .acjwt()
            .args(["--color", "always", "verify", "--key", "public.pem", &text])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let out = stdout(&output);
        assert_terminal_safe(&out);
        assert!(out.contains(r#"token from "App\u{3164}""#), "{out}");

        env.write("tokens.txt", format!("{text}\n"));
        let output = env
            .acjwt()
            .args(["verify", "--key", "public.pem", "--batch", "tokens.txt"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let out = stdout(&output);
        assert_terminal_safe(&out);
        assert!(
            out.starts_with(r#"line 1: valid: ES256 token from "App\u{3164}""#),
            "{out}"
        );
    }

    #[test]
    fn key_inspect_escapes_a_kid_from_the_key_file() {
        let env = TestEnv::new();
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let mut jwk = Jwk::from_public(&key.public_key());
        // Control characters are refused in a kid (the kid rule); bidi controls are not.
        jwk.kid = Some("a\u{202e}b\u{2066}c".into());
        env.write("jwks.json", json!({"keys": [jwk]}).to_string());
        for color in ["never", "always"] {
            let output = env
                .acjwt()
                .args(["--color", color, "key", "inspect", "jwks.json"])
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", stderr(&output));
            let out = stdout(&output);
            assert_terminal_safe(&out);
            assert!(out.contains(r"a\u{202e}b\u{2066}c"), "{out}");
        }
    }

    #[test]
    fn errors_escape_what_they_quote_from_a_key_file() {
        let env = TestEnv::new();
        env.write(
            "odd.pem",
            "-----BEGIN \u{202e}X\u{1b}[2J-----\nAAAA\n-----END \u{202e}X\u{1b}[2J-----\n",
        );
        let output = env
            .acjwt()
            .args(["--color", "always", "key", "inspect", "odd.pem"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let err = stderr(&output);
        assert_terminal_safe(&err);
        assert!(
            err.contains(r#"PEM block "\u{202e}X\x1b[2J" is not a key type"#),
            "{err}"
        );
    }
}

mod messages {
    use super::*;

    #[test]
    fn key_inspect_on_a_certificate_exits_2_with_the_command_that_extracts_the_key() {
        let env = TestEnv::new();
        env.run_ok(
            common::openssl(),
            &[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "k.pem",
                "-out",
                "cert.pem",
                "-subj",
                "/CN=acjwt",
                "-days",
                "1",
            ],
        );
        let output = env
            .acjwt()
            .args(["key", "inspect", "cert.pem"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
        assert_eq!(
            stderr(&output),
            "error: key file cert.pem (FILE): unsupported key type: an X.509 certificate, not a key\n\
             hint: extract its public key: openssl x509 -in cert.pem -pubkey -noout > public.pem\n"
        );
    }

    #[test]
    fn a_token_over_the_stdin_cap_is_reported_as_over_it() {
        let env = TestEnv::new();
        // Not 200 MB here: what matters is that acjwt never claims to know the size it did
        // not read.
        let path = env.write("huge.txt", "a".repeat(1_000_000));
        let output = env
            .acjwt()
            .arg("decode")
            .pipe_stdin(&path)
            .unwrap()
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            stderr(&output),
            "error: the token on stdin is over 131072 bytes (the rest is not read), over the 65536-byte limit\n\
             hint: pipe in the token alone\n"
        );
        // verify judges it like any malformed token, so --json still has a verdict.
        signer(&env);
        let output = env
            .acjwt()
            .args(["verify", "--json", "--key", "public.pem"])
            .pipe_stdin(&path)
            .unwrap()
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            report["failures"],
            json!([{
                "code": "malformed",
                "message": "the token on stdin is over 131072 bytes (the rest is not read), over the 65536-byte limit"
            }])
        );
    }

    #[test]
    fn a_time_beyond_64_bits_is_out_of_range() {
        let env = TestEnv::new();
        let key = signer(&env);
        let text = token(&key, json!({"alg": "ES256"}), |claims| {
            claims["exp"] = json!(1u64 << 63);
        });
        let (code, report) = env.verify_report(&env.path("public.pem"), &text, &[]);
        assert_eq!(code, 1);
        assert_eq!(
            report["failures"][0],
            json!({
                "code": "time_out_of_range",
                "message": "exp 9223372036854775808 is out of range: times are unix seconds that fit in a signed 64-bit integer"
            })
        );
    }

    /// `acjwt decode` given `input` as the argument (or on stdin with `-`): exit 1 and
    /// exactly `expected` on stderr.
    fn decode_refuses(env: &TestEnv, argument: &str, stdin: Option<&str>, expected: &str) {
        let mut command = env.acjwt();
        command.args(["decode", argument]);
        if let Some(stdin) = stdin {
            command.write_stdin(stdin);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{argument:?} {stdin:?}");
        assert_eq!(stderr(&output), expected, "{argument:?} {stdin:?}");
    }

    #[test]
    fn what_was_given_instead_of_a_token_is_named() {
        let env = TestEnv::new();
        let key = signer(&env);
        let text = token(&key, json!({"alg": "ES256"}), |_| {});
        decode_refuses(
            &env,
            &format!("\"{text}\""),
            None,
            "error: the TOKEN argument is a token in quotes\n\
             hint: pass it without the quotes (a JSON string's quotes are not part of the token)\n",
        );
        decode_refuses(
            &env,
            "-",
            Some(&format!("{text}\n{text}\n")),
            "error: stdin holds 2 tokens; this command takes one\n\
             hint: pass one token (verify --batch FILE checks one per line)\n",
        );
        decode_refuses(
            &env,
            "Bearer rtoken@rt-secret-123",
            None,
            "error: the TOKEN argument is a role-token header (Bearer rtoken@…, 13 characters), not a JWT\n\
             hint: pass the JWT your backend mints (acjwt mint makes one); an rtoken is not a token to decode or verify\n",
        );
        env.write("token.txt", &text);
        decode_refuses(
            &env,
            "token.txt",
            None,
            "error: the TOKEN argument \"token.txt\" is the name of a file, not a token\n\
             hint: pass the token itself, or - for TOKEN with the file on stdin: - < token.txt\n",
        );
        // The token itself works, and so does one behind the byte order mark an editor saved
        // before it (dropped, as the rtoken rule drops it), in a batch file too.
        env.acjwt().args(["decode", &text]).assert().success();
        env.acjwt()
            .args(["decode", "-"])
            .write_stdin(format!("\u{feff}{text}\n"))
            .assert()
            .success();
        env.write("tokens.txt", format!("\u{feff}{text}\n{text}\n"));
        env.acjwt()
            .args(["verify", "--key", "public.pem", "--batch", "tokens.txt"])
            .assert()
            .success();
    }

    #[test]
    fn verify_and_explain_judge_what_was_given_as_a_malformed_token() {
        let env = TestEnv::new();
        signer(&env);
        let message =
            "the TOKEN argument is a role-token header (Bearer rtoken@…, 13 characters), not a JWT";
        let (code, report) =
            env.verify_report(&env.path("public.pem"), "Bearer rtoken@rt-secret-123", &[]);
        assert_eq!(code, 1);
        assert_eq!(
            report["failures"],
            json!([{"code": "malformed", "message": message}])
        );
        let output = env
            .acjwt()
            .args(["explain", "--json", "Bearer rtoken@rt-secret-123"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["checks"][0]["name"], "format");
        assert_eq!(report["checks"][0]["code"], "malformed");
        assert_eq!(report["checks"][0]["status"], "fail");
        assert_eq!(report["checks"][0]["message"], message);
        assert!(!String::from_utf8_lossy(&output.stdout).contains("rt-secret-123"));
    }

    #[test]
    fn ctrl_c_at_the_algorithm_menu_shows_the_cursor_again() {
        let env = TestEnv::new();
        let mut command = Command::new(env!("CARGO_BIN_EXE_acjwt"));
        command
            .arg("keygen")
            .current_dir(env.dir.path())
            .env_remove("CI")
            .env("TERM", "xterm");
        let options = rexpect::reader::Options::new()
            .timeout_ms(Some(20_000))
            .strip_ansi_escape_codes(false);
        let mut session =
            rexpect::session::spawn_with_options(command, options).expect("spawn in a pty");
        let before = session.exp_string("RS256").unwrap();
        session.send_control('c').unwrap();
        session.flush().unwrap();
        let rest = session.exp_eof().unwrap();
        let all = format!("{before}RS256{rest}");
        let hidden = all.rfind("\u{1b}[?25l").expect("the menu hides the cursor");
        assert!(
            all[hidden..].contains("\u{1b}[?25h"),
            "the cursor stays hidden: {all:?}"
        );
        assert!(!env.path("private.ec.key").exists());
    }
}

mod shapes {
    use super::*;

    #[test]
    fn verify_warnings_have_decodes_shape() {
        let env = TestEnv::new();
        let key = signer(&env);
        let text = token(&key, json!({"alg": "ES256", "typ": "at+jwt"}), |_| {});
        let (code, report) = env.verify_report(&env.path("public.pem"), &text, &[]);
        assert_eq!(code, 0);
        assert_eq!(
            report["warnings"][0],
            json!({"code": "typ_not_jwt", "message": "header typ is \"at+jwt\", not \"JWT\""})
        );
    }

    #[test]
    fn keygen_json_describes_the_key_as_key_inspect_does() {
        let env = TestEnv::new();
        for (alg, bits) in [("ES384", None), ("RS256", Some(2048))] {
            let private = format!("{alg}.key");
            let mut args = vec!["keygen", "--alg", alg, "--private", &private, "--json"];
            let public = format!("{alg}.pub");
            args.extend(["--public", &public]);
            if bits.is_some() {
                args.extend(["--bits", "2048"]);
            }
            let output = env.acjwt().args(&args).output().unwrap();
            assert!(output.status.success(), "{}", stderr(&output));
            let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
            let output = env
                .acjwt()
                .args(["key", "inspect", "--json", &private])
                .output()
                .unwrap();
            let inspected: Value = serde_json::from_slice(&output.stdout).unwrap();
            let key = &inspected["keys"][0];
            assert!(summary.get("key").is_none(), "{summary}");
            for member in ["key_type", "curve", "rsa_bits"] {
                assert_eq!(summary[member], key[member], "{alg} {member}");
            }
            assert_eq!(summary["rsa_bits"], json!(bits));
        }
    }

    #[test]
    fn key_convert_writes_with_output_like_mint() {
        let env = TestEnv::new();
        let (private, _) = env.keygen("ES256", "k");
        for flag in ["--output", "-o", "--out"] {
            let name = format!("pub{}.jwk", flag.trim_start_matches('-'));
            env.acjwt()
                .args(["key", "convert", "--to", "jwk", flag, &name])
                .arg(&private)
                .assert()
                .success();
            let jwk: Value = serde_json::from_str(&env.read(&name)).unwrap();
            assert_eq!(jwk["crv"], "P-256", "{flag}");
        }
        let output = env
            .acjwt()
            .args(["key", "convert", "--help"])
            .output()
            .unwrap();
        let help = stdout(&output);
        assert!(help.contains("-o, --output <FILE>"), "{help}");
        assert!(
            !help.contains("--out "),
            "the old name is a hidden alias: {help}"
        );
    }
}
