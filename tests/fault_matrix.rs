//! The fault matrix (issue 6, item 1): network and server faults injected
//! mid-polling by a raw TCP proxy in front of a working server, and broken
//! device authorization responses. `docs/fault-matrix.md` lists every case.
//!
//! What each case proves:
//! - a transient fault ends signed in, with the same device code, one request
//!   at a time, and no poll earlier than the client owed the server;
//! - a fatal one ends with the right `FlowError` kind and a message naming the
//!   problem;
//! - nothing panics or hangs: every flow is bounded by `BOUND`.
//!
//! "Never early" is measured where a strict server would measure it: from
//! the instant the proxy began to send an answer to the instant the next
//! request had arrived in full. Both instants favour the client by at most
//! the loopback latency, so the only allowance is `TOLERANCE`, for clock and
//! timer granularity (and, in the stall case, for the moment the proxy notices
//! the client hanging up after its timeout).

mod support;

use std::pin::pin;
use std::time::{Duration, Instant};

use device_signin::oauth::http::HttpTransport;
use device_signin::oauth::wire::{ClientConfig, TransportErrorKind};
use device_signin::oauth::{Flow, FlowError, FlowEvent, driver};
use device_signin::signin::Outcome;
use futures::StreamExt as _;
use support::fault_proxy::{Canned, Exchange, Fault, FaultProxy, Plan, TEN_MB};
use support::{Reply, TestServer, code, granted, pending};

/// The server's interval in every case: 1 s keeps the suite quick.
const INTERVAL: Duration = Duration::from_secs(1);
/// How early a poll may seem to be: 0 ms, plus 2 ms for clock granularity.
const TOLERANCE: Duration = Duration::from_millis(2);
/// No flow may take longer than this: a hang fails the test.
const BOUND: Duration = Duration::from_secs(60);
/// Faulty polls per case ("a few polls"): each costs a backoff of 1 s, 2 s, ...
const FAULTY: usize = 2;
const DEVICE_CODE: &str = "DEVICE-CODE-SECRET";

fn config(device: String, token: String) -> ClientConfig {
    let mut c = ClientConfig::new("tv-app", device, token);
    c.scope = Some("openid profile".into());
    c
}

/// A flow through the proxy: the first poll is answered `authorization_pending`
/// by the working server, the next `faulty` get the fault, then the proxy heals
/// and the server grants.
struct Scenario {
    fault: Fault,
    faulty: usize,
    /// How many polls the server answers `authorization_pending` before it
    /// grants. By default: the good one, plus the faulty ones it sees.
    pending: usize,
    transport: Option<HttpTransport>,
    device_reply: Reply,
}

impl Scenario {
    fn new(fault: Fault, faulty: usize) -> Self {
        let pending = 1 + if fault.forwards() { faulty } else { 0 };
        Self {
            fault,
            faulty,
            pending,
            transport: None,
            device_reply: code(Some(INTERVAL.as_secs()), 600),
        }
    }

    fn pending(mut self, n: usize) -> Self {
        self.pending = n;
        self
    }

    fn transport(mut self, t: HttpTransport) -> Self {
        self.transport = Some(t);
        self
    }

    fn device_reply(mut self, reply: Reply) -> Self {
        self.device_reply = reply;
        self
    }

    async fn run(self) -> Run {
        let mut token_script = vec![pending(); self.pending];
        token_script.push(granted());
        let server = TestServer::start(vec![
            ("/device", vec![self.device_reply]),
            ("/token", token_script),
        ])
        .await;
        let refuse = matches!(self.fault, Fault::Refuse);
        let proxy = FaultProxy::start(
            server.addr,
            Plan {
                path: "/token",
                fault: self.fault,
                good_before: 1,
                faulty: self.faulty,
            },
        )
        .await;
        let transport = match self.transport {
            Some(t) => t,
            None => HttpTransport::new().unwrap(),
        };
        let flow = Flow::new(config(proxy.url("/device"), proxy.url("/token")));
        let mut stream = pin!(driver::run(flow, transport));
        let faulty = self.faulty;
        let collect = async {
            let mut events = Vec::new();
            let mut offline = 0;
            while let Some(event) = stream.next().await {
                if matches!(event, FlowEvent::Offline { .. }) {
                    offline += 1;
                    // Refused attempts never reach the proxy; it heals on cue.
                    if refuse && offline == faulty {
                        proxy.heal();
                    }
                }
                events.push(event);
            }
            events
        };
        let events = tokio::time::timeout(BOUND, collect)
            .await
            .expect("the flow must end: no hang");
        Run {
            events,
            ended: Instant::now(),
            proxy,
            server,
        }
    }
}

