#!/usr/bin/env python3
"""Turn the JSON of scripts/bench into docs/benchmarks.md."""
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone

BEGIN, END = "<!-- grant: begin -->", "<!-- grant: end -->"


def grant_section(grant):
    ok_ = grant["max"] <= 2 * grant["one_way_delay_ms"] and all(n == 0 for n in grant["requests_after_grant"])
    return f"""{BEGIN}
## Grant → signed in, with a 100 ms round trip

Measured by `examples/bench_grant.rs` (`scripts/bench grant` reruns only this section), release build.
The sign-in pipeline that both front-ends show (`signin::run`) runs against the embedded demo
server through a loopback proxy that delays every byte by {grant['one_way_delay_ms']} ms each way, so every request
costs a {2 * grant['one_way_delay_ms']} ms round trip. The time runs from the moment the proxy hands the granting answer to
the client to the `SignedIn` event, on which the screen changes; the ID token is checked and the
tokens are stored in between. Each of the {grant['runs']} sign-ins is a new process, so none starts with keys
cached by another.

| measure | result | target | |
|---|---|---|---|
| grant delivered → signed in | median {grant['median']:.1f} ms, max {grant['max']:.1f} ms | ≤ one round trip ({2 * grant['one_way_delay_ms']} ms) | {"met" if ok_ else "**missed**"} |
| requests sent after the grant | {', '.join(str(n) for n in grant['requests_after_grant'])} | none: the keys were fetched while the code was on screen | {"met" if all(n == 0 for n in grant['requests_after_grant']) else "**missed**"} |

Samples (ms): {', '.join(f'{x:.1f}' for x in grant['samples'])}. With the keys' prefetch removed (a check of the
bench itself in a debug build, not a shipped one), it measured about 111 ms and one request after the grant:
the key fetch is the round trip the prefetch saves.
{END}
"""


WBEGIN, WEND = "<!-- wayland: begin -->", "<!-- wayland: end -->"


def wayland_section(w):
    ff = w["first_frame_ms"]
    rss = w["rss_after_10s_kib"]
    cpu = w["cpu_percent_of_a_core"]
    appr = w["approval_to_signed_in_ms"]
    ok_ = lambda b: "met" if b else "**missed**"
    return f"""{WBEGIN}
## Natively on Wayland (sway headless)

Measured by `examples/bench_gui.rs ... sway` (`scripts/bench wayland` reruns only this section), release
build, on {w['display']}, with the same method as under Xvfb: the app and the bare iced window
in the same run, as the `device-signin-e2e` user (sway refuses root; `setpriv` keeps the PID measured).

| measure | result | target | |
|---|---|---|---|
| process start → first frame of the code screen (median of {w['repeats']}) | app {ff['app_median']:.0f} ms, bare window {ff['bare_median']:.0f} ms: **{ff['ratio']:.2f}×** | ≤ 1.3× the bare window | {ok_(ff['ratio'] <= 1.3)} |
| RSS after 10 s | app {rss['app']/1024:.1f} MB, bare window {rss['bare']/1024:.1f} MB: **{rss['ratio']:.2f}×** | ≤ 1.3× the bare window | {ok_(rss['ratio'] <= 1.3)} |
| CPU on the code screen over {cpu['seconds']} s | app {cpu['app']:.2f} %, bare window {cpu['bare']:.2f} % of a core | ≤ 1 % of a core | {ok_(cpu['app'] <= 1.0)} |
| approval → signed-in screen (interval 2 s, {len(appr['samples'])} sign-ins) | min {appr['min']:.0f} ms, median {appr['median']:.0f} ms, max {appr['max']:.0f} ms | ≤ one interval + a round trip | {ok_(appr['max'] <= 2500)} |

Raw first frames (ms): app {', '.join(f'{x:.0f}' for x in ff['app'])}; bare {', '.join(f'{x:.0f}' for x in ff['bare'])}.

The app's first code frame includes what the bare window has no part of: two short Wayland
round trips before the window opens (the compositor must answer, and the output's size is read),
the device authorization round trip, the QR code, and a second full frame with it. Under sway the
bare window's first frame is about twice as fast as under Xvfb, so these fixed costs weigh more in
the ratio. A run with `RUST_LOG=debug` showed the device answer about 22 ms after start, the
`code issued` message reaching `update` about 13 ms later (the event loop is busy creating the
window), and the code frame about 15 ms after that.
{WEND}
"""


RBEGIN, REND = "<!-- restore: begin -->", "<!-- restore: end -->"


