//! One test per protocol rule (R1–R12 of the foundation issue), driven with
//! made-up instants: no clock, no sleep, no network.

use std::time::{Duration, Instant, SystemTime};

use super::flow::{Action, Flow, FlowError, FlowEvent, transient_wait};
use super::secret::ClientSecret;
use super::wire::{
    self, ClientAuth, ClientConfig, HttpResponse, PollAnswer, TransportError, TransportErrorKind,
};

const DEVICE: &str = "https://auth.example.com/device/code";
const TOKEN: &str = "https://auth.example.com/token";

fn cfg() -> ClientConfig {
    let mut c = ClientConfig::new("tv-app", DEVICE, TOKEN);
    c.scope = Some("openid profile".into());
    c
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn code_body(interval: &str, expires_in: &str) -> String {
    format!(
        r#"{{"device_code":"DEV-123","user_code":"WDJB-MJHT",
            "verification_uri":"https://auth.example.com/device",
            "verification_uri_complete":"https://auth.example.com/device?user_code=WDJB-MJHT",
            "expires_in":{expires_in},"interval":{interval}}}"#
    )
}

fn pending() -> HttpResponse {
    HttpResponse::json(400, r#"{"error":"authorization_pending"}"#)
}

fn granted() -> HttpResponse {
    HttpResponse::json(
        200,
        r#"{"access_token":"AT","token_type":"Bearer","expires_in":3600}"#,
    )
}

/// A flow that has its code: the answer arrived at `t0`.
fn issued(interval: u64, expires_in: u64) -> (Flow, Instant) {
    let mut flow = Flow::new(cfg());
    let t0 = Instant::now();
    let (action, _) = flow.next_action(t0);
    assert!(matches!(action, Action::Send(_)));
    let events = flow.on_response(
        Ok(HttpResponse::json(
            200,
            &code_body(&interval.to_string(), &expires_in.to_string()),
        )),
        t0,
    );
    assert!(matches!(events.as_slice(), [FlowEvent::CodeIssued(_)]));
    (flow, t0)
}

/// Ask for the next action at `now` and expect a poll to be sent.
fn expect_poll(flow: &mut Flow, now: Instant) -> wire::HttpRequest {
    match flow.next_action(now) {
        (Action::Send(req), events) => {
            assert_eq!(events, vec![FlowEvent::Polling]);
            req
        }
        other => panic!("expected a poll at {now:?}, got {other:?}"),
    }
}

fn expect_wait(flow: &mut Flow, now: Instant) -> Instant {
    match flow.next_action(now) {
        (Action::WaitUntil(t), events) => {
            assert!(events.is_empty());
            t
        }
        other => panic!("expected a wait, got {other:?}"),
    }
}

fn refused() -> Result<HttpResponse, TransportError> {
    Err(TransportError::new(
        TransportErrorKind::Refused,
        "auth.example.com: connection refused",
    ))
}

// ---------------------------------------------------------------- R1

#[test]
fn r1_device_request_posts_client_id_scope_and_extra_params() {
    let mut c = cfg();
    c.extra_params = vec![("audience".into(), "https://api.example.com".into())];
    let req = wire::device_request(&c);
    assert_eq!(req.url, DEVICE);
    assert_eq!(req.param("client_id"), Some("tv-app"));
    assert_eq!(req.param("scope"), Some("openid profile"));
    assert_eq!(req.param("audience"), Some("https://api.example.com"));
    assert_eq!(req.param("client_secret"), None);
    assert_eq!(req.header("Authorization"), None);
}

#[test]
fn r1_scope_parameter_name_is_configurable() {
    let mut c = cfg();
    c.scope_param = "scopes".into();
    let req = wire::device_request(&c);
    assert_eq!(req.param("scopes"), Some("openid profile"));
    assert_eq!(req.param("scope"), None);
}

#[test]
fn r1_client_secret_post_sends_id_and_secret_in_the_form() {
    let mut c = cfg();
    c.client_secret = Some(ClientSecret::new("s3cret"));
    c.client_auth = ClientAuth::ClientSecretPost;
    for req in [
        wire::device_request(&c),
        wire::poll_request(&c, &super::DeviceCode::new("DEV")),
    ] {
        assert_eq!(req.param("client_id"), Some("tv-app"));
        assert_eq!(req.param("client_secret"), Some("s3cret"));
        assert_eq!(req.header("Authorization"), None);
    }
}

#[test]
fn r1_client_secret_basic_sends_form_encoded_credentials_in_the_header() {
    let mut c = cfg();
    c.client_id = "tv app".into();
    c.client_secret = Some(ClientSecret::new("a:b"));
    c.client_auth = ClientAuth::ClientSecretBasic;
    let req = wire::poll_request(&c, &super::DeviceCode::new("DEV"));
    // base64("tv+app:a%3Ab")
    assert_eq!(req.header("authorization"), Some("Basic dHYrYXBwOmElM0Fi"));
    assert_eq!(req.param("client_secret"), None);
    assert_eq!(req.param("client_id"), None);
}

#[test]
fn r1_every_request_asks_for_json_and_names_the_client() {
    let agent = format!("device-signin/{}", env!("CARGO_PKG_VERSION"));
    for req in [
        wire::device_request(&cfg()),
        wire::poll_request(&cfg(), &super::DeviceCode::new("DEV")),
        wire::refresh_request(&cfg(), &super::RefreshToken::new("RT")),
    ] {
        assert_eq!(req.header("Accept"), Some("application/json"));
        assert_eq!(req.header("User-Agent"), Some(agent.as_str()));
    }
}

#[test]
fn r1_poll_request_uses_the_device_code_grant() {
    let req = wire::poll_request(&cfg(), &super::DeviceCode::new("DEV"));
    assert_eq!(req.url, TOKEN);
    assert_eq!(req.param("grant_type"), Some(wire::DEVICE_CODE_GRANT));
    assert_eq!(req.param("device_code"), Some("DEV"));
    assert_eq!(req.param("client_id"), Some("tv-app"));
}

// ---------------------------------------------------------------- R2

fn parse(body: &str) -> Result<wire::DeviceAuthorization, wire::DeviceResponseError> {
    wire::parse_device_authorization(&HttpResponse::json(200, body))
}

fn field_of(err: wire::DeviceResponseError) -> &'static str {
    match err {
        wire::DeviceResponseError::Field { field, .. } => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn r2_form_encoded_bodies_are_accepted() {
    let resp = HttpResponse::form(
        200,
        "device_code=DEV&user_code=WDJB-MJHT&verification_uri=https%3A%2F%2Fgithub.com%2Flogin%2Fdevice&expires_in=899&interval=5",
    );
    let auth = wire::parse_device_authorization(&resp).unwrap();
    assert_eq!(auth.user_code, "WDJB-MJHT");
    assert_eq!(auth.verification_uri, "https://github.com/login/device");
    assert_eq!(auth.expires_in, secs(899));
    assert_eq!(auth.interval, secs(5));
    assert_eq!(auth.device_code.expose(), "DEV");
}

#[test]
fn r2_verification_url_aliases_are_accepted() {
    let auth = parse(
        r#"{"device_code":"D","user_code":"ABCD-EFGH","verification_url":"https://www.google.com/device",
            "verification_url_complete":"https://www.google.com/device?c=1","expires_in":1800,"interval":5}"#,
    )
    .unwrap();
    assert_eq!(auth.verification_uri, "https://www.google.com/device");
    assert_eq!(
        auth.verification_uri_complete.as_deref(),
        Some("https://www.google.com/device?c=1")
    );
}

#[test]
fn r2_interval_missing_null_nonpositive_or_not_a_number_defaults_to_five_seconds() {
    for interval in ["null", "0", "-3", "\"soon\"", "[]"] {
        let auth = parse(&code_body(interval, "600")).unwrap();
        assert_eq!(auth.interval, secs(5), "interval {interval}");
        assert!(auth.interval_defaulted);
    }
    let missing = parse(
        r#"{"device_code":"D","user_code":"U","verification_uri":"https://a.example/d","expires_in":600}"#,
    )
    .unwrap();
    assert_eq!(missing.interval, secs(5));
}

#[test]
fn r2_numeric_string_interval_is_read_as_its_number() {
    let auth = parse(&code_body("\"7\"", "\"600\"")).unwrap();
    assert_eq!(auth.interval, secs(7));
    assert_eq!(auth.expires_in, secs(600));
    assert!(!auth.interval_defaulted);
}

#[test]
fn r2_a_missing_or_empty_required_field_is_named() {
    let cases = [
        (
            r#"{"user_code":"U","verification_uri":"https://a.example/d","expires_in":600}"#,
            "device_code",
        ),
        (
            r#"{"device_code":"D","user_code":"","verification_uri":"https://a.example/d","expires_in":600}"#,
            "user_code",
        ),
        (
            r#"{"device_code":"D","user_code":"U","expires_in":600}"#,
            "verification_uri",
        ),
        (
            r#"{"device_code":"D","user_code":"U","verification_uri":"https://a.example/d"}"#,
            "expires_in",
        ),
        (
            r#"{"device_code":5,"user_code":"U","verification_uri":"https://a.example/d","expires_in":600}"#,
            "device_code",
        ),
    ];
    for (body, field) in cases {
        let err = parse(body).unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
        assert_eq!(field_of(err), field);
    }
}

#[test]
fn r2_expires_in_must_be_positive_and_at_most_a_day() {
    for bad in ["0", "-5", "86401", "\"never\""] {
        assert_eq!(
            field_of(parse(&code_body("5", bad)).unwrap_err()),
            "expires_in",
            "{bad}"
        );
    }
    assert!(parse(&code_body("5", "86400")).is_ok());
}

#[test]
fn r2_an_explicit_interval_longer_than_the_lifetime_is_refused() {
    let err = parse(&code_body("1000000000", "600")).unwrap_err();
    assert!(err.to_string().contains("interval"), "{err}");
    assert_eq!(field_of(err), "interval");
}

#[test]
fn r2_unknown_fields_are_kept() {
    let auth = parse(
        r#"{"device_code":"D","user_code":"U","verification_uri":"https://microsoft.com/devicelogin",
            "expires_in":900,"interval":5,"message":"To sign in, use a web browser","x-extra":1}"#,
    )
    .unwrap();
    assert_eq!(auth.message(), Some("To sign in, use a web browser"));
    assert!(auth.extra.contains_key("x-extra"));
}

