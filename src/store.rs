//! The token store: one JSON file per provider in the data directory.
//!
//! - The directory is created 0700; each file is 0600 and owned by us.
//!   A file others can read, or a directory others can write, is refused
//!   with an error that says how to fix it.
//! - Writes are atomic: a temporary file in the same directory is written,
//!   fsynced and renamed over the old one, then the directory is fsynced.
//!   A crash leaves the old file or the new one, never a mix.
//! - Expiry is wall-clock time (unix seconds): the file outlives the process
//!   and a monotonic clock would not.
//! - A file that does not parse is moved aside to `<name>.corrupt-<unix time>`
//!   and reported; it is never deleted.
//!
//! ```
//! use device_signin::oauth::TokenResponse;
//! use device_signin::store::{self, StoredTokens};
//!
//! let dir = tempfile::tempdir()?;
//! let answer: TokenResponse =
//!     serde_json::from_str(r#"{"access_token":"at","refresh_token":"rt","expires_in":3600}"#)?;
//! let now = store::unix_now();
//! store::save(dir.path(), &StoredTokens::from_response("github", &answer, now))?;
//!
//! let back = store::load(dir.path(), "github")?.expect("just saved");
//! assert_eq!(back.expires_at, Some(now + 3600));
//! assert!(back.valid_for(60, now));
//! assert!(store::delete(dir.path(), "github")?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::oauth::{AccessToken, IdToken, RefreshToken, TokenResponse};

/// The layout version written into every file.
pub const FORMAT_VERSION: u32 = 1;

/// What is kept for one provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredTokens {
    pub version: u32,
    /// The provider id; it is also the file name.
    pub provider: String,
    pub access_token: AccessToken,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<RefreshToken>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<IdToken>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// When the access token expires, in unix seconds; `None` if the
    /// provider gave no lifetime (GitHub OAuth apps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// When the refresh token expires, in unix seconds, when the provider
    /// said (`refresh_expires_in`); `None` if it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_expires_at: Option<u64>,
    /// When these tokens were received, in unix seconds.
    pub obtained_at: u64,
    /// Who signed in, as last seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl StoredTokens {
    /// A record of a fresh token response received at `now` (unix seconds).
    pub fn from_response(provider: &str, tokens: &TokenResponse, now: u64) -> Self {
        Self {
            version: FORMAT_VERSION,
            provider: provider.to_owned(),
            access_token: tokens.access_token.clone(),
            token_type: tokens.token_type.clone(),
            refresh_token: tokens.refresh_token.clone(),
            id_token: tokens.id_token.clone(),
            scope: tokens.scope.clone(),
            expires_at: tokens.expires_in.map(|s| now.saturating_add(s)),
            refresh_expires_at: tokens
                .refresh_token
                .as_ref()
                .and(tokens.refresh_expires_in())
                .map(|s| now.saturating_add(s)),
            obtained_at: now,
            sub: None,
            name: None,
            preferred_username: None,
            email: None,
        }
    }

    /// After a refresh at `now`: the new access token; the new refresh
    /// token if one came back, else the old one (rotation is optional).
    pub fn refreshed(&self, tokens: &TokenResponse, now: u64) -> Self {
        let mut next = Self::from_response(&self.provider, tokens, now);
        if tokens.refresh_token.is_none() {
            // Not rotated: the old refresh token, and its lifetime, stay.
            next.refresh_token = self.refresh_token.clone();
            next.refresh_expires_at = self.refresh_expires_at;
        }
        next.id_token = tokens.id_token.clone().or_else(|| self.id_token.clone());
        next.scope = tokens.scope.clone().or_else(|| self.scope.clone());
        next.token_type = tokens
            .token_type
            .clone()
            .or_else(|| self.token_type.clone());
        next.sub = self.sub.clone();
        next.name = self.name.clone();
        next.preferred_username = self.preferred_username.clone();
        next.email = self.email.clone();
        next
    }

    /// The access token's lifetime as granted, when it has one.
    pub fn lifetime(&self) -> Option<u64> {
        self.expires_at
            .map(|at| at.saturating_sub(self.obtained_at))
    }

    /// Whether a refresh token is kept that has not expired at `now`.
    pub fn can_refresh(&self, now: u64) -> bool {
        self.refresh_token.is_some() && self.refresh_expires_at.is_none_or(|at| at > now)
    }

    /// Is the access token good for at least `min_valid` more seconds?
    pub fn valid_for(&self, min_valid: u64, now: u64) -> bool {
        match self.expires_at {
            None => true,
            Some(at) => at > now.saturating_add(min_valid),
        }
    }
}