struct Run {
    events: Vec<FlowEvent>,
    /// When the last event had been received.
    ended: Instant,
    proxy: FaultProxy,
    server: TestServer,
}

impl Run {
    fn outcome(&self) -> &FlowEvent {
        let last = self.events.last().expect("at least one event");
        assert!(last.is_terminal(), "the last event ends the flow: {last:?}");
        let terminal = self.events.iter().filter(|e| e.is_terminal()).count();
        assert_eq!(terminal, 1, "exactly one outcome: {:?}", self.events);
        last
    }

    fn failure(&self) -> &FlowError {
        match self.outcome() {
            FlowEvent::Failed(e) => e,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    /// The Offline events: (reason, retry in).
    fn offline(&self) -> Vec<(&str, Duration)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                FlowEvent::Offline { reason, retry_in } => Some((reason.as_str(), *retry_in)),
                _ => None,
            })
            .collect()
    }

    /// `count` retries were reported, each with a reason that starts with
    /// `expected` and a delay of at least the interval.
    fn assert_offline(&self, count: usize, expected: &str) {
        let offline = self.offline();
        assert_eq!(offline.len(), count, "{:?}", self.events);
        for (reason, retry_in) in offline {
            assert!(
                reason.starts_with(expected),
                "reason {reason:?} should start with {expected:?}"
            );
            assert!(retry_in >= INTERVAL, "{reason}: retry in {retry_in:?}");
        }
    }

    fn token_exchanges(&self) -> Vec<Exchange> {
        self.proxy.exchanges("/token")
    }

    /// Signed in, with the one device code, by one request at a time, never
    /// early.
    fn assert_recovered(&self) {
        let FlowEvent::Granted(tokens) = self.outcome() else {
            panic!("expected Granted: {:?}", self.events)
        };
        assert_eq!(tokens.access_token.expose(), "AT-granted");
        assert_eq!(
            self.server.requests("/device").len(),
            1,
            "one device code for the whole run"
        );
        for ex in self.token_exchanges() {
            assert_eq!(ex.device_code.as_deref(), Some(DEVICE_CODE));
        }
        let polls = self.server.requests("/token");
        for poll in &polls {
            assert_eq!(
                poll.form.get("device_code").map(String::as_str),
                Some(DEVICE_CODE)
            );
        }
        // The working server's own clock agrees: polls at least an interval apart.
        for pair in polls.windows(2) {
            let gap = pair[1].at - pair[0].at;
            assert!(
                gap + TOLERANCE >= INTERVAL,
                "the server saw a gap of {gap:?}"
            );
        }
        assert_eq!(self.proxy.max_in_flight(), 1, "never two requests at once");
        self.assert_never_early();
    }

    /// R4 and R7, as the server sees them: each request arrives no earlier
    /// than the wait the client owed after the previous answer (the interval,
    /// the slowed-down interval, or the backoff it reported), and every such
    /// wait is at least the server's interval.
    fn assert_never_early(&self) {
        let FlowEvent::CodeIssued(code) = &self.events[0] else {
            panic!("the flow starts with its code: {:?}", self.events)
        };
        // One entry per poll the client started: did it reach the proxy, and
        // how long did the client owe the server after its answer?
        let mut interval = code.interval;
        let mut attempts: Vec<(bool, Duration)> = Vec::new();
        for event in &self.events {
            match event {
                FlowEvent::Polling => attempts.push((true, interval)),
                FlowEvent::Offline { reason, retry_in } => {
                    let last = attempts.last_mut().expect("offline after a poll");
                    let refused = TransportErrorKind::Refused.to_string();
                    *last = (!reason.starts_with(&refused), *retry_in);
                }
                FlowEvent::SlowDown { interval: slower } => {
                    interval = *slower;
                    attempts.last_mut().expect("slow_down after a poll").1 = *slower;
                }
                _ => {}
            }
        }
        for (_, wait) in &attempts {
            assert!(
                *wait >= INTERVAL,
                "a wait of {wait:?} is below the interval"
            );
        }
        let exchanges = self.token_exchanges();
        let reached = attempts.iter().filter(|(r, _)| *r).count();
        assert_eq!(
            reached,
            exchanges.len(),
            "every poll but the refused ones reached the server"
        );
        let device = &self.proxy.exchanges("/device")[0];
        let mut previous_answer = device.answered;
        let mut owed = code.interval;
        let mut exchanges = exchanges.iter();
        let mut least_slack = Duration::MAX;
        for (i, (reached, wait)) in attempts.iter().enumerate() {
            if !*reached {
                owed += *wait;
                continue;
            }
            let ex = exchanges.next().expect("counted above");
            let gap = ex.arrived.saturating_duration_since(previous_answer);
            assert!(
                gap + TOLERANCE >= owed,
                "poll {i} came {gap:?} after the previous answer; {owed:?} was owed"
            );
            least_slack = least_slack.min(gap.saturating_sub(owed));
            previous_answer = ex.answered;
            owed = *wait;
        }
        // Shown with --nocapture: how close the client came to being early.
        eprintln!(
            "{}: never early: {} polls sent, {} reached the server, least slack {least_slack:?}",
            std::thread::current().name().unwrap_or("?"),
            attempts.len(),
            reached
        );
    }

    /// The gaps after each faulty exchange, as the server saw them.
    fn gaps_after_faults(&self) -> Vec<Duration> {
        let exchanges = self.token_exchanges();
        exchanges
            .windows(2)
            .filter(|w| w[0].fault.is_some())
            .map(|w| w[1].arrived.saturating_duration_since(w[0].answered))
            .collect()
    }
}

