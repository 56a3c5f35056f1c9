//! The flow over real HTTP against a scripted server with provider-shaped
//! answers: what was sent, and what came out.

mod support;

use std::time::Duration;

use device_signin::oauth::wire::{ClientAuth, ClientConfig, HttpRequest, TransportErrorKind};
use device_signin::oauth::{ClientSecret, Flow, FlowEvent, driver};
use device_signin::oauth::{Transport, http::HttpTransport};
use futures::StreamExt as _;
use support::{Reply, TestServer, code, granted, pending};

fn config(server: &TestServer) -> ClientConfig {
    let mut c = ClientConfig::new("tv-app", server.url("/device"), server.url("/token"));
    c.scope = Some("openid profile".into());
    c
}

/// Run a flow to its end (bounded: a hang fails the test).
async fn run(config: ClientConfig) -> Vec<FlowEvent> {
    let transport = HttpTransport::new().unwrap();
    let events = driver::run(Flow::new(config), transport).collect::<Vec<_>>();
    tokio::time::timeout(Duration::from_secs(60), events)
        .await
        .expect("the flow must end")
}

fn outcome(events: &[FlowEvent]) -> &FlowEvent {
    events.last().expect("at least one event")
}

#[tokio::test]
async fn github_form_bodies_and_200_with_error_end_in_granted() {
    let server = TestServer::start(vec![
        (
            "/device",
            vec![Reply::form(
                200,
                "device_code=DEVICE-CODE-SECRET&user_code=WDJB-MJHT&verification_uri=https%3A%2F%2Fgithub.com%2Flogin%2Fdevice&expires_in=899&interval=1",
            )],
        ),
        (
            "/token",
            vec![
                Reply::form(200, "error=authorization_pending&error_description=pending"),
                Reply::form(200, "access_token=gho_TOKEN&token_type=bearer&scope=read%3Auser"),
            ],
        ),
    ])
    .await;
    let events = run(config(&server)).await;
    let FlowEvent::Granted(tokens) = outcome(&events) else {
        panic!("{events:?}")
    };
    assert_eq!(tokens.access_token.expose(), "gho_TOKEN");
    assert_eq!(tokens.scope.as_deref(), Some("read:user"));
    let FlowEvent::CodeIssued(code) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(code.verification_uri_complete, None);
    assert_eq!(code.qr_uri(), "https://github.com/login/device");

    let device = &server.requests("/device")[0];
    assert_eq!(
        device.form.get("client_id").map(String::as_str),
        Some("tv-app")
    );
    assert_eq!(
        device.form.get("scope").map(String::as_str),
        Some("openid profile")
    );
    assert_eq!(device.headers["accept"], "application/json");
    assert!(
        device.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("device-signin/")
    );
    assert_eq!(server.requests("/token").len(), 2);
}