/// The current wall-clock time in unix seconds.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no data directory: $HOME is not set; pass --data-dir DIR")]
    NoDataDir,
    #[error("`{0}` is not a valid provider id for the token store")]
    BadId(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is readable by other users (mode {mode:04o}); it holds tokens and must be \
         private: run `chmod 600 {path}`"
    )]
    FileMode { path: PathBuf, mode: u32 },
    #[error(
        "{path} can be written by other users (mode {mode:04o}); they could replace stored \
         tokens: run `chmod 700 {path}`"
    )]
    DirMode { path: PathBuf, mode: u32 },
    #[error(
        "{path} belongs to another user (uid {uid}); tokens must be owned by the user who reads them"
    )]
    Owner { path: PathBuf, uid: u32 },
    #[error(
        "{path} is not a valid token file ({detail}); it was moved to {moved_to} and a new \
         sign-in is required"
    )]
    Corrupt {
        path: PathBuf,
        moved_to: PathBuf,
        detail: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The default data directory: `$XDG_DATA_HOME/device-signin`.
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "device-signin").map(|d| d.data_dir().to_owned())
}

/// `--data-dir` if given, else the default.
pub fn resolve_dir(data_dir: Option<&Path>) -> Result<PathBuf, StoreError> {
    match data_dir {
        Some(dir) => Ok(dir.to_owned()),
        None => default_dir().ok_or(StoreError::NoDataDir),
    }
}

fn check_id(provider_id: &str) -> Result<(), StoreError> {
    let ok = !provider_id.is_empty()
        && provider_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::BadId(provider_id.to_owned()))
    }
}

/// The file for a provider: `<dir>/<id>.json`.
pub fn path_for(dir: &Path, provider_id: &str) -> PathBuf {
    dir.join(format!("{provider_id}.json"))
}

/// Create the directory (0700) if needed and check nobody else can write it.
fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io(dir))?;
        // `recursive` applies the mode to the leaf; the umask may narrow it, which is fine.
    }
    check_dir(dir)
}

fn check_dir(dir: &Path) -> Result<(), StoreError> {
    let meta = fs::metadata(dir).map_err(io(dir))?;
    let mode = meta.mode() & 0o7777;
    // Sticky shared dirs (/tmp) are no place for tokens either.
    if mode & 0o022 != 0 {
        return Err(StoreError::DirMode {
            path: dir.to_owned(),
            mode,
        });
    }
    Ok(())
}

fn check_file(path: &Path, meta: &fs::Metadata) -> Result<(), StoreError> {
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(StoreError::FileMode {
            path: path.to_owned(),
            mode,
        });
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(StoreError::Owner {
            path: path.to_owned(),
            uid: meta.uid(),
        });
    }
    Ok(())
}

/// Write the tokens for `tokens.provider` atomically.
pub fn save(dir: &Path, tokens: &StoredTokens) -> Result<PathBuf, StoreError> {
    check_id(&tokens.provider)?;
    ensure_dir(dir)?;
    let path = path_for(dir, &tokens.provider);
    let mut json = serde_json::to_vec_pretty(tokens).map_err(|e| StoreError::Io {
        path: path.clone(),
        source: e.into(),
    })?;
    json.push(b'\n');

    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{}.json.tmp-{}-{}",
        tokens.provider,
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        fs::rename(&tmp, &path)
    })();
    if let Err(source) = written {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::Io { path, source });
    }
    // The rename is durable only once the directory entry is.
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))?;
    sweep_stale_temporaries(dir, &tokens.provider);
    Ok(path)
}

