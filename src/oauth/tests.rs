//! Tests of the app's use of the protocol crate over real loopback HTTP.

/// A loopback HTTP server for tests that need real requests.
pub(crate) mod test_server {
    use axum::http::{StatusCode, Uri};
    use axum::response::IntoResponse as _;

    /// `(path, status, body)`.
    pub type Route = (&'static str, u16, String);

    /// Serve `routes(base_url)` on a free loopback port; other paths answer
    /// 404. The server lives as long as the test's runtime.
    pub async fn serve(routes: impl FnOnce(&str) -> Vec<Route>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = routes(&base);
        let app = axum::Router::new().fallback(move |uri: Uri| {
            let found = routes.iter().find(|(p, _, _)| *p == uri.path()).cloned();
            async move {
                match found {
                    Some((_, status, body)) => {
                        (StatusCode::from_u16(status).unwrap(), body).into_response()
                    }
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        base
    }
}

mod discovery_over_http {
    use super::test_server::serve;
    use crate::oauth::discovery::*;
    use crate::oauth::http::HttpTransport;

    fn metadata(issuer: &str) -> String {
        format!(
            r#"{{"issuer":"{issuer}","device_authorization_endpoint":"{issuer}/device",
                "token_endpoint":"{issuer}/token"}}"#
        )
    }

    #[tokio::test]
    async fn discovery_falls_back_to_rfc8414_metadata() {
        let base = serve(|base| {
            vec![(
                "/.well-known/oauth-authorization-server/tenant",
                200,
                metadata(&format!("{base}/tenant")),
            )]
        })
        .await;
        let issuer = format!("{base}/tenant");
        let transport = HttpTransport::new().unwrap();
        let e = discover(&issuer, &transport).await.unwrap();
        assert_eq!(e.device_authorization_endpoint, format!("{issuer}/device"));
    }

    #[tokio::test]
    async fn discovery_prefers_the_openid_document() {
        let base = serve(|base| {
            vec![
                ("/.well-known/openid-configuration", 200, metadata(base)),
                ("/.well-known/oauth-authorization-server", 200, "{}".into()),
            ]
        })
        .await;
        let transport = HttpTransport::new().unwrap();
        let e = discover(&base, &transport).await.unwrap();
        assert_eq!(e.token_endpoint, format!("{base}/token"));
    }

    #[tokio::test]
    async fn discovery_without_any_document_names_both_locations() {
        let base = serve(|_| vec![]).await;
        let transport = HttpTransport::new().unwrap();
        let err = discover(&base, &transport).await.unwrap_err();
        assert!(err.is_config());
        let text = err.to_string();
        assert!(
            text.contains("/.well-known/openid-configuration answered HTTP 404"),
            "{text}"
        );
        assert!(
            text.contains("/.well-known/oauth-authorization-server answered HTTP 404"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn discovery_server_error_is_not_a_configuration_error() {
        let base = serve(|_| vec![("/.well-known/openid-configuration", 503, String::new())]).await;
        let transport = HttpTransport::new().unwrap();
        let err = discover(&base, &transport).await.unwrap_err();
        assert!(!err.is_config(), "{err:?}");
    }
}
