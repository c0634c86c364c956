//! Shell completions and man pages, generated from the clap definition.
//!
//! The committed `completions/` and `man/` folders are this module's output; a test
//! regenerates them and fails when they are stale.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Args;
use clap_complete::{Generator as _, Shell};

use super::{Status, command, files, output};

/// Print a shell completion script, or write all of them to a folder.
///
/// Example: acjwt completions bash > ~/.local/share/bash-completion/completions/acjwt
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_name = "SHELL", required_unless_present = "dir")]
    shell: Option<Shell>,

    /// Write the scripts for every shell into this folder instead.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Print the acjwt(1) man page, or write every page (one per subcommand) to a folder.
///
/// Example: acjwt man --dir ~/.local/share/man/man1
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write acjwt.1 and acjwt-SUBCOMMAND.1 pages into this folder.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn run_completions(args: CompletionsArgs) -> Result<Status> {
    match (args.dir, args.shell) {
        (Some(dir), _) => write_completions(&dir)?,
        (None, Some(shell)) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command(), "acjwt", &mut script);
            output::print_stdout(&String::from_utf8_lossy(&script))?;
        }
        (None, None) => unreachable!("clap requires a shell or --dir"),
    }
    Ok(Status::Success)
}

pub fn run_man(args: ManArgs) -> Result<Status> {
    match args.dir {
        Some(dir) => write_man_pages(&dir)?,
        None => {
            let mut page = Vec::new();
            let root = command();
            clap_mangen::Man::new(root.clone()).render(&mut page)?;
            page.extend_from_slice(environment_section(&root, true).as_bytes());
            output::print_stdout(&String::from_utf8_lossy(&page))?;
        }
    }
    Ok(Status::Success)
}

/// Writes the completion script of every supported shell into `dir`: generated in memory
/// first, then written as a set (files::write_outputs), so a full disk leaves no truncated script.
pub fn write_completions(dir: &Path) -> Result<()> {
    let files = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ]
    .map(|shell| {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command(), "acjwt", &mut script);
        (dir.join(shell.file_name("acjwt")), script)
    });
    files::create_output_dir(dir).context("--dir")?;
    files::write_outputs(&files)
}

/// Writes `acjwt.1` and one page per subcommand, nested ones included
/// (`acjwt-matching-build.1`), into `dir`, as one set like the completions.
pub fn write_man_pages(dir: &Path) -> Result<()> {
    let mut root = command();
    root.build();
    let mut pages = Vec::new();
    render_pages(&root, "acjwt", dir, &mut pages)?;
    files::create_output_dir(dir).context("--dir")?;
    files::write_outputs(&pages)
}

fn render_pages(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    pages: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<()> {
    let page_cmd = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut page = Vec::new();
    clap_mangen::Man::new(page_cmd).render(&mut page)?;
    page.extend_from_slice(environment_section(cmd, name == "acjwt").as_bytes());
    pages.push((dir.join(format!("{name}.1")), page));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        render_pages(sub, &format!("{name}-{}", sub.get_name()), dir, pages)?;
    }
    Ok(())
}

/// The variables a command reads, as a roff ENVIRONMENT section (clap_mangen has none).
fn environment_section(cmd: &clap::Command, root: bool) -> String {
    let mut entries: Vec<(String, String)> = cmd
        .get_arguments()
        .filter_map(|arg| {
            let env = arg.get_env()?.to_string_lossy().into_owned();
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            Some((env, format!("Same as --{}: {help}", arg.get_id())))
        })
        .collect();
    // Read by the key-file loader, not a clap argument (src/cli/keyfile.rs).
    if root
        || matches!(
            cmd.get_name(),
            "mint" | "verify" | "explain" | "inspect" | "public" | "convert"
        )
    {
        entries.push((
            super::keyfile::PASSPHRASE_ENV.to_string(),
            "Passphrase of an encrypted PKCS#8 key file (ENCRYPTED PRIVATE KEY); without it \
             mint, key and explain ask in a terminal."
                .to_string(),
        ));
    }
    if root {
        entries.extend(
            [
                ("ACJWT_KEY", "Private key file for mint (--key)."),
                ("ACJWT_ISS", "Issuer for mint (--iss)."),
                (
                    "ACJWT_RTOKEN",
                    "Role token for mint (--rtoken); preferred over the flag.",
                ),
                ("ACJWT_VERIFY_KEY", "Key file for verify (--key)."),
                ("NO_COLOR", "When set, no colour unless --color always."),
                (
                    "CLICOLOR_FORCE",
                    "When set, colour even without a terminal (--color never wins).",
                ),
                (
                    "CI",
                    "When set (not 0 or false), acjwt never prompts, as with --no-input.",
                ),
            ]
            .map(|(name, text)| (name.to_string(), text.to_string())),
        );
    }
    if entries.is_empty() {
        return String::new();
    }
    let escape = |text: &str| text.replace('\\', "\\\\").replace('-', "\\-");
    let mut section = String::from(".SH ENVIRONMENT\n");
    for (name, text) in entries {
        section.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            escape(&name),
            escape(&text)
        ));
    }
    section
}