/// Remove temporary files left by writers that died mid-save (their
/// process is gone). Best effort: a failure here harms nothing.
fn sweep_stale_temporaries(dir: &Path, provider_id: &str) {
    let prefix = format!(".{provider_id}.json.tmp-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else {
            continue;
        };
        if !process_exists(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn process_exists(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// The stored tokens for a provider, or `None` if there are none.
pub fn load(dir: &Path, provider_id: &str) -> Result<Option<StoredTokens>, StoreError> {
    check_id(provider_id)?;
    let path = path_for(dir, provider_id);
    let mut file = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(&path)(e)),
    };
    check_dir(dir)?;
    let meta = file.metadata().map_err(io(&path))?;
    check_file(&path, &meta)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(io(&path))?;
    drop(file);
    let detail = match serde_json::from_slice::<StoredTokens>(&bytes) {
        Ok(t) if t.version != FORMAT_VERSION => format!("unknown format version {}", t.version),
        Ok(t) if t.provider != provider_id => {
            format!("it is for provider `{}`", t.provider)
        }
        Ok(t) => return Ok(Some(t)),
        // Only where, never what: serde's message can quote a value.
        Err(e) => format!(
            "bad JSON ({}) at line {} column {}",
            match e.classify() {
                serde_json::error::Category::Io => "unreadable",
                serde_json::error::Category::Syntax => "syntax error",
                serde_json::error::Category::Data => "unexpected field or type",
                serde_json::error::Category::Eof => "cut short",
            },
            e.line(),
            e.column()
        ),
    };
    let moved_to = move_aside(&path)?;
    Err(StoreError::Corrupt {
        path,
        moved_to,
        detail,
    })
}

fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let base = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let base = base.unwrap_or_default();
    let now = unix_now();
    let mut target = path.with_file_name(format!("{base}.corrupt-{now}"));
    let mut n = 1;
    while target.exists() {
        target = path.with_file_name(format!("{base}.corrupt-{now}-{n}"));
        n += 1;
    }
    fs::rename(path, &target).map_err(io(path))?;
    Ok(target)
}

/// Delete a provider's tokens. `Ok(false)` if there were none.
///
/// Temporaries of writers that died mid-save go too: one may hold tokens
/// newer than the file's (a refresh killed before its rename).
pub fn delete(dir: &Path, provider_id: &str) -> Result<bool, StoreError> {
    check_id(provider_id)?;
    let path = path_for(dir, provider_id);
    sweep_stale_temporaries(dir, provider_id);
    match fs::remove_file(&path) {
        Ok(()) => {
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io(dir))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io(&path)(e)),
    }
}

/// The provider ids that have a token file, sorted.
pub fn list(dir: &Path) -> Result<Vec<String>, StoreError> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir)(e)),
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".json")?;
            check_id(id).ok()?;
            Some(id.to_owned())
        })
        .collect();
    ids.sort();
    Ok(ids)
}

/// An exclusive advisory lock on a provider's tokens, held until dropped.
/// Two `token` commands refreshing at once would otherwise both spend the
/// same refresh token, and a rotating provider revokes the grant for that.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