#[test]
fn r2_an_absurdly_long_user_code_is_refused() {
    let long = "A".repeat(2000);
    let body = code_body("5", "600").replacen(
        "\"user_code\":\"WDJB-MJHT\"",
        &format!("\"user_code\":\"{long}\""),
        1,
    );
    assert_eq!(field_of(parse(&body).unwrap_err()), "user_code");
}

#[test]
fn r2_an_error_body_from_the_device_endpoint_is_a_server_error() {
    let resp = HttpResponse::json(
        400,
        r#"{"error":"device_flow_disabled","error_description":"Device Flow must be explicitly enabled"}"#,
    );
    let mut flow = Flow::new(cfg());
    let now = Instant::now();
    flow.next_action(now);
    match flow.on_response(Ok(resp), now).as_slice() {
        [FlowEvent::Failed(FlowError::Server(e))] => assert_eq!(e.error, "device_flow_disabled"),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- R3

#[test]
fn r3_verification_uris_must_be_https_or_loopback_http() {
    for ok in [
        "https://example.com/device",
        "http://127.0.0.1:8080/device",
        "http://localhost/device",
        "http://[::1]:9/device",
    ] {
        assert!(wire::check_trusted_uri(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://evil.example.com/device",
        "http://192.168.1.5/device",
        "/device",
        "javascript:alert(1)",
        "ftp://example.com/device",
        "example.com/device",
    ] {
        assert!(wire::check_trusted_uri(bad).is_err(), "{bad}");
    }
    let body = code_body("5", "600").replace(
        "\"verification_uri_complete\":\"https://auth.example.com",
        "\"verification_uri_complete\":\"http://phish.example",
    );
    assert_eq!(
        field_of(parse(&body).unwrap_err()),
        "verification_uri_complete"
    );
}

#[test]
fn r3_a_user_name_before_the_host_is_refused() {
    assert!(wire::check_trusted_uri("https://trusted.example@evil.example/device").is_err());
    assert!(wire::check_trusted_uri("https://a:b@auth.example.com/device").is_err());
}

#[test]
fn r2_a_user_code_with_control_or_direction_characters_is_refused() {
    for code in ["WDJB\u{202E}MJHT", "WDJB\\nMJHT", "WDJB\u{200B}-MJHT"] {
        let body = code_body("5", "600").replacen("WDJB-MJHT\",", &format!("{code}\","), 1);
        assert_eq!(field_of(parse(&body).unwrap_err()), "user_code", "{code:?}");
    }
}

#[test]
fn r3_only_the_demo_provider_may_show_http_links_on_a_lan_address() {
    let body =
        code_body("5", "600").replace("https://auth.example.com", "http://192.168.1.20:8080");
    let resp = HttpResponse::json(200, &body);
    assert!(wire::parse_device_authorization(&resp).is_err());
    assert!(wire::parse_device_authorization_with(&resp, true).is_ok());
    let mut c = cfg();
    c.allow_http_verification = true;
    let mut flow = Flow::new(c);
    let now = Instant::now();
    flow.next_action(now);
    assert!(matches!(
        flow.on_response(Ok(resp), now).as_slice(),
        [FlowEvent::CodeIssued(_)]
    ));
}

// ---------------------------------------------------------------- R4

#[test]
fn r4_first_poll_is_not_before_one_interval_after_the_code_arrived() {
    let (mut flow, t0) = issued(5, 600);
    assert_eq!(expect_wait(&mut flow, t0), t0 + secs(5));
    assert_eq!(
        expect_wait(&mut flow, t0 + secs(5) - Duration::from_millis(1)),
        t0 + secs(5)
    );
    expect_poll(&mut flow, t0 + secs(5));
}

#[test]
fn r4_later_polls_count_from_the_previous_answer_not_the_request() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    // A slow server: the answer arrives 7 s after the poll was sent.
    let answered = t0 + secs(12);
    flow.on_response(Ok(pending()), answered);
    assert_eq!(expect_wait(&mut flow, answered), answered + secs(5));
    expect_poll(&mut flow, answered + secs(5));
}

#[test]
fn r4_never_two_requests_in_flight() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    for later in [6, 30, 100] {
        assert_eq!(
            flow.next_action(t0 + secs(later)),
            (Action::AwaitResponse, vec![])
        );
    }
}

// ---------------------------------------------------------------- R5

#[test]
fn r5_an_error_member_is_an_error_whatever_the_status() {
    for status in [200, 400, 401, 403, 428, 429] {
        let answer = wire::parse_token_answer(&HttpResponse::json(
            status,
            r#"{"error":"authorization_pending"}"#,
        ));
        assert!(
            matches!(&answer, PollAnswer::Error { error, .. } if error.error == "authorization_pending"),
            "status {status}: {answer:?}"
        );
    }
    let github = wire::parse_token_answer(&HttpResponse::form(
        200,
        "error=slow_down&error_description=Too+many+requests&interval=10",
    ));
    assert!(
        matches!(github, PollAnswer::Error { error, .. } if error.error == "slow_down" && error.interval == Some(10))
    );
}

#[test]
fn r5_a_429_without_an_rfc_body_is_slow_down() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let resp = HttpResponse {
        status: 429,
        ..Default::default()
    };
    let events = flow.on_response(Ok(resp), t0 + secs(5));
    assert_eq!(events, vec![FlowEvent::SlowDown { interval: secs(10) }]);
    assert_eq!(expect_wait(&mut flow, t0 + secs(5)), t0 + secs(15));
}

#[test]
fn r5_retry_after_is_honoured_when_longer_than_the_interval() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let resp = HttpResponse {
        status: 429,
        retry_after: Some(secs(30)),
        ..Default::default()
    };
    flow.on_response(Ok(resp), t0 + secs(5));
    assert_eq!(expect_wait(&mut flow, t0 + secs(5)), t0 + secs(35));
    // Shorter than the interval: the interval wins.
    expect_poll(&mut flow, t0 + secs(35));
    let resp = HttpResponse {
        retry_after: Some(secs(1)),
        ..pending()
    };
    flow.on_response(Ok(resp), t0 + secs(35));
    assert_eq!(expect_wait(&mut flow, t0 + secs(35)), t0 + secs(45));
}

