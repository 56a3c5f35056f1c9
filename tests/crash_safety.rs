//! Crash safety of the token store: a writer killed with SIGKILL at a random
//! moment leaves the old tokens or the new ones, complete, in a 0600 file.
//!
//! The test re-runs its own binary (`std::env::current_exe()`) with
//! [`WRITER_ENV`] set; in that mode the same test function becomes the
//! writer: it loads the store, then saves token sets in a loop, alternating a
//! large set (A) and a small one (B), each stamped with a generation number,
//! and reports each finished save on stdout. The parent kills it with
//! SIGKILL 0–30 ms after it has started (loaded the store and reported so,
//! so that no kill is spent on process start-up), 200 times, and after each
//! kill checks:
//!
//! - the file loads with `store::load` and is mode 0600;
//! - it holds exactly one whole set: the last one the writer reported saved,
//!   or the one it was saving when it died, never a mix of two and never
//!   anything older;
//! - the directory holds nothing but the file and temporaries of dead
//!   writers, and a temporary left by one writer is gone once the next has
//!   finished a save (`store::save` sweeps them).
//!
//! At the end, a writer killed mid-save is followed by `store::delete` (what
//! `logout` does): nothing may be left in the directory.
//!
//! The delays come from a small PRNG; its seed is printed, and
//! `CRASH_SAFETY_SEED=<seed>` replays a run.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use device_signin::oauth::{AccessToken, IdToken, RefreshToken};
use device_signin::store::{self, FORMAT_VERSION, StoredTokens};

/// Set in the child: the store directory it writes to.
const WRITER_ENV: &str = "DEVICE_SIGNIN_CRASH_SAFETY_WRITER_DIR";
const SEED_ENV: &str = "CRASH_SAFETY_SEED";
const TEST_NAME: &str =
    "a_writer_killed_at_random_moments_leaves_the_old_or_the_new_tokens_whole_and_0600";
const PROVIDER: &str = "crash";
const RUNS: u32 = 200;
const MAX_DELAY: Duration = Duration::from_millis(30);
/// Set A's tokens are this long, so a save takes long enough to be killed in.
const LARGE: usize = 64 * 1024;

/// The token set of generation `generation`: even ones are the large set A,
/// odd ones the small set B. Every field names its set and generation.
fn token_set(generation: u64) -> StoredTokens {
    let (set, len) = if generation % 2 == 0 {
        ('A', LARGE)
    } else {
        ('B', 24)
    };
    let value = |what: &str| {
        let head = format!("{set}-{generation}-{what}-");
        let fill = char::from(b'a' + (generation % 26) as u8);
        let pad: String = std::iter::repeat_n(fill, len.saturating_sub(head.len())).collect();
        format!("{head}{pad}")
    };
    StoredTokens {
        version: FORMAT_VERSION,
        provider: PROVIDER.to_owned(),
        access_token: AccessToken::new(value("access")),
        token_type: Some("Bearer".into()),
        refresh_token: Some(RefreshToken::new(value("refresh"))),
        id_token: Some(IdToken::new(value("id"))),
        scope: Some(format!("set-{set} generation-{generation}")),
        expires_at: Some(generation + 3600),
        refresh_expires_at: None,
        obtained_at: generation,
        sub: Some(format!("{set}{generation}")),
        name: None,
        preferred_username: None,
        email: None,
    }
}

/// The generation of a stored set, if it is exactly one whole set.
fn generation_of(tokens: &StoredTokens) -> Option<u64> {
    let generation = tokens.obtained_at;
    (*tokens == token_set(generation)).then_some(generation)
}

/// The child: save generation after generation until killed.
fn writer(dir: &Path) -> ! {
    let fail = |what: String| -> ! {
        eprintln!("store writer: {what}");
        std::process::exit(3)
    };
    let loaded = match store::load(dir, PROVIDER) {
        Ok(Some(tokens)) => tokens,
        Ok(None) => fail("the store is empty".into()),
        Err(e) => fail(format!("cannot load the store: {e}")),
    };
    let Some(mut generation) = generation_of(&loaded) else {
        fail(format!(
            "the store holds a mixed set ({})",
            loaded.obtained_at
        ))
    };
    let mut out = std::io::stdout().lock();
    let mut report = |line: String| {
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            fail("cannot report to the parent".into());
        }
    };
    // After libtest's "test … ... ", which ends without a newline.
    report(format!("\nstart {generation}"));
    loop {
        generation += 1;
        if let Err(e) = store::save(dir, &token_set(generation)) {
            fail(format!("cannot save generation {generation}: {e}"));
        }
        report(format!("saved {generation}"));
    }
}

