//! The `acjwt` command: see `acjwt --help`, the README, and the library docs.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
