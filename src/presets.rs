//! Presets: a provider from a client id plus the obvious parameter.
//!
//! `apply` fills in what the preset knows (endpoints or issuer, client
//! authentication, default scope, display name). Every field the user set
//! wins over the preset's. The quirks of each provider are documented in
//! `assets/providers.example.toml`.

use crate::oauth::ClientAuth;
use crate::provider::RawProvider;

type FieldError = (&'static str, String);

/// The presets, in the order they are listed in messages.
pub const KNOWN: &[&str] = &[
    "github",
    "google",
    "microsoft",
    "keycloak",
    "okta",
    "auth0",
    "oidc",
];

/// Microsoft's shared tenants; their ID tokens name the real tenant in `tid`.
const MICROSOFT_SHARED_TENANTS: &[&str] = &["common", "organizations", "consumers"];

/// Expand `preset = "..."` into endpoints and quirks. Fields the user set
/// win over the preset's.
pub fn apply(raw: RawProvider) -> Result<RawProvider, FieldError> {
    let preset = raw.preset.clone();
    check_parameters(&raw, preset.as_deref())?;
    match preset.as_deref() {
        None => Ok(raw),
        Some("github") => Ok(github(raw)),
        Some("google") => google(raw),
        Some("microsoft") => microsoft(raw),
        Some("keycloak") => keycloak(raw),
        Some("okta") => okta(raw),
        Some("auth0") => auth0(raw),
        Some("oidc") => oidc(raw),
        Some(other) => Err((
            "preset",
            format!(
                "unknown preset `{other}`; known presets: {}",
                KNOWN.join(", ")
            ),
        )),
    }
}

/// A preset parameter set for a preset that does not use it is a mistake
/// worth naming, not something to ignore.
fn check_parameters(raw: &RawProvider, preset: Option<&str>) -> Result<(), FieldError> {
    let params: [(&'static str, bool, &[&str]); 5] = [
        ("tenant", raw.tenant.is_some(), &["microsoft"]),
        ("domain", raw.domain.is_some(), &["okta", "auth0"]),
        ("base_url", raw.base_url.is_some(), &["keycloak"]),
        ("realm", raw.realm.is_some(), &["keycloak"]),
        (
            "audience",
            raw.audience.is_some(),
            &["auth0", "okta", "oidc"],
        ),
    ];
    for (field, set, users) in params {
        let used =
            preset.is_some_and(|p| users.contains(&p)) || (field == "audience" && preset.is_none());
        if set && !used {
            return Err((
                field,
                format!(
                    "is only used by the {} preset{}",
                    users.join(" and "),
                    if users.len() > 1 { "s" } else { "" }
                ),
            ));
        }
    }
    Ok(())
}

fn set_default(field: &mut Option<String>, value: impl Into<String>) {
    if field.is_none() {
        *field = Some(value.into());
    }
}

fn required(value: &Option<String>, field: &'static str, why: &str) -> Result<String, FieldError> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err((field, format!("is missing: {why}"))),
    }
}

/// A host name such as `example.okta.com`: no scheme, no path.
fn host(value: &str, field: &'static str) -> Result<String, FieldError> {
    let v = value.trim().trim_end_matches('/');
    let ok = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if ok {
        Ok(v.to_owned())
    } else {
        Err((
            field,
            format!(
                "`{value}` is not a host name; give it without `https://` or a path (e.g. `example.okta.com`)"
            ),
        ))
    }
}

fn path_segment(value: &str, field: &'static str) -> Result<String, FieldError> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err((
            field,
            format!("`{value}` may use only letters, digits, `.`, `-` and `_`"),
        ))
    }
}

/// Only the issuer or only the endpoints: when the user gives endpoints, the
/// preset's issuer must not turn the provider into a discovery one.
fn has_endpoints(raw: &RawProvider) -> bool {
    raw.device_authorization_endpoint.is_some() || raw.token_endpoint.is_some()
}

/// GitHub: fixed endpoints, no discovery, no OIDC.
fn github(mut raw: RawProvider) -> RawProvider {
    set_default(&mut raw.name, "GitHub");
    if raw.issuer.is_none() {
        set_default(
            &mut raw.device_authorization_endpoint,
            "https://github.com/login/device/code",
        );
        set_default(
            &mut raw.token_endpoint,
            "https://github.com/login/oauth/access_token",
        );
        // Not OIDC userinfo, but it names the user: `login`, `name`, `email`.
        set_default(&mut raw.userinfo_endpoint, "https://api.github.com/user");
    }
    set_default(&mut raw.scope, "read:user");
    raw
}

