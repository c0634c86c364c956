//! The committed completions/ and man/ folders must be what the current clap definition
//! generates: a changed flag without regenerated docs fails here.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::TestEnv;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

fn assert_fresh(subcommand: &str, folder: &str) {
    let env = TestEnv::new();
    env.acjwt()
        .args([subcommand, "--dir", "generated"])
        .assert()
        .success();
    let generated = files(&env.path("generated"));
    let committed = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(folder));
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&committed),
        names(&generated),
        "{folder}/ has other files than acjwt generates: run scripts/generate-docs.sh"
    );
    for (name, contents) in &generated {
        assert!(
            committed[name] == *contents,
            "{folder}/{name} is stale: run scripts/generate-docs.sh"
        );
    }
}

#[test]
fn completions_are_fresh() {
    assert_fresh("completions", "completions");
}

#[test]
fn man_pages_are_fresh() {
    assert_fresh("man", "man");
}

#[test]
fn every_subcommand_has_a_man_page() {
    let man = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("man"));
    for page in [
        "acjwt.1",
        "acjwt-keygen.1",
        "acjwt-mint.1",
        "acjwt-decode.1",
        "acjwt-verify.1",
        "acjwt-matching-build.1",
        "acjwt-key-inspect.1",
        "acjwt-key-public.1",
        "acjwt-key-convert.1",
        "acjwt-explain.1",
    ] {
        assert!(man.contains_key(page), "man/{page} is missing");
    }
}

#[test]
fn completions_print_for_each_shell() {
    let env = TestEnv::new();
    for (shell, marker) in [
        ("bash", "_acjwt()"),
        ("zsh", "#compdef acjwt"),
        ("fish", "complete -c acjwt"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[acjwt]"),
    ] {
        let output = env.acjwt().args(["completions", shell]).output().unwrap();
        assert!(output.status.success());
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(
            script.contains(marker),
            "{shell} completion lacks {marker:?}"
        );
        assert!(
            script.contains("--rtoken-file"),
            "{shell} completion lacks mint's flags"
        );
    }
}

#[test]
fn help_names_the_environment_variables() {
    let output = TestEnv::new()
        .acjwt()
        .args(["mint", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for var in ["ACJWT_KEY", "ACJWT_ISS", "ACJWT_RTOKEN"] {
        assert!(help.contains(var), "mint --help does not mention {var}");
    }
}
