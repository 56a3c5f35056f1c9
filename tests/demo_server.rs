//! The embedded demo server over real HTTP, checked with plain reqwest:
//! each test names the rule it proves, and stops its server.

use std::time::Duration;

use device_signin::demo::{self, CLIENT_ID, DemoConfig, DemoServer};
use device_signin::oauth::wire::{HttpResponse, parse_device_authorization};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::Value;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn start(config: DemoConfig) -> DemoServer {
    DemoServer::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap()
}

/// Short times, so no test waits long.
fn quick() -> DemoConfig {
    DemoConfig {
        interval: Duration::from_secs(1),
        slow_down_increment: Duration::from_millis(100),
        ..DemoConfig::default()
    }
}

struct Endpoints {
    device: String,
    token: String,
    revocation: String,
    userinfo: String,
    jwks: String,
}

async fn get_json(url: &str) -> Value {
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "GET {url}");
    serde_json::from_str(&resp.text().await.unwrap()).unwrap()
}

async fn discover(server: &DemoServer) -> Endpoints {
    let d = get_json(&format!(
        "{}/.well-known/openid-configuration",
        server.issuer()
    ))
    .await;
    let s = |k: &str| d[k].as_str().unwrap().to_owned();
    Endpoints {
        device: s("device_authorization_endpoint"),
        token: s("token_endpoint"),
        revocation: s("revocation_endpoint"),
        userinfo: s("userinfo_endpoint"),
        jwks: s("jwks_uri"),
    }
}