/// xorshift64*: enough to spread the kill moments; the seed replays a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn seed() -> u64 {
    if let Ok(text) = std::env::var(SEED_ENV) {
        return text
            .parse()
            .unwrap_or_else(|_| panic!("{SEED_ENV} must be a number"));
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos() as u64;
    // xorshift needs a non-zero state.
    (nanos ^ u64::from(std::process::id())) | 1
}

/// What one killed writer reported on stdout.
#[derive(Debug, Default)]
struct Report {
    start: Option<u64>,
    saved: Vec<u64>,
}

fn parse_report(stdout: &str) -> Report {
    let mut report = Report::default();
    // libtest's own lines ("running 1 test") are skipped.
    for line in stdout.lines() {
        if let Some(n) = line.strip_prefix("start ") {
            report.start = Some(n.parse().expect("a generation"));
        } else if let Some(n) = line.strip_prefix("saved ") {
            report.saved.push(n.parse().expect("a generation"));
        }
    }
    report
}

/// A writer run and killed.
struct Killed {
    pid: u32,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Start a writer on `dir`, wait until it reports it has started (loaded
/// the store, about to save), let it write for `delay`, and kill it with
/// SIGKILL, by its PID. It is reaped before this returns, so its PID is
/// free and a later save may sweep its temporaries.
fn run_writer(exe: &Path, dir: &Path, delay: Duration) -> Killed {
    let mut child = Command::new(exe)
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(WRITER_ENV, dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the writer");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut text = String::new();
    // Until the start line, or the end if the writer fails before it.
    while stdout.read_line(&mut text).expect("read the writer") > 0 {
        if text.lines().last().is_some_and(|l| l.starts_with("start ")) {
            break;
        }
    }
    std::thread::sleep(delay);
    // Child::kill sends SIGKILL to this child's PID only.
    child.kill().expect("kill the writer");
    stdout
        .read_to_string(&mut text)
        .expect("read the writer's report");
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr)
            .expect("read the writer's errors");
    }
    let status = child.wait().expect("reap the writer");
    Killed {
        pid: child.id(),
        status,
        stdout: text,
        stderr,
    }
}

/// The temporaries in `dir`, with the PID of the writer that made each.
/// Anything but the token file and temporaries fails the test.
fn temporaries(dir: &Path) -> Vec<(PathBuf, u32)> {
    let file = format!("{PROVIDER}.json");
    let prefix = format!(".{PROVIDER}.json.tmp-");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the store directory") {
        let entry = entry.expect("a directory entry");
        let name = entry.file_name().into_string().expect("a UTF-8 name");
        if name == file {
            continue;
        }
        let pid = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse().ok())
            .unwrap_or_else(|| panic!("an unexpected file in the store directory: {name}"));
        found.push((entry.path(), pid));
    }
    found
}

