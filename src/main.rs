use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let invocation = pickfix::cli::Invocation::from_args(std::env::args_os());
    match invocation.run() {
        Ok(status) => ExitCode::from(status as u8),
        // A closed pipe (`pickfix | head`) is not an error.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            // Even a failing stderr must not turn an error into a panic.
            let _ = writeln!(std::io::stderr(), "pickfix: {err}");
            ExitCode::from(2)
        }
    }
}