#[test]
fn r5_retry_after_accepts_seconds_and_http_dates() {
    let now = SystemTime::UNIX_EPOCH + secs(1_700_000_000);
    assert_eq!(wire::parse_retry_after("120", now), Some(secs(120)));
    let later = httpdate::fmt_http_date(now + secs(90));
    assert_eq!(wire::parse_retry_after(&later, now), Some(secs(90)));
    let past = httpdate::fmt_http_date(now - secs(90));
    assert_eq!(wire::parse_retry_after(&past, now), Some(Duration::ZERO));
    assert_eq!(wire::parse_retry_after("soon", now), None);
}

// ---------------------------------------------------------------- R6

#[test]
fn r6_authorization_pending_continues() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    assert!(flow.on_response(Ok(pending()), t0 + secs(5)).is_empty());
    expect_poll(&mut flow, t0 + secs(10));
}

#[test]
fn r6_slow_down_adds_five_seconds_for_all_later_polls() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let slow = HttpResponse::json(400, r#"{"error":"slow_down"}"#);
    assert_eq!(
        flow.on_response(Ok(slow.clone()), t0 + secs(5)),
        vec![FlowEvent::SlowDown { interval: secs(10) }]
    );
    assert_eq!(expect_wait(&mut flow, t0 + secs(5)), t0 + secs(15));
    expect_poll(&mut flow, t0 + secs(15));
    flow.on_response(Ok(pending()), t0 + secs(15));
    // The raised interval lasts after a pending answer.
    assert_eq!(expect_wait(&mut flow, t0 + secs(15)), t0 + secs(25));
    expect_poll(&mut flow, t0 + secs(25));
    assert_eq!(
        flow.on_response(Ok(slow), t0 + secs(25)),
        vec![FlowEvent::SlowDown { interval: secs(15) }]
    );
}