pub fn lock(dir: &Path, provider_id: &str) -> Result<Lock, StoreError> {
    check_id(provider_id)?;
    ensure_dir(dir)?;
    let path = dir.join(format!(".{provider_id}.lock"));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(io(&path))?;
    use std::os::fd::AsRawFd as _;
    // SAFETY: the descriptor is open for the duration of the call.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    if rc != 0 {
        return Err(io(&path)(std::io::Error::last_os_error()));
    }
    Ok(Lock { _file: file })
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn sample(provider: &str) -> StoredTokens {
        let resp: TokenResponse = serde_json::from_str(
            r#"{"access_token":"at-SECRET","refresh_token":"rt-SECRET","expires_in":3600,
                "token_type":"Bearer","scope":"openid"}"#,
        )
        .unwrap();
        StoredTokens::from_response(provider, &resp, 1_000)
    }

    fn private_dir() -> tempfile::TempDir {
        // tempfile creates directories 0700.
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn store_roundtrips_tokens_and_expiry_as_wall_clock() {
        let dir = private_dir();
        let t = sample("kc");
        save(dir.path(), &t).unwrap();
        let back = load(dir.path(), "kc").unwrap().unwrap();
        assert_eq!(back, t);
        assert_eq!(back.expires_at, Some(4_600));
        let text = fs::read_to_string(path_for(dir.path(), "kc")).unwrap();
        assert!(text.contains("\"expires_at\": 4600"), "{text}");
    }

    #[test]
    fn store_file_is_0600_and_new_directory_0700() {
        let parent = private_dir();
        let dir = parent.path().join("a/b");
        save(&dir, &sample("kc")).unwrap();
        let file_mode = fs::metadata(path_for(&dir, "kc")).unwrap().mode() & 0o777;
        assert_eq!(file_mode, 0o600);
        let dir_mode = fs::metadata(&dir).unwrap().mode() & 0o777;
        assert_eq!(dir_mode & 0o077, 0, "{dir_mode:o}");
    }

    #[test]
    fn store_save_replaces_and_leaves_no_temporary_files() {
        let dir = private_dir();
        save(dir.path(), &sample("kc")).unwrap();
        let mut t = sample("kc");
        t.access_token = AccessToken::new("at-2");
        save(dir.path(), &t).unwrap();
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["kc.json".to_owned()]);
        assert_eq!(
            load(dir.path(), "kc")
                .unwrap()
                .unwrap()
                .access_token
                .expose(),
            "at-2"
        );
    }

    #[test]
    fn store_save_sweeps_temporary_files_of_dead_writers() {
        let dir = private_dir();
        // No process has PID i32::MAX (above pid_max); ours is alive.
        let dead = dir.path().join(format!(".kc.json.tmp-{}-0", i32::MAX));
        let alive = dir
            .path()
            .join(format!(".kc.json.tmp-{}-999", std::process::id()));
        fs::write(&dead, b"{").unwrap();
        fs::write(&alive, b"{").unwrap();
        save(dir.path(), &sample("kc")).unwrap();
        assert!(!dead.exists());
        assert!(alive.exists());
    }

    #[test]
    fn store_delete_also_removes_temporaries_of_dead_writers() {
        let dir = private_dir();
        save(dir.path(), &sample("kc")).unwrap();
        // A refresh killed after writing its temporary, before the rename.
        let dead = dir.path().join(format!(".kc.json.tmp-{}-3", i32::MAX));
        fs::write(&dead, b"{\"access_token\": \"at-SECRET-newer\"}").unwrap();
        assert!(delete(dir.path(), "kc").unwrap());
        assert!(!dead.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn store_missing_file_is_none() {
        let dir = private_dir();
        assert!(load(dir.path(), "kc").unwrap().is_none());
        assert!(!delete(dir.path(), "kc").unwrap());
    }

    #[test]
    fn store_file_readable_by_others_is_refused_with_a_fix() {
        let dir = private_dir();
        let path = save(dir.path(), &sample("kc")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = load(dir.path(), "kc").unwrap_err();
        assert!(
            matches!(err, StoreError::FileMode { mode: 0o644, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("chmod 600"), "{err}");
        // Nothing was moved or deleted.
        assert!(path.exists());
    }

    #[test]
    fn store_directory_writable_by_others_is_refused() {
        let dir = private_dir();
        save(dir.path(), &sample("kc")).unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let err = load(dir.path(), "kc").unwrap_err();
        assert!(matches!(err, StoreError::DirMode { .. }), "{err:?}");
        let err = save(dir.path(), &sample("kc")).unwrap_err();
        assert!(err.to_string().contains("chmod 700"), "{err}");
    }

    #[test]
    fn store_corrupt_file_is_moved_aside_never_deleted() {
        let dir = private_dir();
        let path = path_for(dir.path(), "kc");
        save(dir.path(), &sample("kc")).unwrap();
        fs::write(&path, b"{\"version\": 1, \"provider\": \"kc\", trunc").unwrap();
        let err = load(dir.path(), "kc").unwrap_err();
        let StoreError::Corrupt { moved_to, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(err.to_string().contains("bad JSON"), "{err}");
        assert!(!path.exists());
        let name = moved_to.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("kc.json.corrupt-"), "{name}");
        assert_eq!(
            fs::read(moved_to).unwrap(),
            b"{\"version\": 1, \"provider\": \"kc\", trunc"
        );
        // The next load sees no tokens, and the moved file is not listed.
        assert!(load(dir.path(), "kc").unwrap().is_none());
        assert!(list(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn store_file_for_another_provider_counts_as_corrupt() {
        let dir = private_dir();
        let path = save(dir.path(), &sample("a")).unwrap();
        fs::rename(&path, path_for(dir.path(), "b")).unwrap();
        let err = load(dir.path(), "b").unwrap_err();
        assert!(err.to_string().contains("for provider `a`"), "{err}");
    }

    #[test]
    fn store_never_prints_tokens_in_debug_or_errors() {
        let t = sample("kc");
        let debug = format!("{t:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        let dir = private_dir();
        let path = save(dir.path(), &t).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        // A token where a number belongs: serde would quote it.
        let text = text.replace("\"expires_at\": 4600", "\"expires_at\": \"rt-SECRET\"");
        fs::write(&path, text).unwrap();
        let err = load(dir.path(), "kc").unwrap_err();
        assert!(
            err.to_string().contains("unexpected field or type"),
            "{err}"
        );
        assert!(!err.to_string().contains("SECRET"), "{err}");
    }

    #[test]
    fn store_lists_providers_and_deletes() {
        let dir = private_dir();
        save(dir.path(), &sample("b")).unwrap();
        save(dir.path(), &sample("a")).unwrap();
        assert_eq!(list(dir.path()).unwrap(), vec!["a", "b"]);
        assert!(delete(dir.path(), "a").unwrap());
        assert_eq!(list(dir.path()).unwrap(), vec!["b"]);
    }

    #[test]
    fn store_refuses_ids_that_could_escape_the_directory() {
        let dir = private_dir();
        assert!(matches!(
            load(dir.path(), "../x"),
            Err(StoreError::BadId(_))
        ));
    }

    #[test]
    fn refresh_keeps_the_old_refresh_token_when_none_comes_back() {
        let old = sample("kc");
        let resp: TokenResponse =
            serde_json::from_str(r#"{"access_token":"at-2","expires_in":60}"#).unwrap();
        let next = old.refreshed(&resp, 2_000);
        assert_eq!(next.access_token.expose(), "at-2");
        assert_eq!(next.refresh_token, old.refresh_token);
        assert_eq!(next.expires_at, Some(2_060));
    }

    #[test]
    fn refresh_stores_a_rotated_refresh_token() {
        let old = sample("kc");
        let resp: TokenResponse = serde_json::from_str(
            r#"{"access_token":"at-2","refresh_token":"rt-2","expires_in":60}"#,
        )
        .unwrap();
        let next = old.refreshed(&resp, 2_000);
        assert_eq!(next.refresh_token.unwrap().expose(), "rt-2");
    }

    #[test]
    fn token_valid_for_compares_expiry_with_the_lead_time() {
        let t = sample("kc"); // expires at 4600
        assert!(t.valid_for(60, 4_539));
        assert!(!t.valid_for(60, 4_540));
        let mut forever = t.clone();
        forever.expires_at = None;
        assert!(forever.valid_for(60, u64::MAX / 2));
    }

    #[test]
    fn store_readers_never_see_a_partly_written_file() {
        let dir = private_dir();
        save(dir.path(), &sample("kc")).unwrap();
        std::thread::scope(|scope| {
            for w in 0..2 {
                let dir = dir.path();
                scope.spawn(move || {
                    for i in 0..25 {
                        let mut t = sample("kc");
                        t.access_token =
                            AccessToken::new(format!("at-{w}-{i}-{}", "x".repeat(i * 50)));
                        save(dir, &t).unwrap();
                    }
                });
            }
            for _ in 0..100 {
                let t = load(dir.path(), "kc").unwrap().unwrap();
                assert!(t.access_token.expose().starts_with("at-"));
            }
        });
    }
}
