//! The viewer's language: Fluent messages bundled from `assets/i18n`.
//!
//! Every word the GUI and plain `login` show lives in
//! `assets/i18n/<lang>/device-signin.ftl`; plurals go through each locale's
//! plural rules and numbers through its digits and grouping. The language
//! comes from `--lang`, the providers file's `language =`, or the POSIX
//! environment (`LC_ALL`, then `LC_MESSAGES`, then `LANG`, with `LANGUAGE`
//! as a fallback list), and anything else falls back to English.
//!
//! Scripts do not read translations: JSON events, exit codes, log lines and
//! technical details (a server's `error`, an OS error) stay English.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub use fluent_bundle::FluentValue as Value;

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    De,
    Fr,
    Es,
    PtBr,
    Ja,
    Ar,
    /// English made 40 % longer and accented, to find clipped layouts.
    Pseudo,
}

const SOURCES: [(Lang, &str, &str); 7] = [
    (
        Lang::En,
        "en",
        include_str!("../assets/i18n/en/device-signin.ftl"),
    ),
    (
        Lang::De,
        "de",
        include_str!("../assets/i18n/de/device-signin.ftl"),
    ),
    (
        Lang::Fr,
        "fr",
        include_str!("../assets/i18n/fr/device-signin.ftl"),
    ),
    (
        Lang::Es,
        "es",
        include_str!("../assets/i18n/es/device-signin.ftl"),
    ),
    (
        Lang::PtBr,
        "pt-BR",
        include_str!("../assets/i18n/pt-BR/device-signin.ftl"),
    ),
    (
        Lang::Ja,
        "ja",
        include_str!("../assets/i18n/ja/device-signin.ftl"),
    ),
    (
        Lang::Ar,
        "ar",
        include_str!("../assets/i18n/ar/device-signin.ftl"),
    ),
];

impl Lang {
    /// Every real locale (the pseudo-locale is not one).
    pub const ALL: [Lang; 7] = [
        Lang::En,
        Lang::De,
        Lang::Fr,
        Lang::Es,
        Lang::PtBr,
        Lang::Ja,
        Lang::Ar,
    ];

    /// The BCP 47 tag (`pt-BR`); the pseudo-locale is `en-XA`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Pseudo => "en-XA",
            other => SOURCES
                .iter()
                .find(|(l, ..)| *l == other)
                .map(|(_, tag, _)| *tag)
                .unwrap_or("en"),
        }
    }

    /// The `.ftl` source this locale was built from.
    pub fn source(self) -> &'static str {
        let lang = if self == Lang::Pseudo { Lang::En } else { self };
        SOURCES
            .iter()
            .find(|(l, ..)| *l == lang)
            .map(|(.., src)| *src)
            .unwrap_or(SOURCES[0].2)
    }

    /// Right to left: the layout mirrors.
    pub fn rtl(self) -> bool {
        self == Lang::Ar
    }

    /// Needs a CJK font, which the app does not bundle.
    pub fn needs_cjk(self) -> bool {
        self == Lang::Ja
    }

    /// A language named by a person or a locale: `de`, `de-AT`,
    /// `de_DE.UTF-8@euro`, `pt_BR`, `ja-JP`, `C`, `en-XA` (the
    /// pseudo-locale). `C` and `POSIX` are English. `None` for a language
    /// this app does not speak.
    pub fn parse(name: &str) -> Option<Lang> {
        let name = name.trim();
        // `de_DE.UTF-8@euro` → `de_DE`.
        let base = name.split(['.', '@']).next().unwrap_or("");
        if base.eq_ignore_ascii_case("c") || base.eq_ignore_ascii_case("posix") {
            return Some(Lang::En);
        }
        let mut parts = base.split(['_', '-']);
        let language = parts.next()?.to_ascii_lowercase();
        let region = parts.next().map(str::to_ascii_uppercase);
        Some(match language.as_str() {
            "en" if region.as_deref() == Some("XA") => Lang::Pseudo,
            "pseudo" => Lang::Pseudo,
            "en" => Lang::En,
            "de" => Lang::De,
            "fr" => Lang::Fr,
            "es" => Lang::Es,
            // Brazilian Portuguese is the Portuguese this app has.
            "pt" => Lang::PtBr,
            "ja" => Lang::Ja,
            "ar" => Lang::Ar,
            _ => return None,
        })
    }

    /// The language of the environment: the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty names the locale
    /// (POSIX order). If the app does not speak it, `LANGUAGE`'s
    /// colon-separated list is tried in order. A `C` or `POSIX` locale is
    /// English, and then `LANGUAGE` is ignored, as gettext does.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        let set = |key: &str| var(key).filter(|v| !v.trim().is_empty());
        let locale = set("LC_ALL")
            .or_else(|| set("LC_MESSAGES"))
            .or_else(|| set("LANG"));
        if let Some(locale) = &locale {
            let base = locale.split(['.', '@']).next().unwrap_or("");
            if base.eq_ignore_ascii_case("c") || base.eq_ignore_ascii_case("posix") {
                return Lang::En;
            }
            if let Some(lang) = Lang::parse(locale).filter(|l| *l != Lang::Pseudo) {
                return lang;
            }
        }
        set("LANGUAGE")
            .into_iter()
            .flat_map(|list| {
                list.split(':')
                    .filter_map(|l| Lang::parse(l).filter(|l| *l != Lang::Pseudo))
                    .collect::<Vec<_>>()
            })
            .next()
            .unwrap_or(Lang::En)
    }

    /// The message `id`, without arguments.
    pub fn t(self, id: &str) -> String {
        self.tr(id, &[])
    }

    /// The message `id` with named arguments. A message missing here comes
    /// from English; one missing there too shows its id (a test proves
    /// every locale has every English message).
    pub fn tr(self, id: &str, args: &[(&str, Value<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        for lang in [self, Lang::En] {
            let bundle = bundle(lang);
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(id, lang = lang.tag(), ?errors, "a message did not format");
            }
            return text.into_owned();
        }
        tracing::warn!(id, "no such message");
        id.to_owned()
    }

    /// A number in this locale's digits and grouping.
    pub fn number(self, n: u64) -> String {
        format_number(self, n)
    }

    /// `m:ss` in this locale's digits.
    pub fn clock(self, secs: u64) -> String {
        let clock = format!("{}:{:02}", secs / 60, secs % 60);
        if self == Lang::Ar {
            arabic_digits(&clock)
        } else {
            clock
        }
    }
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    // One slot per variant, in declaration order.
    static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 8] = [const { OnceLock::new() }; 8];
    BUNDLES[lang as usize].get_or_init(|| build(lang))
}

fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let tag = if lang == Lang::Pseudo {
        "en"
    } else {
        lang.tag()
    };
    let id = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks (U+2068/U+2069) would show in terminals and are not
    // needed: URLs and codes are laid out on their own, not inside a
    // sentence of the other direction.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match lang {
        Lang::Ar => format_ar,
        Lang::De | Lang::Es | Lang::PtBr => format_dot,
        Lang::Fr => format_fr,
        _ => format_comma,
    }));
    if lang == Lang::Pseudo {
        bundle.set_transform(Some(pseudo));
    }
    match FluentResource::try_new(lang.source().to_owned()) {
        Ok(resource) => {
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::warn!(lang = lang.tag(), ?errors, "messages repeated in a locale");
            }
        }
        Err((resource, errors)) => {
            tracing::warn!(lang = lang.tag(), ?errors, "a locale file does not parse");
            let _ = bundle.add_resource(resource);
        }
    }
    bundle
}

fn whole(value: &FluentValue) -> Option<u64> {
    match value {
        FluentValue::Number(n) if n.value >= 0.0 && n.value.fract() == 0.0 => Some(n.value as u64),
        _ => None,
    }
}

// Fluent's formatter is a plain `fn`, which cannot know its locale: one
// per grouping, each going through `format_number`.
fn format_comma<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole(value).map(|n| format_number(Lang::En, n))
}

fn format_dot<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole(value).map(|n| format_number(Lang::De, n))
}

fn format_fr<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole(value).map(|n| format_number(Lang::Fr, n))
}

fn format_ar<M>(value: &FluentValue, _: &M) -> Option<String> {
    whole(value).map(|n| format_number(Lang::Ar, n))
}

/// Digits and grouping, per locale.
fn format_number(lang: Lang, n: u64) -> String {
    match lang {
        Lang::Ar => arabic_digits(&group(n, "\u{066c}")),
        Lang::De | Lang::Es | Lang::PtBr => group(n, "."),
        Lang::Fr => group(n, "\u{202f}"),
        _ => group(n, ","),
    }
}