fn request_timeouts(request: Duration) -> HttpTransport {
    HttpTransport::with_timeouts(Duration::from_secs(1), request).unwrap()
}

// ---- Transient faults while polling: signed in all the same ----

#[tokio::test]
async fn connection_refused_mid_polling_still_signs_in_with_the_same_code() {
    let run = Scenario::new(Fault::Refuse, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::Refused.to_string());
    let waits: Vec<Duration> = run.offline().iter().map(|(_, w)| *w).collect();
    assert_eq!(waits, [INTERVAL, 2 * INTERVAL], "the backoff doubles");
}

#[tokio::test]
async fn connection_reset_mid_polling_still_signs_in_with_the_same_code() {
    let run = Scenario::new(Fault::Reset, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::Reset.to_string());
}

#[tokio::test]
async fn connection_closed_without_an_answer_still_signs_in() {
    let run = Scenario::new(Fault::CloseWithoutAnswer, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::Reset.to_string());
}

#[tokio::test]
async fn an_accept_that_never_answers_times_out_and_still_signs_in() {
    let run = Scenario::new(Fault::Stall, FAULTY)
        .transport(request_timeouts(Duration::from_secs(1)))
        .run()
        .await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::Timeout.to_string());
}

#[tokio::test]
async fn http_500_mid_polling_still_signs_in() {
    let fault = Fault::Respond(Canned::new(
        500,
        Some("text/plain"),
        "Internal Server Error",
    ));
    let run = Scenario::new(fault, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, "the token endpoint answered HTTP 500");
}

#[tokio::test]
async fn http_502_with_an_html_page_still_signs_in() {
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                </body>\r\n</html>\r\n";
    let fault = Fault::Respond(Canned::new(502, Some("text/html"), html));
    let run = Scenario::new(fault, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, "the token endpoint answered HTTP 502");
}

#[tokio::test]
async fn http_503_with_retry_after_is_honoured_and_still_signs_in() {
    // 3 s is longer than the backoff (1 s, then 2 s), so it must win both times.
    let fault = Fault::Respond(
        Canned::new(503, Some("text/plain"), "Service Unavailable").with_header("Retry-After", "3"),
    );
    let run = Scenario::new(fault, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, "the token endpoint answered HTTP 503");
    for (_, retry_in) in run.offline() {
        assert_eq!(retry_in, Duration::from_secs(3));
    }
    for gap in run.gaps_after_faults() {
        assert!(gap + TOLERANCE >= Duration::from_secs(3), "{gap:?}");
    }
}