#[tokio::test]
async fn google_verification_url_and_the_secret_sent_when_polling() {
    let server = TestServer::start(vec![
        (
            "/device",
            vec![Reply::json(
                200,
                r#"{"device_code":"DEVICE-CODE-SECRET","user_code":"GQVQ-JKEC","verification_url":"https://www.google.com/device","expires_in":1800,"interval":1}"#,
            )],
        ),
        (
            "/token",
            vec![
                Reply::json(428, r#"{"error":"authorization_pending","error_description":"Precondition Required"}"#),
                Reply::json(200, r#"{"access_token":"ya29.TOKEN","expires_in":3599,"token_type":"Bearer","id_token":"eyJ.x.y","refresh_token":"1//RT"}"#),
            ],
        ),
    ])
    .await;
    let mut c = config(&server);
    c.client_secret = Some(ClientSecret::new("GOCSPX-secret"));
    c.client_auth = ClientAuth::ClientSecretPost;
    let events = run(c).await;
    assert!(matches!(outcome(&events), FlowEvent::Granted(t) if t.id_token.is_some()));
    let FlowEvent::CodeIssued(code) = &events[0] else {
        panic!()
    };
    assert_eq!(code.verification_uri, "https://www.google.com/device");
    for poll in server.requests("/token") {
        assert_eq!(
            poll.form.get("client_secret").map(String::as_str),
            Some("GOCSPX-secret")
        );
        assert_eq!(
            poll.form.get("device_code").map(String::as_str),
            Some("DEVICE-CODE-SECRET")
        );
        assert_eq!(
            poll.form.get("grant_type").map(String::as_str),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
    }
}

#[tokio::test]
async fn microsoft_message_no_complete_uri_and_authorization_declined() {
    let server = TestServer::start(vec![
        (
            "/device",
            vec![Reply::json(
                200,
                r#"{"user_code":"FJ2K8LQ3A","device_code":"DEVICE-CODE-SECRET","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":1,"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJ2K8LQ3A to authenticate."}"#,
            )],
        ),
        (
            "/token",
            vec![
                pending(),
                Reply::json(400, r#"{"error":"authorization_declined","error_description":"the user declined"}"#),
            ],
        ),
    ])
    .await;
    let mut c = config(&server);
    c.client_secret = Some(ClientSecret::new("ms-secret"));
    c.client_auth = ClientAuth::ClientSecretBasic;
    let events = run(c).await;
    assert_eq!(outcome(&events), &FlowEvent::Denied);
    let FlowEvent::CodeIssued(code) = &events[0] else {
        panic!()
    };
    assert!(code.message.as_deref().unwrap().starts_with("To sign in"));
    assert_eq!(code.verification_uri_complete, None);
    let poll = &server.requests("/token")[0];
    assert!(
        poll.headers["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Basic ")
    );
    assert!(!poll.form.contains_key("client_secret"));
}

#[tokio::test]
async fn auth0_403_pending_and_429_slow_down_with_audience() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        (
            "/token",
            vec![
                Reply::json(403, r#"{"error":"authorization_pending","error_description":"User has yet to authorize device code."}"#),
                Reply::json(429, r#"{"error":"slow_down","error_description":"You are polling faster than the specified interval of 1 seconds."}"#),
                granted(),
            ],
        ),
    ])
    .await;
    let mut c = config(&server);
    c.extra_params = vec![("audience".into(), "https://api.example.com".into())];
    let events = run(c).await;
    assert!(
        matches!(outcome(&events), FlowEvent::Granted(_)),
        "{events:?}"
    );
    assert!(events.contains(&FlowEvent::SlowDown {
        interval: Duration::from_secs(6)
    }));
    let device = &server.requests("/device")[0];
    assert_eq!(
        device.form.get("audience").map(String::as_str),
        Some("https://api.example.com")
    );
}

#[tokio::test]
async fn pending_then_slow_down_then_granted_never_polls_early() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        (
            "/token",
            vec![
                pending(),
                Reply::json(400, r#"{"error":"slow_down"}"#),
                granted(),
            ],
        ),
    ])
    .await;
    let events = run(config(&server)).await;
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            FlowEvent::CodeIssued(_) => "code",
            FlowEvent::Polling => "poll",
            FlowEvent::SlowDown { .. } => "slow",
            FlowEvent::Granted(_) => "granted",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["code", "poll", "poll", "slow", "poll", "granted"]);
    let device = server.requests("/device")[0].at;
    let polls: Vec<_> = server.requests("/token").iter().map(|r| r.at).collect();
    assert!(polls[0] - device >= Duration::from_secs(1));
    assert!(polls[1] - polls[0] >= Duration::from_secs(1));
    assert!(
        polls[2] - polls[1] >= Duration::from_secs(6),
        "slow_down adds 5 s"
    );
}

#[tokio::test]
async fn refused_connections_then_success_keep_the_same_device_code() {
    // The token endpoint's port is closed at first: every poll is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let device_server = TestServer::start(vec![("/device", vec![code(Some(1), 600)])]).await;
    let mut c = config(&device_server);
    c.token_endpoint = format!("http://{port}/token");

    let mut events = Box::pin(driver::run(Flow::new(c), HttpTransport::new().unwrap()));
    let mut offline = 0;
    let mut token_server = None;
    let outcome = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(event) = events.next().await {
            match &event {
                FlowEvent::Offline { reason, retry_in } => {
                    offline += 1;
                    assert!(reason.contains("refused"), "{reason}");
                    assert!(*retry_in >= Duration::from_secs(1));
                    if offline == 2 {
                        token_server = Some(
                            TestServer::start_on(port, vec![("/token", vec![granted()])]).await,
                        );
                    }
                }
                e if e.is_terminal() => return event,
                _ => {}
            }
        }
        panic!("no outcome")
    })
    .await
    .unwrap();
    assert!(matches!(outcome, FlowEvent::Granted(_)), "{outcome:?}");
    assert_eq!(offline, 2);
    let polls = token_server.unwrap().requests("/token");
    assert_eq!(
        polls.len(),
        1,
        "one poll after the port opened, then granted"
    );
    assert_eq!(
        polls[0].form.get("device_code").map(String::as_str),
        Some("DEVICE-CODE-SECRET")
    );
}

#[tokio::test]
async fn r11_a_body_over_one_mebibyte_is_refused_as_transient() {
    let server = TestServer::start(vec![(
        "/token",
        vec![Reply::json(200, "x".repeat(2 * 1024 * 1024))],
    )])
    .await;
    let transport = HttpTransport::new().unwrap();
    let req = HttpRequest {
        url: server.url("/token"),
        headers: vec![],
        form: vec![],
    };
    let err = transport.send(&req).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::TooLarge);
}

#[tokio::test]
async fn r11_a_server_slower_than_the_request_timeout_is_a_timeout() {
    let server = TestServer::start(vec![(
        "/token",
        vec![pending().delayed(Duration::from_secs(5))],
    )])
    .await;
    let transport =
        HttpTransport::with_timeouts(Duration::from_secs(1), Duration::from_millis(300)).unwrap();
    let req = HttpRequest {
        url: server.url("/token"),
        headers: vec![],
        form: vec![],
    };
    let err = transport.send(&req).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::Timeout, "{err}");
}