def restore_section(r):
    ff = r["first_frame_ms"]
    return f"""{RBEGIN}
## A restored sign-in: start → signed-in screen

Measured by `examples/bench_gui.rs ... restore` (`scripts/bench restore` reruns only this section),
release build, on {r['display']}. The harness signs in once through the demo server, then starts
the app {r['repeats']} times with that data directory: each start reads the stored sign-in, finds the
access token valid (no request is sent), and shows who is signed in. The time runs from process
start to the app's log line for the first frame of the signed-in screen, next to the bare iced
window's first frame in the same run.

| measure | result | target | |
|---|---|---|---|
| process start → first frame of the signed-in screen (median of {r['repeats']}) | app {ff['restored_median']:.0f} ms, bare window {ff['bare_median']:.0f} ms: **{ff['ratio']:.2f}×** | ≤ 1.3× the bare window | {"met" if ff['ratio'] <= 1.3 else "**missed**"} |

Raw samples (ms): restored {', '.join(f'{x:.0f}' for x in ff['restored'])}; bare {', '.join(f'{x:.0f}' for x in ff['bare'])}.
{REND}
"""


def replace_section(path, begin, end, text):
    old = open(path).read()
    if begin in old:
        old = old[: old.index(begin)] + text.rstrip("\n") + old[old.index(end) + len(end):]
    else:
        old = old.rstrip("\n") + "\n\n" + text
    open(path, "w").write(old)


if sys.argv[1] == "--restore-only":
    replace_section(sys.argv[3], RBEGIN, REND, restore_section(json.load(open(sys.argv[2]))))
    sys.exit(0)

if sys.argv[1] == "--wayland-only":
    replace_section(sys.argv[3], WBEGIN, WEND, wayland_section(json.load(open(sys.argv[2]))))
    sys.exit(0)

if sys.argv[1] == "--grant-only":
    grant = json.load(open(sys.argv[2]))
    path = sys.argv[3]
    text = open(path).read()
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + grant_section(grant).rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + grant_section(grant)
    open(path, "w").write(text)
    sys.exit(0)

poll, soak, gui = (json.load(open(p)) for p in sys.argv[1:4])
grant = json.load(open(sys.argv[4])) if len(sys.argv) > 4 and not sys.argv[4].startswith("--") else None
wayland = json.load(open(sys.argv[5])) if len(sys.argv) > 5 and not sys.argv[5].startswith("--") else None
quick = "--quick" in sys.argv


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
distro = sh(". /etc/os-release && echo $PRETTY_NAME")
rustc = sh("rustc --version")
commit = sh("git rev-parse --short HEAD")
ok = lambda b: "met" if b else "**missed**"

g = poll["gap_minus_interval_ms"]
ff = gui["first_frame_ms"]
rss = gui["rss_after_10s_kib"]
cpu_pct = gui["cpu_percent_of_a_core"]
appr = gui["approval_to_signed_in_ms"]
growth_mb = soak["rss_kib"]["growth"] / 1024

