//! The providers file (TOML): which authorization servers the kiosk offers.
//!
//! ```toml
//! [[provider]]
//! id = "github"
//! name = "GitHub"
//! client_id = "Iv1.0123456789abcdef"
//! device_authorization_endpoint = "https://github.com/login/device/code"
//! token_endpoint = "https://github.com/login/oauth/access_token"
//! scope = "read:user"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::oauth::wire::check_trusted_uri;
use crate::oauth::{ClientAuth, ClientConfig, ClientSecret};

/// Where endpoints come from: discovery from an issuer, or given outright.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointSource {
    Issuer(String),
    Explicit(Endpoints),
}

pub use crate::oauth::Endpoints;

/// One configured provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub client_id: String,
    pub client_secret: Option<ClientSecret>,
    pub client_auth: ClientAuth,
    pub scope: Option<String>,
    pub scope_param: String,
    pub extra_params: Vec<(String, String)>,
    pub endpoints: EndpointSource,
    /// The preset this provider was built from, if any.
    pub preset: Option<String>,
    /// The embedded demo server: labelled as a demo everywhere.
    pub demo: bool,
    /// A custom mark for the provider's tile (`logo =`, SVG or PNG),
    /// checked to be readable when the file is loaded.
    pub logo: Option<PathBuf>,
}

impl Provider {
    /// A public client with explicit endpoints and nothing else set: what
    /// tests and small programs start from.
    pub fn explicit(
        id: &str,
        name: &str,
        device_authorization_endpoint: &str,
        token_endpoint: &str,
    ) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            client_id: "client".to_owned(),
            client_secret: None,
            client_auth: ClientAuth::default(),
            scope: None,
            scope_param: "scope".to_owned(),
            extra_params: Vec::new(),
            endpoints: EndpointSource::Explicit(Endpoints {
                device_authorization_endpoint: device_authorization_endpoint.to_owned(),
                token_endpoint: token_endpoint.to_owned(),
                ..Endpoints::default()
            }),
            preset: None,
            demo: false,
            logo: None,
        }
    }

    /// The protocol view of this provider, once its endpoints are known.
    pub fn client_config(&self, endpoints: &Endpoints) -> ClientConfig {
        ClientConfig {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            client_auth: self.client_auth,
            scope: self.scope.clone(),
            scope_param: self.scope_param.clone(),
            extra_params: self.extra_params.clone(),
            device_authorization_endpoint: endpoints.device_authorization_endpoint.clone(),
            token_endpoint: endpoints.token_endpoint.clone(),
            allow_http_verification: self.demo,
            hook: None,
        }
    }

    /// Whether the sign-in asks for an OpenID Connect ID token.
    pub fn requests_openid(&self) -> bool {
        self.scope
            .as_deref()
            .is_some_and(|s| s.split_ascii_whitespace().any(|s| s == "openid"))
    }

    /// Why ID tokens from this provider cannot be checked, if they cannot:
    /// explicit endpoints without `issuer`. Such ID tokens are not used.
    pub fn id_token_warning(&self) -> Option<String> {
        match &self.endpoints {
            EndpointSource::Explicit(e) if e.issuer.is_none() && self.requests_openid() => {
                Some(format!(
                    "provider `{}`: ID tokens will not be checked without `issuer`, so they are \
                     not used or stored; set `issuer` to check them",
                    self.id
                ))
            }
            _ => None,
        }
    }

    /// The host a person would recognise ("github.com"), for messages.
    pub fn host(&self) -> String {
        let url = match &self.endpoints {
            EndpointSource::Issuer(i) => i.as_str(),
            EndpointSource::Explicit(e) => e.device_authorization_endpoint.as_str(),
        };
        url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| url.to_owned())
    }
}