#[tokio::test]
async fn http_429_without_a_body_slows_down_for_good_and_still_signs_in() {
    // One 429 only: each one adds 5 s to every later poll.
    let fault = Fault::Respond(Canned::new(429, None, ""));
    let run = Scenario::new(fault, 1).run().await;
    run.assert_recovered();
    assert!(run.offline().is_empty(), "{:?}", run.events);
    let slowed = INTERVAL + Duration::from_secs(5);
    assert!(
        run.events
            .contains(&FlowEvent::SlowDown { interval: slowed }),
        "{:?}",
        run.events
    );
    let gaps = run.gaps_after_faults();
    assert_eq!(gaps.len(), 1);
    assert!(gaps[0] + TOLERANCE >= slowed, "{:?}", gaps[0]);
}

#[tokio::test]
async fn malformed_json_mid_polling_is_transient_and_still_signs_in() {
    // The server's own `authorization_pending` (HTTP 400), cut in half.
    let run = Scenario::new(Fault::MalformedJson, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, "the token endpoint sent malformed JSON");
}

#[tokio::test]
async fn a_truncated_body_is_transient_and_still_signs_in() {
    let run = Scenario::new(Fault::TruncatedBody, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::Reset.to_string());
}

#[tokio::test]
async fn a_ten_megabyte_body_is_refused_at_one_mebibyte_and_still_signs_in() {
    let fault = Fault::HugeBody {
        bytes: TEN_MB,
        chunked: false,
    };
    let run = Scenario::new(fault, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::TooLarge.to_string());
}

#[tokio::test]
async fn a_ten_megabyte_chunked_body_without_a_length_is_cut_at_one_mebibyte() {
    let fault = Fault::HugeBody {
        bytes: TEN_MB,
        chunked: true,
    };
    let run = Scenario::new(fault, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::TooLarge.to_string());
}

#[tokio::test]
async fn json_sent_as_text_html_is_read_by_its_body() {
    let fault = Fault::ContentType("text/html; charset=utf-8");
    let run = Scenario::new(fault, FAULTY).run().await;
    run.assert_recovered();
    assert!(run.offline().is_empty(), "{:?}", run.events);
}

#[tokio::test]
async fn json_sent_as_text_plain_is_read_by_its_body_even_the_grant() {
    // The fault lasts past the grant: the tokens arrive as text/plain too.
    let run = Scenario::new(Fault::ContentType("text/plain"), 10)
        .pending(1 + FAULTY)
        .run()
        .await;
    run.assert_recovered();
    assert!(run.offline().is_empty(), "{:?}", run.events);
    let last = run.token_exchanges().pop().unwrap();
    assert_eq!(last.fault, Some("content-type"), "the grant was rewritten");
}

#[tokio::test]
async fn authorization_pending_with_http_200_is_pending_not_a_grant() {
    let run = Scenario::new(Fault::Status200, FAULTY).run().await;
    run.assert_recovered();
    assert!(run.offline().is_empty(), "{:?}", run.events);
    assert_eq!(run.server.requests("/token").len(), 1 + FAULTY + 1);
}

#[tokio::test]
async fn an_answer_slower_than_the_interval_delays_the_next_poll_not_overlaps_it() {
    let run = Scenario::new(Fault::Slow(Duration::from_millis(1500)), FAULTY)
        .run()
        .await;
    run.assert_recovered();
    assert!(run.offline().is_empty(), "{:?}", run.events);
    for gap in run.gaps_after_faults() {
        assert!(gap + TOLERANCE >= INTERVAL, "{gap:?}");
    }
}

#[tokio::test]
async fn an_answer_that_is_not_http_is_transient_and_still_signs_in() {
    let run = Scenario::new(Fault::NotHttp, FAULTY).run().await;
    run.assert_recovered();
    run.assert_offline(FAULTY, &TransportErrorKind::Other.to_string());
}

#[tokio::test]
async fn a_fault_that_never_heals_ends_in_expired_at_the_local_deadline() {
    // Lifetime 4 s: polls at 1 s (pending), 2 s (500, backoff 1 s), 3 s
    // (500, backoff 2 s); the next would be at 5 s, past the deadline.
    let lifetime = Duration::from_secs(4);
    let fault = Fault::Respond(Canned::new(500, Some("text/plain"), "down"));
    let run = Scenario::new(fault, 1000)
        .device_reply(code(Some(INTERVAL.as_secs()), lifetime.as_secs()))
        .run()
        .await;
    assert_eq!(run.outcome(), &FlowEvent::Expired, "{:?}", run.events);
    run.assert_offline(2, "the token endpoint answered HTTP 500");
    run.assert_never_early();
    let device = &run.proxy.exchanges("/device")[0];
    assert!(
        run.ended + TOLERANCE >= device.answered + lifetime,
        "expired {:?} after the code, before its lifetime",
        run.ended - device.answered
    );
    assert_eq!(run.token_exchanges().len(), 3, "no poll at or after expiry");
}