print(f"""# Benchmarks

Written by `scripts/bench` on {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} from commit `{commit}`{' (QUICK smoke run: fewer samples)' if quick else ''}.
Rerun with `scripts/bench`; it rebuilds the release binaries and rewrites this file.

## Machine

| | |
|---|---|
| CPU | {cpu}, {os.cpu_count()} cores |
| memory | {mem} |
| system | {distro}, kernel {platform.release()} |
| toolchain | {rustc} |
| display | {gui['display']}, no GPU, default renderer (tiny-skia) |

## Results

| measure | result | target | |
|---|---|---|---|
| poll lateness: gap after the previous answer minus the interval ({poll['runs']} runs × {poll['polls_per_run']} polls, interval {poll['interval_s']} s) | min {g['min']:.2f} ms, median {g['median']:.2f} ms, max {g['max']:.2f} ms | never negative, median ≤ 50 ms | {ok(g['min'] >= 0 and g['median'] <= 50)} |
| slow_down answers from the strict demo server during those polls | {poll['server_slow_downs']} of {poll['server_polls']} polls | 0 | {ok(poll['server_slow_downs'] == 0)} |
| approval → signed-in screen (interval 2 s, {len(appr['samples'])} sign-ins) | min {appr['min']:.0f} ms, median {appr['median']:.0f} ms, max {appr['max']:.0f} ms | ≤ one interval + a round trip | {ok(appr['max'] <= 2000 + 500)} |
| process start → first frame of the code screen (median of {gui['repeats']}) | app {ff['app_median']:.0f} ms, bare window {ff['bare_median']:.0f} ms: **{ff['ratio']:.2f}×** | ≤ 1.3× the bare window | {ok(ff['ratio'] <= 1.3)} |
| RSS after 10 s | app {rss['app']/1024:.1f} MB, bare window {rss['bare']/1024:.1f} MB: **{rss['ratio']:.2f}×** | ≤ 1.3× the bare window | {ok(rss['ratio'] <= 1.3)} |
| CPU on the code screen over {cpu_pct['seconds']} s (countdown ticking, polling every 2 s) | app {cpu_pct['app']:.2f} %, bare window {cpu_pct['bare']:.2f} % of a core | ≤ 1 % of a core | {ok(cpu_pct['app'] <= 1.0)} |
| soak: {soak['renewals']} code renewals, 1 s lifetime, {soak['parallel']} at a time ({soak['seconds']:.0f} s) | RSS {soak['rss_kib']['start']/1024:.1f} → {soak['rss_kib']['end']/1024:.1f} MB ({growth_mb:+.2f} MB), fds {soak['open_fds']['start']} → {soak['open_fds']['end']} | growth ≤ 2 MB, no fd growth | {ok(growth_mb <= 2 and soak['open_fds']['end'] <= soak['open_fds']['start'])} |

Raw samples: first frames (ms) app {', '.join(f'{x:.0f}' for x in ff['app'])}; bare {', '.join(f'{x:.0f}' for x in ff['bare'])}. Approval latencies (ms): {', '.join(f'{x:.0f}' for x in appr['samples'])}.

## Method

- **Poll timing** (`examples/bench_poll.rs`): the app's own flow and driver against the
  embedded demo server (interval 2 s, which answers `slow_down` to any poll earlier than
  the interval after the previous one). A wrapper around the real transport records when
  each request left and when its answer arrived; the lateness of a poll is
  `sent(n+1) − answered(n) − interval`. The first poll counts from the device answer.
  R4 says this must never be negative.
- **Approval latency** (`examples/bench_gui.rs`): the release app under Xvfb with a
  providers file pointing at a demo server (interval 2 s) run by the harness. The harness
  approves through the server's real HTML form at a pseudo-random point of the poll cycle and
  times until the app logs `screen=signed_in`. The latency is bounded by the interval: the
  approval is seen at the next poll.
- **First frame, RSS, CPU** (`examples/bench_gui.rs`): the app and `examples/bare_window.rs`
  (a full-screen iced window with one text, built with the same iced features, in the same
  run) each subscribe to `window::frames()` until their first frame and log it; the harness
  times process start → that line. For the app it is the first frame that shows the QR code,
  so it includes reading the providers file, the device authorization round trip and the QR
  build. RSS is `VmRSS` 10 s after start; CPU is `utime + stime` from `/proc/<pid>/stat`
  over the next {cpu_pct['seconds']} s, on the code screen with its 1 s countdown.
- **Soak** (`examples/soak.rs`): a `device-signin demo-server --expires-in 1 --interval 1` in
  another process; the client runs {soak['renewals']} renewals, each a new transport and a new
  flow that gets a code and lets it expire, {soak['parallel']} at a time (to keep the run near a
  minute), after a warm-up of {2*soak['parallel']}. RSS and open fds are read from `/proc/self`.

## What the first runs found, and what changed

The first release run missed two targets: RSS was 1.76× the bare window (39.8 MB against
22.6 MB) and the first code frame 1.50× (107 ms against 72 ms). `valgrind --tool=massif`
and `/proc/<pid>/smaps` showed where the memory went, and these changes met the targets:

- The QR image was built at about 24 px per module (3.9 MB of RGBA, plus the same again
  in the renderer's cache). It is now one pixel per module (a few KB), scaled by a whole
  number with nearest-neighbour filtering, which also makes every module the same size.
- One HTTP client for the process, built on a thread while the window opens (building one
  parses the system's CA bundle), instead of one per attempt.
- iced's `image` feature pulled every image codec (an AVIF encoder among them); only raw
  RGBA is drawn, so `image-without-codecs` is used.
- Release builds use fat LTO with one codegen unit: the binary went from 18 MB to 14 MB,
  and fewer of its pages are resident.
- The bundled DejaVu fonts are Latin/Greek/Cyrillic subsets without hinting (1.8 MB to
  0.74 MB; the snapshots are pixel-identical), registered in place instead of being
  copied to the heap by `.font(bytes)`.
- Logging filters with `tracing`'s `Targets` instead of the regex-based `EnvFilter`.

The bare window's numbers vary by about ±1 MB and ±20 ms between runs on this machine,
so the RSS ratio has a small margin; the first frame is now level with the bare
window, since the device request runs while the window is being created.

### The run of 2026-12-02, after the localised TV layout (#13)

Two targets are missed in this run, and I did not fix that. Runs of the previous commit
`0a7087c` built and measured the same day on the same machine miss them by about as much:
first frame 1.43× and 1.47× (app 43–52 ms, bare window 30–37 ms), RSS 1.33× and 1.34×
(28.8 MB against 21.6 MB). This commit in the same runs: 1.35–1.52×, and 1.34–1.37×
(30.1–30.8 MB against 22.5 MB). The bare window's first frame fell from 42 ms (2026-11-26) to
about 32 ms on this kernel, while the app's stayed at 41–50 ms, so most of the miss is the
machine. The localised screens themselves cost about 1.3 MB (more text on the code screen
and the Fluent bundle) and no first-frame time that these runs can tell from noise. Limiting
glibc to two malloc arenas saved 0.3 MB and was not kept. In the app's log, start → `sign-in
started` (boot) is about 29 ms, and drawing the first code frame 13–15 ms after the code
arrives; that first draw (20 texts, 130 glyphs rasterised, the QR code) is where to look next.
The restored sign-in's first frame (below) is the same: 1.66× for `0a7087c` and 1.49× for
this commit in back-to-back runs. Natively on Wayland under sway, the kiosk's own path, both
targets are met in this run (below).
""")
if grant:
    print(grant_section(grant))
if wayland:
    print(wayland_section(wayland))