/// A warning when `path` holds a client secret and others can read it.
pub fn secret_readable_warning(path: &Path, providers: &[Provider]) -> Option<String> {
    use std::os::unix::fs::PermissionsExt as _;
    let with_secret: Vec<&str> = providers
        .iter()
        .filter(|p| p.client_secret.is_some())
        .map(|p| p.id.as_str())
        .collect();
    if with_secret.is_empty() {
        return None;
    }
    use std::os::unix::fs::MetadataExt as _;
    let meta = std::fs::metadata(path).ok()?;
    let mode = meta.permissions().mode();
    // SAFETY: getegid has no preconditions and cannot fail.
    let my_group = unsafe { libc::getegid() };
    // Group-readable is fine when the group is this process's own (the
    // kiosk's `root:device-signin 0640`); another group, or everyone, is not.
    let others = mode & 0o004 != 0;
    let other_group = mode & 0o040 != 0 && meta.gid() != my_group;
    (others || other_group).then(|| {
        let who = if others {
            "every user can read it"
        } else {
            "a group other than this user's can read it"
        };
        format!(
            "{} holds a client_secret (for {}) and {who} (mode {:o}); run `chmod 0640 {}` and \
             give it the group of the user device-signin runs as (`chmod 0600` for a single \
             user)",
            path.display(),
            with_secret.join(", "),
            mode & 0o777,
            path.display()
        )
    })
}

/// A problem with the providers file, naming the file, the line and the field.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// The providers file's default place: `$XDG_CONFIG_HOME/device-signin/providers.toml`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "device-signin")
        .map(|d| d.config_dir().join("providers.toml"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The screens' language, over the environment's (`--lang` wins).
    language: Option<toml::Spanned<String>>,
    /// The high-contrast look.
    high_contrast: Option<bool>,
    /// This TV's name on the code screen (default: the host name).
    device_name: Option<toml::Spanned<String>>,
    #[serde(default)]
    provider: Vec<toml::Spanned<RawProvider>>,
}

/// The providers file's settings outside `[[provider]]` tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub language: Option<crate::i18n::Lang>,
    pub high_contrast: Option<bool>,
    pub device_name: Option<String>,
}

/// The longest device name shown.
pub const DEVICE_NAME_MAX: usize = 40;

/// The fields of a `[[provider]]` table, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub id: String,
    pub name: Option<String>,
    pub preset: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_auth: Option<ClientAuth>,
    pub scope: Option<String>,
    pub scope_param: Option<String>,
    pub issuer: Option<String>,
    pub device_authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    /// Preset parameters.
    pub tenant: Option<String>,
    pub domain: Option<String>,
    pub base_url: Option<String>,
    pub realm: Option<String>,
    pub audience: Option<String>,
    /// Extra parameters for the device authorization request.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The tile's mark: an SVG or PNG file, relative to the providers file.
    pub logo: Option<String>,
}

/// Read and check a providers file.
pub fn load(path: &Path) -> Result<Vec<Provider>, ConfigError> {
    load_with_settings(path).map(|(providers, _)| providers)
}

/// Read and check a providers file, with its settings.
pub fn load_with_settings(path: &Path) -> Result<(Vec<Provider>, Settings), ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_with_settings(&text, path)
}

/// Parse and check the text of a providers file; `path` is for messages.
pub fn parse(text: &str, path: &Path) -> Result<Vec<Provider>, ConfigError> {
    parse_with_settings(text, path).map(|(providers, _)| providers)
}