async fn post(url: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp = http().post(url).form(form).send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

async fn authorize(e: &Endpoints) -> Value {
    let (status, body) = post(
        &e.device,
        &[("client_id", CLIENT_ID), ("scope", "openid profile email")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn poll(e: &Endpoints, device_code: &str) -> (StatusCode, Value) {
    post(
        &e.token,
        &[
            ("grant_type", DEVICE_GRANT),
            ("device_code", device_code),
            ("client_id", CLIENT_ID),
        ],
    )
    .await
}

/// A device authorization with the demo's non-standard `device_name`.
async fn authorize_named(e: &Endpoints, scope: &str, device_name: Option<&str>) -> Value {
    let mut form = vec![("client_id", CLIENT_ID), ("scope", scope)];
    if let Some(name) = device_name {
        form.push(("device_name", name));
    }
    let (status, body) = post(&e.device, &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn get_page(url: &str) -> (StatusCode, String) {
    let resp = http().get(url).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

/// The phone's page for an authorization: the `verification_uri_complete` link.
async fn phone_page(auth: &Value) -> String {
    let (status, page) = get_page(&s(auth, "verification_uri_complete")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

const PHISHING_WARNING: &str = "Only continue if you started this sign-in on a TV in front of you. \
     If someone sent you this code or link, deny it.";

fn error_of(answer: &(StatusCode, Value)) -> &str {
    assert_eq!(answer.0, StatusCode::BAD_REQUEST, "{}", answer.1);
    answer.1["error"].as_str().unwrap()
}

fn s(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

/// Device authorization, approval on the page, and the first poll.
async fn sign_in(e: &Endpoints, issuer: &str) -> Value {
    let auth = authorize(e).await;
    demo::approve(issuer, &s(&auth, "user_code")).await.unwrap();
    let (status, tokens) = poll(e, &s(&auth, "device_code")).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

#[tokio::test]
async fn discovery_names_every_endpoint_and_es256() {
    let server = start(DemoConfig::default()).await;
    let d = get_json(&server.discovery_url()).await;
    let i = server.issuer();
    assert!(i.starts_with("http://127.0.0.1:"), "{i}");
    assert_eq!(d["issuer"], i);
    for key in [
        "device_authorization_endpoint",
        "token_endpoint",
        "revocation_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
    ] {
        assert!(s(&d, key).starts_with(i), "{key}: {}", d[key]);
    }
    let grants = d["grant_types_supported"].as_array().unwrap();
    assert!(grants.contains(&DEVICE_GRANT.into()));
    assert!(grants.contains(&"refresh_token".into()));
    assert_eq!(
        d["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
    server.stop().await;
}

#[tokio::test]
async fn device_authorization_answer_has_the_rfc_8628_shape() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let resp = http()
        .post(&e.device)
        .form(&[("client_id", CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let text = resp.text().await.unwrap();
    let auth: Value = serde_json::from_str(&text).unwrap();

    let device_code = s(&auth, "device_code");
    assert!(device_code.len() >= 43, "32 random bytes, base64url");
    let user_code = s(&auth, "user_code");
    assert_eq!(user_code.len(), 9);
    assert_eq!(&user_code[4..5], "-");
    assert!(
        user_code
            .chars()
            .filter(|c| *c != '-')
            .all(|c| "BCDFGHJKLMNPQRSTVWXZ".contains(c)),
        "{user_code}"
    );
    let uri = format!("{}/device", server.issuer());
    assert_eq!(auth["verification_uri"], uri.as_str());
    assert_eq!(
        auth["verification_uri_complete"],
        format!("{uri}?user_code={user_code}").as_str()
    );
    assert_eq!(auth["expires_in"], 600);
    assert_eq!(auth["interval"], 5);

    // The app's own parser takes it as it is.
    let parsed = parse_device_authorization(&HttpResponse::json(200, &text)).unwrap();
    assert_eq!(parsed.user_code, user_code);
    assert!(!parsed.interval_defaulted);
    assert_eq!(server.stats().device_codes_issued, 1);
    server.stop().await;
}

#[tokio::test]
async fn pending_then_slow_down_on_an_early_poll_then_tokens_after_approval() {
    let server = start(quick()).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    let code = s(&auth, "device_code");

    assert_eq!(error_of(&poll(&e, &code).await), "authorization_pending");
    let early = poll(&e, &code).await;
    assert_eq!(error_of(&early), "slow_down");
    assert!(early.1["error_description"].is_string());

    demo::approve(server.issuer(), &s(&auth, "user_code"))
        .await
        .unwrap();
    // The interval is now 1 s + 100 ms, counted from the early poll.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (status, tokens) = poll(&e, &code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert!(tokens["access_token"].is_string());
    assert!(tokens["refresh_token"].is_string());
    assert!(tokens["id_token"].is_string());

    let stats = server.stats();
    assert_eq!(stats.slow_downs, 1);
    assert_eq!(stats.approvals, 1);
    assert_eq!(stats.tokens_issued, 1);
    server.stop().await;
}

#[tokio::test]
async fn a_poll_one_interval_after_the_previous_is_not_slowed_down() {
    let server = start(quick()).await;
    let e = discover(&server).await;
    let code = s(&authorize(&e).await, "device_code");
    assert_eq!(error_of(&poll(&e, &code).await), "authorization_pending");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(error_of(&poll(&e, &code).await), "authorization_pending");
    assert_eq!(server.stats().slow_downs, 0);
    server.stop().await;
}

#[tokio::test]
async fn id_token_verifies_with_the_jwks_and_names_the_viewer() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    demo::approve_as(server.issuer(), &s(&auth, "user_code"), "Ada Lovelace")
        .await
        .unwrap();
    let (_, tokens) = poll(&e, &s(&auth, "device_code")).await;
    let id_token = s(&tokens, "id_token");

    let jwks: JwkSet = serde_json::from_value(get_json(&e.jwks).await).unwrap();
    let header = jsonwebtoken::decode_header(&id_token).unwrap();
    assert_eq!(header.alg, Algorithm::ES256);
    let jwk = jwks.find(header.kid.as_deref().unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&[CLIENT_ID]);
    validation.set_issuer(&[server.issuer()]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    let claims =
        jsonwebtoken::decode::<Value>(&id_token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
            .unwrap()
            .claims;
    assert_eq!(claims["name"], "Ada Lovelace");
    assert_eq!(claims["preferred_username"], "ada.lovelace");
    assert_eq!(claims["email"], "ada.lovelace@demo.invalid");
    assert_eq!(claims["sub"], "demo-ada.lovelace");

    // A token signed by anyone else does not verify.
    let mut forged = id_token.clone();
    forged.replace_range(forged.len() - 4.., "AAAA");
    assert!(
        jsonwebtoken::decode::<Value>(&forged, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
            .is_err()
    );

    let info = http()
        .get(&e.userinfo)
        .bearer_auth(s(&tokens, "access_token"))
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), StatusCode::OK);
    let info: Value = serde_json::from_str(&info.text().await.unwrap()).unwrap();
    assert_eq!(info["sub"], claims["sub"]);
    assert_eq!(info["name"], "Ada Lovelace");
    server.stop().await;
}

#[tokio::test]
async fn the_default_identity_is_demo_viewer() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let tokens = sign_in(&e, server.issuer()).await;
    let info = http()
        .get(&e.userinfo)
        .bearer_auth(s(&tokens, "access_token"))
        .send()
        .await
        .unwrap();
    let info: Value = serde_json::from_str(&info.text().await.unwrap()).unwrap();
    assert_eq!(info["name"], "Demo Viewer");
    assert_eq!(info["email"], "viewer@demo.invalid");
    assert_eq!(info["preferred_username"], "viewer");
    server.stop().await;
}

#[tokio::test]
async fn refresh_rotates_and_a_rotated_out_refresh_token_is_rejected() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let first = sign_in(&e, server.issuer()).await;
    let refresh = |token: String| {
        let url = e.token.clone();
        async move {
            post(
                &url,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &token),
                    ("client_id", CLIENT_ID),
                ],
            )
            .await
        }
    };
    let (status, second) = refresh(s(&first, "refresh_token")).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_ne!(second["access_token"], first["access_token"]);

    let reused = refresh(s(&first, "refresh_token")).await;
    assert_eq!(error_of(&reused), "invalid_grant");
    assert_eq!(server.stats().refresh_reuses, 1);
    server.stop().await;
}

#[tokio::test]
async fn revocation_answers_200_and_a_revoked_token_gets_401_from_userinfo() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let tokens = sign_in(&e, server.issuer()).await;
    let access = s(&tokens, "access_token");

    let (status, _) = post(
        &e.revocation,
        &[
            ("token", &access),
            ("token_type_hint", "access_token"),
            ("client_id", CLIENT_ID),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let info = http()
        .get(&e.userinfo)
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), StatusCode::UNAUTHORIZED);
    assert!(
        info.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );

    // RFC 7009 §2.2: an unknown token is not an error.
    let (status, _) = post(
        &e.revocation,
        &[("token", "never-issued"), ("client_id", CLIENT_ID)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Revoking the refresh token ends the grant: it cannot refresh.
    let (status, _) = post(
        &e.revocation,
        &[
            ("token", &s(&tokens, "refresh_token")),
            ("client_id", CLIENT_ID),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let refreshed = post(
        &e.token,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &s(&tokens, "refresh_token")),
            ("client_id", CLIENT_ID),
        ],
    )
    .await;
    assert_eq!(error_of(&refreshed), "invalid_grant");
    server.stop().await;
}

#[tokio::test]
async fn userinfo_without_a_token_is_401() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let resp = http().get(&e.userinfo).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn denial_on_the_page_answers_access_denied() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    demo::deny(server.issuer(), &s(&auth, "user_code"))
        .await
        .unwrap();
    let answer = poll(&e, &s(&auth, "device_code")).await;
    assert_eq!(error_of(&answer), "access_denied");
    // A decided code cannot be decided again.
    let again = demo::approve(server.issuer(), &s(&auth, "user_code")).await;
    assert!(again.unwrap_err().contains("409"));
    assert_eq!(server.stats().denials, 1);
    server.stop().await;
}

#[tokio::test]
async fn an_expired_code_answers_expired_token_and_cannot_be_approved() {
    let config = DemoConfig {
        expires_in: Duration::from_secs(1),
        ..DemoConfig::default()
    };
    let server = start(config).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    assert_eq!(auth["expires_in"], 1);
    // On the wire the interval never exceeds the lifetime (clients refuse that).
    assert_eq!(auth["interval"], 1);
    let text = auth.to_string();
    assert!(parse_device_authorization(&HttpResponse::json(200, &text)).is_ok());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let answer = poll(&e, &s(&auth, "device_code")).await;
    assert_eq!(error_of(&answer), "expired_token");
    // The link gets the expired page, not a form with a time left.
    let (status, page) = get_page(&s(&auth, "verification_uri_complete")).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("This code has expired"), "{page}");
    assert!(!page.contains("expires in"), "{page}");
    let late = demo::approve(server.issuer(), &s(&auth, "user_code")).await;
    assert!(late.unwrap_err().contains("expired"));
    server.stop().await;
}

#[tokio::test]
async fn the_device_code_is_single_use() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    demo::approve(server.issuer(), &s(&auth, "user_code"))
        .await
        .unwrap();
    let (status, tokens) = poll(&e, &s(&auth, "device_code")).await;
    assert_eq!(status, StatusCode::OK);
    let second = poll(&e, &s(&auth, "device_code")).await;
    assert_eq!(error_of(&second), "invalid_grant");
    // The second redemption revoked what the first one got.
    let info = http()
        .get(&e.userinfo)
        .bearer_auth(s(&tokens, "access_token"))
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(server.stats().device_code_reuses, 1);
    server.stop().await;
}

#[tokio::test]
async fn the_page_accepts_the_code_in_lower_case_without_the_dash() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    let typed = s(&auth, "user_code").replace('-', "").to_lowercase();
    // The helper also takes the link printed in demo mode.
    demo::approve(&server.verification_uri(), &typed)
        .await
        .unwrap();
    let (status, _) = poll(&e, &s(&auth, "device_code")).await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn the_page_is_prefilled_from_the_complete_uri() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    let resp = http()
        .get(s(&auth, "verification_uri_complete"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = resp.text().await.unwrap();
    assert!(page.contains(&format!("value=\"{}\"", s(&auth, "user_code"))));
    assert!(page.contains("Approve") && page.contains("Deny"));
    server.stop().await;
}

#[tokio::test]
async fn wrong_codes_are_rate_limited_with_a_429_page() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize(&e).await;
    let page = format!("{}/device", server.issuer());
    for _ in 0..5 {
        let resp = http()
            .post(&page)
            .form(&[("user_code", "BBBB-BBBB"), ("action", "approve")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        assert!(resp.text().await.unwrap().contains("not valid"));
    }
    // Now even the right code waits.
    let resp = http()
        .post(&page)
        .form(&[
            ("user_code", s(&auth, "user_code").as_str()),
            ("action", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    assert!(resp.text().await.unwrap().contains("Too many wrong codes"));
    let stats = server.stats();
    assert_eq!(
        (stats.wrong_codes, stats.rate_limited, stats.approvals),
        (5, 1, 0)
    );
    server.stop().await;
}

#[tokio::test]
async fn unknown_client_ids_get_invalid_client() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let answer = post(&e.device, &[("client_id", "someone-else")]).await;
    assert_eq!(error_of(&answer), "invalid_client");
    let code = s(&authorize(&e).await, "device_code");
    let answer = post(
        &e.token,
        &[
            ("grant_type", DEVICE_GRANT),
            ("device_code", &code),
            ("client_id", "someone-else"),
        ],
    )
    .await;
    assert_eq!(error_of(&answer), "invalid_client");
    server.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_400_with_an_oauth_error() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let repeated = post(
        &e.device,
        &[("client_id", CLIENT_ID), ("client_id", CLIENT_ID)],
    )
    .await;
    assert_eq!(error_of(&repeated), "invalid_request");
    let repeated_name = post(
        &e.device,
        &[
            ("client_id", CLIENT_ID),
            ("device_name", "TV"),
            ("device_name", "TV"),
        ],
    )
    .await;
    assert_eq!(error_of(&repeated_name), "invalid_request");
    let no_grant = post(&e.token, &[("client_id", CLIENT_ID)]).await;
    assert_eq!(error_of(&no_grant), "invalid_request");
    let other_grant = post(
        &e.token,
        &[("grant_type", "password"), ("client_id", CLIENT_ID)],
    )
    .await;
    assert_eq!(error_of(&other_grant), "unsupported_grant_type");
    let unknown_code = poll(&e, "not-a-device-code").await;
    assert_eq!(error_of(&unknown_code), "invalid_grant");

    let resp = http()
        .post(format!("{}/device", server.issuer()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("user_code=%ZZ&action=%")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = http()
        .post(format!("{}/device", server.issuer()))
        .form(&[("user_code", "BCDF-GHJK"), ("action", "maybe")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    server.stop().await;
}

#[tokio::test]
async fn the_phone_page_names_the_device_the_scopes_in_words_and_the_time_left() {
    let server = start(DemoConfig {
        expires_in: Duration::from_secs(14 * 60),
        ..DemoConfig::default()
    })
    .await;
    let e = discover(&server).await;
    let auth = authorize_named(
        &e,
        "openid profile email offline_access",
        Some("Living room TV"),
    )
    .await;
    let page = phone_page(&auth).await;
    assert!(
        page.contains("<bdi>Living room TV</bdi></strong> wants to sign in"),
        "{page}"
    );
    for words in [
        "<li>Confirm who you are</li>",
        "<li>See your name</li>",
        "<li>See your e-mail address</li>",
        "<li>Stay signed in on this device</li>",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    assert!(page.contains("This code expires in 14 minutes."), "{page}");
    assert!(page.contains(PHISHING_WARNING), "{page}");
    assert!(page.contains(&s(&auth, "user_code")));
    assert!(page.contains("value=\"approve\"") && page.contains("value=\"deny\""));
    // The device code is the TV's secret: never on the phone.
    assert!(!page.contains(&s(&auth, "device_code")));
    server.stop().await;
}

#[tokio::test]
async fn a_typed_code_leads_to_the_same_details_before_anything_is_approved() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize_named(&e, "openid", Some("Kitchen TV")).await;
    // The first step is a lookup (GET), so typing a code approves nothing.
    let (status, entry) = get_page(&server.verification_uri()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        entry.contains(r#"<form method="get" action="/device">"#),
        "{entry}"
    );
    assert!(!entry.contains("value=\"approve\""), "{entry}");
    assert!(entry.contains(PHISHING_WARNING), "{entry}");

    let typed = s(&auth, "user_code").replace('-', "").to_lowercase();
    let url = reqwest::Url::parse_with_params(&server.verification_uri(), [("user_code", &typed)])
        .unwrap();
    let (status, page) = get_page(url.as_str()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("<bdi>Kitchen TV</bdi>"), "{page}");
    assert!(page.contains("<li>Confirm who you are</li>"), "{page}");
    assert!(page.contains("This code expires in 10 minutes."), "{page}");
    assert!(page.contains(&format!("value=\"{}\"", s(&auth, "user_code"))));
    assert_eq!(server.stats().approvals + server.stats().denials, 0);
    server.stop().await;
}

#[tokio::test]
async fn a_device_name_is_escaped_stripped_of_controls_and_capped() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let hostile = "\u{202E}<script>alert(1)</script>\u{7}\u{2066} TV\u{2069}\u{202C}";
    let page = phone_page(&authorize_named(&e, "openid", Some(hostile)).await).await;
    assert!(
        page.contains("<bdi>&lt;script&gt;alert(1)&lt;/script&gt; TV</bdi>"),
        "{page}"
    );
    assert!(!page.contains("<script>"));
    for c in ['\u{202E}', '\u{7}', '\u{2066}', '\u{2069}', '\u{202C}'] {
        assert!(!page.contains(c), "U+{:04X} on the page", u32::from(c));
    }

    let long = "x".repeat(100);
    let page = phone_page(&authorize_named(&e, "openid", Some(&long)).await).await;
    assert!(
        page.contains(&format!("<bdi>{}</bdi>", "x".repeat(64))),
        "{page}"
    );
    assert!(!page.contains(&"x".repeat(65)));
    server.stop().await;
}

#[tokio::test]
async fn without_a_device_name_the_page_says_a_tv_or_other_device() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    for name in [None, Some(""), Some("  \u{202E}\u{7} ")] {
        let page = phone_page(&authorize_named(&e, "openid", name).await).await;
        assert!(
            page.contains("A TV or other device wants to sign in"),
            "{name:?}: {page}"
        );
        assert!(!page.contains("<bdi>"), "{name:?}: {page}");
    }
    server.stop().await;
}

#[tokio::test]
async fn after_approving_the_page_says_to_go_back_to_the_tv() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let page_url = server.verification_uri();
    for action in ["approve", "deny"] {
        let auth = authorize(&e).await;
        let resp = http()
            .post(&page_url)
            .form(&[
                ("user_code", s(&auth, "user_code").as_str()),
                ("action", action),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let page = resp.text().await.unwrap();
        assert!(
            page.contains("You can go back to your TV"),
            "{action}: {page}"
        );
        assert!(!page.contains(&s(&auth, "device_code")));
    }
    server.stop().await;
}

#[tokio::test]
async fn the_code_placeholder_does_not_look_like_a_code() {
    let server = start(DemoConfig::default()).await;
    let (status, page) = get_page(&server.verification_uri()).await;
    assert_eq!(status, StatusCode::OK);
    let input = &page[page.find(r#"id="user_code""#).unwrap()..];
    let input = &input[..input.find('>').unwrap()];
    let start = input.find("placeholder=\"").unwrap() + "placeholder=\"".len();
    let placeholder = &input[start..start + input[start..].find('"').unwrap()];
    assert_eq!(placeholder, "Code from your TV");
    assert_eq!(demo::normalise_user_code(placeholder), None);
    // No placeholder anywhere has a code's shape (four letters, dash, four letters).
    for p in page.split("placeholder=\"").skip(1) {
        let p = &p[..p.find('"').unwrap()];
        let code_shaped = p
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .any(|w| {
                w.len() == 9
                    && w.char_indices().all(|(i, c)| {
                        if i == 4 {
                            c == '-'
                        } else {
                            c.is_ascii_uppercase()
                        }
                    })
            });
        assert!(!code_shaped, "{p}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_wrong_code_in_the_link_shows_no_details_and_counts_towards_the_limit() {
    let server = start(DemoConfig::default()).await;
    let e = discover(&server).await;
    let auth = authorize_named(&e, "openid", Some("Living room TV")).await;
    let wrong = format!("{}?user_code=BBBB-BBBB", server.verification_uri());
    for _ in 0..5 {
        let (status, page) = get_page(&wrong).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(page.contains("not valid"), "{page}");
        assert!(!page.contains("wants to sign in") && !page.contains("expires in"));
    }
    // Looking codes up is no way round the limit: now the right one waits too.
    let (status, page) = get_page(&s(&auth, "verification_uri_complete")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!page.contains("Living room TV"), "{page}");
    let stats = server.stats();
    assert_eq!((stats.wrong_codes, stats.rate_limited), (5, 1));
    server.stop().await;
}

#[test]
fn a_background_server_runs_without_a_runtime_and_stops() {
    let server =
        DemoServer::spawn_background("127.0.0.1:0".parse().unwrap(), DemoConfig::default())
            .unwrap();
    let addr = server.addr();
    assert!(std::net::TcpStream::connect(addr).is_ok());
    server.shutdown();
    assert!(std::net::TcpStream::connect(addr).is_err());
}
