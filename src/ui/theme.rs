//! Sizes, colours, fonts, the safe area and scaling: the whole look in one place.
//!
//! Every size here is written for a 1920×1080 window and scaled with the
//! window height, so 720p, 1080p and 4K look the same (kiosk-ux.md).

use iced::widget::{button, container};
use iced::{Border, Color, Font, Padding, Shadow, Size, Theme, font};

use crate::i18n::Lang;

/// The bundled faces, set as the default so every machine renders alike.
pub const SANS_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The user code's face: 0/O and 1/I/l are unmistakable in DejaVu Sans Mono.
pub const MONO_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono-Bold.ttf");

pub const BODY: Font = Font::with_name("DejaVu Sans");
pub const BOLD: Font = Font {
    weight: font::Weight::Bold,
    ..BODY
};
pub const CODE: Font = Font {
    weight: font::Weight::Bold,
    ..Font::with_name("DejaVu Sans Mono")
};

/// The font files to load, for the app and for the screenshot tests.
pub fn fonts() -> Vec<std::borrow::Cow<'static, [u8]>> {
    vec![SANS_REGULAR.into(), SANS_BOLD.into(), MONO_BOLD.into()]
}

/// Installed CJK fonts, in order of preference: the app bundles none (a
/// CJK face is 20 MB), and the .deb recommends fonts-noto-cjk.
pub const CJK_FONT_FILES: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
];

/// The installed CJK font files: Noto Sans CJK's regular and bold faces
/// when they are there, else the first other one found. Empty when none is
/// installed.
pub fn cjk_font_files() -> Vec<std::path::PathBuf> {
    let found = |path: &&str| {
        let path = std::path::Path::new(path);
        path.is_file().then(|| path.to_owned())
    };
    let noto: Vec<_> = CJK_FONT_FILES[..2].iter().filter_map(found).collect();
    if !noto.is_empty() {
        return noto;
    }
    CJK_FONT_FILES[2..]
        .iter()
        .find_map(found)
        .into_iter()
        .collect()
}

/// The fonts a language is drawn with, as bytes (the screenshot tests load
/// these; the app maps the CJK files instead of reading 40 MB).
pub fn fonts_for(lang: Lang) -> Vec<std::borrow::Cow<'static, [u8]>> {
    let mut fonts = fonts();
    if lang.needs_cjk() {
        fonts.extend(
            cjk_font_files()
                .iter()
                .filter_map(|path| std::fs::read(path).ok())
                .map(std::borrow::Cow::Owned),
        );
    }
    fonts
}

/// The colours of one look. Every colour of text or marks has at least
/// 7:1 contrast against `background` in the high-contrast look (WCAG AAA).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub background: Color,
    pub surface: Color,
    pub text: Color,
    pub muted: Color,
    pub accent: Color,
    pub success: Color,
    pub warning: Color,
    pub danger: Color,
    /// The focused element: a white fill with dark text, plus an accent ring.
    pub focus_fill: Color,
    pub focus_text: Color,
    /// An unfocused button's outline.
    pub outline: Color,
}

pub const NORMAL: Palette = Palette {
    background: Color::from_rgb8(0x10, 0x14, 0x1a),
    surface: Color::from_rgb8(0x22, 0x29, 0x33),
    text: Color::from_rgb8(0xf4, 0xf6, 0xf8),
    muted: Color::from_rgb8(0xb8, 0xc2, 0xcc),
    accent: Color::from_rgb8(0x5c, 0xb8, 0xff),
    success: Color::from_rgb8(0x4c, 0xd1, 0x7a),
    warning: Color::from_rgb8(0xff, 0xb3, 0x3d),
    danger: Color::from_rgb8(0xff, 0x6b, 0x6b),
    focus_fill: Color::WHITE,
    focus_text: Color::from_rgb8(0x0a, 0x0d, 0x12),
    outline: Color::from_rgb8(0x62, 0x68, 0x70),
};

/// For viewers with low vision: black, white, and bright colours only.
pub const HIGH_CONTRAST: Palette = Palette {
    background: Color::BLACK,
    surface: Color::BLACK,
    text: Color::WHITE,
    muted: Color::from_rgb8(0xe8, 0xe8, 0xe8),
    accent: Color::from_rgb8(0x8c, 0xd8, 0xff),
    success: Color::from_rgb8(0x7d, 0xf5, 0xa0),
    warning: Color::from_rgb8(0xff, 0xd8, 0x4d),
    danger: Color::from_rgb8(0xff, 0xa8, 0xa8),
    focus_fill: Color::from_rgb8(0xff, 0xe6, 0x00),
    focus_text: Color::BLACK,
    outline: Color::WHITE,
};