/// Parse and check the text of a providers file, with its settings.
pub fn parse_with_settings(
    text: &str,
    path: &Path,
) -> Result<(Vec<Provider>, Settings), ConfigError> {
    let invalid = |line: usize, message: String| ConfigError::Invalid {
        path: path.to_owned(),
        line,
        message,
    };
    let secrets = secret_values(text);
    for value in &secrets {
        crate::oauth::secret::hold_for_good(value);
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        // serde's message may quote the value ("invalid type: integer
        // `…`"): a secret's value is never repeated, whatever the shape.
        let message = without_values(e.message().trim(), &secrets);
        // serde names the bad value but not its key; the line does.
        match key_on_line(text, line) {
            Some(key) if key.trim_matches(['"', '\'']) == "client_secret" => invalid(
                line,
                "field `client_secret`: must be a string in quotes (the value is not shown)"
                    .to_owned(),
            ),
            Some(key) if !message.contains(&format!("`{key}`")) => {
                invalid(line, format!("field `{key}`: {message}"))
            }
            _ => invalid(line, message),
        }
    })?;
    let mut settings = Settings {
        high_contrast: raw.high_contrast,
        ..Settings::default()
    };
    if let Some(language) = &raw.language {
        let line = line_of(text, language.span().start);
        let name = language.get_ref();
        settings.language = Some(crate::i18n::Lang::parse(name).ok_or_else(|| {
            invalid(
                line,
                format!(
                    "field `language`: `{}` is not a language this app speaks; use one of {}",
                    crate::terminal::plain(name),
                    crate::i18n::Lang::ALL.map(|l| l.tag()).join(", ")
                ),
            )
        })?);
    }
    if let Some(name) = &raw.device_name {
        let line = line_of(text, name.span().start);
        settings.device_name = Some(device_name(name.get_ref()).ok_or_else(|| {
            invalid(
                line,
                format!(
                    "field `device_name`: write a name of 1 to {DEVICE_NAME_MAX} characters, \
                     without control characters"
                ),
            )
        })?);
    }
    if raw.provider.is_empty() {
        return Err(invalid(
            1,
            "no [[provider]] tables: add at least one provider".into(),
        ));
    }
    let mut providers: Vec<Provider> = Vec::new();
    for spanned in raw.provider {
        let line = line_of(text, spanned.span().start);
        let raw = spanned.into_inner();
        let id = raw.id.clone();
        let mut provider = build(raw).map_err(|(field, msg)| {
            invalid(line, format!("provider `{id}`, field `{field}`: {msg}"))
        })?;
        if let Some(logo) = &provider.logo {
            let checked = check_logo(logo, path).map_err(|msg| {
                invalid(
                    line,
                    format!(
                        "provider `{id}`, field `logo`: {}",
                        crate::terminal::plain(&msg)
                    ),
                )
            })?;
            provider.logo = Some(checked);
        }
        if providers.iter().any(|p| p.id == provider.id) {
            return Err(invalid(
                line,
                format!(
                    "provider `{}`, field `id`: the id is used twice",
                    provider.id
                ),
            ));
        }
        providers.push(provider);
    }
    Ok((providers, settings))
}

/// A device name as shown: trimmed, 1 to `DEVICE_NAME_MAX` characters, no
/// control or direction-override characters (which could disguise it).
pub fn device_name(name: &str) -> Option<String> {
    let name = name.trim();
    let bad =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let count = name.chars().count();
    (count > 0 && count <= DEVICE_NAME_MAX && !name.chars().any(bad)).then(|| name.to_owned())
}

/// This machine's host name, as a device name when none is configured.
pub fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at
    // most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    device_name(std::str::from_utf8(&buf[..end]).ok()?)
}

/// Every value written for a `client_secret`, in any TOML shape (a table,
/// an inline table, a quoted key, an array), and on any line whose key names
/// it when the file does not even parse: what config errors must not quote.
fn secret_values(text: &str) -> Vec<String> {
    fn collect(value: &toml::Value, under_secret: bool, out: &mut Vec<String>) {
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    collect(v, under_secret || k == "client_secret", out);
                }
            }
            toml::Value::Array(items) => {
                for v in items {
                    collect(v, under_secret, out);
                }
            }
            toml::Value::String(s) if under_secret => out.push(s.clone()),
            other if under_secret => out.push(other.to_string()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = text.parse::<toml::Value>() {
        collect(&value, false, &mut out);
    }
    for line in text.lines() {
        if let Some((key, value)) = line.split_once('=')
            && key.contains("client_secret")
        {
            let value = value
                .trim()
                .trim_matches(['"', '\'', ',', '}', ']', '[', '{', ' ']);
            if !value.is_empty() {
                out.push(value.to_owned());
            }
        }
    }
    out.retain(|v| !v.trim().is_empty());
    out
}

