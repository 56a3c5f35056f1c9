fn main() -> std::process::ExitCode {
    device_signin::cli::main()
}