// ---- Fatal answers while polling: the right kind, a clear message ----

#[tokio::test]
async fn http_200_with_an_unknown_error_member_ends_in_a_server_error() {
    let fault = Fault::Respond(Canned::new(
        200,
        Some("application/json"),
        r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
    ));
    let run = Scenario::new(fault, 1).run().await;
    let err = run.failure();
    assert_eq!(Outcome::from(err.clone()).kind(), "server");
    let FlowError::Server(oauth) = err else {
        panic!("{err:?}")
    };
    assert_eq!(oauth.error, "invalid_client");
    assert_eq!(
        err.to_string(),
        "the server reported an error: invalid_client: Client authentication failed"
    );
    assert_eq!(run.token_exchanges().len(), 2, "no poll after the failure");
}

#[tokio::test]
async fn http_400_with_an_html_page_ends_in_an_http_status_failure_without_quoting_the_body() {
    let fault = Fault::Respond(Canned::new(
        400,
        Some("text/html"),
        "<html><body><h1>400 Bad Request</h1></body></html>",
    ));
    let run = Scenario::new(fault, 1).run().await;
    let err = run.failure();
    assert!(
        matches!(err, FlowError::Http { status: 400, .. }),
        "{err:?}"
    );
    assert_eq!(Outcome::from(err.clone()).kind(), "request");
    let msg = err.to_string();
    assert!(msg.contains("HTTP 400 without an OAuth error"), "{msg}");
    assert!(
        !msg.contains("Bad Request"),
        "the server's body is never quoted: {msg}"
    );
}

#[tokio::test]
async fn http_200_without_an_access_token_ends_in_an_invalid_response_naming_it() {
    let fault = Fault::Respond(Canned::new(
        200,
        Some("application/json"),
        r#"{"token_type":"Bearer","expires_in":3600}"#,
    ));
    let run = Scenario::new(fault, 1).run().await;
    let err = run.failure();
    assert!(matches!(err, FlowError::InvalidResponse(_)), "{err:?}");
    assert!(err.to_string().contains("`access_token`"), "{err}");
}

// ---- Bad device authorization responses ----

/// The flow against a device endpoint that answers `body`; the token endpoint
/// would grant at once.
async fn device_answer(reply: Reply) -> (Vec<FlowEvent>, TestServer) {
    let server =
        TestServer::start(vec![("/device", vec![reply]), ("/token", vec![granted()])]).await;
    let flow = Flow::new(config(server.url("/device"), server.url("/token")));
    let events = driver::run(flow, HttpTransport::new().unwrap()).collect::<Vec<_>>();
    let events = tokio::time::timeout(BOUND, events)
        .await
        .expect("the flow must end: no hang");
    (events, server)
}