/// `message` with each of `values` replaced by `[value not shown]`: quoted
/// (in backticks or double quotes) whatever its length, bare when it is long
/// enough not to be an ordinary word.
fn without_values(message: &str, values: &[String]) -> String {
    let mut out = message.to_owned();
    for v in values {
        for quoted in [format!("`{v}`"), format!("\"{v}\"")] {
            out = out.replace(&quoted, "[value not shown]");
        }
        if v.chars().count() >= 4 {
            out = out.replace(v.as_str(), "[value not shown]");
        }
    }
    out
}

fn key_on_line(text: &str, line: usize) -> Option<&str> {
    let (key, _) = text.lines().nth(line.checked_sub(1)?)?.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then_some(key)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

type FieldError = (&'static str, String);

fn build(raw: RawProvider) -> Result<Provider, FieldError> {
    let raw = crate::presets::apply(raw)?;
    if raw.id.is_empty()
        || !raw
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err((
            "id",
            "must be non-empty and use only letters, digits, `-` and `_`".into(),
        ));
    }
    let client_id = raw
        .client_id
        .filter(|s| !s.trim().is_empty())
        .ok_or(("client_id", "is missing".to_owned()))?;
    let client_secret = raw
        .client_secret
        .filter(|s| !s.is_empty())
        .map(ClientSecret::new);
    let client_auth = match (raw.client_auth, &client_secret) {
        (Some(ClientAuth::None), Some(_)) => {
            return Err((
                "client_auth",
                "is `none` but a client_secret is set; use client_secret_post or client_secret_basic".into(),
            ));
        }
        (Some(auth @ (ClientAuth::ClientSecretPost | ClientAuth::ClientSecretBasic)), None) => {
            return Err((
                "client_secret",
                format!("is missing, and client_auth `{}` needs it", auth_name(auth)),
            ));
        }
        (Some(auth), _) => auth,
        (None, Some(_)) => ClientAuth::ClientSecretPost,
        (None, None) => ClientAuth::None,
    };
    let url_field =
        |field: &'static str, value: Option<String>| -> Result<Option<String>, FieldError> {
            match value {
                None => Ok(None),
                Some(v) => check_trusted_uri(&v)
                    .map(|()| Some(v))
                    .map_err(|e| (field, e)),
            }
        };
    let issuer = url_field("issuer", raw.issuer)?;
    let device = url_field(
        "device_authorization_endpoint",
        raw.device_authorization_endpoint,
    )?;
    let token = url_field("token_endpoint", raw.token_endpoint)?;
    let revocation = url_field("revocation_endpoint", raw.revocation_endpoint)?;
    let userinfo = url_field("userinfo_endpoint", raw.userinfo_endpoint)?;
    let jwks_uri = url_field("jwks_uri", raw.jwks_uri)?;
    let endpoints = match (issuer, device, token) {
        (issuer, Some(device), Some(token)) => EndpointSource::Explicit(Endpoints {
            issuer,
            device_authorization_endpoint: device,
            token_endpoint: token,
            revocation_endpoint: revocation,
            userinfo_endpoint: userinfo,
            jwks_uri,
            revocation_auth_methods: Vec::new(),
        }),
        (Some(issuer), None, None) => EndpointSource::Issuer(issuer),
        (_, Some(_), None) => return Err(("token_endpoint", "is missing".into())),
        (_, None, Some(_)) => return Err(("device_authorization_endpoint", "is missing".into())),
        (None, None, None) => {
            return Err((
                "issuer",
                "is missing: give `issuer`, or `device_authorization_endpoint` and `token_endpoint`".into(),
            ));
        }
    };
    let mut extra_params: Vec<(String, String)> = raw.params.into_iter().collect();
    if let Some(audience) = raw.audience {
        extra_params.push(("audience".into(), audience));
    }
    Ok(Provider {
        name: raw
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| raw.id.clone()),
        id: raw.id,
        client_id,
        client_secret,
        client_auth,
        scope: raw.scope.filter(|s| !s.trim().is_empty()),
        scope_param: raw.scope_param.unwrap_or_else(|| "scope".into()),
        extra_params,
        endpoints,
        preset: raw.preset,
        demo: false,
        logo: raw.logo.filter(|l| !l.trim().is_empty()).map(PathBuf::from),
    })
}