/// Thousands grouped with `sep`, from four digits on.
fn group(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// 0–9 as Arabic-Indic digits (٠–٩), as Arabic text writes them.
fn arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x0660 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// The pseudo-locale: every letter accented, and each text 40 % longer
/// (rounded up) with word-like padding that can wrap.
fn pseudo(text: &str) -> Cow<'_, str> {
    if text.trim().is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out: String = text
        .chars()
        .map(|c| match c {
            'a' => 'á',
            'e' => 'é',
            'i' => 'î',
            'o' => 'ö',
            'u' => 'ü',
            'c' => 'ç',
            'n' => 'ñ',
            's' => 'š',
            'y' => 'ý',
            'A' => 'Å',
            'E' => 'É',
            'I' => 'Î',
            'O' => 'Ö',
            'U' => 'Û',
            'C' => 'Ç',
            'S' => 'Š',
            other => other,
        })
        .collect();
    let len = text.chars().count();
    let extra = (len * 2).div_ceil(5);
    let trailing_space = out.ends_with(' ');
    let mut added = 0;
    let mut pad = String::new();
    while added < extra {
        let word = (extra - added).min(6);
        if !pad.is_empty() || !trailing_space {
            pad.push(' ');
            added += 1;
        }
        pad.extend(std::iter::repeat_n('x', word));
        added += word;
    }
    if trailing_space {
        out.push_str(pad.trim_start());
        out.push(' ');
    } else {
        out.push_str(&pad);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::FluentResource;
    use std::collections::BTreeSet;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    /// Message ids and, for each, its attribute names.
    fn ids(source: &str) -> BTreeSet<String> {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("does not parse: {errors:?}"),
        };
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                fluent_syntax::ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_locale_has_every_english_message_and_no_others() {
        let english = ids(Lang::En.source());
        assert!(english.len() > 50, "{} messages", english.len());
        for lang in Lang::ALL {
            let these = ids(lang.source());
            let missing: Vec<_> = english.difference(&these).collect();
            let extra: Vec<_> = these.difference(&english).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.tag());
            assert!(extra.is_empty(), "{} has extra {extra:?}", lang.tag());
        }
    }

    #[test]
    fn every_message_formats_in_every_locale_without_errors() {
        let args: Vec<(&str, Value)> = vec![
            ("provider", "Example".into()),
            ("name", "Ada".into()),
            ("host", "login.example.com".into()),
            ("device", "Living room TV".into()),
            ("seconds", 5.into()),
            ("minutes", 15.into()),
            ("detail", "detail".into()),
            ("scopes", "openid".into()),
        ];
        let mut fluent_args = FluentArgs::new();
        for (k, v) in &args {
            fluent_args.set(*k, v.clone());
        }
        for lang in Lang::ALL {
            let bundle = bundle(lang);
            for id in ids(lang.source()).iter().filter(|id| !id.starts_with('-')) {
                let message = bundle.get_message(id).expect("present");
                let pattern = message.value().expect("a value");
                let mut errors = vec![];
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                assert!(errors.is_empty(), "{} {id}: {errors:?}", lang.tag());
                assert!(!text.trim().is_empty(), "{} {id} is empty", lang.tag());
            }
        }
    }

    #[test]
    fn plurals_follow_each_locales_rules() {
        let minutes = |lang: Lang, n: u64| lang.tr("code-expires-in", &[("minutes", n.into())]);
        assert_eq!(minutes(Lang::En, 1), "Expires in 1 minute");
        assert_eq!(minutes(Lang::En, 2), "Expires in 2 minutes");
        assert_eq!(minutes(Lang::De, 1), "Läuft in 1 Minute ab");
        assert_eq!(minutes(Lang::De, 15), "Läuft in 15 Minuten ab");
        // French counts 0 and 1 as singular.
        assert_eq!(minutes(Lang::Fr, 1), "Expire dans 1 minute");
        assert_eq!(minutes(Lang::Fr, 2), "Expire dans 2 minutes");
        // Arabic has six plural forms, and its own digits.
        assert_eq!(minutes(Lang::Ar, 1), "ينتهي خلال دقيقة واحدة");
        assert_eq!(minutes(Lang::Ar, 2), "ينتهي خلال دقيقتين");
        assert_eq!(minutes(Lang::Ar, 3), "ينتهي خلال ٣ دقائق");
        assert_eq!(minutes(Lang::Ar, 15), "ينتهي خلال ١٥ دقيقة");
        assert_eq!(minutes(Lang::Ja, 15), "あと 15 分で期限切れ");
    }

    #[test]
    fn numbers_are_written_in_the_locales_digits_and_grouping() {
        assert_eq!(Lang::En.number(1800), "1,800");
        assert_eq!(Lang::De.number(1800), "1.800");
        assert_eq!(Lang::Fr.number(1800), "1\u{202f}800");
        assert_eq!(Lang::Ar.number(1800), "١٬٨٠٠");
        assert_eq!(Lang::En.number(905), "905");
        assert_eq!(Lang::Ar.clock(905), "١٥:٠٥");
        assert_eq!(Lang::De.clock(905), "15:05");
    }

    #[test]
    fn the_language_comes_from_lc_all_then_lc_messages_then_lang() {
        let all = [
            ("LC_ALL", "fr_FR.UTF-8"),
            ("LC_MESSAGES", "de_DE.UTF-8"),
            ("LANG", "es_ES.UTF-8"),
        ];
        assert_eq!(Lang::from_env(env(&all)), Lang::Fr);
        assert_eq!(Lang::from_env(env(&all[1..])), Lang::De);
        assert_eq!(Lang::from_env(env(&all[2..])), Lang::Es);
        assert_eq!(
            Lang::from_env(env(&[("LC_ALL", ""), ("LANG", "de_DE.UTF-8")])),
            Lang::De
        );
        assert_eq!(Lang::from_env(env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
    }

    #[test]
    fn language_is_a_fallback_list_for_a_locale_the_app_does_not_speak() {
        let unknown = [("LANG", "it_IT.UTF-8"), ("LANGUAGE", "it:nl:pt_BR:de")];
        assert_eq!(Lang::from_env(env(&unknown)), Lang::PtBr);
        assert_eq!(
            Lang::from_env(env(&[("LANGUAGE", "ja:en")])),
            Lang::Ja,
            "no locale set at all"
        );
        // gettext ignores LANGUAGE under the C locale; so does this.
        assert_eq!(
            Lang::from_env(env(&[("LANG", "C.UTF-8"), ("LANGUAGE", "de")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_env(env(&[("LANG", "it_IT"), ("LANGUAGE", "it:nl")])),
            Lang::En,
            "the rest falls back to English"
        );
    }

    #[test]
    fn locale_names_parse_with_region_codeset_and_modifier() {
        assert_eq!(Lang::parse("de_DE.UTF-8@euro"), Some(Lang::De));
        assert_eq!(Lang::parse("pt_PT"), Some(Lang::PtBr));
        assert_eq!(Lang::parse("pt-BR"), Some(Lang::PtBr));
        assert_eq!(Lang::parse("ja_JP.eucJP"), Some(Lang::Ja));
        assert_eq!(Lang::parse("ar_EG.UTF-8"), Some(Lang::Ar));
        assert_eq!(Lang::parse("POSIX"), Some(Lang::En));
        assert_eq!(Lang::parse("en-XA"), Some(Lang::Pseudo));
        assert_eq!(Lang::parse("klingon"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn the_pseudo_locale_is_at_least_40_percent_longer_and_keeps_arguments() {
        let resource = FluentResource::try_new(Lang::En.source().to_owned()).expect("parses");
        let mut texts = Vec::new();
        for entry in resource.entries() {
            let fluent_syntax::ast::Entry::Message(m) = entry else {
                continue;
            };
            let Some(pattern) = &m.value else { continue };
            collect_texts(pattern, &mut texts);
        }
        assert!(texts.len() > 100);
        for text in texts.iter().filter(|t| !t.trim().is_empty()) {
            let longer = pseudo(text);
            let (a, b) = (text.chars().count(), longer.chars().count());
            assert!(b * 10 >= a * 14, "{text:?} → {longer:?}");
        }
        let title = Lang::Pseudo.tr("code-title", &[("provider", "Example".into())]);
        assert!(title.contains("Example"), "the argument is kept: {title}");
        assert!(title.starts_with("Šîgñ îñ wîth "), "{title}");
    }

    fn collect_texts(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
        use fluent_syntax::ast::{Expression, PatternElement};
        for element in &pattern.elements {
            match element {
                PatternElement::TextElement { value } => out.push((*value).to_owned()),
                PatternElement::Placeable {
                    expression: Expression::Select { variants, .. },
                } => {
                    for v in variants {
                        collect_texts(&v.value, out);
                    }
                }
                PatternElement::Placeable { .. } => {}
            }
        }
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        for lang in Lang::ALL {
            assert_eq!(lang.rtl(), lang == Lang::Ar);
        }
    }
}
