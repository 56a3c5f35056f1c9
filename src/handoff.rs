//! `--exec PROGRAM [ARGS…]`: after a sign-in, the process becomes the
//! kiosk's own program (the same PID, so under cage the program becomes
//! cage's client and systemd's service goes on).
//!
//! The program inherits where the sign-in is, never a token:
//! `DEVICE_SIGNIN_CONFIG`, `DEVICE_SIGNIN_PROVIDER` and
//! `DEVICE_SIGNIN_DATA_DIR`, which `device-signin token`, `logout` and
//! `status` take as their defaults. So the program runs
//! `device-signin token` with no arguments whenever it needs a token.

use std::ffi::OsString;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};

use crate::config::Options;
use crate::exit;

pub const CONFIG_VAR: &str = "DEVICE_SIGNIN_CONFIG";
pub const PROVIDER_VAR: &str = "DEVICE_SIGNIN_PROVIDER";
pub const DATA_DIR_VAR: &str = "DEVICE_SIGNIN_DATA_DIR";

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// The variables the program inherits. The providers file is named only
/// when one is used (the demo has none).
pub fn environment(common: &Options, provider: &str) -> Vec<(&'static str, OsString)> {
    let mut env = vec![(PROVIDER_VAR, OsString::from(provider))];
    let config = match &common.config {
        Some(path) => Some(absolute(path)),
        None if common.demo => None,
        None => crate::provider::default_path().filter(|p| p.exists()),
    };
    if let Some(config) = config {
        env.push((CONFIG_VAR, config.into_os_string()));
    }
    if let Ok(dir) = crate::store::resolve_dir(common.data_dir.as_deref()) {
        env.push((DATA_DIR_VAR, absolute(&dir).into_os_string()));
    }
    env
}

/// Replace this process with `command`. Returns only when that fails, with
/// the exit code to end with.
pub fn exec(command: &[OsString], common: &Options, provider: &str) -> u8 {
    let Some((program, args)) = command.split_first() else {
        return exit::CONFIG;
    };
    let mut cmd = std::process::Command::new(program);
    cmd.args(args);
    if common.demo || common.config.is_none() {
        // Nothing inherited may point the program elsewhere.
        cmd.env_remove(CONFIG_VAR);
    }
    for (key, value) in environment(common, provider) {
        cmd.env(key, value);
    }
    tracing::info!(program = %program.to_string_lossy(), "handing over");
    let error = cmd.exec();
    eprintln!(
        "device-signin: cannot run `{}`: {error}",
        program.to_string_lossy()
    );
    exit::CONFIG
}

/// Splits `--exec PROGRAM [ARGS…]` off a command line: everything after
/// the first `--exec` is the program's, untouched (its own options
/// included). `Err` when `--exec` is last.
pub fn split_exec(args: Vec<OsString>) -> Result<(Vec<OsString>, Vec<OsString>), &'static str> {
    let is_exec = |a: &OsString| a == "--exec" || a.as_encoded_bytes().starts_with(b"--exec=");
    match args.iter().position(is_exec) {
        None => Ok((args, Vec::new())),
        Some(at) => {
            let mut ours = args;
            let mut theirs = ours.split_off(at + 1);
            let flag = ours.pop().unwrap_or_default();
            // `--exec=PROGRAM ARGS…`: the program is glued to the flag.
            if let Some(program) = flag.to_str().and_then(|f| f.strip_prefix("--exec=")) {
                theirs.insert(0, OsString::from(program));
            }
            if theirs.first().is_none_or(|p| p.is_empty()) {
                Err("--exec needs a program: --exec PROGRAM [ARGS...]")
            } else {
                Ok((ours, theirs))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn everything_after_exec_is_the_programs_own_command_line() {
        let (ours, theirs) = split_exec(os(&[
            "device-signin",
            "--stay",
            "--exec",
            "kiosk",
            "--stay",
            "-x",
        ]))
        .unwrap();
        assert_eq!(ours, os(&["device-signin", "--stay"]));
        assert_eq!(theirs, os(&["kiosk", "--stay", "-x"]));
        let (ours, theirs) = split_exec(os(&["device-signin", "login"])).unwrap();
        assert_eq!(ours, os(&["device-signin", "login"]));
        assert!(theirs.is_empty());
        assert!(split_exec(os(&["device-signin", "--exec"])).is_err());
        let (ours, theirs) = split_exec(os(&["device-signin", "--exec=kiosk", "-x"])).unwrap();
        assert_eq!(ours, os(&["device-signin"]));
        assert_eq!(theirs, os(&["kiosk", "-x"]), "--exec=PROGRAM too");
        assert!(split_exec(os(&["device-signin", "--exec="])).is_err());
    }

    #[test]
    fn the_program_learns_where_the_sign_in_is_and_never_a_token() {
        let common = Options {
            config: Some("/etc/device-signin/providers.toml".into()),
            data_dir: Some("/var/lib/device-signin/tokens".into()),
            ..Options::default()
        };
        let env = environment(&common, "kc");
        assert_eq!(
            env,
            vec![
                (PROVIDER_VAR, OsString::from("kc")),
                (
                    CONFIG_VAR,
                    OsString::from("/etc/device-signin/providers.toml")
                ),
                (
                    DATA_DIR_VAR,
                    OsString::from("/var/lib/device-signin/tokens")
                ),
            ]
        );
    }
}
