//! The `gongwen` binary: parse arguments, run, report errors, exit like grep
//! (0 found, 1 nothing found, 2 error).

mod cli;
mod serve;

use clap::Parser;

fn main() {
    let args = cli::reorder_search_args(std::env::args_os().collect());
    let code = match cli::Cli::try_parse_from(&args) {
        Ok(parsed) => run(parsed),
        // help, version and argument errors, in gongwen's style
        Err(refused) => cli::refused(&refused, &args),
    };
    std::process::exit(code);
}

fn run(parsed: cli::Cli) -> i32 {
    match cli::run(parsed) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`gongwen search x | head`) is not an error.
            let broken_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                cli::FOUND
            } else {
                // errors quote file names and queries: printed terminal-safe
                cli::warn(&format!("{err:#}"));
                cli::ERROR
            }
        }
    }
}
