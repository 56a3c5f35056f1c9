//! The verification pages: one form, and the pages that answer it.
//! Plain HTML with inline CSS, no scripts and no external resources, sized
//! for a phone.

const STYLE: &str = r#"
:root { color-scheme: light dark; --accent: #1a73e8; --bg: #f4f5f7; --card: #fff; --fg: #1d1f23; --muted: #5f6368; --line: #c9cdd3; --bad: #b3261e; }
@media (prefers-color-scheme: dark) { :root { --bg: #15171a; --card: #202327; --fg: #e8eaed; --muted: #9aa0a6; --line: #3c4043; --accent: #8ab4f8; --bad: #f2b8b5; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: var(--bg); color: var(--fg); font: 17px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; padding: 16px; }
main { width: 100%; max-width: 420px; background: var(--card); border-radius: 16px; padding: 28px 24px; box-shadow: 0 2px 12px rgba(0,0,0,.12); }
.badge { display: inline-block; font-size: 13px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; margin-bottom: 12px; }
h1 { font-size: 24px; margin: 0 0 8px; }
p { margin: 0 0 16px; color: var(--muted); }
label { display: block; font-weight: 600; margin: 16px 0 6px; }
input { width: 100%; font: inherit; padding: 12px 14px; border: 1px solid var(--line); border-radius: 10px; background: transparent; color: var(--fg); }
input.code { font: 600 28px/1.2 ui-monospace, "SF Mono", Menlo, Consolas, monospace; letter-spacing: .12em; text-align: center; text-transform: uppercase; }
input:focus { outline: 2px solid var(--accent); border-color: transparent; }
.buttons { display: flex; gap: 12px; margin-top: 24px; }
button { flex: 1; font-family: inherit; font-size: 18px; font-weight: 600; line-height: 1; padding: 16px; border-radius: 10px; border: 1px solid var(--line); background: transparent; color: var(--fg); cursor: pointer; }
button.approve { background: var(--accent); border-color: var(--accent); color: #fff; }
@media (prefers-color-scheme: dark) { button.approve { color: #10141a; } }
.error { color: var(--bad); font-weight: 600; }
.big { font-size: 56px; line-height: 1; margin: 4px 0 12px; }
.hint { font-size: 14px; }
.note { margin-top: 20px; }
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

/// The form: enter (or confirm a prefilled) code, then Approve or Deny.
pub fn form(prefill: &str, error: Option<&str>) -> String {
    let (title, intro) = if prefill.is_empty() {
        (
            "Enter the code",
            "Type the code shown on your TV. Case and dashes do not matter.",
        )
    } else {
        (
            "Confirm the code",
            "Check that this is the code shown on your TV, then approve.",
        )
    };
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    let prefill: String = prefill.chars().take(32).collect();
    let body = format!(
        "<h1>{title}</h1><p>{intro}</p>{error}\
         <form method=\"post\" action=\"/device\">\
         <label for=\"user_code\">Code</label>\
         <input class=\"code\" id=\"user_code\" name=\"user_code\" value=\"{prefill}\" \
           placeholder=\"BCDF-GHJK\" maxlength=\"32\" autocomplete=\"off\" autocorrect=\"off\" \
           autocapitalize=\"characters\" spellcheck=\"false\" required{autofocus}>\
         <label for=\"name\">Your name <span class=\"hint\">(optional)</span></label>\
         <input id=\"name\" name=\"name\" placeholder=\"Demo Viewer\" maxlength=\"40\" autocomplete=\"name\">\
         <div class=\"buttons\">\
         <button type=\"submit\" name=\"action\" value=\"deny\">Deny</button>\
         <button type=\"submit\" class=\"approve\" name=\"action\" value=\"approve\">Approve</button>\
         </div></form>\
         <p class=\"hint note\">This is a demo server: no account or password is needed, \
         and the identity is made up.</p>",
        title = escape(title),
        intro = escape(intro),
        prefill = escape(&prefill),
        autofocus = if prefill.is_empty() { " autofocus" } else { "" },
    );
    document(title, &body)
}

/// After Approve.
pub fn approved(user_code: &str, name: &str) -> String {
    let body = format!(
        "<div class=\"big\" aria-hidden=\"true\">✓</div><h1>Signed in</h1>\
         <p>Code {code} is approved as <strong>{name}</strong>.</p>\
         <p>You can return to your TV.</p>",
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
         <p>You can return to your TV.</p>",
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

    #[test]
    fn user_input_is_escaped() {
        let page = form("\"><script>alert(1)</script>", Some("<b>"));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&quot;&gt;&lt;script&gt;"));
        assert!(page.contains("&lt;b&gt;"));
        assert!(!approved("X", "<img src=x>").contains("<img"));
    }

    #[test]
    fn the_form_prefills_the_code_and_offers_both_choices() {
        let page = form("WDJB-MJHT", None);
        assert!(page.contains("value=\"WDJB-MJHT\""));
        assert!(page.contains("value=\"approve\""));
        assert!(page.contains("value=\"deny\""));
        assert!(!page.contains("http://") && !page.contains("https://"));
    }
}