/// The largest logo file read (a tile's mark is a few kilobytes).
pub const LOGO_MAX_BYTES: u64 = 1024 * 1024;

/// A `logo =` path made absolute (against the providers file's folder) and
/// checked: a readable SVG or PNG file of at most `LOGO_MAX_BYTES`.
fn check_logo(logo: &Path, file: &Path) -> Result<PathBuf, String> {
    let path = if logo.is_absolute() {
        logo.to_owned()
    } else {
        file.parent().unwrap_or(Path::new(".")).join(logo)
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("svg" | "png")) {
        return Err(format!(
            "`{}`: must be an .svg or .png file",
            path.display()
        ));
    }
    let meta =
        std::fs::metadata(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("`{}` is not a file", path.display()));
    }
    if meta.len() > LOGO_MAX_BYTES {
        return Err(format!(
            "`{}` is {} bytes; a logo may be at most {LOGO_MAX_BYTES}",
            path.display(),
            meta.len()
        ));
    }
    std::fs::File::open(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    Ok(path)
}

fn auth_name(auth: ClientAuth) -> &'static str {
    match auth {
        ClientAuth::None => "none",
        ClientAuth::ClientSecretPost => "client_secret_post",
        ClientAuth::ClientSecretBasic => "client_secret_basic",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_providers_file_with_a_secret_that_others_can_read_is_warned_about() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("providers.toml");
        std::fs::write(
            &path,
            "[[provider]]\nid = \"x\"\nclient_id = \"c\"\nclient_secret = \"s3cr3t\"\n\
             client_auth = \"client_secret_post\"\n\
             device_authorization_endpoint = \"https://as.example/device\"\n\
             token_endpoint = \"https://as.example/token\"\n",
        )
        .unwrap();
        let providers = load(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let warning = secret_readable_warning(&path, &providers).expect("a warning");
        assert!(warning.contains("chmod 0640"), "{warning}");
        assert!(warning.contains("every user can read it"), "{warning}");
        assert!(!warning.contains("s3cr3t"), "never the secret itself");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(secret_readable_warning(&path, &providers), None);
        // Readable by this process's own group only: the kiosk's setup.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(secret_readable_warning(&path, &providers), None);
    }

    #[test]
    fn explicit_endpoints_without_issuer_warn_that_id_tokens_go_unchecked() {
        let text = "[[provider]]\nid = \"x\"\nclient_id = \"c\"\nscope = \"openid profile\"\n\
                    device_authorization_endpoint = \"https://as.example/device\"\n\
                    token_endpoint = \"https://as.example/token\"\n";
        let p = parse(text, Path::new("p.toml")).unwrap().remove(0);
        let warning = p.id_token_warning().expect("a warning");
        assert!(warning.contains("without `issuer`"), "{warning}");
        let with_issuer = parse(
            &format!("{text}issuer = \"https://as.example\"\n"),
            Path::new("p.toml"),
        )
        .unwrap()
        .remove(0);
        assert_eq!(with_issuer.id_token_warning(), None);
    }

    fn parse_str(text: &str) -> Result<Vec<Provider>, ConfigError> {
        parse(text, Path::new("/etc/providers.toml"))
    }

    fn message(text: &str) -> String {
        parse_str(text).unwrap_err().to_string()
    }

    const GOOD: &str = r#"
[[provider]]
id = "github"
name = "GitHub"
client_id = "Iv1.abc"
scope = "read:user"
device_authorization_endpoint = "https://github.com/login/device/code"
token_endpoint = "https://github.com/login/oauth/access_token"

[[provider]]
id = "auth0"
client_id = "abc"
client_secret = "shh"
client_auth = "client_secret_basic"
scope_param = "scopes"
issuer = "https://tenant.auth0.com/"
audience = "https://api.example.com"
[provider.params]
prompt = "consent"
"#;

    #[test]
    fn a_providers_file_gives_endpoints_auth_and_extra_parameters() {
        let providers = parse_str(GOOD).unwrap();
        assert_eq!(providers.len(), 2);
        let github = &providers[0];
        assert_eq!(github.name, "GitHub");
        assert_eq!(github.client_auth, ClientAuth::None);
        let EndpointSource::Explicit(e) = &github.endpoints else {
            panic!()
        };
        let cfg = github.client_config(e);
        assert_eq!(
            cfg.token_endpoint,
            "https://github.com/login/oauth/access_token"
        );
        assert_eq!(cfg.scope.as_deref(), Some("read:user"));
        let auth0 = &providers[1];
        assert_eq!(auth0.name, "auth0");
        assert_eq!(auth0.client_auth, ClientAuth::ClientSecretBasic);
        assert_eq!(auth0.scope_param, "scopes");
        assert_eq!(
            auth0.endpoints,
            EndpointSource::Issuer("https://tenant.auth0.com/".into())
        );
        assert!(
            auth0
                .extra_params
                .contains(&("prompt".into(), "consent".into()))
        );
        assert!(
            auth0
                .extra_params
                .contains(&("audience".into(), "https://api.example.com".into()))
        );
        assert!(!format!("{auth0:?}").contains("shh"));
    }

    #[test]
    fn a_secret_without_client_auth_is_sent_in_the_form() {
        let text = GOOD.replace("client_auth = \"client_secret_basic\"\n", "");
        assert_eq!(
            parse_str(&text).unwrap()[1].client_auth,
            ClientAuth::ClientSecretPost
        );
    }

    #[test]
    fn a_syntax_error_names_the_file_and_the_line() {
        let msg = message("[[provider]]\nid = \"x\"\nclient_id = \n");
        assert!(msg.starts_with("/etc/providers.toml:3:"), "{msg}");
    }

    #[test]
    fn a_client_secret_that_is_not_a_string_is_named_but_never_quoted() {
        for value in [
            "918273645501928374",
            "1.5e300",
            "1979-05-27",
            "\"unterminated",
        ] {
            let msg = message(&GOOD.replace("\"shh\"", value));
            assert!(
                msg.starts_with("/etc/providers.toml:13: field `client_secret`: must be a string"),
                "{msg}"
            );
            let bare = value.trim_start_matches('"');
            assert!(!msg.contains(bare), "the secret is quoted: {msg}");
        }
        // Other fields still quote what was wrong with them.
        let msg = message(&GOOD.replace("\"consent\"", "12345"));
        assert!(msg.contains("12345"), "{msg}");
    }

    #[test]
    fn an_unknown_field_is_named_with_its_line() {
        let msg = message(&GOOD.replace("scope = \"read:user\"", "scoep = \"read:user\""));
        assert!(msg.starts_with("/etc/providers.toml:6:"), "{msg}");
        assert!(msg.contains("scoep"), "{msg}");
    }

    #[test]
    fn a_wrong_client_auth_value_is_named() {
        let msg = message(&GOOD.replace("client_secret_basic", "magic"));
        assert!(
            msg.starts_with("/etc/providers.toml:14: field `client_auth`"),
            "{msg}"
        );
        assert!(msg.contains("magic"), "{msg}");
    }

    #[test]
    fn a_missing_client_id_names_the_provider_line_and_field() {
        let msg = message(&GOOD.replace("client_id = \"abc\"\n", ""));
        assert!(msg.starts_with("/etc/providers.toml:10:"), "{msg}");
        assert!(msg.contains("provider `auth0`, field `client_id`"), "{msg}");
    }

    #[test]
    fn missing_endpoints_are_named() {
        let msg = message(&GOOD.replace("issuer = \"https://tenant.auth0.com/\"\n", ""));
        assert!(msg.contains("field `issuer`"), "{msg}");
        let msg = message(&GOOD.replace(
            "token_endpoint = \"https://github.com/login/oauth/access_token\"\n",
            "",
        ));
        assert!(
            msg.contains("provider `github`, field `token_endpoint`: is missing"),
            "{msg}"
        );
    }

    #[test]
    fn endpoints_must_be_https_or_loopback() {
        let msg = message(&GOOD.replace(
            "https://github.com/login/device/code",
            "http://github.com/login/device/code",
        ));
        assert!(
            msg.contains("field `device_authorization_endpoint`"),
            "{msg}"
        );
        assert!(parse_str(&GOOD.replace("https://github.com", "http://127.0.0.1:8080")).is_ok());
    }

    #[test]
    fn client_secret_auth_needs_a_secret() {
        let msg = message(&GOOD.replace("client_secret = \"shh\"\n", ""));
        assert!(msg.contains("field `client_secret`"), "{msg}");
    }

    #[test]
    fn duplicate_ids_and_an_empty_file_are_refused() {
        let msg = message(&GOOD.replace("id = \"auth0\"", "id = \"github\""));
        assert!(msg.contains("used twice"), "{msg}");
        let msg = message("# nothing here\n");
        assert!(msg.contains("no [[provider]]"), "{msg}");
    }

    #[test]
    fn a_logo_is_resolved_against_the_providers_file_and_must_be_a_readable_svg_or_png() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("providers.toml");
        std::fs::write(dir.path().join("mark.svg"), "<svg/>").unwrap();
        std::fs::write(dir.path().join("mark.gif"), "GIF89a").unwrap();
        let table = |logo: &str| {
            format!(
                "[[provider]]\nid = \"x\"\nclient_id = \"c\"\nissuer = \"https://example.com\"\nlogo = \"{logo}\"\n"
            )
        };
        let ok = parse(&table("mark.svg"), &file).unwrap();
        assert_eq!(
            ok[0].logo.as_deref(),
            Some(dir.path().join("mark.svg").as_path())
        );
        let missing = parse(&table("nothing.svg"), &file).unwrap_err().to_string();
        assert!(missing.contains("field `logo`: cannot read"), "{missing}");
        assert!(missing.contains("providers.toml:1:"), "{missing}");
        let gif = parse(&table("mark.gif"), &file).unwrap_err().to_string();
        assert!(gif.contains("must be an .svg or .png file"), "{gif}");
    }

    #[test]
    fn language_high_contrast_and_device_name_are_read_and_checked() {
        let base =
            "\n[[provider]]\nid = \"x\"\nclient_id = \"c\"\nissuer = \"https://example.com\"\n";
        let path = Path::new("/etc/providers.toml");
        let (_, settings) = parse_with_settings(
            &format!("language = \"de_AT\"\nhigh_contrast = true\ndevice_name = \" Lobby \"{base}"),
            path,
        )
        .unwrap();
        assert_eq!(settings.language, Some(crate::i18n::Lang::De));
        assert_eq!(settings.high_contrast, Some(true));
        assert_eq!(settings.device_name.as_deref(), Some("Lobby"));
        let bad = parse_with_settings(&format!("\nlanguage = \"tlh\"{base}"), path)
            .unwrap_err()
            .to_string();
        assert!(bad.contains("providers.toml:2:"), "{bad}");
        assert!(
            bad.contains(
                "`tlh` is not a language this app speaks; use one of en, de, fr, es, pt-BR, ja, ar"
            ),
            "{bad}"
        );
        let spoof = parse_with_settings(&format!("device_name = \"TV\\u202egoB\"{base}"), path)
            .unwrap_err()
            .to_string();
        assert!(spoof.contains("field `device_name`"), "{spoof}");
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let err = load(Path::new("/nonexistent/providers.toml")).unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent/providers.toml"),
            "{err}"
        );
    }
}