#[test]
fn a_writer_killed_at_random_moments_leaves_the_old_or_the_new_tokens_whole_and_0600() {
    if let Some(dir) = std::env::var_os(WRITER_ENV) {
        writer(Path::new(&dir));
    }

    let started = Instant::now();
    let seed = seed();
    println!("crash safety: seed {seed} (replay with {SEED_ENV}={seed})");
    let mut rng = Rng(seed);
    let exe = std::env::current_exe().expect("the test binary's path");
    let home = tempfile::tempdir().expect("temp dir");
    let dir = home.path().join("store");
    let path = store::path_for(&dir, PROVIDER);
    store::save(&dir, &token_set(0)).expect("the first save");

    let mut current = 0_u64;
    let mut children: BTreeSet<u32> = BTreeSet::new();
    // Temporaries of earlier writers, to be swept by a later save.
    let mut leftovers: Vec<(PathBuf, u32)> = Vec::new();
    let (mut saves, mut killed_before_first_save, mut kills_leaving_a_temporary) = (0, 0, 0);
    let (mut old_found, mut new_found) = (0, 0);

    for run in 0..RUNS {
        let delay = Duration::from_micros(rng.next() % (MAX_DELAY.as_micros() as u64 + 1));
        let killed = run_writer(&exe, &dir, delay);
        let pid = killed.pid;
        children.insert(pid);
        let context = format!("run {run}, delay {delay:?}, seed {seed}");
        assert_eq!(
            killed.status.signal(),
            Some(libc::SIGKILL),
            "{context}: the writer ended by itself ({}):\n{}",
            killed.status,
            killed.stderr
        );
        let report = parse_report(&killed.stdout);

        // Old or new, whole, 0600.
        let tokens = store::load(&dir, PROVIDER)
            .unwrap_or_else(|e| panic!("{context}: the store does not load: {e}"))
            .unwrap_or_else(|| panic!("{context}: the store is empty"));
        let found = generation_of(&tokens).unwrap_or_else(|| {
            panic!(
                "{context}: the store holds a mix of sets (obtained_at {})",
                tokens.obtained_at
            )
        });
        let mode = std::fs::metadata(&path)
            .expect("the token file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o7777, 0o600, "{context}: mode {mode:o}");
        if let Some(start) = report.start {
            assert_eq!(start, current, "{context}: the writer loaded another set");
            let expected: Vec<u64> = (start + 1..).take(report.saved.len()).collect();
            assert_eq!(report.saved, expected, "{context}: saves out of order");
        }
        let (old, may_be_new) = match (report.start, report.saved.last()) {
            (None, _) => (current, false),
            (Some(start), None) => (start, true),
            (Some(_), Some(&last)) => (last, true),
        };
        if found == old {
            old_found += 1;
        } else if may_be_new && found == old + 1 {
            new_found += 1;
        } else {
            panic!(
                "{context}: the store holds generation {found}; the writer had finished \
                 {old}{}",
                if may_be_new {
                    " and was saving the next"
                } else {
                    " and never started"
                }
            );
        }

        // Temporaries: only from dead writers, and swept by the next save.
        let temps = temporaries(&dir);
        for (temp, pid) in &temps {
            assert!(
                children.contains(pid),
                "{context}: {} is not from a writer this test started",
                temp.display()
            );
            // A temporary may hold a whole token set: it is as private.
            let mode = std::fs::metadata(temp)
                .expect("a temporary")
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o7777,
                0o600,
                "{context}: {} mode {mode:o}",
                temp.display()
            );
        }
        if !report.saved.is_empty() {
            for (temp, pid) in &leftovers {
                assert!(
                    !temp.exists(),
                    "{context}: a save did not sweep {} of dead writer {pid}",
                    temp.display()
                );
            }
        }
        if temps.iter().any(|(_, p)| *p == pid) {
            kills_leaving_a_temporary += 1;
        }
        leftovers = temps;
        if report.saved.is_empty() {
            killed_before_first_save += 1;
        }
        saves += report.saved.len();
        current = found;
    }

    // One more save, by a live writer: every temporary is swept.
    store::save(&dir, &token_set(current + 1)).expect("a save after the crashes");
    assert!(
        temporaries(&dir).is_empty(),
        "a save leaves only the token file"
    );
    assert_eq!(
        store::load(&dir, PROVIDER)
            .expect("the store loads")
            .as_ref()
            .and_then(generation_of),
        Some(current + 1)
    );

    // Logout after a crash mid-save: deleting the tokens removes the dead
    // writer's temporary too, which may hold newer tokens than the file.
    let mut crashed_mid_save = false;
    for _ in 0..200 {
        let delay = Duration::from_micros(rng.next() % (MAX_DELAY.as_micros() as u64 + 1));
        let killed = run_writer(&exe, &dir, delay);
        assert_eq!(
            killed.status.signal(),
            Some(libc::SIGKILL),
            "{}",
            killed.stderr
        );
        if temporaries(&dir).iter().any(|(_, pid)| *pid == killed.pid) {
            crashed_mid_save = true;
            break;
        }
    }
    assert!(crashed_mid_save, "no writer of 200 died mid-save");
    assert!(store::delete(&dir, PROVIDER).expect("delete the tokens"));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("read the store directory")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert!(left.is_empty(), "tokens left after delete: {left:?}");

    println!(
        "crash safety: {RUNS} kills in {:.1?}: {saves} saves finished; {killed_before_first_save} \
         kills before the first save; {kills_leaving_a_temporary} left a temporary; the old set \
         found {old_found} times, the new one {new_found} times",
        started.elapsed()
    );
    // Not vacuous: the writers wrote, and some died mid-save.
    assert!(saves > 0, "no writer finished a save");
    assert!(
        kills_leaving_a_temporary > 0,
        "no kill landed in the middle of a save"
    );
}