#[test]
fn r6_slow_down_body_interval_wins_when_larger() {
    let (mut flow, t0) = issued(5, 900);
    expect_poll(&mut flow, t0 + secs(5));
    let github = HttpResponse::form(200, "error=slow_down&interval=20");
    assert_eq!(
        flow.on_response(Ok(github), t0 + secs(5)),
        vec![FlowEvent::SlowDown { interval: secs(20) }]
    );
    assert_eq!(expect_wait(&mut flow, t0 + secs(5)), t0 + secs(25));
}

#[test]
fn r6_both_spellings_of_denial_end_in_denied() {
    for error in ["access_denied", "authorization_declined"] {
        let (mut flow, t0) = issued(5, 600);
        expect_poll(&mut flow, t0 + secs(5));
        let resp = HttpResponse::json(400, &format!(r#"{{"error":"{error}"}}"#));
        assert_eq!(
            flow.on_response(Ok(resp), t0 + secs(5)),
            vec![FlowEvent::Denied]
        );
        assert_eq!(flow.next_action(t0 + secs(10)).0, Action::Done);
    }
}

#[test]
fn r6_expired_token_ends_in_expired() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let resp = HttpResponse::json(400, r#"{"error":"expired_token"}"#);
    assert_eq!(
        flow.on_response(Ok(resp), t0 + secs(5)),
        vec![FlowEvent::Expired]
    );
}

#[test]
fn r6_invalid_grant_after_the_local_deadline_is_expired() {
    let (mut flow, t0) = issued(5, 10);
    expect_poll(&mut flow, t0 + secs(5));
    flow.on_response(Ok(pending()), t0 + secs(9));
    // The next poll would be at 14 s, after the 10 s deadline: no request.
    assert_eq!(expect_wait(&mut flow, t0 + secs(9)), t0 + secs(10));
    let (mut flow, t0) = issued(5, 10);
    expect_poll(&mut flow, t0 + secs(5));
    let resp = HttpResponse::json(400, r#"{"error":"invalid_grant"}"#);
    assert_eq!(
        flow.on_response(Ok(resp), t0 + secs(11)),
        vec![FlowEvent::Expired]
    );
}

#[test]
fn r6_invalid_grant_before_the_deadline_is_a_server_error() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let resp = HttpResponse::json(400, r#"{"error":"invalid_grant"}"#);
    assert!(matches!(
        flow.on_response(Ok(resp), t0 + secs(5)).as_slice(),
        [FlowEvent::Failed(FlowError::Server(e))] if e.error == "invalid_grant"
    ));
}

#[test]
fn r6_any_other_error_is_a_terminal_server_error_with_its_details() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let resp = HttpResponse::json(
        401,
        r#"{"error":"invalid_client","error_description":"Unknown client","error_uri":"https://docs.example.com/e"}"#,
    );
    let events = flow.on_response(Ok(resp), t0 + secs(5));
    let [FlowEvent::Failed(err)] = events.as_slice() else {
        panic!("{events:?}")
    };
    let FlowError::Server(e) = err else { panic!() };
    assert_eq!(e.error, "invalid_client");
    assert_eq!(e.error_description.as_deref(), Some("Unknown client"));
    assert_eq!(e.error_uri.as_deref(), Some("https://docs.example.com/e"));
    assert_eq!(flow.next_action(t0 + secs(100)).0, Action::Done);
}

// ---------------------------------------------------------------- R7

#[test]
fn r7_transient_failures_keep_the_device_code() {
    let (mut flow, t0) = issued(5, 600);
    let mut now = t0 + secs(5);
    let first = expect_poll(&mut flow, now);
    let failures: Vec<Result<HttpResponse, TransportError>> = vec![
        refused(),
        Err(TransportError::new(TransportErrorKind::Reset, "reset")),
        Err(TransportError::new(TransportErrorKind::Dns, "no such host")),
        Err(TransportError::new(
            TransportErrorKind::Timeout,
            "timed out",
        )),
        Ok(HttpResponse {
            status: 502,
            content_type: Some("text/html".into()),
            body: b"<html>Bad Gateway</html>".to_vec(),
            ..Default::default()
        }),
        Ok(HttpResponse::json(500, "")),
        Ok(HttpResponse::json(200, r#"{"access_tok"#)),
    ];
    for failure in failures {
        let events = flow.on_response(failure, now);
        let [FlowEvent::Offline { retry_in, .. }] = events.as_slice() else {
            panic!("{events:?}")
        };
        now += *retry_in;
        let again = expect_poll(&mut flow, now);
        assert_eq!(again.param("device_code"), first.param("device_code"));
    }
    flow.on_response(Ok(granted()), now);
    assert!(flow.is_finished());
}

#[test]
fn r7_a_malformed_json_body_is_transient_whatever_the_status() {
    // A pending answer (HTTP 400) cut in half on its way is not a definite
    // "4xx without an OAuth error": the code is kept and polling goes on.
    for status in [200, 400, 401, 403] {
        let (mut flow, t0) = issued(5, 600);
        expect_poll(&mut flow, t0 + secs(5));
        let cut = HttpResponse::json(status, r#"{"error":"authorization_pen"#);
        let events = flow.on_response(Ok(cut), t0 + secs(5));
        let [FlowEvent::Offline { reason, retry_in }] = events.as_slice() else {
            panic!("HTTP {status}: {events:?}")
        };
        assert_eq!(
            reason,
            &format!("the token endpoint sent malformed JSON (HTTP {status})")
        );
        assert_eq!(*retry_in, secs(5));
    }
    // A well-formed body without an OAuth error is still a definite answer.
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let html = HttpResponse {
        status: 400,
        content_type: Some("text/html".into()),
        body: b"<html>Bad Request</html>".to_vec(),
        ..Default::default()
    };
    let events = flow.on_response(Ok(html), t0 + secs(5));
    assert!(
        matches!(
            events.as_slice(),
            [FlowEvent::Failed(FlowError::Http {
                endpoint: crate::Endpoint::Token,
                status: 400
            })]
        ),
        "{events:?}"
    );
}

#[test]
fn r7_backoff_doubles_from_the_interval_and_is_capped_at_sixty_seconds() {
    let waits: Vec<u64> = (1..=7)
        .map(|n| transient_wait(secs(5), n).as_secs())
        .collect();
    assert_eq!(waits, vec![5, 10, 20, 40, 60, 60, 60]);
    // Never below the server interval, even when that is above the cap.
    assert_eq!(transient_wait(secs(90), 3), secs(90));
    assert_eq!(transient_wait(secs(5), u32::MAX), secs(60));
}

#[test]
fn r7_each_retry_is_reported_with_its_reason_and_delay() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let events = flow.on_response(refused(), t0 + secs(5));
    assert_eq!(
        events,
        vec![FlowEvent::Offline {
            reason: "connection refused: auth.example.com: connection refused".into(),
            retry_in: secs(5)
        }]
    );
}

#[test]
fn r7_the_backoff_resets_after_the_next_parsed_answer_and_the_interval_is_kept() {
    let (mut flow, t0) = issued(5, 600);
    let mut now = t0 + secs(5);
    expect_poll(&mut flow, now);
    let slow = HttpResponse::json(400, r#"{"error":"slow_down"}"#);
    flow.on_response(Ok(slow), now);
    now += secs(10);
    for expected in [10, 20, 40] {
        expect_poll(&mut flow, now);
        let events = flow.on_response(refused(), now);
        assert!(
            matches!(events.as_slice(), [FlowEvent::Offline { retry_in, .. }] if *retry_in == secs(expected))
        );
        now += secs(expected);
    }
    expect_poll(&mut flow, now);
    flow.on_response(Ok(pending()), now);
    // Back to the (raised) server interval, never below it.
    assert_eq!(expect_wait(&mut flow, now), now + secs(10));
    now += secs(10);
    expect_poll(&mut flow, now);
    let events = flow.on_response(refused(), now);
    assert!(
        matches!(events.as_slice(), [FlowEvent::Offline { retry_in, .. }] if *retry_in == secs(10))
    );
}

#[test]
fn r7_a_503_retry_after_longer_than_the_backoff_is_honoured() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let resp = HttpResponse {
        status: 503,
        retry_after: Some(secs(42)),
        ..Default::default()
    };
    let events = flow.on_response(Ok(resp), t0 + secs(5));
    assert!(
        matches!(events.as_slice(), [FlowEvent::Offline { retry_in, .. }] if *retry_in == secs(42))
    );
}

#[test]
fn r7_only_the_local_deadline_ends_a_run_of_failures() {
    let (mut flow, t0) = issued(5, 120);
    let mut now = t0;
    let mut polls = 0;
    loop {
        match flow.next_action(now) {
            (Action::Send(_), _) => {
                polls += 1;
                flow.on_response(refused(), now);
            }
            (Action::WaitUntil(t), _) => now = t,
            (Action::Done, events) => {
                assert_eq!(events, vec![FlowEvent::Expired]);
                break;
            }
            (Action::AwaitResponse, _) => unreachable!(),
        }
    }
    assert_eq!(now, t0 + secs(120));
    // 5, 10 (5+5), 20 (+10), 40 (+20), 80 (+40): then 140 is past the deadline.
    assert_eq!(polls, 5);
}

#[test]
fn r7_temporarily_unavailable_and_server_error_bodies_are_transient() {
    for error in ["temporarily_unavailable", "server_error"] {
        let (mut flow, t0) = issued(5, 600);
        expect_poll(&mut flow, t0 + secs(5));
        let resp = HttpResponse {
            retry_after: Some(secs(8)),
            ..HttpResponse::json(503, &format!(r#"{{"error":"{error}"}}"#))
        };
        let events = flow.on_response(Ok(resp), t0 + secs(5));
        assert!(
            matches!(events.as_slice(), [FlowEvent::Offline { reason, retry_in }] if reason.contains(error) && *retry_in == secs(8)),
            "{events:?}"
        );
        let again = expect_poll(&mut flow, t0 + secs(13));
        assert_eq!(again.param("device_code"), Some("DEV-123"));
    }
}

// ---------------------------------------------------------------- R8

#[test]
fn r8_no_poll_is_sent_after_the_deadline_and_expiry_needs_no_request() {
    let (mut flow, t0) = issued(5, 12);
    expect_poll(&mut flow, t0 + secs(5));
    flow.on_response(Ok(pending()), t0 + secs(5));
    expect_poll(&mut flow, t0 + secs(10));
    flow.on_response(Ok(pending()), t0 + secs(10));
    assert_eq!(expect_wait(&mut flow, t0 + secs(10)), t0 + secs(12));
    assert_eq!(
        flow.next_action(t0 + secs(12)),
        (Action::Done, vec![FlowEvent::Expired])
    );
}

#[test]
fn r8_a_lifetime_shorter_than_the_default_interval_is_still_shown() {
    let mut flow = Flow::new(cfg());
    let t0 = Instant::now();
    flow.next_action(t0);
    // No interval sent (oidc-provider), so 5 s applies; the code lives 3 s.
    let body = r#"{"device_code":"D","user_code":"WDJB-MJHT","verification_uri":"https://a.example/d","expires_in":3}"#;
    let events = flow.on_response(Ok(HttpResponse::json(200, body)), t0);
    assert!(matches!(events.as_slice(), [FlowEvent::CodeIssued(c)] if c.user_code == "WDJB-MJHT"));
    assert_eq!(expect_wait(&mut flow, t0), t0 + secs(3));
    assert_eq!(
        flow.next_action(t0 + secs(3)),
        (Action::Done, vec![FlowEvent::Expired])
    );
}

#[test]
fn r8_pending_answers_after_the_deadline_still_end_in_expired() {
    let (mut flow, t0) = issued(5, 7);
    expect_poll(&mut flow, t0 + secs(5));
    // A server that keeps saying pending after expiry.
    assert!(flow.on_response(Ok(pending()), t0 + secs(8)).is_empty());
    assert_eq!(
        flow.next_action(t0 + secs(8)),
        (Action::Done, vec![FlowEvent::Expired])
    );
}

// ---------------------------------------------------------------- R9

#[test]
fn r9_after_cancel_nothing_is_sent_and_a_late_answer_is_dropped() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    flow.cancel();
    assert!(flow.on_response(Ok(granted()), t0 + secs(6)).is_empty());
    assert_eq!(flow.next_action(t0 + secs(10)), (Action::Done, vec![]));
}

// ---------------------------------------------------------------- R10

#[test]
fn r10_a_token_answer_needs_an_access_token() {
    for body in [r#"{"token_type":"Bearer"}"#, r#"{"access_token":""}"#] {
        assert!(matches!(
            wire::parse_token_answer(&HttpResponse::json(200, body)),
            PollAnswer::Invalid(_)
        ));
    }
}

#[test]
fn r10_token_fields_and_unknown_fields_are_kept() {
    let answer = wire::parse_token_answer(&HttpResponse::json(
        200,
        r#"{"access_token":"AT","token_type":"Bearer","expires_in":"3600","refresh_token":"RT",
            "scope":"openid","id_token":"ID","ext_expires_in":3600}"#,
    ));
    let PollAnswer::Granted(t) = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(t.access_token.expose(), "AT");
    assert_eq!(t.token_type.as_deref(), Some("Bearer"));
    assert_eq!(t.expires_in, Some(3600));
    assert_eq!(t.refresh_token.as_ref().map(|r| r.expose()), Some("RT"));
    assert_eq!(t.scope.as_deref(), Some("openid"));
    assert_eq!(t.id_token.as_ref().map(|r| r.expose()), Some("ID"));
    assert_eq!(
        t.extra.get("ext_expires_in"),
        Some(&serde_json::json!(3600))
    );
}

#[test]
fn r10_after_a_grant_the_device_code_is_never_polled_again() {
    let (mut flow, t0) = issued(5, 600);
    expect_poll(&mut flow, t0 + secs(5));
    let events = flow.on_response(Ok(granted()), t0 + secs(5));
    assert!(matches!(events.as_slice(), [FlowEvent::Granted(_)]));
    for later in [10, 20, 600] {
        assert_eq!(flow.next_action(t0 + secs(later)), (Action::Done, vec![]));
    }
}

// ---------------------------------------------------------------- R12

#[test]
fn r12_requests_and_events_never_print_secrets() {
    let mut c = cfg();
    c.client_secret = Some(ClientSecret::new("CLIENT-SECRET"));
    c.client_auth = ClientAuth::ClientSecretBasic;
    let req = wire::poll_request(&c, &super::DeviceCode::new("DEVICE-SECRET"));
    let debug = format!("{req:?} {c:?}");
    assert!(!debug.contains("SECRET"), "{debug}");
    assert!(
        !debug.contains(req.header("Authorization").unwrap()),
        "{debug}"
    );
    let wire::PollAnswer::Granted(tokens) = wire::parse_token_answer(&HttpResponse::json(
        200,
        r#"{"access_token":"AT-SECRET","refresh_token":"RT-SECRET","id_token":"ID-SECRET"}"#,
    )) else {
        panic!()
    };
    let debug = format!("{:?}", FlowEvent::Granted(tokens));
    assert!(!debug.contains("SECRET"), "{debug}");
}

// ---------------------------------------------------------------- hostile answers

fn device_answer(uri: &str, complete: Option<&str>, message: Option<&str>) -> HttpResponse {
    let mut v = serde_json::json!({
        "device_code": "DEV", "user_code": "WDJB-MJHT",
        "verification_uri": uri, "expires_in": 600, "interval": 5,
    });
    if let Some(c) = complete {
        v["verification_uri_complete"] = c.into();
    }
    if let Some(m) = message {
        v["message"] = m.into();
    }
    HttpResponse::json(200, &v.to_string())
}

#[test]
fn r3_a_verification_uri_with_a_newline_space_or_direction_override_is_refused() {
    for uri in [
        "https://auth.example.com/device\nNow call 555-0100",
        "https://auth.example.com/device please",
        "https://auth.example.com/\u{202E}ecived",
    ] {
        let err = wire::parse_device_authorization(&device_answer(uri, None, None)).unwrap_err();
        assert!(
            err.to_string().contains("`verification_uri`"),
            "{uri:?}: {err}"
        );
    }
}

#[test]
fn r3_a_look_alike_host_is_shown_and_encoded_as_punycode() {
    // A Cyrillic "а" in "exаmple".
    let auth = wire::parse_device_authorization(&device_answer(
        "https://ex\u{0430}mple.com/device",
        Some("https://ex\u{0430}mple.com/device?code=1"),
        None,
    ))
    .unwrap();
    assert_eq!(auth.verification_uri, "https://xn--exmple-4nf.com/device");
    assert_eq!(
        auth.verification_uri_complete.as_deref(),
        Some("https://xn--exmple-4nf.com/device?code=1")
    );
}

#[test]
fn r3_a_complete_uri_to_another_host_scheme_or_port_is_refused() {
    for complete in [
        "https://evil.example.net/device?code=1",
        "https://auth.example.com:8443/device?code=1",
    ] {
        let err = wire::parse_device_authorization(&device_answer(
            "https://auth.example.com/device",
            Some(complete),
            None,
        ))
        .unwrap_err();
        assert!(
            err.to_string().contains("another site"),
            "{complete}: {err}"
        );
    }
}

#[test]
fn r3_a_message_with_control_or_direction_characters_is_refused() {
    let err = wire::parse_device_authorization(&device_answer(
        "https://auth.example.com/device",
        None,
        Some("To sign in, go to\x1b[2J the page"),
    ))
    .unwrap_err();
    assert!(err.to_string().contains("`message`"), "{err}");
    let ok = wire::parse_device_authorization(&device_answer(
        "https://auth.example.com/device",
        None,
        Some("To sign in, use a web browser to open the page."),
    ));
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn r10_a_grant_whose_lifetime_is_zero_negative_or_not_a_number_is_already_expired() {
    for expires in ["0", "-5", r#""soon""#, "[]", r#""-1""#] {
        let body =
            format!(r#"{{"access_token":"AT","token_type":"Bearer","expires_in":{expires}}}"#);
        let answer = wire::parse_token_answer(&HttpResponse::json(200, &body));
        assert!(
            matches!(&answer, PollAnswer::Granted(t) if t.expires_in == Some(0)),
            "{expires}: {answer:?}"
        );
    }
    // Missing means unknown; a form body's numeric string is a number.
    let unknown = wire::parse_token_answer(&HttpResponse::json(200, r#"{"access_token":"AT"}"#));
    assert!(matches!(&unknown, PollAnswer::Granted(t) if t.expires_in.is_none()));
    let form =
        wire::parse_token_answer(&HttpResponse::form(200, "access_token=AT&expires_in=3600"));
    assert!(matches!(&form, PollAnswer::Granted(t) if t.expires_in == Some(3600)));
}

#[test]
fn r10_a_grant_of_a_token_type_other_than_bearer_is_not_used() {
    let answer = wire::parse_token_answer(&HttpResponse::json(
        200,
        r#"{"access_token":"AT","token_type":"mac","expires_in":60}"#,
    ));
    assert!(
        matches!(&answer, PollAnswer::Invalid(why) if why.contains("only Bearer")),
        "{answer:?}"
    );
    for ok in ["Bearer", "bearer", "BEARER"] {
        let body = format!(r#"{{"access_token":"AT","token_type":"{ok}","expires_in":60}}"#);
        assert!(matches!(
            wire::parse_token_answer(&HttpResponse::json(200, &body)),
            PollAnswer::Granted(_)
        ));
    }
}

#[test]
fn r5_an_answer_with_a_key_twice_is_refused_naming_it() {
    // Last-one-wins would let a checked URI be replaced by an unchecked one.
    let dup = HttpResponse::json(
        200,
        r#"{"device_code":"DC","user_code":"WDJB-MJHT","verification_uri":"https://auth.example.com/device",
            "verification_uri":"https://evil.example/device","expires_in":600}"#,
    );
    let err = wire::parse_device_authorization(&dup).unwrap_err();
    assert!(err.to_string().contains("verification_uri"), "{err}");
    assert!(err.to_string().contains("twice"), "{err}");
    // Nested objects too, and form bodies.
    let nested = HttpResponse::json(200, r#"{"access_token":"AT","x":{"a":1,"a":2}}"#);
    assert!(matches!(
        wire::parse_token_answer(&nested),
        PollAnswer::Invalid(why) if why.contains("`a` twice")
    ));
    let form = HttpResponse::form(200, "access_token=AT&access_token=OTHER");
    assert!(matches!(
        wire::parse_token_answer(&form),
        PollAnswer::Invalid(why) if why.contains("`access_token` twice")
    ));
    let fine = HttpResponse::json(200, r#"{"access_token":"AT","x":{"a":1,"b":[{"a":2}]}}"#);
    assert!(matches!(
        wire::parse_token_answer(&fine),
        PollAnswer::Granted(_)
    ));
}