// The normal look's colours by name, for code outside the views.
pub const BACKGROUND: Color = NORMAL.background;
pub const TEXT: Color = NORMAL.text;

pub fn theme(palette: &Palette) -> Theme {
    Theme::custom(
        "device-signin",
        iced::theme::Palette {
            background: palette.background,
            text: palette.text,
            primary: palette.accent,
            success: palette.success,
            warning: palette.warning,
            danger: palette.danger,
        },
    )
}

/// WCAG 2 contrast ratio between two opaque colours (1 to 21).
pub fn contrast(a: Color, b: Color) -> f32 {
    fn luminance(c: Color) -> f32 {
        let channel = |v: f32| {
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Sizes for one window size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub size: Size,
    /// 1.0 at 1080p; from the height, but never wider than the width allows.
    pub scale: f32,
    /// The language every view speaks (and its direction).
    pub lang: Lang,
    /// The colours.
    pub ink: &'static Palette,
    /// Larger secondary text, for viewers with low vision.
    pub high_contrast: bool,
}

impl Metrics {
    pub const BASE: Size = Size::new(1920.0, 1080.0);

    pub fn new(size: Size) -> Self {
        let scale = (size.height / Self::BASE.height).min(size.width / Self::BASE.width);
        // A zero-sized window (minimised) must not give zero-sized text.
        let scale = if scale.is_finite() && scale > 0.1 {
            scale
        } else {
            0.1
        };
        Self {
            size,
            scale,
            lang: Lang::En,
            ink: &NORMAL,
            high_contrast: false,
        }
    }

    /// In `lang`.
    pub fn with_lang(self, lang: Lang) -> Self {
        Self { lang, ..self }
    }

    /// In the high-contrast look (or not).
    pub fn with_high_contrast(self, on: bool) -> Self {
        Self {
            high_contrast: on,
            ink: if on { &HIGH_CONTRAST } else { &NORMAL },
            ..self
        }
    }

    /// The message `id` in this language.
    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    /// The message `id` with arguments, in this language.
    pub fn tr(&self, id: &str, args: &[(&str, crate::i18n::Value<'_>)]) -> String {
        self.lang.tr(id, args)
    }

    /// Right to left: rows mirror.
    pub fn rtl(&self) -> bool {
        self.lang.rtl()
    }

    /// A 1080p length, scaled.
    pub fn px(&self, base: f32) -> f32 {
        (base * self.scale).round().max(1.0)
    }

    /// The 5 % overscan margin on every side.
    pub fn safe_area(&self) -> Padding {
        Padding {
            top: (self.size.height * 0.05).round(),
            bottom: (self.size.height * 0.05).round(),
            left: (self.size.width * 0.05).round(),
            right: (self.size.width * 0.05).round(),
        }
    }

    pub fn title(&self) -> f32 {
        self.px(52.0)
    }
    pub fn body(&self) -> f32 {
        self.px(if self.high_contrast { 38.0 } else { 34.0 })
    }
    /// Secondary text: hints, the countdown's words. At least 32 px at
    /// 1080p in the high-contrast look.
    pub fn small(&self) -> f32 {
        self.px(if self.high_contrast { 34.0 } else { 29.0 })
    }
    pub fn url(&self) -> f32 {
        self.px(50.0)
    }
    pub fn user_code(&self) -> f32 {
        self.px(118.0)
    }
    pub fn button_text(&self) -> f32 {
        self.px(36.0)
    }
    pub fn gap(&self) -> f32 {
        self.px(32.0)
    }
    /// The QR code's box: half the height. The code drawn in it (whole
    /// pixels per module) is at least 45 % of the height.
    pub fn qr_side(&self) -> f32 {
        (self.size.height * 0.5).min(self.size.width * 0.32).round()
    }
}

/// The QR code's drawn side in a box of `side`: a whole number of pixels
/// per module, so every module is the same size, unless that would leave
/// more than a tenth of the box empty (a long URL at 720p); then the code
/// fills the box and modules differ by a pixel at most, which scanners do
/// not mind.
pub fn qr_drawn(side: f32, modules: f32) -> f32 {
    let whole = (side / modules).floor().max(1.0) * modules;
    if whole >= side * 0.9 {
        whole
    } else {
        side.max(modules)
    }
}

/// An action button: focused ones are filled white with a thick accent ring,
/// unfocused ones are dark with a thin dim outline. No hover look: the cursor is
/// hidden and focus is app state.
pub fn action(focused: bool, m: Metrics) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, _| {
        if focused {
            button::Style {
                background: Some(m.ink.focus_fill.into()),
                text_color: m.ink.focus_text,
                // No glow: a shadow draws outside the widget's bounds, and
                // tiny-skia's damage tracking leaves it behind after a move.
                border: Border {
                    color: m.ink.accent,
                    width: m.px(8.0),
                    radius: m.px(14.0).into(),
                },
                shadow: Shadow::default(),
                snap: true,
            }
        } else {
            button::Style {
                background: Some(m.ink.surface.into()),
                text_color: m.ink.text,
                border: Border {
                    color: m.ink.outline,
                    width: m.px(if m.high_contrast { 4.0 } else { 2.0 }),
                    radius: m.px(14.0).into(),
                },
                shadow: Shadow::default(),
                snap: true,
            }
        }
    }
}

/// A countdown bar: the track, then the filled part.
pub fn bar_track(m: Metrics) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(m.ink.surface.into()),
        border: Border {
            radius: 999.0.into(),
            // On black, the track is drawn as an outline.
            width: if m.high_contrast { m.px(3.0) } else { 0.0 },
            color: m.ink.muted,
        },
        ..container::Style::default()
    }
}

pub fn bar_fill(color: Color) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(color.into()),
        border: Border {
            radius: 999.0.into(),
            ..Border::default()
        },
        ..container::Style::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_scale_with_the_height_from_1080p() {
        let hd = Metrics::new(Size::new(1920.0, 1080.0));
        let small = Metrics::new(Size::new(1280.0, 720.0));
        let uhd = Metrics::new(Size::new(3840.0, 2160.0));
        assert_eq!(hd.scale, 1.0);
        assert_eq!(uhd.user_code(), 2.0 * hd.user_code());
        assert!((small.scale - 2.0 / 3.0).abs() < 1e-6);
        assert!(small.body() >= 22.0, "body text stays readable at 720p");
    }

    #[test]
    fn high_contrast_text_has_7_to_1_contrast_and_secondary_text_is_32px_at_1080p() {
        let m = Metrics::new(Size::new(1920.0, 1080.0)).with_high_contrast(true);
        assert!(m.small() >= 32.0, "{}", m.small());
        let ink = m.ink;
        for (name, color) in [
            ("text", ink.text),
            ("muted", ink.muted),
            ("accent", ink.accent),
            ("success", ink.success),
            ("warning", ink.warning),
            ("danger", ink.danger),
            ("outline", ink.outline),
        ] {
            let ratio = contrast(color, ink.background);
            assert!(ratio >= 7.0, "{name}: {ratio:.1}:1");
        }
        assert!(contrast(ink.focus_text, ink.focus_fill) >= 7.0);
    }

    #[test]
    fn the_normal_look_keeps_4_5_to_1_for_every_text_colour() {
        let ink = &NORMAL;
        for color in [
            ink.text,
            ink.muted,
            ink.accent,
            ink.success,
            ink.warning,
            ink.danger,
        ] {
            assert!(contrast(color, ink.background) >= 4.5);
        }
        assert!(contrast(Color::WHITE, Color::BLACK) > 20.9);
    }

    #[test]
    fn the_qr_code_is_drawn_at_least_45_percent_of_the_height() {
        // Every QR version, quiet zone included (21 + 8 to 177 + 8 modules).
        for height in [720.0, 1080.0, 2160.0] {
            let m = Metrics::new(Size::new(height * 16.0 / 9.0, height));
            for modules in (21..=185).step_by(4).map(|v| v as f32) {
                let drawn = qr_drawn(m.qr_side(), modules);
                assert!(drawn >= 0.45 * height, "{height}p, {modules}: {drawn}");
                assert!(drawn <= m.qr_side());
                assert!(drawn >= modules, "at least a pixel per module");
            }
        }
    }

    #[test]
    fn the_safe_area_is_five_percent_on_every_side() {
        let p = Metrics::new(Size::new(1920.0, 1080.0)).safe_area();
        assert_eq!((p.left, p.right, p.top, p.bottom), (96.0, 96.0, 54.0, 54.0));
    }

    #[test]
    fn a_wide_window_is_sized_by_its_width_so_nothing_overflows() {
        let m = Metrics::new(Size::new(1280.0, 1080.0));
        assert!((m.scale - 1280.0 / 1920.0).abs() < 1e-6);
    }
}
