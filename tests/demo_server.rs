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
