//! The verification pages: one form, and the pages that answer it.
//! Plain HTML with inline CSS, no scripts and no external resources, sized
//! for a phone.

use std::time::Duration;

use super::state::{PendingGrant, hides_or_reorders_text};

const STYLE: &str = r#"
:root { color-scheme: light dark; --accent: #1a73e8; --bg: #f4f5f7; --card: #fff; --fg: #1d1f23; --muted: #5f6368; --line: #c9cdd3; --bad: #b3261e; --warn-bg: #fff8e5; --warn-line: #e8c36a; }
@media (prefers-color-scheme: dark) { :root { --bg: #15171a; --card: #202327; --fg: #e8eaed; --muted: #9aa0a6; --line: #3c4043; --accent: #8ab4f8; --bad: #f2b8b5; --warn-bg: #2a2416; --warn-line: #75602a; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: var(--bg); color: var(--fg); font: 17px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; padding: 16px; }
main { width: 100%; max-width: 420px; background: var(--card); border-radius: 16px; padding: 28px 24px; box-shadow: 0 2px 12px rgba(0,0,0,.12); }
.badge { display: inline-block; font-size: 13px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; margin-bottom: 12px; }
h1 { font-size: 24px; margin: 0 0 8px; }
p { margin: 0 0 16px; color: var(--muted); }
label { display: block; font-weight: 600; margin: 16px 0 6px; }
input { width: 100%; font: inherit; padding: 12px 14px; border: 1px solid var(--line); border-radius: 10px; background: transparent; color: var(--fg); }
input.code { font: 600 28px/1.2 ui-monospace, "SF Mono", Menlo, Consolas, monospace; letter-spacing: .12em; text-align: center; text-transform: uppercase; }
input.code::placeholder { font: 400 17px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; letter-spacing: normal; text-transform: none; }
input:focus { outline: 2px solid var(--accent); border-color: transparent; }
.buttons { display: flex; gap: 12px; margin-top: 24px; }
button { flex: 1; font-family: inherit; font-size: 18px; font-weight: 600; line-height: 1; padding: 16px; border-radius: 10px; border: 1px solid var(--line); background: transparent; color: var(--fg); cursor: pointer; }
button.approve { background: var(--accent); border-color: var(--accent); color: #fff; }
@media (prefers-color-scheme: dark) { button.approve { color: #10141a; } }
.error { color: var(--bad); font-weight: 600; }
.big { font-size: 56px; line-height: 1; margin: 4px 0 12px; }
.hint { font-size: 14px; }
.note { margin-top: 20px; }
.warn { color: var(--fg); background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 10px; padding: 12px 14px; margin-top: 20px; font-size: 15px; }
.label { font-weight: 600; color: var(--fg); margin: 16px 0 6px; }
.shown-code { font: 600 28px/1.2 ui-monospace, "SF Mono", Menlo, Consolas, monospace; letter-spacing: .12em; text-align: center; color: var(--fg); border: 1px dashed var(--line); border-radius: 10px; padding: 10px; margin: 0 0 8px; }
ul.scopes { margin: -8px 0 16px; padding-left: 22px; }
ul.scopes li { margin: 2px 0; }
.next { color: var(--fg); font-weight: 600; }
a { color: var(--accent); }
"#;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title} · device-signin demo</title><style>{STYLE}</style></head>\
         <body><main><div class=\"badge\">Demo sign-in</div>{body}</main></body></html>\n",
        title = escape(title),
    )
}

/// Said on every page that leads to Approve: device-code phishing sends
/// people a real code or link to approve for someone else's device.
pub const PHISHING_WARNING: &str = "Only continue if you started this sign-in on a TV in front of you. \
     If someone sent you this code or link, deny it.";
/// The code input's placeholder: words, so it cannot be taken for a code.
pub const CODE_PLACEHOLDER: &str = "Code from your TV";
/// Who is asking, when the device did not say.
pub const UNNAMED_DEVICE: &str = "A TV or other device";

fn warning() -> String {
    format!(
        "<p class=\"warn\" role=\"note\"><strong>Check first.</strong> {}</p>",
        escape(PHISHING_WARNING)
    )
}

fn error_line(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default()
}

/// Step one: enter the code. It only looks the code up (a GET to the same
/// page, as the `verification_uri_complete` link does), so nothing is
/// approved before the person has seen which device asks, and for what.
pub fn enter(prefill: &str, error: Option<&str>) -> String {
    let title = "Enter the code";
    let prefill: String = prefill.chars().take(32).collect();
    let body = format!(
        "<h1>{title}</h1><p>Type the code shown on your TV. Case and dashes do not matter.</p>\
         {error}{warning}\
         <form method=\"get\" action=\"/device\">\
         <label for=\"user_code\">Code</label>\
         <input class=\"code\" id=\"user_code\" name=\"user_code\" value=\"{prefill}\" \
           placeholder=\"{placeholder}\" maxlength=\"32\" autocomplete=\"off\" autocorrect=\"off\" \
           autocapitalize=\"characters\" spellcheck=\"false\" required autofocus>\
         <div class=\"buttons\">\
         <button type=\"submit\" class=\"approve\">Continue</button>\
         </div></form>{demo_note}",
        error = error_line(error),
        warning = warning(),
        prefill = escape(&prefill),
        placeholder = escape(CODE_PLACEHOLDER),
        demo_note = DEMO_NOTE,
    );
    document(title, &body)
}

/// Step two, and where the `verification_uri_complete` link lands: which
/// device asks, what it may do, how long the code has left, then Approve
/// or Deny. Nothing here is secret: the user code is on the TV anyway.
pub fn confirm(grant: &PendingGrant) -> String {
    let title = "Confirm the sign-in";
    let device = match &grant.device_name {
        Some(name) => format!("<strong><bdi>{}</bdi></strong>", escape(name)),
        None => escape(UNNAMED_DEVICE),
    };
    let scopes: String = grant
        .scope
        .split_whitespace()
        .map(|s| format!("<li>{}</li>", escape(&scope_in_words(s))))
        .collect();
    let scopes = if scopes.is_empty() {
        String::new()
    } else {
        format!("<p>It asks to:</p><ul class=\"scopes\">{scopes}</ul>")
    };
    let body = format!(
        "<h1>{title}</h1>\
         <p>{device} wants to sign in with your demo account.</p>\
         <p class=\"label\">Code</p><p class=\"shown-code\">{code}</p>\
         <p class=\"hint\">Check that this is the code on your TV. \
         <a href=\"/device\">Enter a different code</a></p>\
         {scopes}\
         <p><strong>{expiry}</strong></p>\
         {warning}\
         <form method=\"post\" action=\"/device\">\
         <input type=\"hidden\" name=\"user_code\" value=\"{code}\">\
         <label for=\"name\">Your name <span class=\"hint\">(optional)</span></label>\
         <input id=\"name\" name=\"name\" placeholder=\"Demo Viewer\" maxlength=\"40\" autocomplete=\"name\">\
         <div class=\"buttons\">\
         <button type=\"submit\" name=\"action\" value=\"deny\">Deny</button>\
         <button type=\"submit\" class=\"approve\" name=\"action\" value=\"approve\">Approve</button>\
         </div></form>{demo_note}",
        code = escape(&grant.user_code),
        expiry = escape(&expires_in_words(grant.expires_in)),
        warning = warning(),
        demo_note = DEMO_NOTE,
    );
    document(title, &body)
}

const DEMO_NOTE: &str = "<p class=\"hint note\">This is a demo server: no account or password is \
     needed, and the identity is made up.</p>";

/// A scope as the person approving reads it; unknown ones by name. Not
/// escaped yet.
pub fn scope_in_words(scope: &str) -> String {
    match scope {
        "openid" => "Confirm who you are".to_owned(),
        "profile" => "See your name".to_owned(),
        "email" => "See your e-mail address".to_owned(),
        "offline_access" => "Stay signed in on this device".to_owned(),
        other => {
            let shown: String = other
                .chars()
                .filter(|c| !hides_or_reorders_text(*c))
                .take(64)
                .collect();
            format!("Use “{shown}”")
        }
    }
}

/// "This code expires in 14 minutes": whole minutes rounded up, and "less
/// than a minute" in the last one.
pub fn expires_in_words(left: Duration) -> String {
    const MINUTE: Duration = Duration::from_secs(60);
    if left < MINUTE {
        return "This code expires in less than a minute.".to_owned();
    }
    let minutes = left.as_nanos().div_ceil(MINUTE.as_nanos());
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("This code expires in {minutes} {unit}.")
}

/// After Approve.
pub fn approved(user_code: &str, name: &str) -> String {
    let body = format!(
        "<div class=\"big\" aria-hidden=\"true\">✓</div><h1>Signed in</h1>\
         <p>Code {code} is approved as <strong>{name}</strong>.</p>\
         <p class=\"next\">You can go back to your TV. It finishes signing in by itself; \
         there is nothing more to do here.</p>",
        code = escape(user_code),
        name = escape(name),
    );
    document("Signed in", &body)
}

/// After Deny.
pub fn denied(user_code: &str) -> String {
    let body = format!(
        "<div class=\"big\" aria-hidden=\"true\">✕</div><h1>Sign-in declined</h1>\
         <p>Code {code} was denied; nobody was signed in.</p>\
         <p class=\"next\">You can go back to your TV.</p>",
        code = escape(user_code),
    );
    document("Declined", &body)
}

/// A page that ends the visit with a message and a way back.
pub fn message(title: &str, text: &str) -> String {
    let body = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"/device\">Enter another code</a></p>",
        escape(title),
        escape(text)
    );
    document(title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(device_name: Option<&str>, scope: &str, secs: u64) -> PendingGrant {
        PendingGrant {
            user_code: "WDJB-MJHT".to_owned(),
            device_name: device_name.map(str::to_owned),
            scope: scope.to_owned(),
            expires_in: Duration::from_secs(secs),
        }
    }

    #[test]
    fn user_input_is_escaped() {
        let page = enter("\"><script>alert(1)</script>", Some("<b>"));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&quot;&gt;&lt;script&gt;"));
        assert!(page.contains("&lt;b&gt;"));
        assert!(!approved("X", "<img src=x>").contains("<img"));
        let page = confirm(&pending(Some("<img src=x>\"'&"), "openid <x>", 600));
        assert!(!page.contains("<img") && !page.contains("<x>"));
        assert!(page.contains("&lt;img src=x&gt;&quot;&#39;&amp;"));
        assert!(page.contains("Use “&lt;x&gt;”"));
    }

    #[test]
    fn the_confirm_page_carries_the_code_and_offers_both_choices() {
        let page = confirm(&pending(None, "openid", 600));
        assert!(page.contains("type=\"hidden\" name=\"user_code\" value=\"WDJB-MJHT\""));
        assert!(page.contains("value=\"approve\""));
        assert!(page.contains("value=\"deny\""));
        assert!(page.contains("method=\"post\""));
        assert!(!page.contains("http://") && !page.contains("https://"));
    }

    #[test]
    fn the_entry_page_only_looks_the_code_up() {
        let page = enter("", None);
        assert!(page.contains("method=\"get\" action=\"/device\""));
        assert!(!page.contains("value=\"approve\""));
        assert!(page.contains(PHISHING_WARNING));
        assert!(page.contains(&format!("placeholder=\"{CODE_PLACEHOLDER}\"")));
    }

    #[test]
    fn scopes_are_said_in_words_and_unknown_ones_by_name() {
        assert_eq!(scope_in_words("openid"), "Confirm who you are");
        assert_eq!(scope_in_words("profile"), "See your name");
        assert_eq!(scope_in_words("email"), "See your e-mail address");
        assert_eq!(
            scope_in_words("offline_access"),
            "Stay signed in on this device"
        );
        assert_eq!(scope_in_words("calendar.read"), "Use “calendar.read”");
        assert_eq!(scope_in_words("a\u{202E}b\u{7}"), "Use “ab”");
        let page = confirm(&pending(None, "openid email calendar.read", 600));
        assert!(page.contains(
            "<ul class=\"scopes\"><li>Confirm who you are</li>\
             <li>See your e-mail address</li><li>Use “calendar.read”</li></ul>"
        ));
    }

    #[test]
    fn the_time_left_is_whole_minutes_rounded_up_then_less_than_a_minute() {
        let words = |ms: u64| expires_in_words(Duration::from_millis(ms));
        assert_eq!(words(840_000), "This code expires in 14 minutes.");
        assert_eq!(words(839_001), "This code expires in 14 minutes.");
        assert_eq!(words(780_001), "This code expires in 14 minutes.");
        assert_eq!(words(780_000), "This code expires in 13 minutes.");
        assert_eq!(words(60_001), "This code expires in 2 minutes.");
        assert_eq!(words(60_000), "This code expires in 1 minute.");
        assert_eq!(words(59_999), "This code expires in less than a minute.");
        assert_eq!(words(1), "This code expires in less than a minute.");
    }

    #[test]
    fn an_unnamed_device_is_a_tv_or_other_device() {
        let page = confirm(&pending(None, "openid", 600));
        assert!(page.contains("A TV or other device wants to sign in"));
        let page = confirm(&pending(Some("Living room TV"), "openid", 600));
        assert!(page.contains("<strong><bdi>Living room TV</bdi></strong> wants to sign in"));
    }

    #[test]
    fn after_approving_the_page_says_to_go_back_to_the_tv() {
        assert!(approved("WDJB-MJHT", "Ada").contains("You can go back to your TV"));
        assert!(denied("WDJB-MJHT").contains("You can go back to your TV"));
    }
}