/// Google: discovery from accounts.google.com; the secret is required even
/// for the "TVs and Limited Input devices" client type.
fn google(mut raw: RawProvider) -> Result<RawProvider, FieldError> {
    if raw.client_secret.as_deref().is_none_or(|s| s.is_empty()) {
        return Err((
            "client_secret",
            "is missing: Google requires the client secret of the \"TVs and Limited Input \
             devices\" client when polling"
                .into(),
        ));
    }
    set_default(&mut raw.name, "Google");
    if !has_endpoints(&raw) {
        set_default(&mut raw.issuer, "https://accounts.google.com");
    }
    if raw.client_auth.is_none() {
        raw.client_auth = Some(ClientAuth::ClientSecretPost);
    }
    set_default(&mut raw.scope, "openid email profile");
    Ok(raw)
}

/// Microsoft Entra ID: per-tenant endpoints, given outright (the shared
/// tenants' discovery documents name a templated issuer).
fn microsoft(mut raw: RawProvider) -> Result<RawProvider, FieldError> {
    let tenant = match raw.tenant.as_deref() {
        None => "common".to_owned(),
        Some(t) => path_segment(t.trim(), "tenant")?,
    };
    set_default(&mut raw.name, "Microsoft");
    let base = format!("https://login.microsoftonline.com/{tenant}");
    if raw.issuer.is_none() || has_endpoints(&raw) {
        set_default(
            &mut raw.device_authorization_endpoint,
            format!("{base}/oauth2/v2.0/devicecode"),
        );
        set_default(&mut raw.token_endpoint, format!("{base}/oauth2/v2.0/token"));
        set_default(&mut raw.jwks_uri, format!("{base}/discovery/v2.0/keys"));
        let issuer_tenant = if MICROSOFT_SHARED_TENANTS.contains(&tenant.as_str()) {
            // Checked against the ID token's `tid` claim.
            "{tenantid}".to_owned()
        } else {
            tenant.clone()
        };
        set_default(
            &mut raw.issuer,
            format!("https://login.microsoftonline.com/{issuer_tenant}/v2.0"),
        );
    }
    set_default(&mut raw.scope, "openid profile offline_access");
    Ok(raw)
}

/// Keycloak: issuer `{base_url}/realms/{realm}`, discovery.
fn keycloak(mut raw: RawProvider) -> Result<RawProvider, FieldError> {
    set_default(&mut raw.name, "Keycloak");
    if raw.issuer.is_none() && !has_endpoints(&raw) {
        let why =
            "the keycloak preset needs `base_url` (e.g. `https://sso.example.com`) and `realm`";
        let base = required(&raw.base_url, "base_url", why)?;
        let realm = path_segment(&required(&raw.realm, "realm", why)?, "realm")?;
        raw.issuer = Some(format!("{}/realms/{realm}", base.trim_end_matches('/')));
    }
    set_default(&mut raw.scope, "openid profile email");
    Ok(raw)
}

/// Okta: the `default` custom authorization server, where the device grant is
/// enabled per access policy rule. For the org authorization server set
/// `issuer = "https://{domain}"` instead.
fn okta(mut raw: RawProvider) -> Result<RawProvider, FieldError> {
    set_default(&mut raw.name, "Okta");
    if raw.issuer.is_none() && !has_endpoints(&raw) {
        let domain = required(
            &raw.domain,
            "domain",
            "the okta preset needs `domain` (e.g. `example.okta.com`)",
        )?;
        raw.issuer = Some(format!(
            "https://{}/oauth2/default",
            host(&domain, "domain")?
        ));
    }
    set_default(&mut raw.scope, "openid profile email offline_access");
    Ok(raw)
}

/// Auth0: fixed endpoints on the tenant domain; `audience` selects the API.
fn auth0(mut raw: RawProvider) -> Result<RawProvider, FieldError> {
    set_default(&mut raw.name, "Auth0");
    let domain = required(
        &raw.domain,
        "domain",
        "the auth0 preset needs `domain` (e.g. `example.eu.auth0.com`)",
    )?;
    let domain = host(&domain, "domain")?;
    let base = format!("https://{domain}");
    if raw.issuer.is_none() || has_endpoints(&raw) {
        set_default(&mut raw.issuer, format!("{base}/"));
        set_default(
            &mut raw.device_authorization_endpoint,
            format!("{base}/oauth/device/code"),
        );
        set_default(&mut raw.token_endpoint, format!("{base}/oauth/token"));
        set_default(&mut raw.revocation_endpoint, format!("{base}/oauth/revoke"));
        set_default(&mut raw.userinfo_endpoint, format!("{base}/userinfo"));
        set_default(&mut raw.jwks_uri, format!("{base}/.well-known/jwks.json"));
    }
    set_default(&mut raw.scope, "openid profile email offline_access");
    Ok(raw)
}