fn device_body(fields: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = vec![
        ("device_code", r#""DEVICE-CODE-SECRET""#),
        ("user_code", r#""WDJB-MJHT""#),
        ("verification_uri", r#""https://auth.example.com/device""#),
        ("expires_in", "600"),
        ("interval", "1"),
    ];
    for (k, v) in fields {
        all.retain(|(name, _)| name != k);
        if !v.is_empty() {
            all.push((k, v));
        }
    }
    let members: Vec<String> = all.iter().map(|(k, v)| format!(r#""{k}":{v}"#)).collect();
    format!("{{{}}}", members.join(","))
}

/// A refused device authorization: one `Failed` event, of the server kind,
/// whose message names `field` and says `problem`; nothing was polled.
async fn assert_refused(fields: &[(&str, &str)], field: &str, problem: &str) {
    let (events, server) = device_answer(Reply::json(200, device_body(fields))).await;
    let [FlowEvent::Failed(err)] = events.as_slice() else {
        panic!("{fields:?}: expected one failure, got {events:?}")
    };
    assert!(matches!(err, FlowError::InvalidResponse(_)), "{err:?}");
    assert_eq!(Outcome::from(err.clone()).kind(), "server");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("`{field}`")),
        "{msg} should name {field}"
    );
    assert!(msg.contains(problem), "{msg} should say {problem:?}");
    assert!(!msg.contains(DEVICE_CODE), "no secret in {msg}");
    assert!(server.requests("/token").is_empty(), "nothing polled");
}

#[tokio::test]
async fn a_device_response_missing_a_required_field_names_it() {
    for field in ["device_code", "user_code", "verification_uri", "expires_in"] {
        assert_refused(&[(field, "")], field, "is missing").await;
    }
}

#[tokio::test]
async fn a_negative_interval_falls_back_to_five_seconds_and_is_never_early() {
    let run = Scenario::new(Fault::Forward, 0)
        .pending(0)
        .device_reply(Reply::json(200, device_body(&[("interval", "-1")])))
        .run()
        .await;
    let FlowEvent::CodeIssued(code) = &run.events[0] else {
        panic!("{:?}", run.events)
    };
    assert_eq!(code.interval, Duration::from_secs(5));
    run.assert_recovered();
}

#[tokio::test]
async fn a_huge_interval_is_refused_naming_the_interval() {
    assert_refused(
        &[("interval", "1000000000")],
        "interval",
        "longer than the code's lifetime",
    )
    .await;
}

#[tokio::test]
async fn a_numeric_string_interval_is_read_as_its_number() {
    let run = Scenario::new(Fault::Forward, 0)
        .pending(1)
        .device_reply(Reply::json(200, device_body(&[("interval", r#""1""#)])))
        .run()
        .await;
    let FlowEvent::CodeIssued(code) = &run.events[0] else {
        panic!("{:?}", run.events)
    };
    assert_eq!(code.interval, INTERVAL);
    run.assert_recovered();
}

#[tokio::test]
async fn a_non_numeric_string_interval_falls_back_to_five_seconds() {
    let server = TestServer::start(vec![(
        "/device",
        vec![Reply::json(200, device_body(&[("interval", r#""soon""#)]))],
    )])
    .await;
    let flow = Flow::new(config(server.url("/device"), server.url("/token")));
    let mut events = pin!(driver::run(flow, HttpTransport::new().unwrap()));
    let first = tokio::time::timeout(BOUND, events.next())
        .await
        .expect("no hang");
    let Some(FlowEvent::CodeIssued(code)) = first else {
        panic!("{first:?}")
    };
    assert_eq!(code.interval, Duration::from_secs(5));
    // Dropping the stream cancels the flow; the 5 s wait is proven above.
}

#[tokio::test]
async fn an_expires_in_of_zero_is_refused_naming_it() {
    assert_refused(&[("expires_in", "0")], "expires_in", "must be positive").await;
}

#[tokio::test]
async fn a_plain_http_verification_uri_on_a_remote_host_is_refused() {
    for field in ["verification_uri", "verification_uri_complete"] {
        assert_refused(
            &[(field, r#""http://auth.example.com/device""#)],
            field,
            "plain http on a non-loopback host",
        )
        .await;
    }
}

#[tokio::test]
async fn a_two_thousand_character_user_code_is_refused_naming_it() {
    let long = format!("\"{}\"", "W".repeat(2000));
    assert_refused(&[("user_code", &long)], "user_code", "2000 characters").await;
}

// ---- The device request itself failing: a request failure, not a retry ----

#[tokio::test]
async fn a_refused_device_endpoint_is_a_request_failure() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{port}/device");
    let flow = Flow::new(config(url.clone(), url));
    let events = driver::run(flow, HttpTransport::new().unwrap()).collect::<Vec<_>>();
    let events = tokio::time::timeout(BOUND, events).await.expect("no hang");
    let [FlowEvent::Failed(err)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(Outcome::from(err.clone()).kind(), "request");
    assert!(err.to_string().contains("connection refused"), "{err}");
}

#[tokio::test]
async fn a_ten_megabyte_device_response_is_a_request_failure_not_a_crash() {
    let (events, _server) = device_answer(Reply::json(200, "x".repeat(TEN_MB))).await;
    let [FlowEvent::Failed(err)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(Outcome::from(err.clone()).kind(), "request");
    assert!(
        err.to_string()
            .contains(&TransportErrorKind::TooLarge.to_string()),
        "{err}"
    );
}