/// Any OpenID Provider: discovery from `issuer`.
fn oidc(mut raw: RawProvider) -> Result<RawProvider, FieldError> {
    if raw.issuer.is_none() && !has_endpoints(&raw) {
        return Err((
            "issuer",
            "is missing: the oidc preset discovers everything from `issuer`".into(),
        ));
    }
    set_default(&mut raw.scope, "openid profile email offline_access");
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::provider::{self, EndpointSource, Provider};

    fn parse(toml: &str) -> Result<Vec<Provider>, String> {
        provider::parse(toml, Path::new("providers.toml")).map_err(|e| e.to_string())
    }

    fn one(toml: &str) -> Provider {
        parse(toml).unwrap().remove(0)
    }

    fn explicit(p: &Provider) -> &provider::Endpoints {
        match &p.endpoints {
            EndpointSource::Explicit(e) => e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_preset_is_refused_with_the_known_ones_listed() {
        let err = parse("[[provider]]\nid = \"x\"\npreset = \"gitlab\"\nclient_id = \"c\"\n")
            .unwrap_err();
        assert_eq!(
            err,
            "providers.toml:1: provider `x`, field `preset`: unknown preset `gitlab`; \
             known presets: github, google, microsoft, keycloak, okta, auth0, oidc"
        );
    }

    #[test]
    fn github_preset_gives_fixed_endpoints_without_discovery() {
        let p = one("[[provider]]\nid = \"gh\"\npreset = \"github\"\nclient_id = \"Iv1.x\"\n");
        let e = explicit(&p);
        assert_eq!(
            e.device_authorization_endpoint,
            "https://github.com/login/device/code"
        );
        assert_eq!(
            e.token_endpoint,
            "https://github.com/login/oauth/access_token"
        );
        assert_eq!(e.issuer, None);
        assert_eq!(p.name, "GitHub");
        assert_eq!(p.client_auth, ClientAuth::None);
    }

    #[test]
    fn google_preset_requires_a_client_secret() {
        let err = parse("[[provider]]\nid = \"g\"\npreset = \"google\"\nclient_id = \"c\"\n")
            .unwrap_err();
        assert!(
            err.contains("field `client_secret`: is missing: Google requires"),
            "{err}"
        );
    }

    #[test]
    fn google_preset_discovers_from_accounts_google_com_with_secret_post() {
        let p = one(
            "[[provider]]\nid = \"g\"\npreset = \"google\"\nclient_id = \"c\"\nclient_secret = \"s\"\n",
        );
        assert_eq!(
            p.endpoints,
            EndpointSource::Issuer("https://accounts.google.com".into())
        );
        assert_eq!(p.client_auth, ClientAuth::ClientSecretPost);
        assert_eq!(p.scope.as_deref(), Some("openid email profile"));
    }

    #[test]
    fn microsoft_preset_defaults_to_the_common_tenant_with_offline_access() {
        let p = one("[[provider]]\nid = \"ms\"\npreset = \"microsoft\"\nclient_id = \"c\"\n");
        let e = explicit(&p);
        assert_eq!(
            e.device_authorization_endpoint,
            "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode"
        );
        assert_eq!(
            e.token_endpoint,
            "https://login.microsoftonline.com/common/oauth2/v2.0/token"
        );
        assert_eq!(
            e.issuer.as_deref(),
            Some("https://login.microsoftonline.com/{tenantid}/v2.0")
        );
        assert!(p.scope.unwrap().contains("offline_access"));
    }

    #[test]
    fn microsoft_preset_uses_a_given_tenant_in_endpoints_and_issuer() {
        let p = one(
            "[[provider]]\nid = \"ms\"\npreset = \"microsoft\"\nclient_id = \"c\"\ntenant = \"contoso.onmicrosoft.com\"\n",
        );
        let e = explicit(&p);
        assert!(
            e.token_endpoint
                .contains("/contoso.onmicrosoft.com/oauth2/v2.0/token")
        );
        assert_eq!(
            e.issuer.as_deref(),
            Some("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0")
        );
    }

    #[test]
    fn keycloak_preset_builds_the_realm_issuer() {
        let p = one(
            "[[provider]]\nid = \"kc\"\npreset = \"keycloak\"\nclient_id = \"tv\"\nbase_url = \"https://sso.example.com/\"\nrealm = \"home\"\n",
        );
        assert_eq!(
            p.endpoints,
            EndpointSource::Issuer("https://sso.example.com/realms/home".into())
        );
    }

    #[test]
    fn keycloak_preset_without_realm_says_what_it_needs() {
        let err = parse(
            "[[provider]]\nid = \"kc\"\npreset = \"keycloak\"\nclient_id = \"tv\"\nbase_url = \"https://sso.example.com\"\n",
        )
        .unwrap_err();
        assert!(err.contains("field `realm`: is missing"), "{err}");
    }

    #[test]
    fn okta_preset_uses_the_default_custom_authorization_server() {
        let p = one(
            "[[provider]]\nid = \"okta\"\npreset = \"okta\"\nclient_id = \"c\"\ndomain = \"example.okta.com\"\n",
        );
        assert_eq!(
            p.endpoints,
            EndpointSource::Issuer("https://example.okta.com/oauth2/default".into())
        );
    }

    #[test]
    fn okta_preset_lets_the_user_pick_the_org_authorization_server() {
        let p = one(
            "[[provider]]\nid = \"okta\"\npreset = \"okta\"\nclient_id = \"c\"\nissuer = \"https://example.okta.com\"\n",
        );
        assert_eq!(
            p.endpoints,
            EndpointSource::Issuer("https://example.okta.com".into())
        );
    }

    #[test]
    fn okta_domain_with_a_scheme_is_refused() {
        let err = parse(
            "[[provider]]\nid = \"okta\"\npreset = \"okta\"\nclient_id = \"c\"\ndomain = \"https://example.okta.com\"\n",
        )
        .unwrap_err();
        assert!(err.contains("is not a host name"), "{err}");
    }

    #[test]
    fn auth0_preset_gives_endpoints_and_sends_the_audience() {
        let p = one(
            "[[provider]]\nid = \"a0\"\npreset = \"auth0\"\nclient_id = \"c\"\ndomain = \"t.eu.auth0.com\"\naudience = \"https://api.example.com\"\n",
        );
        let e = explicit(&p);
        assert_eq!(
            e.device_authorization_endpoint,
            "https://t.eu.auth0.com/oauth/device/code"
        );
        assert_eq!(e.token_endpoint, "https://t.eu.auth0.com/oauth/token");
        assert_eq!(
            e.revocation_endpoint.as_deref(),
            Some("https://t.eu.auth0.com/oauth/revoke")
        );
        assert_eq!(e.issuer.as_deref(), Some("https://t.eu.auth0.com/"));
        assert!(
            p.extra_params
                .contains(&("audience".into(), "https://api.example.com".into()))
        );
    }

    #[test]
    fn oidc_preset_needs_an_issuer() {
        let err =
            parse("[[provider]]\nid = \"o\"\npreset = \"oidc\"\nclient_id = \"c\"\n").unwrap_err();
        assert!(err.contains("field `issuer`: is missing"), "{err}");
    }

    #[test]
    fn user_set_fields_win_over_the_preset() {
        let p = one(
            "[[provider]]\nid = \"gh\"\npreset = \"github\"\nclient_id = \"c\"\nname = \"Work GitHub\"\nscope = \"repo\"\n\
             device_authorization_endpoint = \"https://ghe.example.com/login/device/code\"\n",
        );
        assert_eq!(p.name, "Work GitHub");
        assert_eq!(p.scope.as_deref(), Some("repo"));
        assert_eq!(
            explicit(&p).device_authorization_endpoint,
            "https://ghe.example.com/login/device/code"
        );
    }

    #[test]
    fn preset_parameter_for_another_preset_is_named() {
        let err = parse(
            "[[provider]]\nid = \"gh\"\npreset = \"github\"\nclient_id = \"c\"\nrealm = \"home\"\n",
        )
        .unwrap_err();
        assert!(
            err.contains("field `realm`: is only used by the keycloak preset"),
            "{err}"
        );
    }

    #[test]
    fn example_providers_file_parses_and_covers_every_preset() {
        let text = include_str!("../assets/providers.example.toml");
        let providers = parse(text).unwrap();
        for preset in KNOWN {
            assert!(
                providers
                    .iter()
                    .any(|p| p.preset.as_deref() == Some(*preset)),
                "the example has no `{preset}` provider"
            );
        }
    }
}
